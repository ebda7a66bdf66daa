"""``@extract_fields`` (dict / ``TypedDict`` results) and ``@unpack_fields`` (tuple results).

Like ``@extract_columns`` (:mod:`plait._modifiers.columns`, whose helpers this module shares):
the function's own node stays, and one node per field reads its value at run time. Field types
come from the decorator or from the return annotation, and are checked against each other when
the function is decorated.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Collection
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._model.types import custom_subclass_check, resolve_annotations
from plait._modifiers.base import SingleNodeNodeTransformer, where
from plait._modifiers.columns import (
    check_part_names,
    check_unique,
    part_node,
    type_name,
    with_post,
)
from plait._modifiers.dependencies import DecoratorKeyError

_DICT_HINT = (
    "Annotate the return type as dict (and pass {name: type}), dict[str, T] (and pass names) "
    "or a TypedDict."
)


def _is_typeddict(annotation: Any) -> bool:
    return (
        isinstance(annotation, type)
        and issubclass(annotation, dict)
        and hasattr(annotation, "__total__")
        and hasattr(annotation, "__required_keys__")
    )


def _is_type(annotation: Any) -> bool:
    """A class, ``Any``, a parameterized generic or a union: usable as a node type."""
    return (
        isinstance(annotation, type)
        or annotation is Any
        or typing.get_origin(annotation) is not None
    )


def fields_to_extract(fields: Any, output_type: Any, fn: Callable[..., Any]) -> dict[str, Any]:
    """``{field: type}`` that ``@extract_fields(fields)`` makes nodes of, for ``output_type``."""
    context = f"@extract_fields on {where(fn)}"
    if isinstance(fields, list):
        check_unique(fields, fn, "extract_fields", "field")
    if output_type is dict:
        if not isinstance(fields, dict):
            raise InvalidDecoratorError(
                f"{context}: it returns a bare dict, so the field types are unknown; pass "
                'them: @extract_fields({"a": int, "b": str}), or annotate dict[str, T].'
            )
    elif typing.get_origin(output_type) is dict:
        fields = _generic_dict_fields(fields, output_type, context)
    elif _is_typeddict(output_type):
        fields = _typeddict_fields(fields, output_type, context)
    else:
        raise InvalidDecoratorError(
            f"{context}: it returns {type_name(output_type)}, not a dict. {_DICT_HINT}"
        )
    if not fields:
        raise InvalidDecoratorError(f"{context} names no fields. {_DICT_HINT}")
    bad = [
        f"{name!r}: {type_!r}"
        for name, type_ in fields.items()
        if not isinstance(name, str) or not _is_type(type_)
    ]
    if bad:
        raise InvalidDecoratorError(
            f"{context}: fields must map names (str) to types; these do not: {', '.join(bad)}."
        )
    return dict(fields)


def _generic_dict_fields(fields: Any, output_type: Any, context: str) -> Any:
    args = typing.get_args(output_type)
    if len(args) != 2:
        raise InvalidDecoratorError(
            f"{context}: the return type {output_type!r} needs two type parameters, e.g. "
            "dict[str, int]."
        )
    if fields is None:
        raise InvalidDecoratorError(
            f'{context}: name the fields to extract: @extract_fields("a", "b") (typed '
            f'{args[1]!r} by the annotation) or @extract_fields({{"a": int}}).'
        )
    return dict.fromkeys(fields, args[1]) if isinstance(fields, list) else fields


def _typeddict_fields(fields: Any, output_type: Any, context: str) -> dict[str, Any]:
    declared = typing.get_type_hints(output_type)
    if fields is None:
        return declared
    names = list(fields)
    unknown = [name for name in names if name not in declared]
    if unknown:
        error = DecoratorKeyError if isinstance(fields, list) else InvalidDecoratorError
        raise error(
            f"{context}: {unknown} are not fields of {output_type.__qualname__}, whose fields "
            f"are {list(declared)}. Extract some of those, or add the field to the TypedDict."
        )
    if not isinstance(fields, dict):
        return {name: declared[name] for name in names}
    wrong = [
        f"'{name}' is {type_name(given)} here but {type_name(declared[name])} in the TypedDict"
        for name, given in fields.items()
        if given != declared[name] and not custom_subclass_check(given, declared[name])
    ]
    if wrong:
        raise InvalidDecoratorError(
            f"{context}: field types disagree with {output_type.__qualname__}: "
            f"{'; '.join(wrong)}. Use the TypedDict's types (or list just the names)."
        )
    return dict(fields)


class extract_fields(SingleNodeNodeTransformer):  # lowercase: Hamilton's public name
    """One node per field of the dict a function returns, plus the dict itself.

    ``@extract_fields({"a": int, "b": str})`` (any dict return), ``@extract_fields("a", "b")``
    (``dict[str, T]`` or ``TypedDict`` return: types come from the annotation), or
    ``@extract_fields()`` (``TypedDict``: all its fields). ``fill_with`` adds missing fields.
    """

    def __init__(
        self,
        fields: dict[str, Any] | list[str] | Any | None = None,
        *others: str,
        fill_with: Any = None,
    ) -> None:
        super().__init__()
        if isinstance(fields, list):
            fields = [*fields, *others]
        elif fields and not isinstance(fields, dict):
            fields = [fields, *others]
        self.fields = fields
        self.fill_with = fill_with

    def validate(self, fn: Callable[..., Any]) -> None:
        fields_to_extract(self.fields, resolve_annotations(fn).get("return"), fn)

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        fields = fields_to_extract(self.fields, node.type, fn)
        check_part_names(list(fields), node, fn, self.name)
        out = [node if self.fill_with is None else self._filling(node, list(fields))]
        for field, type_ in fields.items():
            read = _field_reader(field, node, fn)
            out.append(part_node(node, field, type_, node.documentation, read))
        return out

    def _filling(self, node: Node, wanted: list[str]) -> Node:
        fill_with = self.fill_with

        def fill(result: Any) -> Any:
            for field in wanted:
                if field not in result:
                    result[field] = fill_with  # in place, as Hamilton does
            return result

        return with_post(node, fill)


def _field_reader(field: str, node: Node, fn: Callable[..., Any]) -> Callable[[Any], Any]:
    def read(result: Any) -> Any:
        try:
            return result[field]
        except KeyError:
            raise InvalidDecoratorError(
                f"@extract_fields: field '{field}' is not in the dict that {where(fn)} returned "
                f"for node '{node.name}'; it has {list(result)}. Return that field, or pass "
                "fill_with= to @extract_fields to create it."
            ) from None

    return read


def fields_to_unpack(fields: list[str], output_type: Any, fn: Callable[..., Any]) -> list[Any]:
    """The types of the first ``len(fields)`` elements of a ``tuple[...]`` return type."""
    context = f"@unpack_fields on {where(fn)}"
    args = typing.get_args(output_type)
    if typing.get_origin(output_type) is not tuple:
        raise InvalidDecoratorError(
            f"{context}: it returns {type_name(output_type)}, not a typed tuple. Annotate the "
            "return type as tuple[int, str] (one type per element) or tuple[int, ...]."
        )
    if Ellipsis in args:
        if len(args) != 2 or args[1] is not Ellipsis:
            raise InvalidDecoratorError(
                f"{context}: in {output_type!r}, '...' may only follow a single type, as in "
                "tuple[int, ...]."
            )
        args = (args[0],) * len(fields)
    if len(args) < len(fields):
        raise InvalidDecoratorError(
            f"{context}: {len(fields)} fields {fields} but {output_type!r} has {len(args)} "
            "element(s). Unpack at most that many, or extend the annotation."
        )
    bad = [
        f"{fields[i]} ({arg!r})" for i, arg in enumerate(args[: len(fields)]) if not _is_type(arg)
    ]
    if bad:
        raise InvalidDecoratorError(
            f"{context}: these elements of {output_type!r} are not types: {', '.join(bad)}."
        )
    return list(args[: len(fields)])


class unpack_fields(SingleNodeNodeTransformer):  # lowercase: Hamilton's public name
    """One node per element of the tuple a function returns, plus the tuple itself.

    ``@unpack_fields("a", "b") def f(...) -> tuple[int, str]``; ``tuple[T, ...]`` gives every
    field the type ``T``. Fields are taken from the front, so there may be fewer names than
    elements.
    """

    def __init__(self, *fields: str) -> None:
        super().__init__()
        self.fields = list(fields)

    def validate(self, fn: Callable[..., Any]) -> None:
        self._field_types(resolve_annotations(fn).get("return"), fn)

    def _field_types(self, annotation: Any, fn: Callable[..., Any]) -> list[Any]:
        if not self.fields:
            raise InvalidDecoratorError(
                f"@unpack_fields on {where(fn)} names no fields. Name one per tuple element "
                'you want as a node: @unpack_fields("a", "b").'
            )
        check_unique(self.fields, fn, self.name, "field")
        return fields_to_unpack(self.fields, annotation, fn)

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        types_ = self._field_types(node.type, fn)
        check_part_names(self.fields, node, fn, self.name)
        out = [node]
        for index, (field, type_) in enumerate(zip(self.fields, types_, strict=True)):
            read = _item_reader(index, node, fn)
            out.append(part_node(node, field, type_, node.documentation, read))
        return out


def _item_reader(index: int, node: Node, fn: Callable[..., Any]) -> Callable[[Any], Any]:
    def read(result: Any) -> Any:
        try:
            return result[index]
        except IndexError:
            raise InvalidDecoratorError(
                f"@unpack_fields: {where(fn)} returned {len(result)} element(s) for node "
                f"'{node.name}', so element {index} does not exist. Return a longer tuple or "
                "unpack fewer fields."
            ) from None

    return read
