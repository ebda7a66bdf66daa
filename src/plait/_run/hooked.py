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
from plait._plan.plan import CALLBLOCK, Plan
from plait._run.loop import load_sources, run_block


def run_plan_hooked(
    plan: Plan,
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    hooks: Hooks,
    run_id: str,
) -> dict[str, Any]:
    """Execute ``plan`` calling the node hooks around every step."""
    vals = load_sources(plan, inputs, overrides)
    before = hooks.bound["run_before_node_execution"]
    after = hooks.bound["run_after_node_execution"]
    method = hooks.impls("run_to_execute_node")
    execute = method[0] if method else None
    for info, step, (names, slots) in zip(
        _static_info(plan), plan.steps, plan.step_args, strict=True
    ):
        if step[2] == CALLBLOCK:  # a Parallelizable block: its items run without node hooks
            run_block(step[0], vals)  # type: ignore[arg-type]  # mode CALLBLOCK: a Block
            continue
        node, fixed, input_types = info
        kwargs = {name: vals[slot] for name, slot in zip(names, slots, strict=True)}
        if before:
            hooks.notify(
                before, {**fixed, "node_kwargs": kwargs, "run_id": run_id, "node_input_types":
                         input_types}, "run_before_node_execution", node.name,
            )  # fmt: skip
        vals[step[1]] = _run_node(node, fixed, kwargs, hooks, after, execute, run_id)
        for slot in step[4]:
            vals[slot] = None
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=True)}


def _static_info(plan: Plan) -> list[Any]:
    """Per step, what never changes between runs: (node, fixed hook keywords, input types)."""
    cached = plan.cache.get("hooked")
    if cached is None:
        cached = []
        for node in plan.step_nodes:
            if isinstance(node, Node):
                fixed = {
                    "node_name": node.name,
                    "node_tags": dict(node.tags),
                    "node_return_type": node.type,
                    "task_id": None,
                }
                cached.append((node, fixed, {d.name: d.type for d in node.inputs}))
            else:
                cached.append(None)
        plan.cache["hooked"] = cached
    return cached


def _run_node(
    node: Node,
    fixed: dict[str, Any],
    kwargs: dict[str, Any],
    hooks: Hooks,
    after: Any,
    execute: Any,
    run_id: str,
) -> Any:
    try:
        result = execute_node(node, kwargs, execute)
    except Exception as error:  # the node's own failure (already annotated with its name)
        if after:
            hooks.notify(
                after,
                {**fixed, "node_kwargs": kwargs, "run_id": run_id, "result": None,
                 "error": error, "success": False},
                "run_after_node_execution", node.name,
            )  # fmt: skip
        raise
    if after:
        hooks.notify(
            after,
            {**fixed, "node_kwargs": kwargs, "run_id": run_id, "result": result, "error": None,
             "success": True},
            "run_after_node_execution", node.name,
        )  # fmt: skip
    return result


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
