"""Misuses of the metadata decorators, one case per row of ``docs/decorators/metadata.md``.

Each case's ``make(fm)`` decorates fresh functions with ``fm`` (``plait.function_modifiers`` or
``hamilton.function_modifiers``) and returns them; misuses caught at decoration raise from
``make``. ``when`` says where plait reports it (decorate or build); ``hamilton`` what Hamilton
1.90 does: ``"raises"`` (plait's error is an instance of the same builtin class),
``"silent"`` (no error: plait deviates) or the name of the builtin it fails with instead.

:class:`Misuse` and :func:`module_of` are shared with ``mod_config_misuse``. Used by
``tests/unit/test_modifiers_{metadata,config}.py`` and ``tests/compat/test_modifiers_*.py``.
"""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Misuse:
    """One misuse: how to commit it, when plait reports it, what the message says."""

    id: str
    make: Callable[[Any], Sequence[Callable[..., Any]]]
    when: str  # "decorate" | "build"
    needles: tuple[str, ...]
    hamilton: str = "raises"
    error: str = "InvalidDecoratorError"
    config: dict[str, Any] = field(default_factory=dict)

    def lines(self) -> list[int]:
        """The first (decorator) line of every function ``make`` defines: each must be named."""
        consts = self.make.__code__.co_consts
        codes = [c for c in consts if isinstance(c, types.CodeType) and c.co_name != "<lambda>"]
        return [code.co_firstlineno for code in codes]


_COUNTER = itertools.count()


def module_of(functions: Sequence[Callable[..., Any]]) -> types.ModuleType:
    """A fresh module holding ``functions`` as they are (``_`` names included)."""
    name = f"dags.misuse_case_{next(_COUNTER)}"
    module = types.ModuleType(name)
    for fn in functions:
        fn.__module__ = name
        setattr(module, fn.__name__, fn)
    sys.modules[name] = module
    return module


def invalid_key(fm: Any) -> Any:
    @fm.tag(**{"team owner": "kim"})
    def f(x: int) -> int:
        return x

    return [f]


def empty_key_part(fm: Any) -> Any:
    @fm.tag(**{"team..owner": "kim"})
    def f(x: int) -> int:
        return x

    return [f]


def reserved_namespace(fm: Any) -> Any:
    @fm.tag(**{"hamilton.owner": "kim"})
    def f(x: int) -> int:
        return x

    return [f]


def non_string_value(fm: Any) -> Any:
    @fm.tag(level=3)
    def f(x: int) -> int:
        return x

    return [f]


def empty_list(fm: Any) -> Any:
    @fm.tag(kinds=[])
    def f(x: int) -> int:
        return x

    return [f]


def duplicate_list_values(fm: Any) -> Any:
    @fm.tag(kinds=["a", "b", "a"])
    def f(x: int) -> int:
        return x

    return [f]


def target_names_no_node(fm: Any) -> Any:
    @fm.tag(owner="kim", target_="clicks")
    @fm.extract_columns("click", "views")
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"click": [x], "views": [x]})

    return [f]


def tag_outputs_invalid_tag(fm: Any) -> Any:
    @fm.tag_outputs(f={"module": "mine"})
    def f(x: int) -> int:
        return x

    return [f]


def tag_outputs_not_a_dict(fm: Any) -> Any:
    @fm.tag_outputs(f="owner")
    def f(x: int) -> int:
        return x

    return [f]


def tag_outputs_unknown_output(fm: Any) -> Any:
    @fm.tag_outputs(clicks={"owner": "kim"})
    @fm.extract_columns("click", "views")
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"click": [x], "views": [x]})

    return [f]


def schema_of_non_frame(fm: Any) -> Any:
    @fm.schema.output(("a", "int"))
    def f(x: int) -> int:
        return x

    return [f]


def two_schemas(fm: Any) -> Any:
    @fm.schema.output(("b", "int"))
    @fm.schema.output(("a", "int"))
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [x], "b": [x]})

    return [f]


def schema_field_not_strings(fm: Any) -> Any:
    @fm.schema.output(("a", int))
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [x]})

    return [f]


def private_function(fm: Any) -> Any:
    @fm.tag(owner="kim")
    def _f(x: int) -> int:
        return x

    return [_f]


CASES = [
    Misuse("invalid_key", invalid_key, "decorate", ("team owner='kim'", "not identifiers")),
    Misuse("empty_key_part", empty_key_part, "decorate", ("team..owner='kim'", "not identifiers")),
    Misuse(
        "reserved_namespace",
        reserved_namespace,
        "decorate",
        ("'hamilton' is a reserved namespace", "bypass_reserved_namespaces_=True"),
    ),
    Misuse("non_string_value", non_string_value, "decorate", ("level=3 (the value is int",)),
    Misuse("empty_list", empty_list, "decorate", ("kinds=[] (the list is empty)",)),
    Misuse(
        "duplicate_list_values",
        duplicate_list_values,
        "decorate",
        ("the list repeats ['a']",),
    ),
    Misuse(
        "target_names_no_node",
        target_names_no_node,
        "build",
        ("target ['clicks'] names no node", "['click', 'f', 'views']"),
    ),
    Misuse(
        "tag_outputs_invalid_tag",
        tag_outputs_invalid_tag,
        "decorate",
        ("@tag_outputs", "output 'f'", "'module' is a reserved namespace"),
        hamilton="silent",
    ),
    Misuse(
        "tag_outputs_not_a_dict",
        tag_outputs_not_a_dict,
        "decorate",
        ("expected a dict of tags, got str",),
    ),
    Misuse(
        "tag_outputs_unknown_output",
        tag_outputs_unknown_output,
        "build",
        ("['clicks'] name no node", "['click', 'f', 'views']"),
        hamilton="silent",
    ),
    Misuse(
        "schema_of_non_frame",
        schema_of_non_frame,
        "build",
        ("node 'f' returns int, not a dataframe",),
    ),
    Misuse("two_schemas", two_schemas, "decorate", ("two @schema.output",)),
    Misuse(
        "schema_field_not_strings",
        schema_field_not_strings,
        "decorate",
        ("pairs of strings", "('a', <class 'int'>)"),
        hamilton="silent",
    ),
    Misuse(
        "private_function",
        private_function,
        "build",
        ("starts with '_'", "carries @tag"),
        hamilton="silent",
    ),
]
