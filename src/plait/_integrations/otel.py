"""OpenTelemetry spans for runs (``plugins.h_opentelemetry.OpenTelemetryTracer``).

One span per run (named by the run id) and, inside it, one span per node (named by the node),
each a child of the span that was current when it started, so a run started inside your own
span nests under it. Under dynamic execution each task gets a span too (named by the task id),
a child of the run's span, and the spans of its nodes nest under it - also for the item tasks
run by a thread or process pool, whose spans join the run's trace. A failed node, task or run
gets status ERROR, its message, and the exception recorded as a span event.

``opentelemetry-api`` is imported when the tracer is created; install an SDK
(``opentelemetry-sdk``) and a span processor/exporter to see the spans.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from contextvars import ContextVar
from typing import Any

from plait._hooks.lifecycle import GraphExecutionHook, NodeExecutionHook, TaskExecutionHook
from plait._integrations.require import require

#: The (context token, span) pairs opened by the tracer, innermost last.
_open: ContextVar[tuple[tuple[Any, Any], ...]] = ContextVar("plait_otel_spans", default=())

_FEATURE = "plugins.h_opentelemetry.OpenTelemetryTracer"


def _attributes(values: dict[str, Any]) -> dict[str, Any]:
    """OpenTelemetry takes str/bool/int/float (or lists of them): drop what is None."""
    return {k: v for k, v in values.items() if v is not None}


class OpenTelemetryTracer(GraphExecutionHook, NodeExecutionHook, TaskExecutionHook):
    """Emit an OpenTelemetry span per run, per task (dynamic execution) and per node.

    Parameters
    ----------
    tracer_name
        Name of the tracer to get from the global tracer provider.
    tracer
        A tracer to use instead (give one of the two, or neither for
        ``"plait.plugins.h_opentelemetry"``).

    Span attributes: the run's ``graph_version``, ``final_vars``, ``inputs``, ``overrides`` (names)
    and ``execution_path``; each task's ``nodes``, ``inputs`` and ``overrides`` (names); each
    node's ``type``, ``node_version`` and ``tags`` (JSON).
    """

    def __init__(self, tracer_name: str | None = None, tracer: Any = None) -> None:
        if tracer_name and tracer:
            from plait._model.errors import InvalidArgumentError

            raise InvalidArgumentError(
                f"OpenTelemetryTracer: pass tracer_name or tracer, not both (got "
                f"tracer_name={tracer_name!r} and tracer={tracer!r})."
            )
        self._trace = require("opentelemetry.trace", "opentelemetry", _FEATURE)
        self._context = require("opentelemetry.context", "opentelemetry", _FEATURE)
        self.tracer = tracer or self._trace.get_tracer(
            tracer_name or "plait.plugins.h_opentelemetry"
        )
        self._versions: dict[str, str | None] = {}
        self._known: dict[tuple[str, Any], str | None] = {}  # source hashes are slow: once each
        #: each open run's span context (picklable), the parent of its tasks' spans where no
        #: span of ours is open: in an executor's thread or worker process
        self._runs: dict[str, Any] = {}

    # -- spans ----------------------------------------------------------------------------------

    def _enter(self, name: str, attributes: dict[str, Any], parent: Any = None) -> Any:
        span = self.tracer.start_span(
            name=name, context=parent, record_exception=False, set_status_on_exception=False
        )
        span.set_attributes(_attributes(attributes))
        token = self._context.attach(self._trace.set_span_in_context(span))
        _open.set((*_open.get(), (token, span)))
        return span

    def _exit(self, error: BaseException | None) -> None:
        stack = _open.get()
        if not stack:
            return
        (token, span), rest = stack[-1], stack[:-1]
        _open.set(rest)
        self._context.detach(token)
        if error is not None:
            span.record_exception(error)
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, str(error)))
        else:
            span.set_status(self._trace.Status(self._trace.StatusCode.OK))
        span.end()

    def _node_versions(self, graph: Any) -> dict[str, str | None]:
        versions = {}
        for node in graph.nodes if graph is not None else ():
            fns = node.originating_functions
            key = (node.name, fns[0] if fns else None)
            if key not in self._known:
                self._known[key] = node.version
            versions[node.name] = self._known[key]
        return versions

    # -- hooks ----------------------------------------------------------------------------------

    def run_before_graph_execution(
        self,
        *,
        graph: Any,
        final_vars: list[str],
        inputs: dict[str, Any] | None,
        overrides: dict[str, Any] | None,
        execution_path: Collection[str],
        run_id: str,
        **future_kwargs: Any,
    ) -> None:
        """Open the run's span."""
        self._versions = self._node_versions(graph)
        known = sorted(v for v in self._versions.values() if v is not None)
        attributes = {
            "graph_version": hashlib.sha256(str(known).encode()).hexdigest(),
            "final_vars": list(final_vars),
            "inputs": list(inputs or ()),
            "overrides": list(overrides or ()),
            "execution_path": list(execution_path),
        }
        span = self._enter(run_id, attributes)
        self._runs[run_id] = span.get_span_context()

    def run_before_task_execution(
        self,
        *,
        task_id: str,
        run_id: str,
        nodes: list[Any],
        inputs: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
        **future_kwargs: Any,
    ) -> None:
        """Open the task's span: a child of the current span, else of the run's."""
        parent = None
        run = self._runs.get(run_id)
        if not _open.get() and run is not None:  # an executor's thread or process
            parent = self._trace.set_span_in_context(self._trace.NonRecordingSpan(run))
        attributes = {
            "nodes": [node.name for node in nodes],
            "inputs": list(inputs or ()),
            "overrides": list(overrides or ()),
        }
        self._enter(task_id, attributes, parent)

    def run_after_task_execution(self, *, error: Exception | None = None, **kw: Any) -> None:
        """Close the task's span (ERROR if the task failed)."""
        self._exit(error)

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_return_type: Any,
        **future_kwargs: Any,
    ) -> None:
        """Open the node's span (a child of the run's)."""
        attributes = {
            "type": str(node_return_type),
            "node_version": self._versions.get(node_name),
            "tags": json.dumps(node_tags, default=str),
        }
        self._enter(node_name, attributes)

    def run_after_node_execution(self, *, error: Exception | None = None, **kw: Any) -> None:
        """Close the node's span (ERROR if the node raised)."""
        self._exit(error)

    def run_after_graph_execution(
        self, *, error: Exception | None = None, run_id: str = "", **kw: Any
    ) -> None:
        """Close the run's span (ERROR if the run failed)."""
        self._runs.pop(run_id, None)
        self._exit(error)
