"""Lifecycle hooks as a user writes them, against the public API only.

Written once for plait; the compat harness (``load_dag``) ports the import line for
Hamilton, so the very same classes run under both libraries. Every hook records what it
received as plain, comparable values (the random ``run_id`` is recorded as its type).
"""

from typing import Any

from plait import lifecycle


def _error(error: Exception | None) -> tuple[str, str] | None:
    return None if error is None else (type(error).__name__, str(error))


class NodeRecorder(lifecycle.NodeExecutionHook):
    """Before/after every node: the node, its inputs, its result, success and error."""

    def __init__(self, label: str = "node") -> None:
        self.label = label
        self.events: list[tuple[Any, ...]] = []

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: type,
        task_id: str | None,
        run_id: str,
        node_input_types: dict[str, Any],
        **future_kwargs: Any,
    ) -> None:
        self.events.append(
            (
                self.label,
                "before",
                node_name,
                dict(node_tags),
                dict(node_kwargs),
                node_return_type,
                task_id,
                type(run_id),
                dict(node_input_types),
                sorted(future_kwargs),
            )
        )

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: type,
        result: Any,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        self.events.append(
            (
                self.label,
                "after",
                node_name,
                dict(node_tags),
                dict(node_kwargs),
                node_return_type,
                result,
                _error(error),
                success,
                task_id,
                type(run_id),
                sorted(future_kwargs),
            )
        )


class GraphRecorder(lifecycle.GraphExecutionHook):
    """Before/after each run, written with ``**kwargs`` only: records the keyword names too."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def run_before_graph_execution(self, **kwargs: Any) -> None:
        graph = kwargs["graph"]
        self.events.append(
            (
                "before_graph",
                sorted(kwargs),
                sorted(n.name for n in graph.nodes),
                list(kwargs["final_vars"]),
                dict(kwargs["inputs"] or {}),
                dict(kwargs["overrides"] or {}),
                sorted(kwargs["execution_path"]),
            )
        )

    def run_after_graph_execution(self, **kwargs: Any) -> None:
        self.events.append(
            (
                "after_graph",
                sorted(kwargs),
                kwargs["success"],
                _error(kwargs["error"]),
                kwargs["results"],
            )
        )


class Fallback(lifecycle.NodeExecutionMethod):
    """Runs each node itself; a ``ValueError`` becomes -1."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        task_id: str | None,
        is_expand: bool,
        is_collect: bool,
        **future_kwargs: Any,
    ) -> Any:
        self.events.append((node_name, dict(node_kwargs), task_id, is_expand, is_collect))
        try:
            return node_callable(**node_kwargs)
        except ValueError:
            return -1


class NoTotals(lifecycle.StaticValidator):
    """Rejects the node ``total``, and any graph with more than three nodes."""

    def run_to_validate_node(self, *, node: Any, **future_kwargs: Any) -> tuple[bool, Any]:
        if node.name == "total":
            return False, "total is not allowed here"
        return True, None

    def run_to_validate_graph(self, graph: Any, **future_kwargs: Any) -> tuple[bool, Any]:
        if len(graph.nodes) > 3:
            return False, "the graph has more than three nodes"
        return True, None


class ConstructionRecorder(lifecycle.GraphConstructionHook):
    """Records the graph's node names and the config, once per build."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def run_after_graph_construction(
        self, *, graph: Any, config: dict[str, Any], **future_kwargs: Any
    ) -> None:
        self.events.append((sorted(n.name for n in graph.nodes), dict(config)))


class Lenient(lifecycle.EdgeConnectionHook):
    """Answers ``edges`` to every edge question and ``values`` to every input value."""

    def __init__(self, edges: bool = True, values: bool = True) -> None:
        self.edges, self.values = edges, values
        self.events: list[tuple[Any, ...]] = []

    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        self.events.append(("edge", type_from, type_to))
        return self.edges

    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        self.events.append(("input", node_type, input_value))
        return self.values
