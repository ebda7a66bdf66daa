"""Hamilton's public hook classes. Subclass one and implement its methods; pass an instance to
``Builder().with_adapters(...)``.

Every method is called with keyword arguments only and may accept a subset of them plus
``**future_kwargs``. Node hooks see plain values (names, tags, kwargs); graph hooks see the
read-only :class:`~plait.graph_types.HamiltonGraph` view.
"""

from __future__ import annotations

import abc
from typing import Any


class LifecycleAdapter(abc.ABC):  # noqa: B024 - a marker base, as in Hamilton
    """Base of every adapter (result builders, hooks, methods, validators)."""


class NodeExecutionHook(LifecycleAdapter, abc.ABC):
    """Runs before and after every node."""

    @abc.abstractmethod
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
        """Called with the node's inputs, before it runs."""

    @abc.abstractmethod
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
        """Called after the node ran (``success`` False and ``error`` set if it raised)."""


class GraphExecutionHook(LifecycleAdapter, abc.ABC):
    """Runs before and after each ``execute``."""

    @abc.abstractmethod
    def run_before_graph_execution(
        self,
        *,
        graph: Any,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        execution_path: list[str],
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Called before anything runs; ``execution_path`` names the nodes that will run."""

    @abc.abstractmethod
    def run_after_graph_execution(
        self,
        *,
        graph: Any,
        success: bool,
        error: Exception | None,
        results: dict[str, Any] | None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Called after the run, whether it succeeded or not."""


class NodeExecutionMethod(LifecycleAdapter, abc.ABC):
    """Replaces how a node is executed: call ``node_callable(**node_kwargs)`` yourself."""

    @abc.abstractmethod
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
        """Return the node's value."""


class StaticValidator(LifecycleAdapter):
    """Checks nodes and the graph when the driver is built; return ``(ok, message)``."""

    def run_to_validate_node(self, *, node: Any, **future_kwargs: Any) -> tuple[bool, str | None]:
        """Validate one node (a ``HamiltonNode`` view)."""
        return True, None

    def run_to_validate_graph(self, graph: Any, **future_kwargs: Any) -> tuple[bool, str | None]:
        """Validate the whole graph (a ``HamiltonGraph`` view)."""
        return True, None


class GraphConstructionHook(LifecycleAdapter, abc.ABC):
    """Runs once, after the graph is built."""

    @abc.abstractmethod
    def run_after_graph_construction(
        self, *, graph: Any, config: dict[str, Any], **future_kwargs: Any
    ) -> None:
        """Called with the built graph (a ``HamiltonGraph`` view) and the config."""


class EdgeConnectionHook(LifecycleAdapter, abc.ABC):
    """Allows more edges or input values than the default type rules (OR-ed with them)."""

    @abc.abstractmethod
    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        """Whether a parameter annotated ``type_from`` may take a node of ``type_to``."""

    @abc.abstractmethod
    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        """Whether ``input_value`` is acceptable for an input annotated ``node_type``."""


class LegacyEdgeChecks(EdgeConnectionHook, abc.ABC):
    """An :class:`EdgeConnectionHook` whose two checks also answer to the names Hamilton's
    graph adapters had (``check_input_type``, ``check_node_type_equivalence``)."""

    def check_input_type(self, node_type: Any, input_value: Any) -> bool:
        """Hamilton's name of :meth:`validate_input`."""
        return self.validate_input(node_type, input_value)

    def check_node_type_equivalence(self, node_type: Any, input_type: Any) -> bool:
        """Hamilton's name of :meth:`check_edge_types_match` (or equal types): whether a node
        of ``node_type`` may feed a parameter annotated ``input_type``."""
        return node_type == input_type or self.check_edge_types_match(input_type, node_type)


class TaskExecutionHook(LifecycleAdapter, abc.ABC):
    """Runs around each task of dynamic execution, where the task runs (for an item of a
    block: in the executor's thread, worker process or cluster)."""

    @abc.abstractmethod
    def run_before_task_execution(
        self,
        *,
        task_id: str,
        run_id: str,
        nodes: list[Any],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        spawning_task_id: str | None,
        purpose: Any,
        **future_kwargs: Any,
    ) -> None:
        """Called before the task's nodes run. ``nodes`` are ``HamiltonNode`` views;
        ``purpose`` is a :class:`~plait.execution.grouping.NodeGroupPurpose`."""

    @abc.abstractmethod
    def run_after_task_execution(
        self,
        *,
        task_id: str,
        run_id: str,
        nodes: list[Any],
        results: dict[str, Any] | None,
        success: bool,
        error: Exception | None,
        spawning_task_id: str | None,
        purpose: Any,
        **future_kwargs: Any,
    ) -> None:
        """Called after the task's nodes ran: ``results`` holds its inputs and every value it
        computed (None if it failed, with ``success`` False and ``error`` set)."""


class TaskSubmissionHook(LifecycleAdapter, abc.ABC):
    """Runs in the driver's process when a task of dynamic execution is handed to where it
    runs."""

    @abc.abstractmethod
    def run_before_task_submission(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Any],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
        spawning_task_id: str | None,
        purpose: Any,
        **future_kwargs: Any,
    ) -> None:
        """Called before the task is submitted."""


class TaskReturnHook(LifecycleAdapter, abc.ABC):
    """Runs in the driver's process when a task of dynamic execution comes back."""

    @abc.abstractmethod
    def run_after_task_return(
        self,
        *,
        run_id: str,
        task_id: str,
        nodes: list[Any],
        result: Any,
        success: bool,
        error: Exception | None,
        spawning_task_id: str | None,
        purpose: Any,
        **future_kwargs: Any,
    ) -> None:
        """Called with what the task hands back (the values other tasks use or that were
        requested; None if it failed, with ``success`` False and ``error`` set)."""


class TaskGroupingHook(LifecycleAdapter, abc.ABC):
    """Runs after a run's nodes are grouped into tasks and after a Parallelizable node
    expands into item tasks."""

    @abc.abstractmethod
    def run_after_task_grouping(
        self, *, run_id: str, task_ids: list[str], **future_kwargs: Any
    ) -> None:
        """Called once per run, before any task runs, with every task's base id."""

    @abc.abstractmethod
    def run_after_task_expansion(
        self, *, run_id: str, task_id: str, parameters: dict[str, Any], **future_kwargs: Any
    ) -> None:
        """Called when the task running a Parallelizable node is done: ``parameters`` maps
        ``"0"``, ``"1"``, ... to the items, one item task each."""
