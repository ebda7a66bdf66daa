"""Expansion decorators (parameterize family, inject, extract_*, unpack_fields, does, resolve):
plait against Hamilton on the same modules.

``tests/dags/mod_expand_*.py`` are written against plait and ported to Hamilton by
``harness.load_dag``. Both libraries build each module; the variables they list and the values
they compute must agree, except for the documented deviations (``docs/decorators/expansion.md``),
each pinned by a test below. The misuse table is ``dags.mod_expand_misuse.CASES``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl
import pytest

from dags import mod_expand_misuse
from dags.mod_expand_misuse import Misuse

from .harness import Impl, assert_same, both, both_raise, load_dag

POWER = "hamilton.enable_power_user_mode"

MODULES = [
    ("mod_expand_params", {}, {"base": 2, "other": 5, "label": "L"}),
    ("mod_expand_split", {"region": "uk"}, {"n": 4}),
    ("mod_expand_split", {"region": "us"}, {"n": 3}),
    ("mod_expand_dynamic", {POWER: True, "windows": [2, 3]}, {"a": 2, "b": 5}),
    ("mod_expand_dynamic", {POWER: True, "windows": [1], "tag_value": "db"}, {"a": 1, "b": 1}),
]


def build(lib: Impl, name: str, config: dict[str, Any]) -> Any:
    return lib.build(load_dag(lib, name), config=config)


def _type(annotation: Any) -> Any:
    """Classes defined in a DAG module exist once per library: compare them by name."""
    module = getattr(annotation, "__module__", "")
    return annotation.__qualname__ if module.startswith("dags.") else annotation


def table(dr: Any) -> dict[str, dict[str, Any]]:
    """``list_available_variables`` as comparable rows, documented deviations normalized:
    a missing docstring is ``""`` in plait (``None`` in Hamilton); only real optional inputs
    have defaults; first and last originating functions (see the config.when xfail in
    ``test_modifiers_compose``)."""
    rows = {}
    for v in dr.list_available_variables():
        optional = set(v.optional_dependencies)
        defaults = v.optional_dependencies_default_values
        funcs = [f.__name__ for f in v.originating_functions or ()]
        rows[v.name] = {
            "type": _type(v.type),
            "tags": dict(v.tags),
            "external": v.is_external_input,
            "required": set(v.required_dependencies),
            "optional": optional,
            "defaults": {k: d for k, d in defaults.items() if k in optional},
            "doc": v.documentation or "",
            "functions": None if v.is_external_input else (funcs[0], funcs[-1]),
        }
    return rows


@pytest.mark.parametrize(("name", "config", "inputs"), MODULES)
def test_same_variables(impl: Impl, ham: Impl, name: str, config: dict, inputs: dict):
    got, want = both(impl, ham, lambda lib: table(build(lib, name, config)))
    assert sorted(got) == sorted(want)
    for node, row in want.items():
        assert got[node] == row, node


def _comparable(value: Any) -> Any:
    if isinstance(value, (pl.DataFrame, pl.Series)):
        frame = value.to_frame() if isinstance(value, pl.Series) else value
        return {"polars": [str(t) for t in frame.dtypes], "data": frame.to_dict(as_series=False)}
    return value


@pytest.mark.parametrize(("name", "config", "inputs"), MODULES)
def test_same_values(impl: Impl, ham: Impl, name: str, config: dict, inputs: dict):
    def run(lib: Impl) -> dict[str, Any]:
        dr = build(lib, name, config)
        outputs = sorted(v.name for v in dr.list_available_variables() if not v.is_external_input)
        return {k: _comparable(v) for k, v in dr.execute(outputs, inputs=inputs).items()}

    got, want = both(impl, ham, run)
    assert_same(got, want)


def test_pinned_values(impl: Impl):
    """A few values spelled out, so both libraries are checked against the documentation."""
    params = build(impl, "mod_expand_params", {})
    out = params.execute(
        ["plus_other", "sum_other_doubled", "listed", "keyed", "greeting_fr"],
        inputs={"base": 2, "other": 5, "label": "L"},
    )
    assert out == {
        "plus_other": 70,
        "sum_other_doubled": 9,
        "listed": 107,
        "keyed": "first,second,third=11",
        "greeting_fr": "bonjour L",
    }
    dyn = build(impl, "mod_expand_dynamic", {POWER: True, "windows": [4]})
    assert dyn.execute(["window_4", "b_times_a", "scaled_a"], inputs={"a": 2, "b": 3}) == {
        "window_4": 8,
        "b_times_a": 6,
        "scaled_a": 6,
    }


# -- misuse ----------------------------------------------------------------------------------
def commit(lib: Impl, case: Misuse) -> Any:
    fm = lib.module("function_modifiers")
    fn = case.make(fm)
    dr = lib.build(lib.ad_hoc_utils.create_temporary_module(fn), config=case.config)
    return dr.execute(list(case.outputs), inputs=case.inputs) if case.outputs else dr


RAISES = [c for c in mod_expand_misuse.CASES if c.hamilton == "raises"]
DEVIATES = [c for c in mod_expand_misuse.CASES if c.hamilton != "raises"]


@pytest.mark.parametrize("case", RAISES, ids=lambda c: c.id)
def test_misuse_raises_like_hamilton(impl: Impl, ham: Impl, case: Misuse):
    got, _want = both_raise(impl, ham, lambda lib: commit(lib, case))
    if impl.is_plait:
        assert type(got).__module__.startswith("plait."), type(got)


@pytest.mark.parametrize("case", DEVIATES, ids=lambda c: c.id)
def test_misuse_hamilton_misses_or_crashes(impl: Impl, case: Misuse):
    """Hamilton silently accepts these (or crashes with an unrelated error); plait refuses."""
    if impl.is_plait:
        with pytest.raises(ValueError, match=r"mod_expand_misuse\.py:\d+"):
            commit(impl, case)
    elif case.hamilton == "silent":
        commit(impl, case)
    else:
        with pytest.raises(BaseException) as info:
            commit(impl, case)
        assert type(info.value).__name__ == case.hamilton


# -- deviations, pinned ----------------------------------------------------------------------
def test_sourced_optional_parameter_left_out(impl: Impl):
    """Hamilton fails with KeyError when a ``source`` feeding an optional parameter is not
    provided; plait lets the parameter's default apply."""
    fm = impl.module("function_modifiers")

    @fm.parameterize(out={"z": fm.source("maybe")})
    def f(x: int, z: int = 3) -> int:
        return x + z

    dr = impl.build(impl.ad_hoc_utils.create_temporary_module(f))
    if impl.is_hamilton:
        with pytest.raises(KeyError, match="maybe"):
            dr.execute(["out"], inputs={"x": 1})
    else:
        assert dr.execute(["out"], inputs={"x": 1}) == {"out": 4}
    assert dr.execute(["out"], inputs={"x": 1, "maybe": 10}) == {"out": 11}


