"""The async run: the plan's steps as asyncio work, each node started once its inputs are ready.

Same plan and slot list as the sync loop (:func:`plait._run.loop.load_sources`); what differs
is the order. The state of one run:

- ``waiting[i]``: how many steps producing step ``i``'s inputs have not finished;
- ``dependents[i]``: the steps that read step ``i``'s value;
- ``refs[slot]``: how many steps that have not started still read ``slot``; at zero the value
  is released (requested outputs are kept);
- ``ready``: steps whose inputs are all there; ``running``: ``{task: step}``.

Loop: *start* every ready step — the node is called right there, in the event loop, so a sync
node runs to completion at once and its dependents become ready; a node that returns an
awaitable (an ``async def`` node) becomes a task — then wait until some task finishes,
*finish* it (store the value, count down its dependents) and start again, until nothing runs.

On the first failure every running task is cancelled and awaited before the error propagates:
the node's own exception object (same type and traceback) with a note naming the node. If the
run itself is cancelled, its tasks are cancelled and awaited the same way.

Plans with Parallelizable blocks are not supported here (the async driver refuses them).
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from plait._hooks.aio import AsyncHooks
from plait._hooks.manager import Hooks
from plait._model.errors import annotate_node_failure
from plait._model.node import Node
from plait._plan.plan import Plan
from plait._run.hooked import execute_node
from plait._run.loop import load_sources

#: Starts one node: ``launch(node, kwargs)`` returns its value, or an awaitable of it.
Launch = Callable[[Node, dict[str, Any]], Any]


async def arun_plan(
    plan: Plan,
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    launch: Launch | None = None,
) -> dict[str, Any]:
    """Execute ``plan`` concurrently; return ``{output name: value}`` in the requested order.

    ``launch`` starts a node (default :func:`call_node`; :func:`hooked_launch` adds hooks).
    """
    vals = load_sources(plan, inputs, overrides)
    await _Run(plan, vals, launch or call_node).until_done()
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=True)}


class _Run:
    """The state of one run (see the module docstring)."""

    def __init__(self, plan: Plan, vals: list[Any], launch: Launch) -> None:
        self.plan, self.vals, self.launch = plan, vals, launch
        n = len(plan.steps)
        producer = {step[1]: i for i, step in enumerate(plan.steps)}
        self.waiting = [0] * n
        self.dependents: list[list[int]] = [[] for _ in range(n)]
        self.refs = [0] * plan.n_slots
        for i, (_names, slots) in enumerate(plan.step_args):
            for slot in slots:
                self.refs[slot] += 1
                j = producer.get(slot)
                if j is not None:
                    self.dependents[j].append(i)
                    self.waiting[i] += 1
        self.keep = frozenset(plan.output_slots)
        self.ready = deque(i for i in range(n) if not self.waiting[i])
        self.running: dict[asyncio.Future[Any], int] = {}

    async def until_done(self) -> None:
        try:
            self._start_ready()
            while self.running:
                done, _ = await asyncio.wait(self.running, return_when=asyncio.FIRST_COMPLETED)
                for task in sorted(done, key=self.running.__getitem__):  # plan order
                    value = task.result()  # a failed node raises here
                    self._finish(self.running.pop(task), value)
                self._start_ready()
        finally:
            await self._cancel_running()

    def _start_ready(self) -> None:
        ready, running = self.ready, self.running
        while ready:
            i = ready.popleft()
            value = self.launch(self.plan.step_nodes[i], self._take_args(i))
            if inspect.isawaitable(value):
                running[asyncio.ensure_future(value)] = i
            else:
                self._finish(i, value)

    def _take_args(self, i: int) -> dict[str, Any]:
        """Step ``i``'s keyword arguments; values no other step will read are released."""
        names, slots = self.plan.step_args[i]
        vals, refs = self.vals, self.refs
        kwargs = {name: vals[slot] for name, slot in zip(names, slots, strict=True)}
        for slot in slots:
            refs[slot] -= 1
            if not refs[slot] and slot not in self.keep:
                vals[slot] = None
        return kwargs

    def _finish(self, i: int, value: Any) -> None:
        self.vals[self.plan.steps[i][1]] = value
        waiting = self.waiting
        for j in self.dependents[i]:
            waiting[j] -= 1
            if not waiting[j]:
                self.ready.append(j)

    async def _cancel_running(self) -> None:
        """Cancel what still runs and wait for it, so no task outlives the run."""
        if not self.running:
            return
        tasks = list(self.running)
        self.running.clear()
        # A sync node may fail just after tasks were created: let them start first, since a
        # task cancelled before it starts never awaits the node's coroutine (which then warns
        # "coroutine ... was never awaited" when collected).
        await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def call_node(node: Node, kwargs: dict[str, Any]) -> Any:
    """Call the node's function; an awaitable it returns is awaited by the run (as a task)."""
    fn = node.callable
    assert fn is not None, node.name
    try:
        value = fn(**kwargs)
    except Exception as exc:
        _annotate(exc, node)
        raise
    return _awaited(node, value) if inspect.isawaitable(value) else value


async def _awaited(node: Node, value: Awaitable[Any]) -> Any:
    try:
        return await value
    except Exception as exc:
        _annotate(exc, node)
        raise


def _annotate(exc: BaseException, node: Node) -> None:
    annotate_node_failure(exc, node.name, str(node.get_origin() or "<unknown>"))


def hooked_launch(hooks: Hooks, ahooks: AsyncHooks, run_id: str) -> Launch:
    """A launch that calls the node hooks (sync ones called, async ones awaited) around it."""

    def launch(node: Node, kwargs: dict[str, Any]) -> Awaitable[Any]:
        return _run_hooked_node(node, kwargs, hooks, ahooks, run_id)

    return launch


async def _run_hooked_node(
    node: Node, kwargs: dict[str, Any], hooks: Hooks, ahooks: AsyncHooks, run_id: str
) -> Any:
    """Before-hooks (sync, then async) → the node → after-hooks (sync, then async).

    The after-hooks also run when the node raised or was cancelled (``success=False``); a
    before-hook's failure skips the node and its after-hooks, as in the sync driver.
    """
    common = _sync_keywords(node, kwargs, run_id)
    theirs = {"run_id": run_id, "node_": node, "kwargs": kwargs, "task_id": None}
    input_types = {d.name: d.type for d in node.inputs}
    hooks.call("run_before_node_execution", node.name, node_input_types=input_types, **common)
    await ahooks.acall("pre_node_execute", node.name, **theirs)
    try:
        method = hooks.callers["run_to_execute_node"]
        result = execute_node(node, kwargs, method[0] if method else None)  # + the node note
        if inspect.isawaitable(result):
            result = await _awaited(node, result)
    except (Exception, asyncio.CancelledError) as error:
        outcome = {"result": None, "error": error, "success": False}
        hooks.call("run_after_node_execution", node.name, **outcome, **common)
        await ahooks.acall("post_node_execute", node.name, **outcome, **theirs)
        raise
    outcome = {"result": result, "error": None, "success": True}
    hooks.call("run_after_node_execution", node.name, **outcome, **common)
    await ahooks.acall("post_node_execute", node.name, **outcome, **theirs)
    return result


def _sync_keywords(node: Node, kwargs: dict[str, Any], run_id: str) -> dict[str, Any]:
    """The keywords the public (``run_*``) node hooks share."""
    return {
        "node_name": node.name,
        "node_tags": dict(node.tags),
        "node_kwargs": kwargs,
        "node_return_type": node.type,
        "task_id": None,
        "run_id": run_id,
    }
