"""The run of dynamic execution with hooks: task hooks at task boundaries, node hooks with the
task's id.

Used when a driver built with ``enable_dynamic_execution`` has a task hook or a node hook;
otherwise :func:`plait._run.loop.run_plan` runs, which pays nothing for either. The tasks come
from :func:`plait._plan.tasks.task_layout`.

Per task outside blocks (run in the driver's thread): ``run_before_task_submission`` →
``run_before_task_execution`` → its nodes → ``run_after_task_execution`` →
``run_after_task_return``. A Parallelizable node's items are all drawn when the node runs (as
Hamilton does; only if a task hook is registered, else they stay lazy), then
``run_after_task_expansion`` fires, then each item becomes a task: its submission and return
hooks run in the driver, its execution hooks where the item runs (a thread, a worker process, a
cluster). When the Parallelizable node is the last of its task (as with the default strategy),
that task ends before its items run. A failed task still gets its after-hooks
(``success=False``) before the error propagates. A hook's exception gets a note naming the hook
and the task.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from plait._hooks.manager import Hooks, describe
from plait._hooks.spec import TASK_HOOKS
from plait._model.errors import annotate_node_failure
from plait._model.node import Node
from plait._plan.blocks import Block
from plait._plan.plan import CALLBLOCK, Plan
from plait._plan.tasks import BlockTasks, Layout, NodeGroupPurpose, TopTask
from plait._run.hooked import _Runner
from plait._run.loop import _run_steps, load_sources, note_branch, noted_items

SUBMIT, RETURN = "run_before_task_submission", "run_after_task_return"
BEFORE, AFTER = "run_before_task_execution", "run_after_task_execution"
GROUPED, EXPANDED = "run_after_task_grouping", "run_after_task_expansion"


def run_plan_tasked(
    plan: Plan,
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    hooks: Hooks,
    run_id: str,
    executor: Any,
    layout: Layout,
) -> dict[str, Any]:
    """Execute ``plan`` task by task (``layout``), calling the task and node hooks."""
    vals = load_sources(plan, inputs, overrides)
    run = _TaskRun(hooks, run_id, executor, layout, plan.cache)
    if hooks.has(GROUPED):
        call_hooks(hooks, GROUPED, None, run_id=run_id, task_ids=list(layout.task_ids))
    for task in layout.tasks:
        run.task(task, vals)
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=True)}


def has_task_hooks(hooks: Hooks) -> bool:
    """Whether an adapter implements a task hook."""
    return any(hooks.has(name) for name in TASK_HOOKS)


@dataclass
class _Open:
    """A task outside blocks while it runs."""

    task: TopTask
    results: dict[str, Any] | None  #: its inputs and what it computed (if a hook wants them)
    closed: bool = False


class _TaskRun:
    """One run: the tasks outside blocks, in order; blocks' items as tasks."""

    def __init__(
        self, hooks: Hooks, run_id: str, executor: Any, layout: Layout, cache: dict[str, Any]
    ) -> None:
        self.hooks = hooks
        self.run_id = run_id
        self.executor = executor
        self.layout = layout
        self.tasked = has_task_hooks(hooks)  #: draw items eagerly, describe tasks
        self.keep = hooks.has(AFTER) or hooks.has(RETURN)  #: record what tasks compute
        self.nodes = _Runner(hooks, run_id, None, cache) if hooks.has_node_hooks else None

    def task(self, task: TopTask, vals: list[Any]) -> None:
        """Run one task outside blocks, with its hooks."""
        if not self.tasked:  # node hooks only
            self._steps(task, vals, _Open(task, None))
            return
        inputs = {name: vals[slot] for name, slot in task.reads}
        overrides = {name: inputs[name] for name in task.overrides}
        common = _describe(self.run_id, task.base_id, task.nodes, None, task.purpose)
        if self.hooks.has(SUBMIT):
            call_hooks(self.hooks, SUBMIT, task.base_id, inputs=inputs, overrides=overrides,
                       **common)  # fmt: skip
        state = _Open(task, dict(inputs) if self.keep else None)
        try:
            if self.hooks.has(BEFORE):
                call_hooks(self.hooks, BEFORE, task.base_id, inputs=inputs, overrides=overrides,
                           **common)  # fmt: skip
        except Exception as error:  # the task did not run: it returns failed
            state.closed = True
            self._returned(task, None, error)
            raise
        try:
            self._steps(task, vals, state)
        except Exception as error:
            if not state.closed:
                self._end(state, error)
            raise
        if not state.closed:
            self._end(state, None)

    def _steps(self, task: TopTask, vals: list[Any], state: _Open) -> None:
        layout = self.layout
        for index in task.steps:
            step, node = layout.steps[index], layout.step_nodes[index]
            if step[2] == CALLBLOCK:
                self._block(node, vals, state, last=index == task.steps[-1])
            else:
                names, slots = layout.step_args[index]
                kwargs = {n: vals[s] for n, s in zip(names, slots, strict=True)}
                vals[step[1]] = value = self._node(node, kwargs, task.base_id)
                if state.results is not None:
                    state.results[node.name] = value
            for slot in step[4]:
                vals[slot] = None

    def _node(self, node: Node, kwargs: dict[str, Any], task_id: str) -> Any:
        if self.nodes is not None:
            return self.nodes.node(node, kwargs, task_id)
        fn = node.callable
        assert fn is not None
        try:
            return fn(**kwargs)
        except Exception as exc:
            annotate_node_failure(exc, node.name, str(node.get_origin() or "<unknown>"))
            raise

    def _end(
        self, state: _Open, error: Exception | None, expanded: Callable[[], None] | None = None
    ) -> None:
        """``run_after_task_execution`` (then ``expanded``, if given), ``run_after_task_return``
        (which also sees an exception those raised)."""
        state.closed = True
        task, results = state.task, state.results if error is None else None
        common = _describe(self.run_id, task.base_id, task.nodes, None, task.purpose)
        try:
            if self.hooks.has(AFTER):
                call_hooks(self.hooks, AFTER, task.base_id, results=results,
                           success=error is None, error=error, **common)  # fmt: skip
            if expanded is not None:
                expanded()
        except Exception as hook_error:
            self._returned(task, None, hook_error)
            raise
        self._returned(task, results, error)

    def _returned(
        self, task: TopTask, results: dict[str, Any] | None, error: Exception | None
    ) -> None:
        if self.hooks.has(RETURN):
            common = _describe(self.run_id, task.base_id, task.nodes, None, task.purpose)
            result = None
            if error is None and results is not None:
                result = {n: results[n] for n in task.outputs if n in results}
            call_hooks(self.hooks, RETURN, task.base_id, result=result, success=error is None,
                       error=error, **common)  # fmt: skip

    def _block(self, block: Block, vals: list[Any], state: _Open, last: bool) -> None:
        """The Parallelizable node (in the current task), then one task per item."""
        expand, task_id = block.expand, state.task.base_id
        kwargs = {n: vals[s] for n, s in zip(block.expand_names, block.expand_args, strict=True)}
        if expand.name in state.task.overrides:  # overridden: the override is the items
            items: Any = iter(kwargs[expand.name])
        else:
            items = noted_items(iter(self._node(expand, kwargs, task_id)), expand)
        if self.tasked:
            items = list(items)
            if state.results is not None:
                state.results[expand.name] = items
            expanded = self._expanded(task_id, items)
            if last:  # the task ends with its Parallelizable node: end it before the items
                self._end(state, None, expanded)
            else:
                expanded()
        tasks = self.layout.blocks[id(block)]
        gathered = self._items(block, tasks, vals, items, task_id)
        for name, slot, values in zip(
            block.collected_names, block.out_slots, gathered, strict=True
        ):
            vals[slot] = values
            if state.results is not None and not state.closed:
                state.results[name] = values

    def _expanded(self, task_id: str, items: list[Any]) -> Callable[[], None]:
        def expanded() -> None:
            if self.hooks.has(EXPANDED):
                parameters = {str(i): item for i, item in enumerate(items)}
                call_hooks(self.hooks, EXPANDED, task_id, run_id=self.run_id, task_id=task_id,
                           parameters=parameters)  # fmt: skip

        return expanded

    def _items(
        self, block: Block, tasks: BlockTasks, vals: list[Any], items: Any, spawning: str
    ) -> list[list[Any]]:
        """Run every item as a task; the gathered values, one list per collected name."""
        item_task = ItemTask(self.hooks if self._hooks_in_items() else None, self.run_id,
                             spawning, tasks)  # fmt: skip
        to_run = tasks.kept if self.hooks.has(AFTER) else block  # kept: values for results
        ext = [vals[s] for s in block.ext_slots]
        gathered: list[list[Any]] = [[] for _ in block.collect_local]
        futures: list[tuple[str, cf.Future[Any]]] = []
        submit_many: Any = getattr(self.executor, "submit_many", None)
        batch: list[tuple[str, tuple[Any, ...]]] = []  # for submit_many: all items at once
        try:
            for index, item in enumerate(items):
                task_id = item_task.task_id(index)
                self._submitting(tasks, task_id, ext, item, spawning)
                if self.executor is None:
                    try:
                        values = item_task(to_run, ext, item, index)
                    except Exception as exc:
                        self._item_returned(tasks, task_id, spawning, None, exc)
                        raise
                    _gather(gathered, self._item_returned(tasks, task_id, spawning, values))
                elif submit_many is not None:
                    batch.append((task_id, (to_run, ext, item, index)))
                else:
                    futures.append((task_id, self.executor.submit(item_task, to_run, ext,
                                                                  item, index)))  # fmt: skip
            if batch:
                submitted = submit_many(item_task, [args for _, args in batch])
                futures = [(task_id, f) for (task_id, _), f in zip(batch, submitted, strict=True)]
            for task_id, future in futures:
                try:
                    values = future.result()
                except Exception as exc:
                    self._item_returned(tasks, task_id, spawning, None, exc)
                    raise
                _gather(gathered, self._item_returned(tasks, task_id, spawning, values))
        except BaseException as exc:
            _stop(self.executor, [f for _, f in futures], not isinstance(exc, Exception))
            raise
        return gathered

    def _hooks_in_items(self) -> bool:
        return self.hooks.has_node_hooks or self.hooks.has(BEFORE) or self.hooks.has(AFTER)

    def _submitting(
        self, tasks: BlockTasks, task_id: str, ext: list[Any], item: Any, spawning: str
    ) -> None:
        if self.hooks.has(SUBMIT):
            inputs = _item_inputs(tasks, ext, item)
            common = _describe(self.run_id, task_id, tasks.spec.nodes, spawning,
                               NodeGroupPurpose.EXECUTE_BLOCK)  # fmt: skip
            call_hooks(self.hooks, SUBMIT, task_id, inputs=inputs, overrides={}, **common)

    def _item_returned(
        self,
        tasks: BlockTasks,
        task_id: str,
        spawning: str,
        values: tuple[Any, ...] | None,
        error: Exception | None = None,
    ) -> tuple[Any, ...]:
        """``run_after_task_return`` for an item that came back; its gathered values."""
        if self.hooks.has(RETURN):
            common = _describe(self.run_id, task_id, tasks.spec.nodes, spawning,
                               NodeGroupPurpose.EXECUTE_BLOCK)  # fmt: skip
            names = tasks.spec.outputs_to_compute
            result = None if values is None else dict(zip(names, values, strict=True))
            call_hooks(self.hooks, RETURN, task_id, result=result, success=error is None,
                       error=error, **common)  # fmt: skip
        return values or ()


