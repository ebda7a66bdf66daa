"""Executors for the items of Parallelizable blocks: anything with ``submit(fn, *args)``
returning a :class:`concurrent.futures.Future`.

- :class:`SynchronousLocalTaskExecutor` runs each item inline (no pool, no pickling);
- :class:`MultiThreadingExecutor` runs items on a thread pool;
- :class:`MultiProcessingExecutor` runs items in worker processes; functions and values travel
  with cloudpickle, so closures and decorator-made nodes work. A worker that dies (e.g. killed
  with SIGKILL) fails the run with a clear error instead of hanging.

Pools are created lazily on first use and shut down by :meth:`finalize` (the driver calls it
when it is garbage collected, and users may call it themselves).
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from typing import Any

from plait._model.errors import ExecutorError


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
        if self._pool is None:
            self._pool = self._make_pool()
        return self._pool.submit(fn, *args)

    def finalize(self) -> None:
        """Shut the pool down (waiting for running tasks)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __getstate__(self) -> dict[str, Any]:
        return {"max_tasks": self.max_tasks, "_pool": None}


class MultiThreadingExecutor(_PoolExecutor):
    """Runs tasks on up to ``max_tasks`` threads (good for I/O-bound or GIL-releasing work)."""

    def _make_pool(self) -> cf.Executor:
        return cf.ThreadPoolExecutor(max_workers=self.max_tasks, thread_name_prefix="plait")


class MultiProcessingExecutor(_PoolExecutor):
    """Runs tasks in up to ``max_tasks`` worker processes (CPU-bound Python work)."""

    def _make_pool(self) -> cf.Executor:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        return cf.ProcessPoolExecutor(max_workers=self.max_tasks, mp_context=context)

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        import cloudpickle

        payload = cloudpickle.dumps((fn, args))
        inner = super().submit(_run_pickled, payload)
        return _translate_broken_pool(inner)


def _run_pickled(payload: bytes) -> Any:
    import cloudpickle

    fn, args = cloudpickle.loads(payload)
    return fn(*args)


def _translate_broken_pool(inner: cf.Future[Any]) -> cf.Future[Any]:
    """A future whose BrokenProcessPool error explains what happened and what to do."""
    outer: cf.Future[Any] = cf.Future()

    def relay(done: cf.Future[Any]) -> None:
        exc = done.exception()
        if exc is None:
            outer.set_result(done.result())
        elif isinstance(exc, cf.process.BrokenProcessPool):
            error = ExecutorError(
                "A worker process of MultiProcessingExecutor died while running a task (killed, "
                "out of memory, or crashed in native code); the run was stopped. Check memory "
                "use, or run the block with MultiThreadingExecutor to see the error in-process."
            )
            error.__cause__ = exc
            outer.set_exception(error)
        else:
            outer.set_exception(exc)

    inner.add_done_callback(relay)
    return outer