def test_fill_with_and_documented_columns(impl: Impl):
    """With fill_with, Hamilton adds a junk column named by the ``(name, doc)`` tuple."""
    fm = impl.module("function_modifiers")

    @fm.extract_columns("a", ("b", "doc of b"), fill_with=0)
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n], "b": [n]})

    dr = impl.build(impl.ad_hoc_utils.create_temporary_module(frame))
    columns = list(dr.execute(["frame"], inputs={"n": 1})["frame"].columns)
    assert columns == (["a", "b", ("b", "doc of b")] if impl.is_hamilton else ["a", "b"])


def test_fill_with_polars(impl: Impl):
    """Hamilton's polars fill_with fails (it drops the filled frame and asserts, or polars
    refuses to broadcast a one-row Series); plait fills the column."""
    fm = impl.module("function_modifiers")

    @fm.extract_columns("a", "z", fill_with=0)
    def frame(n: int) -> pl.DataFrame:
        return pl.DataFrame({"a": [n, n]})

    dr = impl.build(impl.ad_hoc_utils.create_temporary_module(frame))
    if impl.is_hamilton:
        with pytest.raises((AssertionError, pl.exceptions.InvalidOperationError)):
            dr.execute(["z"], inputs={"n": 1})
    else:
        assert dr.execute(["z"], inputs={"n": 1})["z"].to_list() == [0, 0]


def test_documentation_of_undocumented_parameterized_nodes(impl: Impl):
    """Hamilton gives a parameterized function without docstring ``None`` as documentation
    (a plain function gets ``""``); plait always gives a string."""
    dr = build(impl, "mod_expand_params", {})
    docs = {v.name: v.documentation for v in dr.list_available_variables()}
    assert docs["listed"] == (None if impl.is_hamilton else "")
    assert docs["doubled"] == "Twice the base."


def test_bound_parameter_has_no_default(impl: Impl):
    """Hamilton still lists a default for a parameter bound with ``value(...)`` (no longer an
    input); plait lists defaults of optional inputs only."""
    dr = build(impl, "mod_expand_params", {})
    (row,) = [v for v in dr.list_available_variables() if v.name == "plus_other"]
    assert set(row.optional_dependencies) == set()
    assert row.optional_dependencies_default_values == ({"scale": 1} if impl.is_hamilton else {})