class ItemTask:
    """One item of a block as a task, where it runs: execution hooks around the block's steps
    (node hooks inside, with the item's task id). Picklable (sent once per block)."""

    def __init__(self, hooks: Hooks | None, run_id: str, spawning: str, tasks: BlockTasks) -> None:
        self.hooks = hooks
        self.run_id = run_id
        self.spawning = spawning
        self.tasks = tasks
        self.cache: dict[str, Any] = {}  #: the node-hook runner's per-block details

    def task_id(self, index: int) -> str:
        """``<spawning task>.<index>.block-<p>``, as Hamilton names item tasks."""
        return f"{self.spawning}.{index}.{self.tasks.base_id}"

    def __call__(self, block: Block, ext: list[Any], item: Any, index: int) -> tuple[Any, ...]:
        local = [*ext, *([None] * (block.n_local - len(ext)))]
        local[block.item_slot] = item
        hooks, task_id = self.hooks, self.task_id(index)
        try:
            if hooks is None:
                _run_steps(block, local)
            else:
                self._hooked(hooks, block, local, ext, item, task_id)
        except Exception as exc:
            note_branch(exc, block.expand.name, index)
            raise
        return tuple(local[s] for s in block.collect_local)

    def _hooked(
        self, hooks: Hooks, block: Block, local: list[Any], ext: list[Any], item: Any, task_id: str
    ) -> None:
        tasks = self.tasks
        common = _describe(self.run_id, task_id, tasks.spec.nodes, self.spawning,
                           NodeGroupPurpose.EXECUTE_BLOCK)  # fmt: skip
        if hooks.has(BEFORE):
            inputs = _item_inputs(tasks, ext, item)
            call_hooks(hooks, BEFORE, task_id, inputs=inputs, overrides={}, **common)
        try:
            if hooks.has_node_hooks:
                _Runner(hooks, self.run_id, None, self.cache).run(block, local, task_id)
            else:
                _run_steps(block, local)
        except Exception as error:
            if hooks.has(AFTER):
                call_hooks(hooks, AFTER, task_id, results=None, success=False, error=error,
                           **common)  # fmt: skip
            raise
        if hooks.has(AFTER):
            results = {name: local[slot] for name, slot in tasks.results}
            call_hooks(hooks, AFTER, task_id, results=results, success=True, error=None,
                       **common)  # fmt: skip


