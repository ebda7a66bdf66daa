"""Configuration decorators as pure transforms (function + config in, function or nodes out)
and end to end.

``@config.when`` / ``when_not`` / ``when_in`` / ``when_not_in``, ``config(predicate)``,
plait's ``@config.default``, ``@hamilton_exclude``. The misuse table of
``docs/decorators/configuration.md`` is ``dags.mod_config_misuse.CASES``: one test per row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import plait.function_modifiers as fm
from dags import mod_config_misuse
from dags.mod_meta_misuse import Misuse, module_of
from plait import driver
from plait._model.crawl import drop_shadowed_defaults
from plait._model.errors import DuplicateNodeError, InvalidDecoratorError
from plait._modifiers import configuration
from plait._modifiers.base import MODIFIERS_ATTR, filter_config
from plait._modifiers.resolve import resolve_function
from plait._modifiers.step import DecoratorArgumentTypeError
from plait.function_modifiers import base as fm_base
from plait.function_modifiers import config, extract_columns, hamilton_exclude, parameterize, tag

ROOT = Path(__file__).parents[2]
DEFAULT = configuration.CONFIG_DEFAULT_TAG


def price__uk(base: float) -> float:
    """Price in the UK."""
    return base * 1.2


def nodes_of(fn: Any, cfg: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """``{node: tags without module}`` of ``fn`` under ``cfg``."""
    return {
        n.name: {k: v for k, v in n.tags.items() if k != "module"}
        for n in resolve_function(fn, cfg or {})
    }


def build(*functions: Any, cfg: dict[str, Any] | None = None) -> Any:
    return driver.Builder().with_modules(module_of(functions)).with_config(cfg or {}).build()


# -- resolution as a transform ---------------------------------------------------------------
def test_resolve_returns_a_renamed_copy_and_leaves_the_function_alone():
    decorator = config.when(region="uk")
    chosen = decorator.resolve(price__uk, {"region": "uk"})
    assert chosen is not None and chosen is not price__uk
    assert chosen.__name__ == "price" and chosen.__original_name__ == "price__uk"
    assert chosen.__plait_original__ is price__uk and chosen.__config_decorated__ == ["region"]
    assert chosen.__doc__ == "Price in the UK." and chosen(10.0) == 12.0
    assert price__uk.__name__ == "price__uk" and not hasattr(price__uk, "__config_decorated__")
    assert decorator.resolve(price__uk, {"region": "us"}) is None


@pytest.mark.parametrize(
    ("name", "node"),
    [("price__uk", "price"), ("price__uk__v2", "price__uk"), ("price", "price")],
)
def test_node_name_is_the_text_before_the_last_double_underscore(name: str, node: str):
    assert configuration.sanitize_function_name(name) == node
    assert fm_base.sanitize_function_name(name) == node


def test_name_sets_the_node_name():
    chosen = config.when(name="label", region="uk").resolve(price__uk, {"region": "uk"})
    assert chosen is not None and chosen.__name__ == "label"


MISSING = object()
SELECTION = [
    # decorator, {config value of x: selected?}; MISSING = x absent from the config
    (lambda: config.when(x=1), {MISSING: False, 1: True, 2: False, None: False}),
    (lambda: config.when(x=None), {MISSING: True, 1: False, None: True}),
    (lambda: config.when_not(x=1), {MISSING: True, 1: False, 2: True}),
    (lambda: config.when_in(x=[1, 2]), {MISSING: False, 1: True, 2: True, 3: False}),
    (lambda: config.when_in(x=[1, None]), {MISSING: True, 1: True, 3: False}),
    (lambda: config.when_not_in(x=[1, 2]), {MISSING: True, 1: False, 2: False, 3: True}),
    (lambda: config(lambda cfg: cfg.get("x", 0) > 1), {MISSING: False, 1: False, 2: True}),
    (lambda: config.default(), {MISSING: True, 1: True}),
]


SELECTION_IDS = [
    "when",
    "when-None",
    "when_not",
    "when_in",
    "when_in-None",
    "when_not_in",
    "custom",
    "default",
]


@pytest.mark.parametrize(("make", "table"), SELECTION, ids=SELECTION_IDS)
def test_selection_with_missing_keys(make: Any, table: dict[Any, bool]):
    """A key missing from the config reads as None (the decorator sees only its own keys)."""
    decorator = make()

    def f__v(n: int) -> int:
        return n

    for x, selected in table.items():
        cfg = {"other": 1} if x is MISSING else {"x": x, "other": 1}
        chosen = decorator.resolve(f__v, filter_config(cfg, decorator))
        assert (chosen is not None) is selected, (x, selected)


def test_several_keys_must_all_match():
    decorator = config.when(region="uk", vat=True)
    assert decorator.resolve(price__uk, {"region": "uk", "vat": True}) is not None
    assert decorator.resolve(price__uk, {"region": "uk", "vat": None}) is None
    assert config.when_not(region="uk", vat=True).resolve(price__uk, {"region": "us"}) is not None


def test_declared_config_keys():
    assert config.when(a=1, b=2).required_config() == []
    assert config.when(a=1, b=2).optional_config() == {"a": None, "b": None}
    custom = config(lambda cfg: True)
    assert custom.required_config() is None and custom.optional_config() is None
    assert filter_config({"a": 1, "z": 3}, custom) == {"a": 1, "z": 3}
    assert config.default().optional_config() == {}


def test_decorator_names():
    names = [
        config.when(a=1).name,
        config.when_not(a=1).name,
        config.when_in(a=[1]).name,
        config.when_not_in(a=[1]).name,
        config(lambda cfg: True).name,
        config.default().name,
    ]
    assert names == [
        "config.when",
        "config.when_not",
        "config.when_in",
        "config.when_not_in",
        "config",
        "config.default",
    ]


# -- the hamilton.config tag -----------------------------------------------------------------
def test_config_tag_lists_the_keys():
    @config.when(region="uk", vat=True)
    def tax__uk(price: float) -> float:
        return price

    @config(lambda cfg: True)
    def tax__custom(price: float) -> float:
        return price

    assert nodes_of(tax__uk, {"region": "uk", "vat": True}) == {
        "tax": {"hamilton.config": "region,vat"}
    }
    assert nodes_of(tax__custom) == {"tax": {"hamilton.config": "__UNKNOWN__"}}
    assert nodes_of(tax__uk, {"region": "us"}) == {}


def test_stacked_config_decorators_all_apply():
    """As in Hamilton: every resolver must select; the tag lists the upper one's keys."""

    @config.when(x=1)
    @config.when(y=2)
    def f__v(n: int) -> int:
        return n

    assert nodes_of(f__v, {"x": 1, "y": 2}) == {"f": {"hamilton.config": "x"}}
    assert nodes_of(f__v, {"x": 1}) == {}


