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
from plait._plan.plan import Plan
from plait._run.loop import load_sources


def run_plan_hooked(
    plan: Plan,
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    hooks: Hooks,
    run_id: str,
) -> dict[str, Any]:
    """Execute ``plan`` calling the node hooks around every step."""
    vals = load_sources(plan, inputs, overrides)
    for node, step, (names, slots) in zip(plan.step_nodes, plan.steps, plan.step_args, strict=True):
        kwargs = {name: vals[slot] for name, slot in zip(names, slots, strict=True)}
        vals[step[1]] = _run_node(node, kwargs, hooks, run_id)
        for slot in step[4]:
            vals[slot] = None
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=True)}


def _run_node(node: Node, kwargs: dict[str, Any], hooks: Hooks, run_id: str) -> Any:
    common = {
        "node_name": node.name,
        "node_tags": dict(node.tags),
        "node_kwargs": kwargs,
        "node_return_type": node.type,
        "task_id": None,
        "run_id": run_id,
    }
    input_types = {d.name: d.type for d in node.inputs}
    hooks.call("run_before_node_execution", node.name, node_input_types=input_types, **common)
    try:
        result = _execute(node, kwargs, hooks)
    except Exception as error:  # the node's own failure (already annotated with its name)
        hooks.call(
            "run_after_node_execution", node.name, result=None, error=error, success=False,
            **common,
        )  # fmt: skip
        raise
    hooks.call(
        "run_after_node_execution", node.name, result=result, error=None, success=True, **common
    )
    return result


def _execute(node: Node, kwargs: dict[str, Any], hooks: Hooks) -> Any:
    fn = node.callable
    assert fn is not None
    try:
        if not hooks.has("run_to_execute_node"):
            return fn(**kwargs)
        (method,) = hooks.impls("run_to_execute_node")
        return method(
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
