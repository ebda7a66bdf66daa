"""Executors for the items of Parallelizable blocks: anything with ``submit(fn, *args)``
returning a :class:`concurrent.futures.Future`.

- :class:`SynchronousLocalTaskExecutor` runs each item inline (no pool, no pickling);
- :class:`MultiThreadingExecutor` runs items on a thread pool;
- :class:`MultiProcessingExecutor` runs items in worker processes; functions and values travel
  with cloudpickle, so closures and decorator-made nodes work, and functions of modules a
  worker could not import (``ad_hoc_utils`` modules, modules built in memory) are sent by
  value. A worker that dies (e.g. killed
  with SIGKILL) fails the run with a clear error instead of hanging.

Pools are created lazily on first use, re-created after a worker died, and shut down by
:meth:`finalize` (called when the driver holding the executor is garbage collected; users may
call it themselves). :meth:`abort` stops at once: the loop calls it on ``KeyboardInterrupt``.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import importlib.machinery
import sys
import types
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from plait._model.errors import ExecutorError

if TYPE_CHECKING:
    import ast


class SynchronousLocalTaskExecutor:
    """Runs each task inline, in the calling thread, in submission order."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        future: cf.Future[Any] = cf.Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # delivered through the future, like a pool would
            future.set_exception(exc)
        return future

    def finalize(self) -> None:
        """Nothing to release."""