# -- combined with other decorators, in either order -----------------------------------------
def test_with_tag_parameterize_and_extract_columns_in_either_order():
    @tag(owner="pricing")
    @config.when(region="uk")
    @parameterize(fee_small={"size": fm.value(1)}, fee_large={"size": fm.value(10)})
    def fees__uk(base: float, size: int) -> float:
        return base * size

    @parameterize(fee_small={"size": fm.value(1)}, fee_large={"size": fm.value(10)})
    @config.when(region="uk")
    @tag(owner="pricing")
    def fees__uk2(base: float, size: int) -> float:
        return base * size

    @extract_columns("net")
    @config.when(region="uk")
    def totals__uk(base: float) -> pd.DataFrame:
        return pd.DataFrame({"net": [base]})

    @config.when(region="uk")
    @extract_columns("net")
    def totals__uk2(base: float) -> pd.DataFrame:
        return pd.DataFrame({"net": [base]})

    uk = {"region": "uk"}
    fees = {"hamilton.config": "region", "owner": "pricing"}
    assert (
        nodes_of(fees__uk, uk) == nodes_of(fees__uk2, uk) == {"fee_small": fees, "fee_large": fees}
    )
    totals = {"hamilton.config": "region"}
    assert (
        nodes_of(totals__uk, uk) == nodes_of(totals__uk2, uk) == {"totals": totals, "net": totals}
    )
    assert nodes_of(totals__uk, {}) == nodes_of(fees__uk2, {}) == {}


def test_tag_target_names_the_renamed_node():
    @tag(t="v", target_="price")
    @config.when(region="uk")
    def price__uk2(base: float) -> float:
        return base

    assert nodes_of(price__uk2, {"region": "uk"}) == {
        "price": {"hamilton.config": "region", "t": "v"}
    }


# -- @config.default (plait) -----------------------------------------------------------------
def vat__uk(base: float) -> float:
    return 0.2


def test_default_variant_tag_and_shadowing():
    @config.default()
    def vat__standard(base: float) -> float:
        return 0.1

    assert nodes_of(vat__standard) == {"vat": {DEFAULT: "true"}}  # no hamilton.config tag
    config.when(region="uk")(vat__uk)
    uk = [*resolve_function(vat__uk, {"region": "uk"}), *resolve_function(vat__standard, {})]
    assert [n.name for n in drop_shadowed_defaults(uk)] == ["vat"]
    assert DEFAULT not in drop_shadowed_defaults(uk)[0].tags
    assert build(vat__uk, vat__standard, cfg={"region": "uk"}).execute(
        ["vat"], inputs={"base": 1.0}
    ) == {"vat": 0.2}
    assert build(vat__uk, vat__standard, cfg={"region": "fr"}).execute(
        ["vat"], inputs={"base": 1.0}
    ) == {"vat": 0.1}
    assert build(vat__standard).execute(["vat"], inputs={"base": 1.0}) == {"vat": 0.1}


def test_default_variant_with_a_name():
    @config.default(name="rate")
    def standard_rate(base: float) -> float:
        return 0.1

    @config.when(name="rate", region="uk")
    def uk_rate(base: float) -> float:
        return 0.2

    assert build(standard_rate, uk_rate, cfg={"region": "uk"}).execute(
        ["rate"], inputs={"base": 1.0}
    ) == {"rate": 0.2}
    assert nodes_of(standard_rate) == {"rate": {DEFAULT: "true"}}


