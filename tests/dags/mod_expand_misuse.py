"""Misuses of the expansion decorators, one case per row of ``docs/decorators/expansion.md``.

Each case's ``make(fm)`` decorates a fresh function with ``fm`` (``plait.function_modifiers`` or
``hamilton.function_modifiers``) and returns it; misuses caught at decoration raise from
``make``. ``when`` says where plait reports it (decorate, build or execute); ``hamilton`` what
Hamilton 1.90 does: ``"raises"`` (plait's error is an instance of the same builtin class),
``"silent"`` (no error: plait deviates) or the name of the builtin it crashes with.

Used by ``tests/unit/test_modifiers_expand.py`` and ``tests/compat/test_modifiers_expand.py``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

import pandas as pd


@dataclass(frozen=True)
class Misuse:
    """One misuse: how to commit it, when plait reports it, what the message says."""

    id: str
    make: Callable[[Any], Callable[..., Any]]
    when: str  # "decorate" | "build" | "execute"
    needles: tuple[str, ...]
    hamilton: str = "raises"
    error: str = "InvalidDecoratorError"
    config: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()

    def line(self) -> int:
        """First line (decorator line) of the decorated function defined in ``make``."""
        consts = self.make.__code__.co_consts
        (code,) = [c for c in consts if isinstance(c, types.CodeType) and c.co_name == "f"]
        return code.co_firstlineno


class Pair(TypedDict):
    a: int
    b: str


def _helper(**values: int) -> int:
    return sum(values.values())


def unknown_parameter(fm: Any) -> Any:
    @fm.parameterize(out={"nope": fm.value(1)})
    def f(x: int) -> int:
        return x

    return f


def source_for_missing_parameter(fm: Any) -> Any:
    @fm.parameterize_sources(out={"missing": "x"})
    def f(x: int) -> int:
        return x

    return f


def inject_unknown_parameter(fm: Any) -> Any:
    @fm.inject(y=fm.source("x"))
    def f(x: int) -> int:
        return x

    return f


def unwrapped_value(fm: Any) -> Any:
    @fm.parameterize(out={"x": 1})
    def f(x: int) -> int:
        return x

    return f


def configuration_in_parameterize(fm: Any) -> Any:
    @fm.parameterize(out={"x": fm.configuration("k")})
    def f(x: int) -> int:
        return x

    return f


def duplicate_outputs(fm: Any) -> Any:
    @fm.parameterize_values(parameter="x", assigned_output={("a", "one"): 1, ("a", "two"): 2})
    def f(x: int) -> int:
        return x

    return f


def output_named_like_parameter(fm: Any) -> Any:
    @fm.parameterize(x={"y": fm.value(1)})
    def f(x: int, y: int) -> int:
        return x + y

    return f


def output_sourced_from_itself(fm: Any) -> Any:
    @fm.parameterize(loop={"y": fm.source("loop")})
    def f(y: int) -> int:
        return y

    return f


def no_outputs(fm: Any) -> Any:
    @fm.parameterize()
    def f(x: int) -> int:
        return x

    return f


def group_not_a_list(fm: Any) -> Any:
    @fm.inject(xs=fm.group(fm.source("a"), fm.source("b")))
    def f(xs: int) -> int:
        return xs

    return f


def reserved_parameter(fm: Any) -> Any:
    @fm.parameterize(out={"output_name": fm.value("a")})
    def f(output_name: str) -> str:
        return output_name

    return f


def bad_docstring(fm: Any) -> Any:
    @fm.parameterize(out={"x": fm.value(1)})
    def f(x: int) -> int:
        """{0} is positional, so it cannot be filled."""
        return x

    return f


def two_expanders(fm: Any) -> Any:
    @fm.parameterize(out={"x": fm.value(1)})
    @fm.inject(x=fm.value(2))
    def f(x: int) -> int:
        return x

    return f


def extract_after_many(fm: Any) -> Any:
    @fm.extract_columns("c")
    @fm.parameterize(a={"x": fm.value(1)}, b={"x": fm.value(2)})
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"c": [x]})

    return f


def no_columns(fm: Any) -> Any:
    @fm.extract_columns()
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"c": [x]})

    return f


def duplicate_columns(fm: Any) -> Any:
    @fm.extract_columns("a", "b", "a")
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [x], "b": [x]})

    return f


def column_named_like_function(fm: Any) -> Any:
    @fm.extract_columns("f", "b")
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"f": [x], "b": [x]})

    return f


def columns_as_list(fm: Any) -> Any:
    @fm.extract_columns(["a", "b"])
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [x], "b": [x]})

    return f


def columns_of_non_frame(fm: Any) -> Any:
    @fm.extract_columns("a")
    def f(x: int) -> dict:
        return {"a": x}

    return f


def missing_column(fm: Any) -> Any:
    @fm.extract_columns("a", "zz")
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [x], "b": [x]})

    return f


def fields_of_non_dict(fm: Any) -> Any:
    @fm.extract_fields({"a": int})
    def f(x: int) -> int:
        return x

    return f


def field_type_mismatch(fm: Any) -> Any:
    @fm.extract_fields({"a": str})
    def f(x: int) -> Pair:
        return {"a": x, "b": "s"}

    return f


def unknown_typeddict_field(fm: Any) -> Any:
    @fm.extract_fields(["a", "c"])
    def f(x: int) -> Pair:
        return {"a": x, "b": "s"}

    return f


def field_not_a_type(fm: Any) -> Any:
    @fm.extract_fields({"a": 3})
    def f(x: int) -> dict:
        return {"a": x}

    return f


def names_for_bare_dict(fm: Any) -> Any:
    @fm.extract_fields(["a"])
    def f(x: int) -> dict:
        return {"a": x}

    return f


def missing_field(fm: Any) -> Any:
    @fm.extract_fields("a", "b")
    def f(x: int) -> dict[str, int]:
        return {"a": x}

    return f


def unpack_non_tuple(fm: Any) -> Any:
    @fm.unpack_fields("a")
    def f(x: int) -> list[int]:
        return [x]

    return f


def unpack_too_many(fm: Any) -> Any:
    @fm.unpack_fields("a", "b", "c")
    def f(x: int) -> tuple[int, int]:
        return (x, x)

    return f


def short_tuple(fm: Any) -> Any:
    @fm.unpack_fields("a", "b", "c")
    def f(x: int) -> tuple[int, ...]:
        return (x, x)

    return f


def does_incompatible(fm: Any) -> Any:
    def _two(a: int, b: int) -> int:
        return a + b

    @fm.does(_two)
    def f(a: int) -> int:
        pass

    return f


def does_with_body(fm: Any) -> Any:
    @fm.does(_helper)
    def f(a: int) -> int:
        return a

    return f


def does_unknown_mapping(fm: Any) -> Any:
    @fm.does(_helper, q="nope")
    def f(a: int) -> int:
        pass

    return f


def resolve_without_power_mode(fm: Any) -> Any:
    @fm.resolve(when=fm.ResolveAt.CONFIG_AVAILABLE, decorate_with=lambda: fm.tag(a="b"))
    def f(x: int) -> int:
        return x

    return f


def resolve_missing_config(fm: Any) -> Any:
    @fm.resolve_from_config(decorate_with=lambda k: fm.tag(a=k))
    def f(x: int) -> int:
        return x

    return f


def resolve_returns_non_decorator(fm: Any) -> Any:
    @fm.resolve_from_config(decorate_with=lambda: lambda fn: fn)
    def f(x: int) -> int:
        return x

    return f


def resolved_second_expander(fm: Any) -> Any:
    @fm.resolve_from_config(decorate_with=lambda: fm.inject(x=fm.value(1)))
    @fm.parameterize(a={"x": fm.value(2)})
    def f(x: int) -> int:
        return x

    return f


def resolved_second_creator(fm: Any) -> Any:
    @fm.resolve_from_config(decorate_with=lambda: fm.does(_helper))
    @fm.does(_helper)
    def f(x: int) -> int:
        pass

    return f


def extract_unknown_parameter(fm: Any) -> Any:
    @fm.parameterize_extract_columns(fm.ParameterizedExtract(("c1",), {"nope": fm.value(1)}))
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"c": [x]})

    return f


def extract_wrong_width(fm: Any) -> Any:
    @fm.parameterize_extract_columns(
        fm.ParameterizedExtract(("c1", "c2", "c3"), {"x": fm.value(1)})
    )
    def f(x: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [x], "b": [x]})

    return f


POWER = {"hamilton.enable_power_user_mode": True}
CASES = [
    Misuse("unknown_parameter", unknown_parameter, "decorate", ("['nope']", "Bind only those")),
    Misuse(
        "source_for_missing_parameter", source_for_missing_parameter, "decorate", ("['missing']",)
    ),
    Misuse("inject_unknown_parameter", inject_unknown_parameter, "decorate", ("['y']",)),
    Misuse("unwrapped_value", unwrapped_value, "decorate", ("value(1)",)),
    Misuse(
        "configuration_in_parameterize",
        configuration_in_parameterize,
        "decorate",
        ("configuration('k')", "value(...) or source(...)"),
        hamilton="silent",
    ),
    Misuse(
        "duplicate_outputs",
        duplicate_outputs,
        "decorate",
        ("['a']", "more than once"),
        hamilton="silent",
    ),
    Misuse(
        "output_named_like_parameter",
        output_named_like_parameter,
        "build",
        ("output 'x' would take itself",),
        hamilton="RecursionError",
        outputs=("x",),
    ),
    Misuse(
        "output_sourced_from_itself",
        output_sourced_from_itself,
        "build",
        ("output 'loop' would take itself",),
        hamilton="RecursionError",
        outputs=("loop",),
    ),
    Misuse("no_outputs", no_outputs, "decorate", ("makes no nodes",), hamilton="silent"),
    Misuse("group_not_a_list", group_not_a_list, "decorate", ("'xs'", "list[T]")),
    Misuse("reserved_parameter", reserved_parameter, "decorate", ("'output_name' is reserved",)),
    Misuse("bad_docstring", bad_docstring, "decorate", ("docstring", "'out'")),
    Misuse("two_expanders", two_expanders, "decorate", ("@inject", "@parameterize", "Keep one")),
    Misuse("extract_after_many", extract_after_many, "build", ("one final node", "found 2")),
    Misuse("no_columns", no_columns, "decorate", ("names no columns",)),
    Misuse("duplicate_columns", duplicate_columns, "decorate", ("['a']", "more than once")),
    Misuse(
        "column_named_like_function",
        column_named_like_function,
        "build",
        ("'f' is both the function's own node",),
    ),
    Misuse("columns_as_list", columns_as_list, "decorate", ("@extract_columns(*names)",)),
    Misuse(
        "columns_of_non_frame",
        columns_of_non_frame,
        "decorate",
        ("returns dict", "pandas.DataFrame"),
    ),
    Misuse(
        "missing_column",
        missing_column,
        "execute",
        ("column 'zz'", "['a', 'b']", "fill_with="),
        inputs={"x": 1},
        outputs=("zz",),
    ),
    Misuse("fields_of_non_dict", fields_of_non_dict, "decorate", ("not a dict",)),
    Misuse("field_type_mismatch", field_type_mismatch, "decorate", ("'a' is str here but int",)),
    Misuse(
        "unknown_typeddict_field",
        unknown_typeddict_field,
        "decorate",
        ("['c']", "Pair"),
        error="DecoratorKeyError",
    ),
    Misuse("field_not_a_type", field_not_a_type, "decorate", ("'a': 3",)),
    Misuse("names_for_bare_dict", names_for_bare_dict, "decorate", ("bare dict",)),
    Misuse(
        "missing_field",
        missing_field,
        "execute",
        ("field 'b'", "['a']", "fill_with="),
        inputs={"x": 1},
        outputs=("b",),
    ),
    Misuse("unpack_non_tuple", unpack_non_tuple, "decorate", ("not a typed tuple",)),
    Misuse("unpack_too_many", unpack_too_many, "decorate", ("3 fields", "2 element(s)")),
    Misuse(
        "short_tuple",
        short_tuple,
        "execute",
        ("element 2 does not exist",),
        inputs={"x": 1},
        outputs=("c",),
    ),
    Misuse("does_incompatible", does_incompatible, "decorate", ("cannot take the arguments",)),
    Misuse("does_with_body", does_with_body, "decorate", ("has a body",)),
    Misuse(
        "does_unknown_mapping",
        does_unknown_mapping,
        "decorate",
        ("['nope']",),
        error="DecoratorKeyError",
    ),
    Misuse(
        "resolve_without_power_mode",
        resolve_without_power_mode,
        "build",
        ("hamilton.enable_power_user_mode",),
        error="PowerUserModeError",
    ),
    Misuse("resolve_missing_config", resolve_missing_config, "build", ("['k']",), config=POWER),
    Misuse(
        "resolve_returns_non_decorator",
        resolve_returns_non_decorator,
        "build",
        ("not a plait decorator",),
        hamilton="AttributeError",
        config=POWER,
    ),
    Misuse(
        "resolved_second_expander",
        resolved_second_expander,
        "build",
        ("2 expanding decorators", "@parameterize, @inject"),
        config=POWER,
    ),
    Misuse(
        "resolved_second_creator",
        resolved_second_creator,
        "build",
        ("2 node-creating decorators", "@does, @does"),
        config=POWER,
    ),
    Misuse(
        "extract_unknown_parameter",
        extract_unknown_parameter,
        "decorate",
        ("['nope']",),
        hamilton="silent",
    ),
    Misuse(
        "extract_wrong_width",
        extract_wrong_width,
        "execute",
        ("['c1', 'c2', 'c3']",),
        outputs=("c1",),
    ),
]
