"""Decorators that attach metadata: ``@tag``, ``@tag_outputs``, ``@schema.output``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._modifiers.base import MODIFIERS_ATTR, NodeDecorator, TargetType, where

#: Dataframe classes ``@schema.output`` describes (and their subclasses): (package, class name).
FRAME_CLASSES = frozenset(
    {
        ("pandas", "DataFrame"),
        ("polars", "DataFrame"),
        ("polars", "LazyFrame"),
        ("geopandas", "GeoDataFrame"),
        ("dask", "DataFrame"),
        ("pyspark", "DataFrame"),
        ("ibis", "Table"),
        ("vaex", "DataFrame"),
    }
)

_RULES = (
    "Tag keys are Python identifiers, optionally joined by dots ('team.owner'), outside the "
    "reserved namespaces {reserved}; values are a string or a non-empty list of distinct strings."
)


def tag_problem(key: Any, value: Any, bypass_reserved: bool = False) -> str | None:
    """Why ``key=value`` is not a valid tag, or None if it is."""
    parts = key.split(".") if isinstance(key, str) else [None]
    if not all(isinstance(part, str) and part.isidentifier() for part in parts):
        return "the key is not identifiers joined by dots"
    if not bypass_reserved and parts[0] in tag.RESERVED_TAG_NAMESPACES:
        return f"'{parts[0]}' is a reserved namespace; bypass_reserved_namespaces_=True allows it"
    if isinstance(value, str):
        return None
    if not isinstance(value, list):
        return f"the value is {type(value).__name__}, not a string or a list of strings"
    if not value:
        return "the list is empty"
    if not all(isinstance(v, str) for v in value):
        return "the list holds values that are not strings"
    repeated = sorted(v for v, count in Counter(value).items() if count > 1)
    return f"the list repeats {repeated}" if repeated else None


def check_tags(who: str, tags: Mapping[Any, Any], bypass_reserved: bool = False) -> None:
    """Raise :class:`InvalidDecoratorError` listing every invalid tag (``who``: the context)."""
    bad = []
    for key, value in tags.items():
        problem = tag_problem(key, value, bypass_reserved)
        if problem is not None:
            bad.append(f"{key}={value!r} ({problem})")
    if bad:
        rules = _RULES.format(reserved=list(tag.RESERVED_TAG_NAMESPACES))
        raise InvalidDecoratorError(f"{who}: invalid tag(s) {'; '.join(bad)}. {rules}")


class tag(NodeDecorator):
    """Attach string tags to the function's nodes: ``@tag(owner="growth", pii="true")``.

    Keys are Python identifiers, optionally dotted (``**{"team.owner": "x"}``); values are a
    string or a non-empty list of distinct strings. Keys under a reserved namespace (``hamilton``,
    ``module``, ``data_quality``, ...) are refused unless ``bypass_reserved_namespaces_=True``.
    ``target_`` chooses the nodes: None = final nodes, ``...`` = all, or names.
    """

    RESERVED_TAG_NAMESPACES = (
        "hamilton",
        "data_quality",
        "gdpr",
        "ccpa",
        "dag",
        "module",
        "ray_remote",
    )

    def __init__(
        self,
        *,
        target_: TargetType = None,
        bypass_reserved_namespaces_: bool = False,
        **tags: str | list[str],
    ) -> None:
        super().__init__(target=target_)
        self.tags = tags
        self.bypass_reserved_namespaces = bypass_reserved_namespaces_
        self._last: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None

    def validate(self, fn: Callable[..., Any]) -> None:
        check_tags(f"@{self.name} on {where(fn)}", self.tags, self.bypass_reserved_namespaces)

    def decorate_node(self, node: Node) -> Node:
        # The nodes of one function usually share one tags mapping: merge it once, share the
        # result (read-only) instead of one new mapping per node.
        last = self._last
        if last is not None and last[0] is node.tags:
            return node.evolve(tags=last[1])
        tags = MappingProxyType({**node.tags, **self.tags})
        self._last = (node.tags, tags)
        return node.evolve(tags=tags)


class tag_outputs(NodeDecorator):
    """Tag several outputs of one function differently: ``@tag_outputs(a={"k": "v"}, b={...})``.

    Every name must be a node the function makes (checked when the graph is built).
    """

    def __init__(self, **tag_mapping: Mapping[str, str | list[str]]) -> None:
        super().__init__(target=...)
        self.tag_mapping = tag_mapping

    def validate(self, fn: Callable[..., Any]) -> None:
        for output, tags in self.tag_mapping.items():
            who = f"@tag_outputs on {where(fn)}, output '{output}'"
            if not isinstance(tags, Mapping):
                raise InvalidDecoratorError(
                    f"{who}: expected a dict of tags, got {type(tags).__name__} {tags!r}. "
                    f'Write {output}={{"key": "value"}}.'
                )
            check_tags(who, tags)

    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        made = {n.name for n in nodes}
        unknown = sorted(set(self.tag_mapping) - made)
        if unknown:
            raise InvalidDecoratorError(
                f"@tag_outputs on {where(fn)}: {unknown} name no node of this function; its "
                f"nodes are {sorted(made)}. Tag only outputs the function makes."
            )
        return super().transform_dag(nodes, config, fn)

    def decorate_node(self, node: Node) -> Node:
        extra = self.tag_mapping.get(node.name)
        if not extra:
            return node
        return node.evolve(tags=MappingProxyType({**node.tags, **extra}))


def _is_field(field: Any) -> bool:
    return isinstance(field, tuple) and len(field) == 2 and all(isinstance(p, str) for p in field)


def is_frame_type(annotation: Any) -> bool:
    """Whether ``annotation`` is (a subclass of) a dataframe class in :data:`FRAME_CLASSES`."""
    for klass in getattr(annotation, "__mro__", ()):
        package = getattr(klass, "__module__", "").partition(".")[0]
        if (package, klass.__qualname__) in FRAME_CLASSES:
            return True
    return False


class SchemaOutput(tag):
    """``@schema.output(("col", "int"), ...)``: records the output's columns as a tag.

    One per function; it applies to a dataframe-returning node (the final one, or ``target_``).
    """

    def __init__(self, *fields: tuple[str, str], target_: str | None = None) -> None:
        self.fields = fields
        ok = all(_is_field(f) for f in fields)
        value = ",".join(f"{name}={type_}" for name, type_ in fields) if ok else ""
        super().__init__(
            **{schema.INTERNAL_SCHEMA_OUTPUT_KEY: value},
            target_=target_,
            bypass_reserved_namespaces_=True,
        )

    @property
    def name(self) -> str:
        return "schema.output"

    def validate(self, fn: Callable[..., Any]) -> None:
        bad = [f for f in self.fields if not _is_field(f)]
        if bad:
            raise InvalidDecoratorError(
                f"@schema.output on {where(fn)}: fields are (column name, type name) pairs of "
                f"strings, got {', '.join(repr(f) for f in bad)}. Write e.g. ('a', 'int')."
            )
        if any(isinstance(d, SchemaOutput) for d in getattr(fn, MODIFIERS_ATTR, ())):
            raise InvalidDecoratorError(
                f"{where(fn)} has two @schema.output; a function has one schema. List all "
                "the columns in one @schema.output(...)."
            )

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        if not is_frame_type(node.type):
            known = ", ".join(f"{package}.{klass}" for package, klass in sorted(FRAME_CLASSES))
            raise InvalidDecoratorError(
                f"@schema.output on {where(fn)}: node '{node.name}' returns "
                f"{getattr(node.type, '__qualname__', node.type)!s}, not a dataframe ({known}). "
                "Put it on a function returning a dataframe, or pick its frame node with "
                "target_=."
            )
        return [self.decorate_node(node)]

    @classmethod
    def allows_multiple(cls) -> bool:
        return True  # one @schema.output per function (see validate); @tag may sit either side


class schema:
    """Namespace for ``schema.output``."""

    INTERNAL_SCHEMA_OUTPUT_KEY = "hamilton.internal.schema_output"

    @staticmethod
    def output(*fields: tuple[str, str], target_: str | None = None) -> SchemaOutput:
        """Declare the columns (name, type name) of a dataframe-returning function."""
        return SchemaOutput(*fields, target_=target_)
