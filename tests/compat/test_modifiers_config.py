"""Configuration decorators (``@config.when`` and siblings, ``config(predicate)``,
``@hamilton_exclude``): plait against Hamilton on the same module.

``tests/dags/mod_config_variants.py`` is written against plait and ported to Hamilton by
``harness.load_dag``. Both libraries build it under several configs (keys missing included);
the variables they list (tags, originating functions) and the values they compute must agree.
Deviations (``docs/decorators/configuration.md``) are pinned below; the misuse table is
``dags.mod_config_misuse.CASES``.
"""

from __future__ import annotations

from typing import Any

import pytest

from dags import mod_config_misuse
from dags.mod_meta_misuse import Misuse, module_of

from .harness import Impl, assert_same, both, both_raise, load_dag

CONFIGS = [
    {"region": "uk", "vat": True},
    {"region": "uk"},
    {"region": "us", "discount": 0.1},
    {"region": "ca", "vat": True, "tier": "gold"},
    {"region": "fr"},
    {},
]
IDS = ["uk-vat", "uk", "us-discount", "ca-vat-gold", "fr", "empty"]


def build(lib: Impl, config: dict[str, Any]) -> Any:
    return lib.build(load_dag(lib, "mod_config_variants"), config=config)


def table(dr: Any) -> dict[str, dict[str, Any]]:
    """``list_available_variables`` as comparable rows (an input's originating functions,
    its first consumer's in Hamilton, are left out)."""
    return {
        v.name: {
            "type": v.type,
            "tags": dict(v.tags),
            "external": v.is_external_input,
            "required": set(v.required_dependencies),
            "optional": set(v.optional_dependencies),
            "functions": None
            if v.is_external_input
            else [f.__name__ for f in v.originating_functions or ()],
        }
        for v in dr.list_available_variables()
    }


@pytest.mark.parametrize("config", CONFIGS, ids=IDS)
def test_same_variables(impl: Impl, ham: Impl, config: dict):
    got, want = both(impl, ham, lambda lib: table(build(lib, config)))
    assert sorted(got) == sorted(want)
    for name, row in want.items():
        assert got[name] == row, name


@pytest.mark.parametrize("config", CONFIGS, ids=IDS)
def test_same_values(impl: Impl, ham: Impl, config: dict):
    def run(lib: Impl) -> dict[str, Any]:
        dr = build(lib, config)
        outputs = sorted(v.name for v in dr.list_available_variables() if not v.is_external_input)
        return dr.execute(outputs, inputs={"base": 100.0})

    got, want = both(impl, ham, run)
    assert_same(got, want)


BASE = ["fee_large", "fee_small", "label", "price", "support"]
TOTALS = ["gross", "net", "totals"]
COMPUTED = {
    "uk-vat": sorted([*BASE, *TOTALS, "tax"]),
    "uk": sorted([*BASE, *TOTALS, "tax"]),
    "us-discount": sorted([*BASE, *TOTALS, "tax", "discounted"]),
    "ca-vat-gold": sorted([*BASE, *TOTALS]),
    "fr": sorted([*BASE, "tax"]),
    "empty": sorted([*BASE, "tax"]),
}


@pytest.mark.parametrize("config", CONFIGS, ids=IDS)
def test_pinned_selection(impl: Impl, config: dict):
    """Which nodes exist under each config, spelled out. A key missing from the config reads
    as None: ``when(region=...)`` is then not selected, ``when_not``/``when_not_in`` are, and
    a node none of whose variants is selected is simply absent (``tax`` for ca-vat-gold,
    ``net``/``gross`` for fr)."""
    dr = build(impl, config)
    computed = sorted(v.name for v in dr.list_available_variables() if not v.is_external_input)
    assert computed == COMPUTED[IDS[CONFIGS.index(config)]]
    names = {v.name for v in dr.list_available_variables()}
    assert not names & {"helper", "ignored", "ignored__uk", "price__uk", "british_label"}


def test_pinned_values_and_config_tags(impl: Impl):
    dr = build(impl, {"region": "uk", "vat": True})
    out = dr.execute(
        ["price", "tax", "label", "support", "fee_large", "gross"], inputs={"base": 100.0}
    )
    assert out["price"] == 120.0 and out["tax"] == 24.0 and out["label"] == "GBP 120.00"
    assert out["support"] == "basic" and out["fee_large"] == 10.0
    assert out["gross"].tolist() == [144.0]
    tags = {v.name: v.tags for v in dr.list_available_variables()}
    assert tags["price"]["hamilton.config"] == "region"
    assert tags["tax"]["hamilton.config"] == "region,vat"
    assert tags["gross"]["hamilton.config"] == "region"
    assert tags["fee_small"]["owner"] == "pricing"
    assert "hamilton.config" not in tags["base"]
    custom = build(impl, {"region": "us", "discount": 0.5})
    (var,) = [v for v in custom.list_available_variables() if v.name == "discounted"]
    assert var.tags["hamilton.config"] == "__UNKNOWN__"
    assert custom.execute(["discounted"], inputs={"base": 100.0}) == {
        "discounted": pytest.approx(55.0)
    }
    gold = build(impl, {"region": "ca", "tier": "gold"})
    assert gold.execute(["support"], inputs={"base": 1.0}) == {"support": "premium-gold"}