def _item_inputs(tasks: BlockTasks, ext: list[Any], item: Any) -> dict[str, Any]:
    values = [*ext, item]
    return {name: values[i] for i, (name, _) in enumerate(tasks.inputs)}


def _describe(
    run_id: str,
    task_id: str,
    nodes: Any,
    spawning: str | None,
    purpose: NodeGroupPurpose,
) -> dict[str, Any]:
    """The keywords every submission, execution and return hook receives."""
    return {
        "run_id": run_id,
        "task_id": task_id,
        "nodes": list(nodes),
        "spawning_task_id": spawning,
        "purpose": purpose,
    }


def call_hooks(hooks: Hooks, name: str, task_id: str | None, /, **kwargs: Any) -> None:
    """Call every implementation of task hook ``name``; an exception gets a note naming the
    hook and the task."""
    for method, keys in hooks.bound[name]:
        try:
            if keys is None:
                method(**kwargs)
            else:
                method(**{k: v for k, v in kwargs.items() if k in keys})
        except Exception as exc:
            task = f" for task '{task_id}'" if task_id else ""
            add_note = getattr(exc, "add_note", None)
            if add_note is not None:
                add_note(
                    f"plait: raised by hook {describe(method, name)}{task}; the fault is in the "
                    "hook, not in the task's nodes"
                )
            raise


def _gather(gathered: list[list[Any]], values: tuple[Any, ...]) -> None:
    for bucket, value in zip(gathered, values, strict=True):
        bucket.append(value)


def _stop(executor: Any, futures: list[cf.Future[Any]], interrupted: bool) -> None:
    """An item failed (or Ctrl-C): cancel what has not started; on Ctrl-C, ``abort()``."""
    for future in futures:
        future.cancel()
    abort = getattr(executor, "abort", None) if interrupted else None
    if abort is not None:
        abort()


__all__ = ["ItemTask", "call_hooks", "has_task_hooks", "run_plan_tasked"]
