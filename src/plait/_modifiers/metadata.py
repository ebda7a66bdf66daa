"""Decorators that attach metadata: ``@tag``, ``@tag_outputs``, ``@schema.output``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._modifiers.base import NodeDecorator, TargetType, where


def _key_ok(key: str, bypass_reserved: bool) -> bool:
    parts = key.split(".")
    if not bypass_reserved and parts[0] in tag.RESERVED_TAG_NAMESPACES:
        return False
    return all(part.isidentifier() for part in parts)


def _value_ok(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) for v in value)
        and len(set(value)) == len(value)
    )


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

    def validate(self, fn: Callable[..., Any]) -> None:
        bad = [
            f"{key}={value!r}"
            for key, value in self.tags.items()
            if not (_key_ok(key, self.bypass_reserved_namespaces) and _value_ok(value))
        ]
        if bad:
            raise InvalidDecoratorError(
                f"@tag on {where(fn)}: invalid tag(s) {', '.join(bad)}. Keys are identifiers "
                "(dots allowed between parts) outside the reserved namespaces "
                f"{list(self.RESERVED_TAG_NAMESPACES)}; values are a string or a non-empty list "
                "of distinct strings."
            )

    def decorate_node(self, node: Node) -> Node:
        return node.copy_with(tags={**node.tags, **self.tags})


class tag_outputs(NodeDecorator):
    """Tag several outputs of one function differently: ``@tag_outputs(a={"k": "v"}, b={...})``."""

    def __init__(self, **tag_mapping: Mapping[str, str | list[str]]) -> None:
        super().__init__(target=...)
        self.tag_mapping = tag_mapping

    def validate(self, fn: Callable[..., Any]) -> None:
        for tags in self.tag_mapping.values():
            tag(**dict(tags)).validate(fn)  # type: ignore[arg-type]  # keys are tag names

    def decorate_node(self, node: Node) -> Node:
        extra = self.tag_mapping.get(node.name)
        if not extra:
            return node
        return node.copy_with(tags={**node.tags, **extra})


class SchemaOutput(tag):
    """``@schema.output(("col", "int"), ...)``: records the output's columns as a tag."""

    def __init__(self, *fields: tuple[str, str], target_: str | None = None) -> None:
        value = ",".join(f"{name}={type_}" for name, type_ in fields)
        super().__init__(
            **{schema.INTERNAL_SCHEMA_OUTPUT_KEY: value},
            target_=target_,
            bypass_reserved_namespaces_=True,
        )

    @classmethod
    def allows_multiple(cls) -> bool:
        return False


class schema:
    """Namespace for ``schema.output``."""

    INTERNAL_SCHEMA_OUTPUT_KEY = "hamilton.internal.schema_output"

    @staticmethod
    def output(*fields: tuple[str, str], target_: str | None = None) -> SchemaOutput:
        """Declare the columns (name, type name) of a dataframe-returning function."""
        return SchemaOutput(*fields, target_=target_)