def test_default_variant_is_dropped_as_a_whole():
    """Even the nodes only the default makes (here column ``c``) go when another is selected."""

    @extract_columns("a", "b", "c")
    @config.default()
    def frame__full(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n], "b": [n], "c": [n]})

    @extract_columns("a", "b")
    @config.when(mode="lite")
    def frame__lite(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n], "b": [n]})

    dr = build(frame__full, frame__lite, cfg={"mode": "lite"})
    assert "c" not in {v.name for v in dr.list_available_variables()}
    full = build(frame__full, frame__lite)
    assert full.execute(["c"], inputs={"n": 2})["c"].tolist() == [2]


# -- @hamilton_exclude -----------------------------------------------------------------------
def test_hamilton_exclude_bare_and_called():
    assert isinstance(hamilton_exclude, configuration.hamilton_exclude)
    assert hamilton_exclude() is hamilton_exclude

    @hamilton_exclude
    def bare(n: int) -> int:
        return n

    @hamilton_exclude()
    def called(n: int) -> int:
        return n

    def kept(n: int) -> int:
        return n

    assert resolve_function(bare, {}) == [] and resolve_function(called, {}) == []
    assert bare(3) == 3  # still an ordinary function
    names = {v.name for v in build(bare, called, kept).list_available_variables()}
    assert names == {"kept", "n"}


# -- end to end ------------------------------------------------------------------------------
def test_end_to_end_module_and_execute_by_function():
    from dags import mod_config_variants as mod

    dr = driver.Builder().with_modules(mod).with_config({"region": "uk", "vat": True}).build()
    out = dr.execute(["price", "gross", "label", "fee_small"], inputs={"base": 100.0})
    assert out["price"] == 120.0 and out["gross"].tolist() == [144.0]
    assert out["label"] == "GBP 120.00" and out["fee_small"] == 1.0
    assert dr.execute([mod.price__uk], inputs={"base": 10.0}) == {"price": 12.0}
    us = driver.Builder().with_modules(mod).with_config({"region": "us"}).build()
    assert us.execute(["price", "tax"], inputs={"base": 100.0}) == {
        "price": pytest.approx(110.0),
        "tax": 0.0,
    }


def ends_badly__(n: int) -> int:
    return n


def test_decorating_validates_right_away():
    with pytest.raises(InvalidDecoratorError, match="ends with '__'"):
        config.when(x=1)(ends_badly__)
    assert not hasattr(ends_badly__, MODIFIERS_ATTR)


# -- the misuse table ------------------------------------------------------------------------
ERRORS = {
    "InvalidDecoratorError": InvalidDecoratorError,
    "DecoratorArgumentTypeError": DecoratorArgumentTypeError,
    "DuplicateNodeError": DuplicateNodeError,
}


def commit(case: Misuse) -> tuple[str, Exception]:
    """Commit the misuse with plait: the phase that raised, and the error."""
    phase = "decorate"
    try:
        functions = case.make(fm)
        phase = "build"
        build(*functions, cfg=case.config)
    except Exception as exc:
        return phase, exc
    pytest.fail(f"{case.id}: no error")


@pytest.mark.parametrize("case", mod_config_misuse.CASES, ids=lambda c: c.id)
def test_misuse_fails_early_and_names_the_function(case: Misuse):
    phase, error = commit(case)
    assert isinstance(error, ERRORS[case.error]), f"{type(error).__name__}: {error}"
    assert phase == case.when, f"{case.id}: raised at {phase}, documented {case.when}"
    text = "\n".join([str(error), *getattr(error, "__notes__", ())])
    for needle in case.needles:
        assert needle in text, f"{case.id}: {needle!r} not in {text!r}"
    for line in case.lines():
        assert f"{Path(mod_config_misuse.__file__).name}:{line}" in text, text


def test_argument_errors_are_type_errors():
    assert issubclass(DecoratorArgumentTypeError, TypeError)
    assert issubclass(DecoratorArgumentTypeError, InvalidDecoratorError)


def test_decorators_are_recorded_not_applied():
    def f__v(n: int) -> int:
        return n

    decorator = config.when(x=1)
    assert decorator(f__v) is f__v and getattr(f__v, MODIFIERS_ATTR) == [decorator]
    assert f__v.__name__ == "f__v"


def test_every_misuse_row_is_documented():
    text = (ROOT / "docs" / "decorators" / "configuration.md").read_text()
    missing = [c.id for c in mod_config_misuse.CASES if f"`{c.id}`" not in text]
    assert not missing, f"rows missing from configuration.md: {missing}"


def test_docs_page_shows_the_example_and_its_real_output():
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_docs", ROOT / "docs/tools/check_docs.py")
    assert spec is not None and spec.loader is not None
    check_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_docs)
    page = ROOT / "docs" / "decorators" / "configuration.md"
    script = ROOT / "docs" / "examples" / "decorators_configuration.py"
    assert check_docs.check(page, script, check_docs._sources()) == []