def test_when_not_in_name_is_a_config_key(impl: Impl, ham: Impl):
    """``when``/``when_not``/``when_in`` read ``name=`` as the node's name; ``when_not_in``
    takes no ``name=``, so there ``name`` is a config key (as in Hamilton)."""
    fm = impl.module("function_modifiers")

    @fm.config.when_not_in(name=["hidden"])
    def shown__v(x: int) -> int:
        return x

    module = module_of([shown__v])
    assert "shown" in {
        v.name for v in impl.build(module, config={"name": "x"}).list_available_variables()
    }
    assert "shown" not in {
        v.name for v in impl.build(module, config={"name": "hidden"}).list_available_variables()
    }


# -- misuse ----------------------------------------------------------------------------------
def commit(lib: Impl, case: Misuse) -> Any:
    fm = lib.module("function_modifiers")
    return lib.build(module_of(case.make(fm)), config=case.config)


RAISES = [c for c in mod_config_misuse.CASES if c.hamilton == "raises"]
DEVIATES = [c for c in mod_config_misuse.CASES if c.hamilton != "raises"]


@pytest.mark.parametrize("case", RAISES, ids=lambda c: c.id)
def test_misuse_raises_like_hamilton(impl: Impl, ham: Impl, case: Misuse):
    got, _want = both_raise(impl, ham, lambda lib: commit(lib, case))
    if impl.is_plait:
        assert type(got).__module__.startswith("plait."), type(got)


@pytest.mark.parametrize("case", DEVIATES, ids=lambda c: c.id)
def test_misuse_hamilton_accepts_or_lacks(impl: Impl, case: Misuse):
    """Hamilton silently accepts these (or lacks the API); plait refuses, naming the function's
    file:line."""
    if impl.is_plait:
        with pytest.raises((ValueError, TypeError), match=r"mod_config_misuse\.py:\d+"):
            commit(impl, case)
    elif case.hamilton == "silent":
        commit(impl, case)
    else:
        with pytest.raises(BaseException) as info:
            commit(impl, case)
        assert type(info.value).__name__ == case.hamilton


# -- deviations, pinned ----------------------------------------------------------------------
def test_no_variant_selected_and_config_default(impl: Impl):
    """With no variant selected, the node is absent in both (here it becomes an input). plait's
    ``@config.default`` supplies a variant for that case; Hamilton has no such decorator."""
    fm = impl.module("function_modifiers")

    @fm.config.when(region="uk")
    def vat__uk(x: int) -> float:
        return 0.2

    def total(x: int, vat: float) -> float:
        return x * (1 + vat)

    dr = impl.build(module_of([vat__uk, total]), config={"region": "fr"})
    vat = [v for v in dr.list_available_variables() if v.name == "vat"]
    assert [v.is_external_input for v in vat] == [True]
    if impl.is_hamilton:
        assert not hasattr(fm.config, "default")
        return

    @fm.config.default()
    def vat__standard(x: int) -> float:
        return 0.1

    for region, expected in (("fr", 110.0), ("uk", 120.0)):
        module = module_of([vat__uk, vat__standard, total])
        dr = impl.build(module, config={"region": region})
        assert dr.execute(["total"], inputs={"x": 100}) == {"total": pytest.approx(expected)}


def test_hamilton_exclude_called(impl: Impl):
    """``hamilton_exclude`` is an instance (used bare) in both; plait also accepts
    ``@hamilton_exclude()``, which Hamilton refuses with ``TypeError``."""
    fm = impl.module("function_modifiers")

    def helper(x: int) -> int:
        return x

    if impl.is_hamilton:
        with pytest.raises(TypeError):
            fm.hamilton_exclude()(helper)
        return
    dr = impl.build(module_of([fm.hamilton_exclude()(helper)]))
    assert dr.list_available_variables() == []


def test_the_decorated_function_keeps_its_name(impl: Impl):
    """Hamilton renames the decorated function in place when it is selected; plait resolves a
    renamed copy and leaves the user's function alone."""
    fm = impl.module("function_modifiers")

    @fm.config.when(region="uk")
    def rate__uk(x: int) -> int:
        return x

    dr = impl.build(module_of([rate__uk]), config={"region": "uk"})
    assert dr.execute(["rate"], inputs={"x": 3}) == {"rate": 3}
    assert rate__uk.__name__ == ("rate" if impl.is_hamilton else "rate__uk")
