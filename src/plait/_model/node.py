"""The node model: one frozen :class:`Node` per output, built from a function once.

A node is a name, an output type, the inputs it needs (:class:`Dependency`), the callable that
computes it, tags, and where it came from (:class:`Origin`, the user function's ``file:line``).
Nodes never change after creation; decorators (in ``plait._modifiers``) produce new nodes from
old ones with :func:`dataclasses.replace`.

Standard library only; imports nothing above ``plait._model``.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from plait._model.errors import GraphError
from plait._model.types import resolve_annotations

_EMPTY_TAGS: Mapping[str, Any] = MappingProxyType({})


class NodeKind(enum.Enum):
    """What computes a node's value."""

    FUNCTION = "function"  #: a callable computes it
    EXTERNAL = "external"  #: provided by the caller (``inputs=``) or the config
    EXPAND = "expand"  #: returns ``Parallelizable[T]``: fans out
    COLLECT = "collect"  #: takes a ``Collect[T]`` parameter: fans in


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a node was defined: the user's function and its ``file:line``."""

    qualname: str
    file: str
    line: int

    @staticmethod
    def of(fn: Callable[..., Any]) -> Origin:
        """The origin of a plain function (or anything with a ``__code__``)."""
        code = getattr(fn, "__code__", None)
        qualname = getattr(fn, "__qualname__", repr(fn))
        if code is None:
            return Origin(qualname, "<unknown>", 0)
        return Origin(qualname, code.co_filename, code.co_firstlineno)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        """``function 'qualname' at file:line`` for error messages."""
        return f"function '{self.qualname}' at {self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Dependency:
    """One input of a node: a parameter name, its annotation, and whether it may be left out."""

    name: str
    type: Any
    required: bool = True
    default: Any = None


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """A frozen node of the dataflow.

    ``positional`` says that calling ``callable(*values)`` with the dependency values in order
    is the same as calling it with keywords (true for plain functions); the runner uses it to
    avoid building a dict per call.
    """

    name: str
    type: Any
    callable: Callable[..., Any] | None = None
    inputs: tuple[Dependency, ...] = ()
    kind: NodeKind = NodeKind.FUNCTION
    tags: Mapping[str, Any] = field(default_factory=lambda: _EMPTY_TAGS)
    documentation: str = ""
    origin: Origin | None = None
    originating_functions: tuple[Callable[..., Any], ...] = ()
    positional: bool = False

    @property
    def is_external(self) -> bool:
        """True for inputs the caller provides."""
        return self.kind is NodeKind.EXTERNAL

    def where(self) -> str:
        """Human description of where this node comes from, for error messages."""
        if self.origin is None:
            return f"node '{self.name}'"
        return self.origin.describe()

    def __repr__(self) -> str:
        type_name = getattr(self.type, "__name__", None) or repr(self.type)
        return f"Node({self.name!r}: {type_name})"


def node_from_function(
    fn: Callable[..., Any],
    name: str | None = None,
    tags: Mapping[str, Any] | None = None,
) -> Node:
    """Build the node a plain function defines.

    Parameters
    ----------
    fn
        A plain Python function: its name is the node, its parameters the inputs.
    name
        Node name to use instead of ``fn.__name__``.
    tags
        Tags to attach (e.g. ``{"module": fn.__module__}``).

    Raises
    ------
    GraphError
        If a parameter or the return value lacks a type annotation, or the function takes
        ``*args`` / ``**kwargs``.
    """
    code = fn.__code__
    flags = code.co_flags
    origin = Origin.of(fn)
    if flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        raise GraphError(
            f"{origin.describe()} takes *args or **kwargs; a node's inputs are its named "
            "parameters. Name each input as a parameter."
        )
    n_pos = code.co_argcount
    n_params = n_pos + code.co_kwonlyargcount
    param_names = code.co_varnames[:n_params]
    annotations = resolve_annotations(fn)
    if "return" not in annotations:
        raise GraphError(
            f"{origin.describe()} has no return type annotation. Annotate what it returns, "
            f"e.g. 'def {fn.__name__}(...) -> int:'."
        )
    defaults = _defaults_by_name(fn, param_names[:n_pos])
    inputs = []
    for pname in param_names:
        if pname not in annotations:
            raise GraphError(
                f"{origin.describe()}: parameter '{pname}' has no type annotation. "
                f"Annotate it, e.g. '{pname}: int'."
            )
        if pname in defaults:
            inputs.append(Dependency(pname, annotations[pname], False, defaults[pname]))
        else:
            inputs.append(Dependency(pname, annotations[pname]))
    return Node(
        name=name if name is not None else fn.__name__,
        type=annotations["return"],
        callable=fn,
        inputs=tuple(inputs),
        kind=NodeKind.FUNCTION,
        tags=MappingProxyType(dict(tags)) if tags else _EMPTY_TAGS,
        documentation=fn.__doc__ or "",
        origin=origin,
        originating_functions=(fn,),
        positional=code.co_kwonlyargcount == 0,
    )


def _defaults_by_name(fn: Callable[..., Any], positional: tuple[str, ...]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    pos_defaults = fn.__defaults__
    if pos_defaults:
        for pname, value in zip(positional[len(positional) - len(pos_defaults) :], pos_defaults):
            defaults[pname] = value
    if fn.__kwdefaults__:
        defaults.update(fn.__kwdefaults__)
    return defaults


def external_node(name: str, type_: Any, consumer: Node) -> Node:
    """The node for an input the caller provides, first seen as a parameter of ``consumer``."""
    return Node(
        name=name,
        type=type_,
        kind=NodeKind.EXTERNAL,
        origin=consumer.origin,
        originating_functions=consumer.originating_functions,
    )
