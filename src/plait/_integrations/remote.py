"""What the Dask and Ray integrations share: shipping functions to workers with cloudpickle,
node calls whose failures name the node, and a small cache of arguments shared by every item
of a Parallelizable block.

cloudpickle is imported when used. Imports ``plait._model`` and the standard library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plait._model.errors import annotate_node_failure


def dumps(obj: Any) -> bytes:
    """``cloudpickle.dumps``: functions of modules registered with
    ``cloudpickle.register_pickle_by_value`` travel by value."""
    import cloudpickle

    return cloudpickle.dumps(obj)  # type: ignore[no-any-return]


def run_pickled(payload: bytes, *shared: bytes) -> Any:
    """On a worker: unpickle ``(fn, args)`` and the shared leading arguments; call ``fn``."""
    import cloudpickle

    fn, args = cloudpickle.loads(payload)
    return fn(*(cloudpickle.loads(s) for s in shared), *args)


class NodeCall:
    """A node's function run as a remote task: a failure gets the usual note naming the node.

    Pickled with cloudpickle whatever the framework's own pickler, so closures and functions
    registered by value reach the workers.
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


class SharedArgs:
    """Objects sent to the cluster once, found again by identity (the last ``size`` kept).

    The run loop passes every item of a block the same block and the same list of outside
    inputs; ``put`` ships a pickled object and returns the cluster's handle to it.
    """

    def __init__(self, put: Callable[[bytes], Any], size: int = 4) -> None:
        self._put = put
        self._size = size
        self._kept: dict[int, tuple[Any, Any]] = {}  # id -> (object, handle)

    def __call__(self, obj: Any) -> Any:
        found = self._kept.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        if len(self._kept) >= self._size:  # drop the oldest: an earlier block's
            del self._kept[next(iter(self._kept))]
        handle = self._put(dumps(obj))
        self._kept[id(obj)] = (obj, handle)
        return handle

    def clear(self) -> None:
        """Forget every kept object (the cluster may then free its copies)."""
        self._kept.clear()
