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
import uuid
from collections.abc import Callable
from typing import Any

from plait._model.errors import annotate_node_failure
from plait._run.executors import dumps

#: The loop submits ``run_item(block, outside_inputs, item, index)``: the function and its
#: first two arguments are the same for every item of a block.
N_SHARED = 2


class SharedHead:
    """``(fn, *shared arguments)`` pickled and shipped once per block, found again by identity.

    ``put`` ships the pickled bytes and returns what a task receives for them (a scattered
    future, an object reference, or the bytes themselves).
    """

    def __init__(self, put: Callable[[bytes], Any]) -> None:
        self._put = put
        self._last: tuple[tuple[Any, ...], str, Any] | None = None

    def __call__(self, head: tuple[Any, ...]) -> tuple[str, Any]:
        """``(key, handle)`` for ``head``: shipped now, or the previous block's if the same."""
        last = self._last
        if last is not None and _same_objects(last[0], head):
            return last[1], last[2]
        key = uuid.uuid4().hex
        self._last = (head, key, self._put(dumps(head)))  # holds head: its ids stay unique
        return key, self._last[2]

    def clear(self) -> None:
        """Forget the shipped head (the cluster may then free its copy)."""
        self._last = None


def _same_objects(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def split(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[tuple[Any, ...], bytes]:
    """``((fn, *shared args), pickled per-task args)``."""
    n_shared = N_SHARED if len(args) > N_SHARED else 0
    return (fn, *args[:n_shared]), dumps(args[n_shared:])


_UNPICKLED: dict[str, Any] = {}  # in a worker: key -> (fn, *shared arguments)


def run_shared(key: str, shared: bytes, rest: bytes) -> Any:
    """On a worker: ``fn(*shared, *rest)``, unpickling ``shared`` once per key and process."""
    import cloudpickle

    head = _UNPICKLED.get(key)
    if head is None:
        if len(_UNPICKLED) >= 4:
            _UNPICKLED.pop(next(iter(_UNPICKLED)), None)
        head = _UNPICKLED[key] = cloudpickle.loads(shared)
    fn, *args = head
    return fn(*args, *cloudpickle.loads(rest))


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
