"""Composition decorators (subdag, pipe_*, step, mutate, with_columns): plait against Hamilton.

The DAG modules ``tests/dags/mod_compose_*.py`` are written against plait and ported to
Hamilton by ``harness.load_dag``. Each module is built by both libraries; the variables they
list and the values they compute must agree, except for the documented deviations below.
"""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import polars as pl
import pytest

from .harness import Impl, assert_mentions, assert_same, both, both_raise, load_dag

# plait tags pipe_output's final node with the user's module; Hamilton with its own.
_HAMILTON_MACROS = "hamilton.function_modifiers.macros"


def load(lib: Impl, name: str) -> types.ModuleType:
    """A ported DAG module; ``mod_compose_subdag`` needs its inner module registered first."""
    if name == "mod_compose_subdag":
        load_dag(lib, "mod_compose_inner")
    return load_dag(lib, name)


def table(dr: Any, module_name: str) -> dict[str, dict[str, Any]]:
    """``list_available_variables`` as comparable rows (documented deviations normalized)."""
    rows = {}
    for v in dr.list_available_variables():
        tags = dict(v.tags)
        if tags.get("module") == _HAMILTON_MACROS:
            tags["module"] = module_name
        funcs = [f.__name__ for f in v.originating_functions or ()]
        rows[v.name] = {
            "type": v.type,
            "tags": tags,
            "external": v.is_external_input,
            "required": set(v.required_dependencies),
            "optional": set(v.optional_dependencies),
            "doc": v.documentation,
            "functions": None if v.is_external_input else funcs,
        }
    return rows


def build(lib: Impl, name: str, config: dict[str, Any] | None = None) -> Any:
    return lib.build(load(lib, name), config=config)


CASES = [
    ("mod_compose_subdag", {}, {}),
    ("mod_compose_pipe", {"scale": "big"}, {"count": 3}),
    ("mod_compose_pipe", {"scale": "small"}, {"count": 3}),
    ("mod_compose_columns", {}, {"label": "L", "factor": 3}),
]


@pytest.mark.parametrize(("name", "config", "inputs"), CASES)
def test_same_variables(impl: Impl, ham: Impl, name: str, config: dict, inputs: dict):
    got, want = both(impl, ham, lambda lib: table(build(lib, name, config), f"dags.{name}"))
    assert sorted(got) == sorted(want)
    for node, row in want.items():
        assert got[node] == row, node


@pytest.mark.parametrize(("name", "config", "inputs"), CASES)
def test_same_values(impl: Impl, ham: Impl, name: str, config: dict, inputs: dict):
    def run(lib: Impl) -> dict[str, Any]:
        dr = build(lib, name, config)
        outputs = sorted(v.name for v in dr.list_available_variables() if not v.is_external_input)
        out = dr.execute(outputs, inputs=inputs)
        return {k: _comparable(v) for k, v in out.items()}

    got, want = both(impl, ham, run)
    assert_same(got, want)


def _comparable(value: Any) -> Any:
    """polars values as plain data (the harness compares pandas/numpy/builtins)."""
    if isinstance(value, pl.DataFrame):
        return ("polars.DataFrame", value.to_dict(as_series=False), str(value.schema))
    if isinstance(value, pl.Series):
        return ("polars.Series", value.name, value.to_list(), str(value.dtype))
    return value


def test_subdag_values(impl: Impl):
    dr = build(impl, "mod_compose_subdag")
    out = dr.execute(["plus_branch", "times_total", "from_functions", "one", "two"])
    # plus: (5*2 + 10) + 1000 + (5 + 1); times: (1*2 + 100) * 1000 + 5; functions: (3*2 + 7) * 3
    assert out == {
        "plus_branch": 1026,
        "times_total": 102005,
        "from_functions": 39,
        "one": 1002,
        "two": 4000,
    }


def test_pipe_values(impl: Impl):
    dr = build(impl, "mod_compose_pipe", {"scale": "big"})
    out = dr.execute(["piped_in", "piped_out", "piped_second", "mutated"], inputs={"count": 3})
    # ((2 + 10) * 3 + 5 + 1) * 100 + 0 + 4 = 4204; then +2, *10, +1 and the mutate step -1000
    assert out == {"piped_in": 4204, "piped_out": 41061, "piped_second": "2:n=3", "mutated": 8}


