"""Logging of run events (``plugins.h_logging``): ``LoggingAdapter`` and ``get_logger``.

The adapter logs when a run starts and ends and when each node starts (DEBUG) and finishes
(INFO, or ERROR with the traceback). Under dynamic execution it also follows the tasks: each
task's submission, start and end (DEBUG) and its return (INFO), a failure's traceback once.
Messages carry a prefix naming where they come from -
``Graph run '<run id>' - ``, ``Node '<name>' - `` or ``Task '<id>' - `` - and loggers from
:func:`get_logger` used inside node functions get the same prefix, so a node's own log lines
say which node (and run) wrote them. The context is kept in a ``ContextVar`` (thread- and
asyncio-safe).

Standard library and ``plait._hooks`` only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plait._hooks.lifecycle import (
    GraphExecutionHook,
    NodeExecutionHook,
    TaskExecutionHook,
    TaskGroupingHook,
    TaskReturnHook,
    TaskSubmissionHook,
)

if TYPE_CHECKING:
    _Adapter = logging.LoggerAdapter[logging.Logger]
else:
    _Adapter = logging.LoggerAdapter

#: The adapter's logger when none is given.
DEFAULT_LOGGER = "plait.plugins.h_logging"


@dataclass(frozen=True)
class LogContext:
    """Where a log line comes from: the run, the task (dynamic execution) and the node."""

    graph: str | None = None
    node: str | None = None
    task: str | None = None

    def prefix(self, with_node: bool = False) -> str:
        """``Task '<t>' - [Node '<n>' - ]``, ``Node '<n>' - ``, ``Graph run '<g>' - `` or ``''``."""
        if self.task:
            node = f"Node '{self.node}' - " if self.node and with_node else ""
            return f"Task '{self.task}' - {node}"
        if self.node:
            return f"Node '{self.node}' - "
        return f"Graph run '{self.graph}' - " if self.graph else ""


_current: ContextVar[LogContext] = ContextVar("plait_log_context", default=LogContext())  # noqa: B039


class ContextLogger(_Adapter):
    """A ``logging.LoggerAdapter`` that prefixes messages with the current run/node context.

    ``extra`` keys it understands: ``override_context`` (a :class:`LogContext` to use instead
    of the current one), ``skip_context`` (no prefix), ``node_context`` (name the node inside a
    task).
    """

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, Any]:
        """Add the prefix to ``msg``; merge the adapter's ``extra`` into the call's."""
        extra = {**(self.extra or {}), **(kwargs.get("extra") or {})}
        kwargs["extra"] = extra
        return f"{_prefix_for(extra)}{msg}", kwargs


def _prefix_for(extra: Mapping[str, Any]) -> str:
    if "skip_context" in extra:
        return ""
    context = extra.get("override_context")
    if not isinstance(context, LogContext):
        context = _current.get()
    return context.prefix(with_node="node_context" in extra)


def get_logger(name: str | None = None) -> ContextLogger:
    """A logger whose messages say which run and node wrote them (``None``: the root logger).

    Examples
    --------
    >>> get_logger("my_flow").logger.name
    'my_flow'
    """
    return ContextLogger(logging.getLogger(name), extra={})


def _names(keys: Any) -> str:
    return ", ".join(f"'{key}'" for key in keys)


@dataclass
class _RunState:
    """What the adapter remembers during one run."""

    #: the run's inputs and overrides: the tasks standing for them log less
    quiet: frozenset[str] = frozenset()
    #: exceptions whose traceback was logged already (kept alive so their ids stay unique)
    logged: list[BaseException] = field(default_factory=list)

    def seen(self, error: BaseException) -> bool:
        """Whether ``error``'s traceback was logged during this run."""
        return any(error is known for known in self.logged)


