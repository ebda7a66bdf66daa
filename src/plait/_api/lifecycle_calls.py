"""Where the driver calls lifecycle hooks: after building, and around a run.

Only used when some adapter implements a hook; a driver without hooks never imports this.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from plait._graph.graph import Graph
from plait._hooks.manager import Hooks
from plait._model.errors import StaticValidationError
from plait._model.views import HamiltonGraph, HamiltonNode
from plait._plan.blocks import Block
from plait._plan.plan import Plan
from plait._plan.tasks import task_layout
from plait._run.hooked import run_plan_hooked
from plait._run.loop import run_plan
from plait._run.tasks import has_task_hooks, run_plan_tasked


def after_build(graph: Graph, hooks: Hooks, config: Mapping[str, Any]) -> None:
    """Static validators (all problems reported at once), then construction hooks."""
    if hooks.has("run_to_validate_node") or hooks.has("run_to_validate_graph"):
        problems = []
        for node in graph.nodes.values():
            for ok, message in hooks.call(
                "run_to_validate_node", None, node=HamiltonNode.from_node(node)
            ):
                if not ok:
                    problems.append(f"  - node '{node.name}' ({node.where()}): {message}")
        view = HamiltonGraph.from_graph(graph)
        for ok, message in hooks.call("run_to_validate_graph", None, graph=view):
            if not ok:
                problems.append(f"  - graph: {message}")
        if problems:
            raise StaticValidationError(
                f"{len(problems)} static validation failure(s):\n" + "\n".join(problems)
            )
    if hooks.has("run_after_graph_construction"):
        hooks.call(
            "run_after_graph_construction",
            None,
            graph=HamiltonGraph.from_graph(graph),
            config=dict(config),
        )


def run_with_hooks(
    graph: Graph,
    hooks: Hooks,
    request: tuple[Sequence[Any], Callable[[], Plan]],
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    build: Callable[[dict[str, Any]], Any] | None,
    runs_on: tuple[Any, Any] = (None, None),
) -> Any:
    """One run wrapped by the graph hooks; node hooks around each node if any.

    ``request`` is the requested outputs (names or functions) and a function that plans (and
    checks the inputs of) the run: as in Hamilton, a mistake found there is seen by the graph
    hooks as a failed run. What only the graph hooks receive is built only if one exists.
    ``runs_on`` is the executor of blocks' items and, for a driver with dynamic execution, its
    grouping strategy (then task hooks are called, and node hooks receive task ids).
    """
    executor, grouping = runs_on
    run_id = str(uuid.uuid4())
    view = HamiltonGraph.from_graph(graph) if _has_graph_hooks(hooks) else None
    final_vars, make_plan = request
    failure: Exception | None = None
    try:
        plan: Plan | None = make_plan()
    except Exception as exc:
        plan, failure = None, exc
    if hooks.has("run_before_graph_execution"):
        hooks.call(
            "run_before_graph_execution",
            None,
            graph=view,
            final_vars=list(plan.outputs) if plan is not None else _names(final_vars),
            inputs=dict(inputs),
            overrides=dict(overrides or {}),
            execution_path=_execution_path(plan) if plan is not None else [],
            run_id=run_id,
        )
    results = None
    try:
        if plan is None:
            assert failure is not None
            raise failure  # the planning error, now reported as a failed run
        if grouping is not None and (hooks.has_node_hooks or has_task_hooks(hooks)):
            layout = task_layout(plan, grouping, graph.nodes)
            results = run_plan_tasked(plan, inputs, overrides, hooks, run_id, executor, layout)
        elif hooks.has_node_hooks:
            results = run_plan_hooked(plan, inputs, overrides, hooks, run_id, executor)
        else:
            results = run_plan(plan, inputs, overrides, executor)
        if build is not None:
            results = build(results)
    except Exception as error:
        hooks.call(
            "run_after_graph_execution", None, graph=view, success=False, error=error, results=None,
            run_id=run_id,
        )  # fmt: skip
        raise
    hooks.call(
        "run_after_graph_execution", None, graph=view, success=True, error=None, results=results,
        run_id=run_id,
    )  # fmt: skip
    return results


def _names(final_vars: Sequence[Any]) -> list[str]:
    """Requested outputs as names (a function stands for the node of its name)."""
    return [v if isinstance(v, str) else getattr(v, "__name__", repr(v)) for v in final_vars]


def _execution_path(plan: Plan) -> list[str]:
    """Every node the run will execute, in plan order: a block's Parallelizable node, then the
    nodes inside it (as Hamilton lists them), nested blocks included."""
    path: list[str] = []
    pending: list[Any] = list(reversed(plan.step_nodes))  # a stack: no recursion
    while pending:
        step_node = pending.pop()
        if isinstance(step_node, Block):
            path.append(step_node.expand.name)
            pending.extend(reversed(step_node.step_nodes))
        else:
            path.append(step_node.name)
    return path


def _has_graph_hooks(hooks: Hooks) -> bool:
    return hooks.has("run_before_graph_execution") or hooks.has("run_after_graph_execution")
