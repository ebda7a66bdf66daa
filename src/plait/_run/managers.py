"""Execution managers: which executor runs the items of each Parallelizable block.

Hamilton's ``ExecutionManager`` picks an executor per task. In plait the tasks outside blocks
always run in the driver's thread, so a manager is asked only about blocks: once per block
(not per item), with a :class:`~plait._plan.tasks.TaskSpec` describing the block's item tasks.
:class:`DefaultExecutionManager` answers with its remote executor (Hamilton's rule: tasks whose
purpose is ``EXECUTE_BLOCK`` go remote).

:func:`submitter` turns what the builder was given into the one ``submit(fn, *args)`` object
the run loops take.
"""

from __future__ import annotations

import abc
import concurrent.futures as cf
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from plait._model.errors import InvalidArgumentError
from plait._plan.blocks import Block
from plait._plan.tasks import NodeGroupPurpose, TaskSpec, block_spec
from plait._run.executors import MultiProcessingExecutor, SynchronousLocalTaskExecutor


class ExecutionManager(abc.ABC):
    """Chooses the executor for each task; subclass it and implement
    :meth:`get_executor_for_task`.

    Parameters
    ----------
    executors
        Every executor the manager may choose; :meth:`init` and :meth:`finalize` are passed on
        to those that have them.
    """

    def __init__(self, executors: Iterable[Any]) -> None:
        self.executors = list(executors)

    def init(self) -> None:
        """Start the executors (plait calls it once, before the first block runs)."""
        for executor in self.executors:
            start = getattr(executor, "init", None)
            if callable(start):
                start()

    def finalize(self) -> None:
        """Release the executors (plait calls it when the driver is garbage collected)."""
        for executor in self.executors:
            stop = getattr(executor, "finalize", None)
            if callable(stop):
                stop()

    @abc.abstractmethod
    def get_executor_for_task(self, task: TaskSpec) -> Any:
        """The executor for ``task`` (plait asks once per Parallelizable block; ``task``
        describes its item tasks: ``base_id``, ``purpose``, ``nodes``, ``outputs_to_compute``)."""


class DefaultExecutionManager(ExecutionManager):
    """Items of blocks on ``remote_executor``, everything else on ``local_executor``.

    As in Hamilton, the defaults are ``SynchronousLocalTaskExecutor()`` and
    ``MultiProcessingExecutor(max_tasks=5)``. plait runs the nodes outside blocks in the
    driver's thread whatever ``local_executor`` is.
    """

    def __init__(self, local_executor: Any = None, remote_executor: Any = None) -> None:
        if local_executor is None:
            local_executor = SynchronousLocalTaskExecutor()
        if remote_executor is None:
            remote_executor = MultiProcessingExecutor(max_tasks=5)
        super().__init__([local_executor, remote_executor])
        self.local_executor = local_executor
        self.remote_executor = remote_executor

    def get_executor_for_task(self, task: TaskSpec) -> Any:
        """The remote executor for items of blocks (``EXECUTE_BLOCK``), else the local one."""
        if task.purpose is NodeGroupPurpose.EXECUTE_BLOCK:
            return self.remote_executor
        return self.local_executor


def submitter(remote_executor: Any = None, manager: Any = None) -> Any:
    """What runs the items of blocks: None (inline), an executor, or a :class:`Routed` manager."""
    if isinstance(manager, DefaultExecutionManager):
        return submitter(manager.remote_executor)
    if manager is not None:
        return Routed(manager)
    if remote_executor is None or isinstance(remote_executor, SynchronousLocalTaskExecutor):
        return None
    check_executor(remote_executor, "with_remote_executor()")
    return remote_executor


def check_executor(executor: Any, where: str) -> None:
    """Refuse what has no ``submit(fn, *args)``."""
    if not callable(getattr(executor, "submit", None)):
        raise InvalidArgumentError(
            f"{where} got {executor!r}, which is not an executor: it needs submit(fn, *args) "
            "returning a concurrent.futures.Future (plait.execution.executors has "
            "MultiThreadingExecutor and MultiProcessingExecutor; plait.plugins.h_dask and h_ray "
            "have cluster executors)."
        )


class Routed:
    """A ``submit`` that asks ``manager`` which executor runs each block's items (once per
    block), then submits there."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager
        self._chosen: weakref.WeakKeyDictionary[Block, Any] = weakref.WeakKeyDictionary()
        self._started = False

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        """``fn(block, ...)`` on the executor the manager chose for ``block``."""
        future: cf.Future[Any] = self.executor_for(args[0]).submit(fn, *args)
        return future

    def executor_for(self, block: Block) -> Any:
        """The manager's executor for ``block`` (asked once per block)."""
        executor = self._chosen.get(block)
        if executor is None:
            if not self._started:
                self._started = True
                self.manager.init()
            executor = self.manager.get_executor_for_task(block_spec(block))
            check_executor(executor, f"{type(self.manager).__qualname__}.get_executor_for_task()")
            self._chosen[block] = executor
        return executor

    def finalize(self) -> None:
        """Finalize the manager (and so its executors)."""
        self._chosen.clear()
        if self._started:
            self._started = False
            self.manager.finalize()

    def abort(self) -> None:
        """Ctrl-C: stop every executor the manager chose that can be stopped."""
        for executor in list(self._chosen.values()):
            abort = getattr(executor, "abort", None)
            if callable(abort):
                abort()


__all__ = [
    "DefaultExecutionManager",
    "ExecutionManager",
    "Routed",
    "check_executor",
    "submitter",
]
