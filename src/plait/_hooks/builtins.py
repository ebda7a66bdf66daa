"""Ready-made lifecycle adapters (Hamilton's ``lifecycle.default``): printing, slowing down,
type checking at run time, and switching the build-time type checks off.

The debugger is in :mod:`plait._hooks.debugger`, graceful failure in
:mod:`plait._hooks.graceful` and the mutation guard in :mod:`plait._hooks.mutation`.

Imports only the standard library, ``plait._model`` and ``plait._hooks``.
"""

from __future__ import annotations

import pprint
import random
import time
from collections.abc import Callable
from typing import Any

from plait._hooks.lifecycle import EdgeConnectionHook, NodeExecutionHook
from plait._model.errors import InvalidArgumentError, PlaitError
from plait._model.types import check_instance

#: Which nodes an adapter acts on: a node name, a list of names, a function
#: ``(node_name, node_tags) -> bool``, or None for every node (Hamilton's ``NodeFilter``).
NodeFilter = Callable[[str, dict[str, Any]], bool] | list[str] | str | None


class NodeTypeCheckError(PlaitError, TypeError):
    """A node received or returned a value its annotation does not allow (run-time check)."""

    blames_node = True  #: the hook reports the node's fault (see ``annotate_hook_failure``)


def check_node_filter(node_filter: Any) -> None:
    """Refuse a filter that is not a name, a list of names, a callable or None."""
    if node_filter is None or isinstance(node_filter, (str, list)) or callable(node_filter):
        return
    raise InvalidArgumentError(
        f"node_filter={node_filter!r} ({type(node_filter).__name__}) is not a node filter. "
        "Pass a node name, a list of names, a function (node_name, node_tags) -> bool, or None."
    )


def selects(node_name: str, node_tags: dict[str, Any], node_filter: NodeFilter) -> bool:
    """Whether ``node_filter`` selects the node (Hamilton's ``should_run_node``)."""
    if node_filter is None:
        return True
    if isinstance(node_filter, str):
        return node_name == node_filter
    if isinstance(node_filter, list):
        return node_name in node_filter
    return bool(node_filter(node_name, node_tags))


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr`` (or the string itself) cut to ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    return text[:limit]