class LoggingAdapter(
    GraphExecutionHook,
    NodeExecutionHook,
    TaskGroupingHook,
    TaskSubmissionHook,
    TaskExecutionHook,
    TaskReturnHook,
):
    """Log each run's start and end and each node's start (DEBUG) and end (INFO/ERROR).

    Under dynamic execution (``enable_dynamic_execution``) it also logs each task: its
    submission, start (with its nodes) and end at DEBUG, its return at INFO (DEBUG for the tasks
    that stand for inputs and overrides). A failure's traceback is logged once, by the node
    that raised (or, if that happened in another process, when its task comes back).

    Parameters
    ----------
    logger
        A logger or a logger name; ``"plait.plugins.h_logging"`` by default.
    """

    def __init__(self, logger: str | logging.Logger | None = None) -> None:
        if not isinstance(logger, logging.Logger):
            logger = logging.getLogger(logger or DEFAULT_LOGGER)
        self.logger = ContextLogger(logger, extra={})
        self._runs: dict[str, _RunState] = {}

    def _run(self, run_id: str) -> _RunState:
        # a copy of the adapter in a worker process has not seen the run start
        return self._runs.get(run_id) or _RunState()

    def run_before_graph_execution(
        self,
        *,
        inputs: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Log the start of the run and the names of its inputs and overrides."""
        _current.set(LogContext(graph=run_id))
        self._runs[run_id] = _RunState(quiet=frozenset((*(inputs or ()), *(overrides or ()))))
        self.logger.info("Execution started")
        if inputs:
            self.logger.info("Inputs: %s", _names(inputs))
        if overrides:
            self.logger.info("Overrides: %s", _names(overrides))

    # -- tasks (dynamic execution) -----------------------------------------------------------

    def run_after_task_grouping(
        self, *, run_id: str, task_ids: list[str], **future_kwargs: Any
    ) -> None:
        """Say that the run is dynamic, so its lines name tasks."""
        self.logger.info("Dynamic execution in %d tasks: lines below name the task", len(task_ids))

    def run_after_task_expansion(self, **future_kwargs: Any) -> None:
        """Nothing: the item tasks log themselves."""

    def run_before_task_submission(
        self,
        *,
        run_id: str,
        task_id: str,
        spawning_task_id: str | None = None,
        **future_kwargs: Any,
    ) -> None:
        """Log (DEBUG) that a task is handed to its executor (and which task spawned it)."""
        _current.set(LogContext(graph=run_id, task=task_id))
        if spawning_task_id:
            self.logger.debug("Submitted, an item of task '%s'", spawning_task_id)
        else:
            self.logger.debug("Submitted")

    def run_before_task_execution(
        self, *, task_id: str, run_id: str, nodes: list[Any], **future_kwargs: Any
    ) -> None:
        """Log (DEBUG) that a task starts, with its nodes (not for inputs and overrides)."""
        _current.set(LogContext(graph=run_id, task=task_id))
        if task_id in self._run(run_id).quiet:
            return
        names = [node.name for node in nodes]
        if names == [task_id]:
            self.logger.debug("Started")
        else:
            self.logger.debug("Started, nodes: %s", _names(names))

    def run_after_task_execution(
        self,
        *,
        task_id: str,
        run_id: str,
        success: bool,
        error: Exception | None = None,
        **future_kwargs: Any,
    ) -> None:
        """Log that a task's nodes finished (DEBUG) or failed (ERROR)."""
        _current.set(LogContext(graph=run_id))
        extra = {"override_context": LogContext(graph=run_id, task=task_id)}
        state = self._run(run_id)
        if task_id in state.quiet:
            return
        if success:
            self.logger.debug("Finished [OK]", extra=extra)
        elif error is not None:
            self._failed(state, error, "Failed", extra)

    def run_after_task_return(
        self,
        *,
        run_id: str,
        task_id: str,
        success: bool,
        error: Exception | None = None,
        **future_kwargs: Any,
    ) -> None:
        """Log that a task came back (INFO; DEBUG for inputs and overrides) or failed (ERROR,
        with the traceback unless it was logged already)."""
        _current.set(LogContext(graph=run_id))
        extra = {"override_context": LogContext(graph=run_id, task=task_id)}
        state = self._run(run_id)
        if success:
            log = self.logger.debug if task_id in state.quiet else self.logger.info
            log("Returned [OK]", extra=extra)
        elif error is not None and not state.seen(error):
            self._failed(state, error, "Returned failed", extra)

    def _failed(
        self, state: _RunState, error: BaseException, message: str, extra: dict[str, Any]
    ) -> None:
        """An ERROR line, with the traceback the first time ``error`` is logged."""
        if state.seen(error):
            self.logger.error(message, extra=extra)
        else:
            state.logged.append(error)
            self.logger.error(message, exc_info=error, extra=extra)

    # -- nodes -------------------------------------------------------------------------------

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_kwargs: dict[str, Any],
        task_id: str | None = None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Log (DEBUG) that a node starts, with the names of its dependencies."""
        _current.set(LogContext(graph=run_id, task=task_id, node=node_name))
        extra = {"node_context": True}  # inside a task, name the node too
        if node_kwargs:
            self.logger.debug("Started, dependencies: %s", _names(node_kwargs), extra=extra)
        else:
            self.logger.debug("Started, no dependencies", extra=extra)

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        error: Exception | None,
        success: bool,
        task_id: str | None = None,
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Log that a node finished (INFO; DEBUG inside a task) or failed (ERROR, traceback)."""
        _current.set(LogContext(graph=run_id, task=task_id))
        extra = {
            "override_context": LogContext(graph=run_id, task=task_id, node=node_name),
            "node_context": True,
        }
        if success:
            log = self.logger.debug if task_id else self.logger.info
            log("Finished [OK]", extra=extra)
        elif error is not None:
            self._run(run_id).logged.append(error)
            self.logger.error("Failed", exc_info=error, extra=extra)

    def run_after_graph_execution(
        self, *, success: bool, run_id: str, **future_kwargs: Any
    ) -> None:
        """Log the end of the run: INFO if it succeeded, ERROR if not."""
        _current.set(LogContext())
        self._runs.pop(run_id, None)
        extra = {"override_context": LogContext(graph=run_id)}
        if success:
            self.logger.info("Execution finished [OK]", extra=extra)
        else:
            self.logger.error("Execution failed", extra=extra)
