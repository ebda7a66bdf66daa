"""The run: one flat loop over a plan's steps, values in a list of slots.

No recursion, no per-node hook checks, no dict per call for plain functions. A user function's
exception propagates unchanged (same type, same traceback) with a PEP 678 note naming the node
and its ``file:line``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plait._model.errors import annotate_node_failure
from plait._plan.plan import CALL0, CALL1, CALLN, Plan, Step


def run_plan(
    plan: Plan, inputs: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Execute ``plan`` and return ``{output name: value}`` in the requested order."""
    vals = load_sources(plan, inputs, overrides)
    _run_steps(plan, vals)
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=False)}


def load_sources(
    plan: Plan, inputs: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> list[Any]:
    """The slot list with inputs, config values and overrides filled in."""
    vals: list[Any] = [None] * plan.n_slots
    for name, slot in plan.input_slots:
        vals[slot] = inputs[name]
    for slot, value in plan.constants:
        vals[slot] = value
    if overrides:
        for name, slot in plan.override_slots:
            vals[slot] = overrides[name]
    return vals


def _run_steps(plan: Plan, vals: list[Any]) -> None:
    step: Step | None = None
    try:
        for step in plan.steps:
            fn, out, mode, arg, free = step
            if mode == CALLN:
                vals[out] = fn(*arg(vals))
            elif mode == CALL1:
                vals[out] = fn(vals[arg])
            elif mode == CALL0:
                vals[out] = fn()
            else:
                names, slots = arg
                vals[out] = fn(**{n: vals[s] for n, s in zip(names, slots, strict=False)})
            if free:
                for s in free:
                    vals[s] = None
    except Exception as exc:
        if step is not None:
            node = plan.step_nodes[plan.steps.index(step)]
            annotate_node_failure(exc, node.name, str(node.get_origin() or "<unknown>"))
        raise
