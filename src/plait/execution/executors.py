"""Executors for Parallelizable/Collect blocks (Hamilton's ``execution.executors`` names)."""

from plait._run.executors import (
    MultiProcessingExecutor,
    MultiThreadingExecutor,
    SynchronousLocalTaskExecutor,
)
from plait._run.managers import DefaultExecutionManager, ExecutionManager

__all__ = [
    "DefaultExecutionManager",
    "ExecutionManager",
    "MultiProcessingExecutor",
    "MultiThreadingExecutor",
    "SynchronousLocalTaskExecutor",
]
