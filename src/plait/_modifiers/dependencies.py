"""Where a parameter's value comes from: ``value``, ``source``, ``group``, ``configuration``.

These are plain records used by ``@parameterize``, ``@inject``, ``step`` and ``@subdag``:

* ``value(3)``: the literal 3;
* ``source("orders")``: the output of the node ``orders``;
* ``group(source("a"), value(2))`` / ``group(x=source("a"))``: a list / dict of those;
* ``configuration("region")``: the config value of ``region`` (``@subdag``'s ``config=`` only).

Each record answers ``get_dependency_type()`` with a :class:`ParametrizedDependencySource`,
Hamilton's protocol (other decorators read ``.name`` of that enum, ``.value``, ``.source`` and
``.sources``), so specs built with either library look alike.

Imports only ``plait._model``.
"""

from __future__ import annotations

import abc
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any, Union

from plait._model.errors import InvalidDecoratorError


class DecoratorKeyError(InvalidDecoratorError, KeyError):
    """A decorator names something that does not exist, where Hamilton raised ``KeyError``.

    It is an :class:`InvalidDecoratorError` (so a ``ValueError``) *and* a ``KeyError``, so
    handlers written for either keep working; its text is the message, without ``KeyError``'s
    quotes.
    """

    def __str__(self) -> str:
        return Exception.__str__(self)


class ParametrizedDependencySource(enum.Enum):
    """The kinds of dependency spec (Hamilton's names)."""

    LITERAL = "literal"
    UPSTREAM = "upstream"
    GROUPED_LIST = "grouped_list"
    GROUPED_DICT = "grouped_dict"
    CONFIGURATION = "configuration"


class ParametrizedDependency(abc.ABC):
    """Base of every dependency spec."""

    @abc.abstractmethod
    def get_dependency_type(self) -> ParametrizedDependencySource:
        """Which kind of spec this is."""


class SingleDependency(ParametrizedDependency, abc.ABC):
    """A spec for one value (``value``, ``source``, ``configuration``)."""


@dataclass(frozen=True)
class LiteralDependency(SingleDependency):
    """``value(x)``: the parameter is the constant ``value``."""

    value: Any

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.LITERAL


@dataclass(frozen=True)
class UpstreamDependency(SingleDependency):
    """``source("node")``: the parameter is the output of node ``source``."""

    source: str

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.UPSTREAM


@dataclass(frozen=True)
class ConfigDependency(SingleDependency):
    """``configuration("key")``: the parameter is the config value of ``source``."""

    source: str

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.CONFIGURATION


class GroupedDependency(ParametrizedDependency, abc.ABC):
    """``group(...)``: several single specs gathered into one list or dict parameter."""

    @classmethod
    @abc.abstractmethod
    def resolve_dependency_type(cls, annotated_type: Any, param_name: str) -> Any:
        """The type of one member, read from the parameter's annotation (``list[T]`` → ``T``).

        Raises
        ------
        InvalidDecoratorError
            If the annotation is not a list (dict) type with its element type(s).
        """

    @abc.abstractmethod
    def members(self) -> list[SingleDependency]:
        """The grouped specs, in order."""


@dataclass(frozen=True)
class GroupedListDependency(GroupedDependency):
    """``group(a, b, ...)``: the parameter is the list of the members' values."""

    sources: list[SingleDependency]

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.GROUPED_LIST

    def members(self) -> list[SingleDependency]:
        return list(self.sources)

    @classmethod
    def resolve_dependency_type(cls, annotated_type: Any, param_name: str) -> Any:
        args = _container_args(annotated_type, list)
        if args is None or len(args) != 1:
            raise InvalidDecoratorError(
                f"parameter '{param_name}' takes group(...) of single values, so it must be "
                f"annotated 'list[T]' (T: one member's type), not {_show(annotated_type)}."
            )
        return args[0]


@dataclass(frozen=True)
class GroupedDictDependency(GroupedDependency):
    """``group(k=a, ...)``: the parameter is ``{k: value of a, ...}``."""

    sources: dict[str, SingleDependency]

    def get_dependency_type(self) -> ParametrizedDependencySource:
        return ParametrizedDependencySource.GROUPED_DICT

    def members(self) -> list[SingleDependency]:
        return list(self.sources.values())

    @classmethod
    def resolve_dependency_type(cls, annotated_type: Any, param_name: str) -> Any:
        args = _container_args(annotated_type, dict)
        if args is None or len(args) != 2 or args[0] is not str:
            raise InvalidDecoratorError(
                f"parameter '{param_name}' takes group(key=...) of single values, so it must be "
                f"annotated 'dict[str, T]' (T: one member's type), not {_show(annotated_type)}."
            )
        return args[1]


def _container_args(annotation: Any, container: type) -> tuple[Any, ...] | None:
    """The type arguments of ``container[...]`` (``Optional`` unwrapped); None if it is not one."""
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) != 1:
            return None
        annotation = options[0]
        origin = typing.get_origin(annotation)
    if origin is not container:
        return None
    return typing.get_args(annotation)


def _show(annotation: Any) -> str:
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return f"'{annotation.__qualname__}'"
    return f"'{annotation!r}'"


def value(literal_value: Any) -> LiteralDependency:
    """The parameter is this constant: ``value(3)``, ``value("usd")``."""
    if isinstance(literal_value, LiteralDependency):
        return literal_value
    return LiteralDependency(value=literal_value)


def source(dependency_on: str | UpstreamDependency) -> UpstreamDependency:
    """The parameter is the output of the node with this name: ``source("orders")``."""
    given: object = dependency_on
    if isinstance(given, UpstreamDependency):
        return given
    if not isinstance(given, str):
        hint = getattr(given, "__name__", None)
        fix = f' Write source("{hint}").' if isinstance(hint, str) else ""
        raise InvalidDecoratorError(
            f"source() takes the name of a node (a str); got {type(given).__qualname__}: "
            f"{given!r}.{fix}"
        )
    return UpstreamDependency(source=given)


def configuration(dependency_on: str) -> ConfigDependency:
    """The parameter is the value of this config key (``@subdag(config={...})`` only)."""
    if not isinstance(dependency_on, str):
        raise InvalidDecoratorError(
            f"configuration() takes a config key (a str); got {dependency_on!r}."
        )
    return ConfigDependency(source=dependency_on)


def group(
    *dependency_args: ParametrizedDependency, **dependency_kwargs: ParametrizedDependency
) -> GroupedDependency:
    """Gather specs into one list (``group(a, b)``) or dict (``group(x=a, y=b)``) parameter.

    Members are ``source(...)`` or ``value(...)``. The parameter's annotation says the members'
    type: ``list[T]`` for the positional form, ``dict[str, T]`` for the keyword form.
    """
    if dependency_args and dependency_kwargs:
        raise InvalidDecoratorError(
            "group() makes either a list (positional members) or a dict (keyword members), "
            "not both; split it into two parameters."
        )
    members = [*dependency_args, *dependency_kwargs.values()]
    if not members:
        raise InvalidDecoratorError(
            "group() needs members: group(source('a'), value(1)) or group(x=source('a'))."
        )
    bad = [m for m in members if not isinstance(m, (LiteralDependency, UpstreamDependency))]
    if bad:
        raise InvalidDecoratorError(
            f"group() members must be source(...) or value(...); got {bad!r}. Wrap constants "
            "in value(...) and node names in source(...)."
        )
    if dependency_args:
        return GroupedListDependency(sources=list(dependency_args))  # type: ignore[arg-type]
    return GroupedDictDependency(sources=dict(dependency_kwargs))  # type: ignore[arg-type]
