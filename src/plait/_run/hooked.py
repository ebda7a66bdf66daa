"""The run with node hooks: the same plan, each step wrapped by the registered hooks.

Used only when some adapter implements a node hook (``run_before_node_execution``,
``run_after_node_execution`` or ``run_to_execute_node``); otherwise
:func:`plait._run.loop.run_plan` runs, which pays nothing for hooks.

Order per node: before-hooks → the node (through ``run_to_execute_node`` if an adapter
provides it) → after-hooks (also when the node raised, with ``success=False``, before the
exception propagates). A node's exception gets the node's note; a hook's exception gets the
hook's note (see :mod:`plait._hooks.manager`).

Cost: everything about a step that does not change between runs (callable, slots, name, tags,
types) is computed once per plan (:func:`step_info`, kept in ``plan.cache``); per node, the loop
builds the one dict hooks must receive (``node_kwargs``) and calls each hook with direct keyword
arguments (:attr:`Hooks.callers`), with no other dict, merge or dispatch call. What remains is
CPython's price of a keyword call to a ``**kwargs`` method (``benchmarks/hook_floor.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from plait._hooks.manager import Hooks, describe
from plait._model.errors import annotate_hook_failure, annotate_node_failure
from plait._model.node import Node, NodeKind
from plait._plan.blocks import Block
from plait._plan.plan import CALLBLOCK, Plan
from plait._run.loop import load_sources, noted_items, run_block, run_item

BEFORE, AFTER = "run_before_node_execution", "run_after_node_execution"

#: One step, as the hooked loop reads it: (callable, output slot, number of arguments (-1 for
#: a block step), argument names, argument slots, slots to release, node name, node tags,
#: return type, input types, node). A block step is
#: ``(None, -1, -1, (), (), slots to release, "", {}, None, {}, the Block)``.
StepInfo = tuple[
    Any,  # the node's callable; None for a block step
    int,
    int,
    tuple[str, ...],
    tuple[int, ...],
    tuple[int, ...],
    str,
    dict[str, Any],
    Any,
    dict[str, Any],
    Any,
]


def run_plan_hooked(
    plan: Plan,
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    hooks: Hooks,
    run_id: str,
    executor: Any = None,
) -> dict[str, Any]:
    """Execute ``plan`` calling the node hooks around every step (also inside blocks)."""
    vals = load_sources(plan, inputs, overrides)
    _Runner(hooks, run_id, executor, plan.cache).run(plan, vals)
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=True)}


def step_info(plan: Plan | Block) -> list[StepInfo]:
    """Per step of ``plan`` (a plan or a block's sub-plan), what never changes between runs."""
    info: list[StepInfo] = []
    for step, node, (names, slots) in zip(plan.steps, plan.step_nodes, plan.step_args, strict=True):
        if step[2] == CALLBLOCK:
            info.append((None, -1, -1, (), (), step[4], "", {}, None, {}, step[0]))
        else:
            fixed = _node_info(node)
            info.append((node.callable, step[1], len(names), names, slots, step[4], *fixed))
    return info


def _node_info(node: Node) -> tuple[str, dict[str, Any], Any, dict[str, Any], Node]:
    """A node's hook keywords that never change: name, tags, return type, input types."""
    return node.name, dict(node.tags), node.type, {d.name: d.type for d in node.inputs}, node


class _Runner:
    """One hooked run: the step loop, blocks included, with the hooks bound once."""

    def __init__(self, hooks: Hooks, run_id: str, executor: Any, cache: dict[str, Any]) -> None:
        self.run_id = run_id
        self.executor = executor
        self.before = hooks.callers[BEFORE]
        self.after = hooks.callers[AFTER]
        method = hooks.callers["run_to_execute_node"]  # a subset-keyword one is wrapped
        self.execute = method[0] if method else None
        #: id(plan or block) -> its step info; ``plan.cache["hooked"]`` (the plan owns its
        #: blocks, so the ids stay valid as long as the cache lives)
        self.infos: dict[int, list[StepInfo]] = cache.setdefault("hooked", {})

    def run(self, plan: Plan | Block, vals: list[Any], task_id: str | None = None) -> None:
        """Run the steps of ``plan`` on ``vals``; node hooks receive ``task_id``."""
        info = self.infos.get(id(plan)) or self._remember(plan)
        run_id, before, after, execute = self.run_id, self.before, self.after, self.execute
        # The node path is written out here (not a call per node) — see the module docstring.
        for fn, out, arity, names, slots, free, name, tags, rtype, in_types, node in info:
            if arity < 0:
                self.block(node, vals, task_id)
            else:
                # node_kwargs: up to three arguments a dict display (on CPython 3.11 about a
                # third of a comprehension's cost, which is a function call)
                if arity == 1:
                    kwargs = {names[0]: vals[slots[0]]}
                elif arity == 2:
                    kwargs = {names[0]: vals[slots[0]], names[1]: vals[slots[1]]}
                elif arity == 3:
                    kwargs = {
                        names[0]: vals[slots[0]], names[1]: vals[slots[1]],
                        names[2]: vals[slots[2]],
                    }  # fmt: skip
                else:
                    kwargs = {n: vals[s] for n, s in zip(names, slots, strict=False)}
                for hook in before:
                    try:
                        hook(
                            node_name=name, node_tags=tags, node_kwargs=kwargs,
                            node_return_type=rtype, task_id=task_id, run_id=run_id,
                            node_input_types=in_types,
                        )  # fmt: skip
                    except Exception as exc:
                        annotate_hook_failure(exc, describe(hook, BEFORE), name)
                        raise
                try:
                    result = (
                        fn(**kwargs)
                        if execute is None
                        else _through(execute, node, fn, kwargs, task_id)
                    )
                except Exception as error:
                    self._failed(node, kwargs, error, task_id)
                    raise
                for hook in after:
                    try:
                        hook(
                            node_name=name, node_tags=tags, node_kwargs=kwargs,
                            node_return_type=rtype, result=result, error=None, success=True,
                            task_id=task_id, run_id=run_id,
                        )  # fmt: skip
                    except Exception as exc:
                        annotate_hook_failure(exc, describe(hook, AFTER), name)
                        raise
                vals[out] = result
            for slot in free:
                vals[slot] = None

    def _remember(self, plan: Plan | Block) -> list[StepInfo]:
        """Compute and keep the step info of ``plan`` (once per plan or block)."""
        info = self.infos[id(plan)] = step_info(plan)
        return info

    def node(self, node: Node, kwargs: dict[str, Any], task_id: str | None = None) -> Any:
        """One node with its hooks, outside the loop (a block's Parallelizable node)."""
        name, tags, rtype, in_types, _ = _node_info(node)
        same: dict[str, Any] = {"node_name": name, "node_tags": tags, "node_kwargs": kwargs}
        same.update(node_return_type=rtype, task_id=task_id, run_id=self.run_id)
        _notify(self.before, BEFORE, name, **same, node_input_types=in_types)
        fn, execute = node.callable, self.execute
        assert fn is not None
        try:
            result = (
                fn(**kwargs) if execute is None else _through(execute, node, fn, kwargs, task_id)
            )
        except Exception as error:
            self._failed(node, kwargs, error, task_id)
            raise
        _notify(self.after, AFTER, name, **same, result=result, error=None, success=True)
        return result

    def _failed(
        self, node: Node, kwargs: dict[str, Any], error: Exception, task_id: str | None
    ) -> None:
        """``node`` raised ``error``: note it with the node's name, run the after-hooks."""
        annotate_node_failure(error, node.name, str(node.get_origin() or "<unknown>"))
        name, tags, rtype, _, _ = _node_info(node)
        _notify(
            self.after, AFTER, name, node_name=name, node_tags=tags, node_kwargs=kwargs,
            node_return_type=rtype, result=None, error=error, success=False, task_id=task_id,
            run_id=self.run_id,
        )  # fmt: skip

    def block(self, block: Block, vals: list[Any], task_id: str | None = None) -> None:
        """A Parallelizable block: the Parallelizable node and every member run inside hooks."""
        expand = block.expand
        kwargs = {n: vals[s] for n, s in zip(block.expand_names, block.expand_args, strict=True)}
        items = noted_items(iter(self.node(expand, kwargs, task_id)), expand)
        item_runner = (
            self.item if task_id is None else functools.partial(self.item, task_id=task_id)
        )
        run_block(block, vals, self.executor, items=items, item_runner=item_runner)

    def item(
        self, block: Block, ext: list[Any], item: Any, index: int, task_id: str | None = None
    ) -> tuple[Any, ...]:
        """One item (a block nested in a task's item runs inside that task: ``task_id``)."""
        return run_item(block, ext, item, index, lambda b, local: self.run(b, local, task_id))


def _notify(hooks: tuple[Callable[..., Any], ...], hook: str, node: str, **keywords: Any) -> None:
    """Call every hook in ``hooks`` (a :attr:`Hooks.callers` entry) with ``keywords``; a hook's
    exception gets the hook's note."""
    for method in hooks:
        try:
            method(**keywords)
        except Exception as exc:
            annotate_hook_failure(exc, describe(method, hook), node)
            raise


def _through(
    execute: Callable[..., Any],
    node: Node,
    fn: Callable[..., Any],
    kwargs: dict[str, Any],
    task_id: str | None,
) -> Any:
    """Call ``fn`` through an adapter's ``run_to_execute_node``."""
    return execute(
        node_name=node.name,
        node_tags=dict(node.tags),
        node_callable=fn,
        node_kwargs=kwargs,
        task_id=task_id,
        is_expand=node.kind is NodeKind.EXPAND,
        is_collect=node.kind is NodeKind.COLLECT,
    )


def execute_node(
    node: Node, kwargs: dict[str, Any], execute: Any, task_id: str | None = None
) -> Any:
    """Call ``node`` with ``kwargs`` (through ``execute``, a ``run_to_execute_node`` method,
    if given); a failure is noted with the node's name."""
    fn = node.callable
    assert fn is not None
    try:
        if execute is None:
            return fn(**kwargs)
        return _through(execute, node, fn, kwargs, task_id)
    except Exception as exc:
        annotate_node_failure(exc, node.name, str(node.get_origin() or "<unknown>"))
        raise
