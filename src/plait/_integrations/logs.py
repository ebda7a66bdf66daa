"""Logging of run events (``plugins.h_logging``): ``LoggingAdapter`` and ``get_logger``.

The adapter logs when a run starts and ends and when each node starts (DEBUG) and finishes
(INFO, or ERROR with the traceback). Messages carry a prefix naming where they come from -
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plait._hooks.lifecycle import GraphExecutionHook, NodeExecutionHook

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


class LoggingAdapter(GraphExecutionHook, NodeExecutionHook):
    """Log each run's start and end and each node's start (DEBUG) and end (INFO/ERROR).

    Parameters
    ----------
    logger
        A logger or a logger name; ``"plait.plugins.h_logging"`` by default.
    """

    def __init__(self, logger: str | logging.Logger | None = None) -> None:
        if not isinstance(logger, logging.Logger):
            logger = logging.getLogger(logger or DEFAULT_LOGGER)
        self.logger = ContextLogger(logger, extra={})

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
        self.logger.info("Execution started")
        if inputs:
            self.logger.info("Inputs: %s", _names(inputs))
        if overrides:
            self.logger.info("Overrides: %s", _names(overrides))

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
        if node_kwargs:
            self.logger.debug("Started, dependencies: %s", _names(node_kwargs))
        else:
            self.logger.debug("Started, no dependencies")

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
            self.logger.error("Failed", exc_info=error, extra=extra)

    def run_after_graph_execution(
        self, *, success: bool, run_id: str, **future_kwargs: Any
    ) -> None:
        """Log the end of the run: INFO if it succeeded, ERROR if not."""
        _current.set(LogContext())
        extra = {"override_context": LogContext(graph=run_id)}
        if success:
            self.logger.info("Execution finished [OK]", extra=extra)
        else:
            self.logger.error("Execution failed", extra=extra)