class _PoolExecutor:
    """Shared lazy-pool logic; subclasses say which pool to create."""

    def __init__(self, max_tasks: int) -> None:
        if max_tasks < 1:
            raise ValueError(f"max_tasks must be at least 1, got {max_tasks}.")
        self.max_tasks = max_tasks
        self._pool: cf.Executor | None = None

    def _make_pool(self) -> cf.Executor:
        raise NotImplementedError

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        pool = self._pool
        if pool is None or getattr(pool, "_broken", False):  # a dead worker broke the last one
            pool = self._pool = self._make_pool()
        return pool.submit(fn, *args)

    def finalize(self) -> None:
        """Shut the pool down (waiting for running tasks)."""
        self._shut(wait=True)

    def abort(self) -> None:
        """Stop now (the run was interrupted): drop queued tasks, don't wait for running ones."""
        self._shut(wait=False)

    def release(self) -> None:
        """Let the pool go without waiting: no driver uses this executor any more (it runs
        wherever the garbage collector ran, so it must not block). Idle workers exit by
        themselves; a later ``submit`` starts a new pool."""
        self._shut(wait=False)

    def _shut(self, wait: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def __getstate__(self) -> dict[str, Any]:
        return {"max_tasks": self.max_tasks, "_pool": None}


class MultiThreadingExecutor(_PoolExecutor):
    """Runs tasks on up to ``max_tasks`` threads (good for I/O-bound or GIL-releasing work)."""

    def _make_pool(self) -> cf.Executor:
        return cf.ThreadPoolExecutor(max_workers=self.max_tasks, thread_name_prefix="plait")


class MultiProcessingExecutor(_PoolExecutor):
    """Runs tasks in up to ``max_tasks`` worker processes (CPU-bound Python work).

    Workers are started with ``spawn`` and ignore SIGINT: on Ctrl-C the driver's process
    gets ``KeyboardInterrupt``, cancels what is queued and terminates the workers.
    """

    def _make_pool(self) -> cf.Executor:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        return cf.ProcessPoolExecutor(
            max_workers=self.max_tasks, mp_context=context, initializer=_ignore_sigint
        )

    def __init__(self, max_tasks: int) -> None:
        super().__init__(max_tasks)
        self._head = SharedHead(_as_is)

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        """Run ``fn(*args)`` in a worker.

        The loop submits ``run_item(block, ext, item, index)``: the function and the first two
        arguments are the same for every item of a block, so they are pickled once per block
        (and unpickled once per worker); only the item and its index are pickled per task.
        """
        head, rest = split(fn, args)
        key, shared = self._head(head)
        inner = super().submit(run_shared, key, shared, rest)
        return _relay(inner, self._pool)

    def finalize(self) -> None:
        self._head.clear()
        super().finalize()

    def release(self) -> None:
        self._head.clear()
        super().release()

    def __getstate__(self) -> dict[str, Any]:
        return {**super().__getstate__(), "_head": SharedHead(_as_is)}

    def abort(self) -> None:
        """Cancel queued tasks and terminate the worker processes."""
        self._head.clear()
        workers = list((getattr(self._pool, "_processes", None) or {}).values())
        super().abort()  # (shutdown forgets the pool's processes: take them first)
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(timeout=5)


#: The loop submits ``run_item(block, outside_inputs, item, index)``: the function and its
#: first two arguments are the same for every item of a block.
N_SHARED = 2


class SharedHead:
    """``(fn, *shared arguments)`` pickled and shipped once per block, found again by identity.

    ``put`` ships the pickled bytes and returns what a task receives for them (the bytes
    themselves for processes; a scattered future or an object reference on a cluster).
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


def split(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[tuple[Any, ...], bytes]:
    """``((fn, *shared args), pickled per-task args)``."""
    n_shared = N_SHARED if len(args) > N_SHARED else 0
    return (fn, *args[:n_shared]), dumps(args[n_shared:])


def _as_is(pickled: bytes) -> bytes:
    return pickled


def _same_objects(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def dumps(obj: Any) -> bytes:
    """``cloudpickle.dumps``, sending by value the functions and classes of modules a fresh
    worker process could not import (``ad_hoc_utils`` modules, modules made from source or
    loaded from a path outside ``sys.path``)."""
    import io

    buffer = io.BytesIO()
    _pickler_class()(buffer).dump(obj)
    return buffer.getvalue()


_PICKLER: Any = None
_CHECKED: dict[str, types.ModuleType] = {}  # module name -> the module object checked


def _pickler_class() -> Any:
    global _PICKLER
    if _PICKLER is None:
        import cloudpickle

        class Pickler(cloudpickle.Pickler):  # type: ignore[misc]
            dispatch_table = _keeping_file_names(cloudpickle.Pickler.dispatch_table)

            def reducer_override(self, obj: Any) -> Any:
                if isinstance(obj, (types.FunctionType, type)):
                    _by_value_unless_importable(getattr(obj, "__module__", None))
                return super().reducer_override(obj)

        _PICKLER = Pickler
    return _PICKLER


_NO_FILE = "<dynamic-code>"


def _keeping_file_names(table: Any) -> Any:
    """cloudpickle's reducers, but code sent by value keeps its file name.

    cloudpickle (3.1.3 and later) names the code of every function it sends by value
    ``<dynamic-code>``; a worker's traceback through such a function (one of your script's,
    say) would not say which file it is in. Where cloudpickle's code reducer is not the one
    this knows, the table is used as it is.
    """
    import collections

    from cloudpickle import cloudpickle as implementation

    reduce_code = getattr(implementation, "_code_reduce", None)
    if reduce_code is None or table.get(types.CodeType) is not reduce_code:
        return table

    def reduce(code: types.CodeType) -> Any:
        rebuild, args = reduce_code(code)
        if args.count(_NO_FILE) == 1:
            args = tuple(code.co_filename if arg == _NO_FILE else arg for arg in args)
        return rebuild, args

    return collections.ChainMap({types.CodeType: reduce}, table)


def _by_value_unless_importable(name: str | None) -> None:
    if name is None:
        return
    module = sys.modules.get(name)
    if module is None or _CHECKED.get(name) is module:
        return  # not in sys.modules: cloudpickle sends it by value anyway
    _CHECKED[name] = module  # decided once per module object
    if name != "__main__" and not _importable(module):
        import cloudpickle

        cloudpickle.register_pickle_by_value(module)


def _importable(module: types.ModuleType) -> bool:
    """Whether a spawned worker (same ``sys.path``) imports ``module`` from the same place."""
    spec = getattr(module, "__spec__", None)
    if spec is None:  # made in memory: types.ModuleType(...) / create_temporary_module
        return False
    if not spec.has_location:  # builtin, frozen
        return True
    top = module.__name__.partition(".")[0]
    if top != module.__name__:
        parent = sys.modules.get(top)
        return parent is not None and _importable(parent)
    found = importlib.machinery.PathFinder.find_spec(top, sys.path)
    return found is not None and found.origin == spec.origin


_UNPICKLED: dict[str, Any] = {}  # in a worker: key -> (fn, *shared arguments)


def run_shared(key: str, shared: bytes, rest: bytes) -> Any:
    """In a worker: ``fn(*shared, *rest)``, unpickling ``shared`` once per key and process."""
    import cloudpickle

    head = _UNPICKLED.get(key)
    if head is None:
        if len(_UNPICKLED) >= 4:
            del _UNPICKLED[next(iter(_UNPICKLED))]
        head = _UNPICKLED[key] = cloudpickle.loads(shared)
    fn, *args = head
    return fn(*args, *cloudpickle.loads(rest))


class _Relayed(cf.Future[Any]):
    """A future following a pool's future; cancelling it cancels the pool's."""

    def __init__(self, inner: cf.Future[Any], pool: cf.Executor | None) -> None:
        super().__init__()
        self.inner = inner
        self.pool = pool

    def cancel(self) -> bool:
        if getattr(self.pool, "_broken", False):
            # the pool's own thread is failing every task of a broken pool: cancelling one
            # under it makes that thread raise InvalidStateError (CPython 3.11), so leave it
            return False
        return self.inner.cancel()  # the relay marks this one cancelled


def _relay(inner: cf.Future[Any], pool: cf.Executor | None = None) -> cf.Future[Any]:
    """A future whose BrokenProcessPool error explains what happened and what to do."""
    outer = _Relayed(inner, pool)

    def relay(done: cf.Future[Any]) -> None:
        if done.cancelled():
            cf.Future.cancel(outer)
            return
        exc = done.exception()
        if exc is None:
            outer.set_result(done.result())
        elif isinstance(exc, cf.process.BrokenProcessPool):
            error = ExecutorError(_broken_pool_message())
            error.__cause__ = exc
            outer.set_exception(error)
        else:
            outer.set_exception(exc)

    inner.add_done_callback(relay)
    return outer


def _broken_pool_message() -> str:
    """What to say when a worker process died: the usual causes, or, when the script that
    started the run has no ``if __name__ == "__main__":`` block, that (the likeliest cause)."""
    script = _unguarded_main_script()
    if script is not None:
        return (
            "A worker process of MultiProcessingExecutor died while starting: workers are "
            f"started with 'spawn', so each one imports your script {script} again, and that "
            'script runs the driver at import time (it has no `if __name__ == "__main__":` '
            "block). Put the code that runs the driver (its `execute` calls) under "
            '`if __name__ == "__main__":`.'
        )
    return (
        "A worker process of MultiProcessingExecutor died while running a task (killed, "
        "out of memory, or crashed in native code); the run was stopped. Check memory "
        "use, or run the block with MultiThreadingExecutor to see the error in-process."
    )


@functools.lru_cache(maxsize=1)
def _unguarded_main_script() -> str | None:
    """The path of the ``__main__`` script if it is a Python file with no top-level
    ``if __name__ == "__main__":`` test, else None (no script, unreadable, or guarded).

    Read once per process: a broken pool fails every pending task with this message."""
    import ast

    path = getattr(sys.modules.get("__main__"), "__file__", None)
    if not path or not str(path).endswith(".py"):
        return None
    try:
        with open(path, encoding="utf-8") as file:
            tree = ast.parse(file.read(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    for statement in tree.body:
        if isinstance(statement, ast.If) and _tests_main_name(statement.test):
            return None
    return str(path)


def _tests_main_name(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    import ast

    if not (isinstance(test, ast.Compare) and len(test.comparators) == 1):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    texts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and texts == ["__main__"]