def test_columns_values(impl: Impl):
    dr = build(impl, "mod_compose_columns")
    out = dr.execute(["pandas_columns", "polars_columns"], inputs={"factor": 3})
    expected = pd.DataFrame(
        {"a": [1, 2, 3], "b": [10, 20, 30], "a_plus_b": [11, 22, 33], "scaled": [33, 66, 99]},
        index=[5, 6, 7],
    )
    pd.testing.assert_frame_equal(out["pandas_columns"], expected)
    polars = out["polars_columns"]
    assert isinstance(polars, pl.DataFrame)
    assert polars.to_dict(as_series=False) == {
        "x": [1, 2],
        "y": [3, 4],
        "pl_sum": [4, 6],
        "pl_twice": [8, 12],
    }


def test_same_variables_without_requested_config(impl: Impl, ham: Impl):
    """A step whose condition reads a missing config key is simply left out."""
    got, want = both(impl, ham, lambda lib: sorted(table(build(lib, "mod_compose_pipe"), "")))
    assert got == want


def test_config_when_originating_functions(impl: Impl, ham: Impl):
    """Inside a subDAG, a @config.when node lists the selected (renamed) function, then the
    subdag function."""

    def run(lib: Impl) -> list[str]:
        dr = build(lib, "mod_compose_subdag")
        (var,) = [v for v in dr.list_available_variables() if v.name == "plus_branch.scored"]
        return [f.__name__ for f in var.originating_functions]

    got, want = both(impl, ham, run)
    assert got == want


# -- misuse: both libraries refuse, plait with a plait error class ----------------------------
_COUNTER = itertools.count()


@pytest.fixture
def module_of() -> Iterator[Callable[..., types.ModuleType]]:
    """``module_of(*fns)``: a throwaway module holding the (already decorated) functions."""
    made: list[str] = []

    def make(*fns: Callable[..., Any]) -> types.ModuleType:
        name = f"compose_case_{next(_COUNTER)}"
        module = types.ModuleType(name)
        for fn in fns:
            fn.__module__ = name
            setattr(module, fn.__name__, fn)
        sys.modules[name] = module
        made.append(name)
        return module

    yield make
    for name in made:
        sys.modules.pop(name, None)


def _fm(lib: Impl) -> types.ModuleType:
    return lib.module("function_modifiers")


def _inc(x: int) -> int:
    return x + 1


def _nothing() -> int:
    return 1


def _to_str(x: str) -> str:
    return x


def _plait_error(exc: BaseException, impl: Impl) -> None:
    if impl.is_plait:
        from plait._model.errors import PlaitError

        assert isinstance(exc, PlaitError), type(exc)


def test_subdag_without_functions(impl: Impl, ham: Impl):
    got, _ = both_raise(impl, ham, lambda lib: _fm(lib).subdag(inputs={}))
    _plait_error(got, impl)


def test_subdag_key_in_inputs_and_config(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)
        return fm.subdag(_inc, inputs={"x": fm.value(1)}, config={"x": 2})

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)


def test_step_without_parameters(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)

        @fm.pipe_input(fm.step(_nothing))
        def f(x: int) -> int:
            return x

        return f

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)
    if impl.is_plait:
        assert_mentions(got, "_nothing", "takes no parameters")


def test_step_arguments_do_not_bind(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)

        @fm.pipe_output(fm.step(_inc, 1, 2))
        def f(x: int) -> int:
            return x

        return f

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)


def test_step_first_parameter_type(impl: Impl, ham: Impl, module_of: Callable[..., Any]):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)

        @fm.pipe_output(fm.step(_to_str))
        def f(x: int) -> int:
            return x

        return lib.build(module_of(f))

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)
    if impl.is_plait:
        assert_mentions(got, "_to_str", "'str'", "'int'")


def test_pipe_output_on_output_both_levels(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)
        return fm.pipe_output(fm.step(_inc).on_output("a"), on_output="b")

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)


