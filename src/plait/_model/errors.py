"""Every error plait raises for a user mistake (integrations keep theirs beside their code).

Each class subclasses :class:`PlaitError` *and* the builtin exception Hamilton raises for the
same mistake, so ``except ValueError`` (or ``TypeError``, ``KeyError``) written against Hamilton
keeps working. Messages follow one shape: what is wrong (with the offending value), where
(node, function, ``file:line``), and one line of what to do.

This module imports only the standard library.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable


class PlaitError(Exception):
    """Base class of every error plait raises on purpose."""


class GraphError(PlaitError, ValueError):
    """The functions do not form a valid graph (clash, bad edge type, unknown name...)."""


class DuplicateNodeError(GraphError):
    """Two functions (usually in two modules) define the same node name."""


class EdgeTypeMismatchError(GraphError):
    """A parameter's annotation does not accept the type of the node that feeds it."""


class UnresolvableAnnotationError(GraphError, NameError):
    """A string annotation names something that cannot be found (also a ``NameError``, as the
    failure escapes in Hamilton)."""


class CycleError(GraphError):
    """Requested outputs depend on a cycle; nothing ran."""

    def __init__(self, message: str, cycle: list[str]) -> None:
        super().__init__(message)
        self.cycle = cycle


class InvalidTypeError(PlaitError, TypeError):
    """An annotation is not one plait can use (``htypes.InvalidTypeException`` is this class)."""


class UnknownNodeError(PlaitError, ValueError):
    """A requested output or queried node is not in the graph."""


class MissingInputError(PlaitError, ValueError):
    """A required input was not provided."""


class InputTypeError(PlaitError, ValueError):
    """A provided input does not match the annotation of the parameter it feeds."""


class InputConfigClashError(PlaitError, ValueError):
    """An input is also a config value; a value can come from one place only."""


class InvalidArgumentError(PlaitError, ValueError):
    """A bad argument to a driver method (e.g. a malformed ``tag_filter``)."""


class UnsupportedAdapterError(PlaitError, ValueError):
    """An adapter plait cannot use (yet): its kind is named in the message."""


class MissingConfigParametersException(PlaitError, ValueError):
    """A decorator needs configuration keys the driver's config does not have."""


class HookSpecError(PlaitError, TypeError):
    """An adapter's hook method does not fit the hook's specification."""


class HookConflictError(PlaitError, ValueError):
    """Two adapters claim a hook only one may implement (e.g. ``run_to_execute_node``)."""


class StaticValidationError(GraphError):
    """A ``StaticValidator`` adapter rejected nodes or the graph when it was built."""


class InvalidDecoratorError(PlaitError, ValueError):
    """A decorator is misused; raised while the graph is built."""


class InvalidConfigError(PlaitError, ValueError):
    """A configuration value is unusable."""


class InvalidExecutorException(PlaitError):
    """The driver's executor cannot run what was requested (Hamilton's name).

    Raised, for example, when an output needs a ``Parallelizable``/``Collect`` block and the
    driver was built without dynamic execution.
    """


class ExecutorError(PlaitError, RuntimeError):
    """An executor could not run a task (e.g. a worker process died)."""


class ResultBuildError(PlaitError, ValueError):
    """The result builder could not combine the outputs."""


class ResultTypeError(ResultBuildError, TypeError):
    """An output's type cannot go into the requested result (Hamilton raised ``TypeError``)."""


class InvalidResultBuilderError(PlaitError, TypeError):
    """The object given as result builder (or adapter) cannot build a result."""


class NodeExecutionError(PlaitError):
    """Never raised by itself: see :func:`annotate_node_failure`.

    A user function's exception is re-raised *unchanged* (same type, same traceback) with a
    note naming the node; this class only documents that contract.
    """


def annotate_node_failure(exc: BaseException, node_name: str, where: str) -> None:
    """Attach a note to ``exc`` saying which node raised it (PEP 678; shim on 3.10)."""
    note = f"plait: raised by node '{node_name}' (function at {where})"
    add_note = getattr(exc, "add_note", None)
    if add_note is not None:
        add_note(note)
    else:  # pragma: no cover - Python 3.10
        notes = list(getattr(exc, "__notes__", []))
        notes.append(note)
        with contextlib.suppress(AttributeError):
            exc.__notes__ = notes  # type: ignore[attr-defined]


def annotate_hook_failure(exc: BaseException, hook: str, node_name: str | None) -> None:
    """Note on ``exc`` that a hook (not the user's node) raised it.

    A hook that checks nodes (a type checker, a mutation guard) raises exceptions whose class
    sets ``blames_node = True``: their note says which node the check failed on instead.
    """
    during = f" while running node '{node_name}'" if node_name else ""
    if getattr(exc, "blames_node", False):
        note = f"plait: hook {hook} rejected node '{node_name}'"
    else:
        note = f"plait: raised by hook {hook}{during}; the fault is in the hook, not in the node"
    add_note = getattr(exc, "add_note", None)
    if add_note is not None:
        add_note(note)


def warn_user(message: str, category: type[Warning]) -> None:
    """Warn, attributing the warning to the first frame outside plait (the user's call)."""
    import sys
    import warnings

    level = 2  # stacklevel 1 is this function, 2 its caller
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("plait."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, category, stacklevel=level)


def did_you_mean(name: str, candidates: Iterable[str], limit: int = 3) -> str:
    """Return ``" Did you mean 'x' or 'y'?"`` for close matches, or ``""``."""
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=limit, cutoff=0.6)
    if not close:
        return ""
    quoted = " or ".join(repr(c) for c in close)
    return f" Did you mean {quoted}?"
