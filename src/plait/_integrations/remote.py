"""What the Dask and Ray integrations share: what a branch sends once and what it sends per
task, the worker-side call, node calls whose failures name the node, and futures whose
``cancel`` reaches the cluster.

Functions and values are pickled with :func:`plait._run.executors.dumps` (cloudpickle; the
functions of modules a worker could not import travel by value), as for
``MultiProcessingExecutor``. Imports ``plait._model``, ``plait._run.executors`` and the
standard library.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from typing import Any

from plait._model.errors import annotate_node_failure
from plait._run.executors import SharedHead as SharedHead  # re-exported for dask.py and ray.py
from plait._run.executors import dumps
from plait._run.executors import run_shared as run_shared
from plait._run.executors import split as split


class RemoteFuture(cf.Future[Any]):
    """A concurrent future fed by a cluster's task; cancelling it cancels the task."""

    def __init__(self, cancel_task: Callable[[], object]) -> None:
        super().__init__()
        self._cancel_task = cancel_task

    def cancel(self) -> bool:
        if self.done():
            return False
        self._cancel_task()
        return super().cancel()

    def deliver(self, value: Any = None, error: BaseException | None = None) -> None:
        """Set the outcome, unless the future was cancelled meanwhile."""
        try:
            if error is None:
                self.set_result(value)
            else:
                self.set_exception(error)
        except cf.InvalidStateError:  # cancelled by the loop: nobody waits for it
            pass


class NodeCall:
    """A node's function run as a remote task: a failure gets the usual note naming the node.

    Pickled with :func:`dumps` whatever the framework's own pickler, so closures and functions
    of modules the workers cannot import reach them.
    """

    __slots__ = ("fn", "name")

    def __init__(self, fn: Callable[..., Any], name: str) -> None:
        self.fn = fn
        self.name = name

    def __call__(self, **kwargs: Any) -> Any:
        try:
            return self.fn(**kwargs)
        except Exception as exc:
            annotate_node_failure(exc, self.name, where(self.fn))
            raise

    def __reduce__(self) -> tuple[Any, ...]:
        return _node_call_from_bytes, (dumps(self.fn), self.name)


def _node_call_from_bytes(fn: bytes, name: str) -> NodeCall:
    import cloudpickle

    return NodeCall(cloudpickle.loads(fn), name)


def where(fn: Any) -> str:
    """``file:line`` of a function (``<unknown>`` for other callables)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return "<unknown>"
    return f"{code.co_filename}:{code.co_firstlineno}"
