"""Executors for Parallelizable/Collect blocks (Hamilton's ``execution.executors`` names)."""

from plait._run.executors import (
    MultiProcessingExecutor,
    MultiThreadingExecutor,
    SynchronousLocalTaskExecutor,
)

__all__ = ["MultiProcessingExecutor", "MultiThreadingExecutor", "SynchronousLocalTaskExecutor"]
