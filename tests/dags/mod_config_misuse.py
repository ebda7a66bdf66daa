"""Misuses of the configuration decorators, one case per row of
``docs/decorators/configuration.md``. Same shape as ``mod_meta_misuse`` (see there);
``hamilton="AttributeError"`` marks plait-only API (``config.default``).
"""

from __future__ import annotations

from typing import Any

from dags.mod_meta_misuse import Misuse


def name_ends_with_dunder(fm: Any) -> Any:
    @fm.config.when(region="uk")
    def f__(x: int) -> int:
        return x

    return [f__]


def two_variants_selected(fm: Any) -> Any:
    @fm.config.when(region="uk")
    def f__uk(x: int) -> int:
        return x

    @fm.config.when_in(region=["uk", "ie"])
    def f__islands(x: int) -> int:
        return -x

    return [f__uk, f__islands]


def private_variant(fm: Any) -> Any:
    @fm.config.when(region="uk")
    def _f__uk(x: int) -> int:
        return x

    return [_f__uk]


def values_as_a_string(fm: Any) -> Any:
    @fm.config.when_in(region="uk")
    def f__uk(x: int) -> int:
        return x

    return [f__uk]


def values_not_a_collection(fm: Any) -> Any:
    @fm.config.when_not_in(size=3)
    def f__small(x: int) -> int:
        return x

    return [f__small]


def predicate_not_callable(fm: Any) -> Any:
    @fm.config("uk")
    def f__uk(x: int) -> int:
        return x

    return [f__uk]


def name_not_a_string(fm: Any) -> Any:
    @fm.config.when(name=3, region="uk")
    def f__uk(x: int) -> int:
        return x

    return [f__uk]


def two_defaults(fm: Any) -> Any:
    @fm.config.default()
    def f__a(x: int) -> int:
        return x

    @fm.config.default()
    def f__b(x: int) -> int:
        return -x

    return [f__a, f__b]


UK = {"region": "uk"}
CASES = [
    Misuse("name_ends_with_dunder", name_ends_with_dunder, "decorate", ("ends with '__'",)),
    Misuse(
        "two_variants_selected",
        two_variants_selected,
        "build",
        ("Node 'f' is defined twice", "f__uk'", "f__islands'"),
        error="DuplicateNodeError",
        config=UK,
    ),
    Misuse(
        "private_variant",
        private_variant,
        "build",
        ("starts with '_'", "carries @config.when"),
        hamilton="silent",
        config=UK,
    ),
    Misuse(
        "values_as_a_string",
        values_as_a_string,
        "decorate",
        ("region='uk' must list the values", "substrings"),
        hamilton="silent",
        error="DecoratorArgumentTypeError",
        config=UK,
    ),
    Misuse(
        "values_not_a_collection",
        values_not_a_collection,
        "decorate",
        ("@config.when_not_in", "size=3 must list the values"),
        error="DecoratorArgumentTypeError",
    ),
    Misuse(
        "predicate_not_callable",
        predicate_not_callable,
        "decorate",
        ("expected a predicate over the config", "'uk'"),
        error="DecoratorArgumentTypeError",
    ),
    Misuse(
        "name_not_a_string",
        name_not_a_string,
        "decorate",
        ("name= gives the node's name", "got 3"),
        error="DecoratorArgumentTypeError",
        config=UK,
    ),
    Misuse(
        "two_defaults",
        two_defaults,
        "build",
        ("Node 'f' is defined twice", "f__a'", "f__b'"),
        hamilton="AttributeError",
        error="DuplicateNodeError",
    ),
]