def test_pipe_output_on_output_ellipsis(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl, ham, lambda lib: _fm(lib).pipe_output(_fm(lib).step(_inc), on_output=...)
    )
    _plait_error(got, impl)


@pytest.mark.parametrize("option", ["collapse", "_chain"])
def test_unimplemented_options(impl: Impl, ham: Impl, option: str):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)
        return fm.pipe_input(fm.step(_inc), **{option: True})

    got, want = both_raise(impl, ham, run)
    assert isinstance(want, NotImplementedError)
    _plait_error(got, impl)


def test_steps_named_alike(impl: Impl, ham: Impl, module_of: Callable[..., Any]):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)

        @fm.pipe_input(fm.step(_inc).named("same"), fm.step(_inc).named("same"))
        def f(x: int) -> int:
            return x

        return lib.build(module_of(f))

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)
    if impl.is_plait:
        assert_mentions(got, "f.same")


def test_two_subdags_one_namespace(impl: Impl, ham: Impl, module_of: Callable[..., Any]):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)

        @fm.subdag(_inc, inputs={"x": fm.value(1)}, namespace="ns")
        def one(_inc: int) -> int:
            return _inc

        @fm.subdag(_inc, inputs={"x": fm.value(2)}, namespace="ns")
        def two(_inc: int) -> int:
            return _inc

        return lib.build(module_of(one, two))

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)
    if impl.is_plait:
        assert_mentions(got, "ns._inc")


def test_mutate_other_module(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        fm = _fm(lib)
        return fm.mutate(pd.Series.copy)(_inc)  # the target lives in pandas

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)


def _with_columns(lib: Impl) -> Any:
    return lib.module("plugins.h_pandas").with_columns


def test_with_columns_both_modes(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        return _with_columns(lib)(_inc, columns_to_pass=["a"], on_input="df")

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)


def test_with_columns_pass_dataframe_as(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        return _with_columns(lib)(_inc, pass_dataframe_as="df")

    got, want = both_raise(impl, ham, run)
    assert isinstance(want, NotImplementedError)
    _plait_error(got, impl)


def _series_plus(a: pd.Series) -> pd.Series:
    return a + 1


def test_with_columns_select_not_produced(impl: Impl, ham: Impl, module_of: Callable[..., Any]):
    def run(lib: Impl) -> Any:
        @_with_columns(lib)(_series_plus, columns_to_pass=["a"], select=["nope"])
        def out(df: pd.DataFrame) -> pd.DataFrame:
            return df

        return lib.build(module_of(out))

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)
    if impl.is_plait:
        assert_mentions(got, "nope", "_series_plus")


def test_with_columns_column_clashes_with_function(
    impl: Impl, ham: Impl, module_of: Callable[..., Any]
):
    def run(lib: Impl) -> Any:
        @_with_columns(lib)(_series_plus, columns_to_pass=["a", "_series_plus"])
        def out(df: pd.DataFrame) -> pd.DataFrame:
            return df

        return lib.build(module_of(out))

    got, _ = both_raise(impl, ham, run)
    _plait_error(got, impl)


def test_with_columns_missing_column_at_run_time(
    impl: Impl, ham: Impl, module_of: Callable[..., Any]
):
    def run(lib: Impl) -> Any:
        @_with_columns(lib)(_series_plus, columns_to_pass=["a"])
        def out(df: pd.DataFrame) -> pd.DataFrame:
            return df

        dr = lib.build(module_of(out))
        return dr.execute(["out"], inputs={"df": pd.DataFrame({"b": [1]})})

    got, want = both_raise(impl, ham, run)
    assert type(want).__name__ == "InvalidDecoratorException"
    assert type(got).__name__ in {"InvalidDecoratorException", "InvalidDecoratorError"}
    if impl.is_plait:
        assert_mentions(got, "'a'", "columns_to_pass")
        assert_mentions(got, "out")


def test_step_of_a_name(impl: Impl, ham: Impl):
    got, want = both_raise(impl, ham, lambda lib: _fm(lib).apply_to("some_function"))
    assert isinstance(want, TypeError)
    _plait_error(got, impl)
