"""Hook specifications: each hook is a method name and the keyword arguments it receives.

A spec is its signature (pluggy's rule). An implementation may accept a *subset* of the
keywords (plus ``**future_kwargs``), so specs can grow without breaking adapters; it may not
require a keyword the spec does not pass — that is checked once, when the adapter is
registered, not on every call.

Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HookSpec:
    """One hook: its method name, the keywords it is called with, and how results combine."""

    name: str
    keywords: frozenset[str]
    #: "all": every implementation is called, results ignored; "first": at most one
    #: implementation, its result used; "any": results OR-ed (permissive checks);
    #: "validate": every implementation returns ``(ok, message)``.
    mode: str = "all"
    positional: bool = False  #: called with positional arguments (Hamilton's edge/input checks)


def _spec(name: str, keywords: str, mode: str = "all", positional: bool = False) -> HookSpec:
    return HookSpec(name, frozenset(keywords.split()), mode, positional)


SPECS: dict[str, HookSpec] = {
    s.name: s
    for s in (
        _spec("run_after_graph_construction", "graph config"),
        _spec("run_to_validate_node", "node", mode="validate"),
        _spec("run_to_validate_graph", "graph", mode="validate"),
        _spec("check_edge_types_match", "type_from type_to", mode="any", positional=True),
        _spec("validate_input", "node_type input_value", mode="any"),
        _spec(
            "run_before_graph_execution",
            "graph final_vars inputs overrides execution_path run_id",
        ),
        _spec("run_after_graph_execution", "graph success error results run_id"),
        _spec(
            "run_before_node_execution",
            "node_name node_tags node_kwargs node_return_type task_id run_id node_input_types",
        ),
        _spec(
            "run_after_node_execution",
            "node_name node_tags node_kwargs node_return_type result error success task_id run_id",
        ),
        _spec(
            "run_to_execute_node",
            "node_name node_tags node_callable node_kwargs task_id is_expand is_collect",
            mode="first",
        ),
        _spec(
            "run_before_task_submission",
            "run_id task_id nodes inputs overrides spawning_task_id purpose",
        ),
        _spec(
            "run_before_task_execution",
            "run_id task_id nodes inputs overrides spawning_task_id purpose",
        ),
        _spec(
            "run_after_task_execution",
            "run_id task_id nodes results success error spawning_task_id purpose",
        ),
        _spec(
            "run_after_task_return",
            "run_id task_id nodes result success error spawning_task_id purpose",
        ),
        _spec("run_after_task_grouping", "run_id task_ids"),
        _spec("run_after_task_expansion", "run_id task_id parameters"),
    )
}

#: Hooks that run around every node: their presence selects the slower, hooked run loop.
NODE_HOOKS = ("run_before_node_execution", "run_after_node_execution", "run_to_execute_node")

#: Hooks of dynamic execution's tasks: called only by drivers built with
#: ``enable_dynamic_execution`` (see :mod:`plait._run.tasks`).
TASK_HOOKS = (
    "run_before_task_submission",
    "run_before_task_execution",
    "run_after_task_execution",
    "run_after_task_return",
    "run_after_task_grouping",
    "run_after_task_expansion",
)
