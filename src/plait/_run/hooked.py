"""The run with node hooks: the same plan, each step wrapped by the registered hooks.

Used only when some adapter implements a node hook (``run_before_node_execution``,
``run_after_node_execution`` or ``run_to_execute_node``); otherwise
:func:`plait._run.loop.run_plan` runs, which pays nothing for hooks.

Order per node: before-hooks → the node (through ``run_to_execute_node`` if an adapter
provides it) → after-hooks (also when the node raised, with ``success=False``, before the
exception propagates). A node's exception gets the node's note; a hook's exception gets the
hook's note (see :mod:`plait._hooks.manager`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plait._hooks.manager import Hooks
from plait._model.errors import annotate_node_failure
from plait._model.node import Node, NodeKind
from plait._plan.blocks import Block
from plait._plan.plan import CALLBLOCK, Plan
from plait._run.loop import load_sources, noted_items, run_block, run_item


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
    runner = _Runner(hooks, run_id, executor)
    if "hooked" not in plan.cache:
        plan.cache["hooked"] = _static_info(plan.step_nodes)
    runner.run(plan, vals, plan.cache["hooked"])
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=True)}


def _static_info(step_nodes: Any) -> list[Any]:
    """Per step, what never changes between runs: (node, fixed hook keywords, input types)."""
    return [_node_info(n) if isinstance(n, Node) else None for n in step_nodes]


def _node_info(node: Node) -> tuple[Node, dict[str, Any], dict[str, Any]]:
    fixed = {
        "node_name": node.name,
        "node_tags": dict(node.tags),
        "node_return_type": node.type,
        "task_id": None,
    }
    return node, fixed, {d.name: d.type for d in node.inputs}


class _Runner:
    """One hooked run: the step loop, blocks included, with the hooks bound once."""

    def __init__(self, hooks: Hooks, run_id: str, executor: Any) -> None:
        self.hooks = hooks
        self.run_id = run_id
        self.executor = executor
        self.before = hooks.bound["run_before_node_execution"]
        self.after = hooks.bound["run_after_node_execution"]
        method = hooks.impls("run_to_execute_node")
        self.execute = method[0] if method else None
        self.block_info: dict[int, list[Any]] = {}

    def run(self, plan: Plan | Block, vals: list[Any], info: list[Any]) -> None:
        for static, step, (names, slots) in zip(info, plan.steps, plan.step_args, strict=True):
            if step[2] == CALLBLOCK:
                self.block(step[0], vals)
                continue
            node, fixed, input_types = static
            kwargs = {name: vals[slot] for name, slot in zip(names, slots, strict=True)}
            vals[step[1]] = self.node(node, fixed, input_types, kwargs)
            for slot in step[4]:
                vals[slot] = None

    def block(self, block: Block, vals: list[Any]) -> None:
        """A Parallelizable block: the Parallelizable node and every member run inside hooks."""
        expand = block.expand
        _, fixed, input_types = _node_info(expand)
        kwargs = {n: vals[s] for n, s in zip(block.expand_names, block.expand_args, strict=True)}
        items = noted_items(iter(self.node(expand, fixed, input_types, kwargs)), expand)
        if id(block) not in self.block_info:
            self.block_info[id(block)] = _static_info(block.step_nodes)
        run_block(block, vals, self.executor, items=items, item_runner=self.item)

    def item(self, block: Block, ext: list[Any], item: Any, index: int) -> tuple[Any, ...]:
        info = self.block_info.get(id(block)) or _static_info(block.step_nodes)
        return run_item(block, ext, item, index, lambda b, local: self.run(b, local, info))

    def node(
        self, node: Node, fixed: dict[str, Any], input_types: Any, kwargs: dict[str, Any]
    ) -> Any:
        hooks, common = self.hooks, {**fixed, "node_kwargs": kwargs, "run_id": self.run_id}
        if self.before:
            hooks.notify(
                self.before, {**common, "node_input_types": input_types},
                "run_before_node_execution", node.name,
            )  # fmt: skip
        try:
            result = execute_node(node, kwargs, self.execute)
        except Exception as error:  # the node's own failure (already annotated with its name)
            if self.after:
                outcome = {"result": None, "error": error, "success": False}
                hooks.notify(
                    self.after, {**common, **outcome}, "run_after_node_execution", node.name
                )
            raise
        if self.after:
            self._after(common, {"result": result, "error": None, "success": True}, node.name)
        return result

    def _after(self, common: dict[str, Any], outcome: dict[str, Any], node_name: str) -> None:
        self.hooks.notify(self.after, {**common, **outcome}, "run_after_node_execution", node_name)


def execute_node(node: Node, kwargs: dict[str, Any], execute: Any) -> Any:
    """Call ``node`` with ``kwargs`` (through ``execute``, a ``run_to_execute_node`` method,
    if given); a failure is noted with the node's name."""
    fn = node.callable
    assert fn is not None
    try:
        if execute is None:
            return fn(**kwargs)
        return execute(
            node_name=node.name,
            node_tags=dict(node.tags),
            node_callable=fn,
            node_kwargs=kwargs,
            task_id=None,
            is_expand=node.kind is NodeKind.EXPAND,
            is_collect=node.kind is NodeKind.COLLECT,
        )
    except Exception as exc:
        origin = node.get_origin()
        annotate_node_failure(exc, node.name, str(origin or "<unknown>"))
        raise