def _duration(seconds: float) -> str:
    """``12.3μs``, ``4.56ms`` or ``1.2s``: three significant digits in a readable unit."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g}μs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g}ms"
    return f"{seconds:.3g}s"


class PrintLn(NodeExecutionHook):
    """Print a line when each node starts and when it finishes, with its duration.

    Parameters
    ----------
    verbosity
        1: node names, durations and status; 2: also the inputs and the result (or error).
    print_fn
        Where lines go (``print`` by default; ``logger.info`` works too).
    node_filter
        Which nodes to print (see :data:`NodeFilter`); all by default.

    Examples
    --------
    >>> lines = []
    >>> hook = PrintLn(print_fn=lines.append)
    >>> hook.run_before_node_execution(node_name="a", node_tags={}, node_kwargs={}, task_id=None)
    >>> lines
    ['Executing node: a.']
    """

    def __init__(
        self,
        verbosity: int = 1,
        print_fn: Callable[[str], Any] = print,
        node_filter: NodeFilter = None,
    ) -> None:
        if verbosity not in (1, 2):
            raise InvalidArgumentError(f"PrintLn: verbosity must be 1 or 2, got {verbosity!r}.")
        check_node_filter(node_filter)
        self.verbosity = verbosity
        self.print_fn = print_fn
        self.node_filter = node_filter
        self.timer_dict: dict[str, float] = {}

    @staticmethod
    def _label(node_name: str, task_id: str | None) -> str:
        return node_name if task_id is None else f"{task_id}:{node_name}"

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        task_id: str | None,
        **future_kwargs: Any,
    ) -> None:
        """Print that the node starts (and its inputs at verbosity 2)."""
        if not selects(node_name, node_tags, self.node_filter):
            return
        label = self._label(node_name, task_id)
        self.timer_dict[label] = time.perf_counter()
        line = f"Executing node: {label}."
        if self.verbosity == 2:
            line += f" Inputs: \n{pprint.pformat(node_kwargs)}"
        self.print_fn(line)

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        result: Any,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        **future_kwargs: Any,
    ) -> None:
        """Print that the node finished, how long it took and whether it succeeded."""
        if not selects(node_name, node_tags, self.node_filter):
            return
        label = self._label(node_name, task_id)
        started = self.timer_dict.pop(label, None)
        took = _duration(time.perf_counter() - started) if started is not None else "?"
        status = "Success" if success else "Failure"
        line = f"Finished debugging node: {label} in {took}. Status: {status}."
        if self.verbosity == 2:
            if success:
                line += f" Result: \n{pprint.pformat(result)}\n"
            else:
                line += f" Error: \n{pprint.pformat(error)}"
        self.print_fn(line)


class SlowDownYouMoveTooFast(NodeExecutionHook):
    """Sleep a random time (normal, clipped at 0) before every node. For testing progress
    displays and races; nothing else.

    Parameters
    ----------
    sleep_time_mean, sleep_time_std
        Mean and standard deviation of the sleep, in seconds.
    """

    def __init__(self, sleep_time_mean: float, sleep_time_std: float) -> None:
        self.sleep_time_mean = sleep_time_mean
        self.sleep_time_std = sleep_time_std

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        """Sleep."""
        time.sleep(max(0.0, random.gauss(self.sleep_time_mean, self.sleep_time_std)))

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        """Nothing."""


def _type_name(tp: Any) -> str:
    """``int``, ``list[int]``, ``pandas.Series``: the annotation as written."""
    if isinstance(tp, type) and not getattr(tp, "__args__", None):
        module = "" if tp.__module__ == "builtins" else f"{tp.__module__.partition('.')[0]}."
        return f"{module}{tp.__qualname__}"
    return repr(tp).replace("typing.", "")


class FunctionInputOutputTypeChecker(NodeExecutionHook):
    """Check, while the dataflow runs, that every node's inputs and result match their
    annotations (``htypes.check_instance``: containers' items too).

    Raises :class:`NodeTypeCheckError` (a ``TypeError``, as Hamilton) naming the node, the
    parameter and both types. Strict by design: leave a parameter unannotated (or ``Any``) to
    skip it.

    Parameters
    ----------
    check_input, check_output
        Which side to check.
    """

    def __init__(self, check_input: bool = True, check_output: bool = True) -> None:
        self.check_input = check_input
        self.check_output = check_output

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_kwargs: dict[str, Any],
        node_input_types: dict[str, Any],
        **future_kwargs: Any,
    ) -> None:
        """Check each input against its parameter's annotation."""
        if not self.check_input:
            return
        for name, value in node_kwargs.items():
            expected = node_input_types.get(name, Any)
            if not check_instance(value, expected):
                raise NodeTypeCheckError(
                    f"Node '{node_name}' received {type(value).__name__} for parameter "
                    f"'{name}', annotated {_type_name(expected)}. Fix the producer, or widen "
                    "the annotation."
                )

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_return_type: Any,
        result: Any,
        success: bool = True,
        **future_kwargs: Any,
    ) -> None:
        """Check the result against the return annotation (not when the node raised)."""
        if not self.check_output or not success:
            return
        if not check_instance(result, node_return_type):
            raise NodeTypeCheckError(
                f"Node '{node_name}' returned {type(result).__name__}, but is annotated "
                f"-> {_type_name(node_return_type)}. Fix the function, or its annotation."
            )


class NoEdgeAndInputTypeChecking(EdgeConnectionHook):
    """Accept every edge and every input value, whatever the annotations (for prototyping)."""

    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        """Any producer may feed any parameter."""
        return True

    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        """Any value is a valid input."""
        return True
