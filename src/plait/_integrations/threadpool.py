"""Threads for the plain driver (Hamilton's ``plugins.h_threadpool``): :class:`FutureAdapter`.

Each node is submitted to a thread pool when the run reaches it, without waiting for its
inputs: its thread waits for the futures of its inputs, then calls the function. Independent
nodes therefore run at the same time, and the result is built once every output is resolved.
Good for I/O-bound nodes (API calls, queries) or functions that release the GIL.

Differences from running nodes inline: node hooks (``run_before_node_execution`` ...) see the
node's future as its result, and a node's error surfaces when the result is built, with the
node's name in a note. Not for ``Parallelizable`` blocks (as in Hamilton): use
``Builder().with_remote_executor(MultiThreadingExecutor(...))`` for those.

Standard library only; imports ``plait._model`` and ``plait._hooks``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from plait._hooks.lifecycle import NodeExecutionMethod
from plait._model.errors import UnsupportedAdapterError, annotate_node_failure


def where(fn: Any) -> str:
    """``file:line`` of a function (``<unknown>`` for other callables)."""
    code = getattr(fn, "__code__", None)
    return "<unknown>" if code is None else f"{code.co_filename}:{code.co_firstlineno}"


def _resolve(value: Any) -> Any:
    while isinstance(value, Future):
        value = value.result()
    return value


def _run_node(fn: Callable[..., Any], name: str, kwargs: dict[str, Any]) -> Any:
    """In a pool thread: wait for the inputs (an upstream error passes through unchanged),
    then call the node, noting its name on its own error."""
    ready = {k: _resolve(v) for k, v in kwargs.items()}
    try:
        return fn(**ready)
    except Exception as exc:
        annotate_node_failure(exc, name, where(fn))
        raise


class FutureAdapter(NodeExecutionMethod):
    """Run nodes on a thread pool as their inputs resolve; build the result at the end.

    Parameters
    ----------
    max_workers
        Threads in the pool (``concurrent.futures`` default when None).
    thread_name_prefix
        Name prefix of the pool's threads.
    result_builder
        Combines the resolved outputs (default: a dict of them).
    """

    def __init__(
        self,
        max_workers: int | None = None,
        thread_name_prefix: str = "",
        result_builder: Any = None,
    ) -> None:
        self.executor = ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix=thread_name_prefix
        )
        self.result_builder = result_builder

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_callable: Any,
        node_kwargs: dict[str, Any],
        is_expand: bool = False,
        is_collect: bool = False,
        **future_kwargs: Any,
    ) -> Any:
        """Submit the node; its future is its value until the result is built."""
        if is_expand or is_collect:
            raise UnsupportedAdapterError(
                f"FutureAdapter cannot run Parallelizable/Collect node '{node_name}'. Use "
                "Builder().with_remote_executor(MultiThreadingExecutor(n)) for those blocks."
            )
        # Nodes are submitted in dependency order and the pool starts tasks in that order,
        # so a task only ever waits for tasks that are already running or done: no deadlock.
        return self.executor.submit(_run_node, node_callable, node_name, node_kwargs)

    def build_result(self, **outputs: Any) -> Any:
        """Wait for every output, then combine them with the result builder (or a dict)."""
        resolved = {name: _resolve(value) for name, value in outputs.items()}
        if self.result_builder is None:
            return resolved
        return self.result_builder.build_result(**resolved)

    def input_types(self) -> list[Any]:
        """Any output type (the wrapped result builder's types are not exposed)."""
        return [Any]

    def output_type(self) -> Any:
        """The result builder's output type (``Any`` without one)."""
        if self.result_builder is None:
            return Any
        return self.result_builder.output_type()

    def shutdown(self, wait: bool = True) -> None:
        """Shut the thread pool down (a plait extension; Hamilton leaves it to exit time)."""
        self.executor.shutdown(wait=wait)
