"""What ``execute`` returns: the legacy DataFrame, the Builder's dict, result builders."""

from __future__ import annotations

import pandas as pd
import pytest

from dags import docs, frames, marketing

from .harness import Impl, assert_same, both, both_raise, raw_execute

SPEND = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0])
SIGNUPS = pd.Series([1, 10, 50, 100, 200])
MARKETING_INPUTS = {"spend": SPEND, "signups": SIGNUPS}
FRAME_INPUTS = {"n_stores": 3, "region": "north"}


# -- legacy Driver: a DataFrame ------------------------------------------------------------------
def test_legacy_driver_returns_dataframe_with_series_and_broadcast_scalars(impl: Impl, ham: Impl):
    wanted = ["spend_rolling", "cost_per_signup", "total_spend", "spend_mean"]

    def run(lib: Impl) -> pd.DataFrame:
        return lib.legacy(marketing).execute(wanted, inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert isinstance(got, pd.DataFrame)
    assert list(got.columns) == wanted  # requested order
    assert got["total_spend"].tolist() == [150.0] * 5  # scalar broadcast to every row
    assert got["spend_rolling"].tolist() == [10.0, 15.0, 20.0, 30.0, 40.0]
    pd.testing.assert_index_equal(got.index, pd.RangeIndex(5))


@pytest.mark.parametrize(
    ("wanted", "columns", "index"),
    [
        pytest.param(
            ["store_frame"], ["sales", "staff"], [0, 1, 2], id="single-frame-returned-as-is"
        ),
        pytest.param(
            ["store_frame", "weekly_totals"],
            [
                "store_frame.sales",
                "store_frame.staff",
                "weekly_totals.sales_x7",
                "weekly_totals.staff_x7",
            ],
            [0, 1, 2],
            id="frames-become-node.col",
        ),
        pytest.param(
            ["sales_per_staff", "weekly_totals", "store_count"],
            ["sales_per_staff", "weekly_totals.sales_x7", "weekly_totals.staff_x7", "store_count"],
            [0, 1, 2],
            id="series-frame-scalar",
        ),
        pytest.param(
            ["sales_per_staff", "late_sales", "store_count", "region_name"],
            ["sales_per_staff", "late_sales", "store_count", "region_name"],
            [0, 1, 2, 3, 4],
            id="mismatched-indexes-outer-join",
        ),
        pytest.param(
            ["late_sales", "weekly_totals"],
            ["late_sales", "weekly_totals.sales_x7", "weekly_totals.staff_x7"],
            [0, 1, 2, 3, 4],
            id="frame-outer-join",
        ),
        pytest.param(
            ["store_frame", "sales"],
            ["store_frame.sales", "store_frame.staff", "sales"],
            [0, 1, 2],
            id="series-named-like-a-frame-column",
        ),
        pytest.param(
            ["store_count", "region_name"],
            ["store_count", "region_name"],
            [0],
            id="scalars-one-row",
        ),
    ],
)
def test_legacy_dataframe_shapes(impl: Impl, ham: Impl, wanted, columns, index):
    def run(lib: Impl) -> pd.DataFrame:
        return lib.legacy(frames).execute(wanted, inputs=FRAME_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)  # values, dtypes, column order and index, exactly
    assert list(got.columns) == columns
    assert got.index.tolist() == index


def test_legacy_outer_join_fills_gaps_with_nan_and_keeps_dtypes(impl: Impl):
    df = impl.legacy(frames).execute(
        ["sales_per_staff", "late_sales", "store_count"], inputs=FRAME_INPUTS
    )
    assert df["late_sales"].isna().tolist() == [True, True, False, False, False]
    assert df["sales_per_staff"].isna().tolist() == [False, False, False, True, True]
    assert df["store_count"].tolist() == [3] * 5
    assert str(df["store_count"].dtype) == "int64"
    assert df.index.name == "store"


def test_legacy_execute_with_no_outputs(impl: Impl, ham: Impl):
    got, want = both(impl, ham, lambda lib: lib.legacy(frames).execute([], inputs=FRAME_INPUTS))
    assert_same(got, want)
    assert got.shape == (1, 0)


# -- Builder: a dict -----------------------------------------------------------------------------
def test_builder_without_result_builder_returns_plain_dict(impl: Impl, ham: Impl):
    wanted = ["total_spend", "spend_zscore", "signups_cumulative"]

    def run(lib: Impl) -> dict:
        return lib.build(marketing).execute(wanted, inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert isinstance(got, dict)
    assert list(got) == wanted
    assert got["total_spend"] == 150.0
    assert got["signups_cumulative"].tolist() == [1, 11, 61, 161, 361]


def test_builder_keeps_dataframe_outputs_whole(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(frames).execute(["store_frame", "store_count"], inputs=FRAME_INPUTS),
    )
    assert_same(got, want)
    assert list(got["store_frame"].columns) == ["sales", "staff"]
    assert got["store_count"] == 3


def test_builder_execute_with_no_outputs(impl: Impl, ham: Impl):
    got, want = both(impl, ham, lambda lib: lib.build(frames).execute([], inputs=FRAME_INPUTS))
    assert_same(got, want)
    assert got == {}


# -- final_vars forms ----------------------------------------------------------------------------
def test_final_vars_may_be_the_functions_themselves(impl: Impl, ham: Impl):
    def run(lib: Impl) -> dict:
        return lib.build(marketing).execute(
            [marketing.spend_share, "total_spend", marketing.cost_per_signup],
            inputs=MARKETING_INPUTS,
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert list(got) == ["spend_share", "total_spend", "cost_per_signup"]


def test_final_vars_may_be_listed_variables(impl: Impl, ham: Impl):
    def run(lib: Impl) -> dict:
        dr = lib.build(marketing)
        chosen = [v for v in dr.list_available_variables() if v.name in {"spend_std", "spend_mean"}]
        return dr.execute(sorted(chosen, key=lambda v: v.name), inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert list(got) == ["spend_mean", "spend_std"]


def test_final_vars_functions_work_with_the_legacy_driver(impl: Impl, ham: Impl):
    def run(lib: Impl) -> pd.DataFrame:
        return lib.legacy(marketing).execute([marketing.spend_share], inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)


def test_duplicated_final_var_is_computed_once(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(marketing).execute(
            ["spend_mean", "spend_mean"], inputs=MARKETING_INPUTS
        ),
    )
    assert_same(got, want)
    assert list(got) == ["spend_mean"]


def test_final_var_function_from_a_module_not_given_is_an_error(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(marketing).execute([docs.temperature_c], inputs=MARKETING_INPUTS),
    )
    assert isinstance(got, ValueError)


def test_unknown_final_var_is_a_value_error(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl, ham, lambda lib: lib.build(marketing).execute(["spend_meen"], inputs=MARKETING_INPUTS)
    )
    assert isinstance(got, ValueError)
    assert "spend_meen" in str(got)


# -- adapters / result builders --------------------------------------------------------------------
def _adapters(lib: Impl, kind: str) -> list:
    base = lib.base
    return {
        "simple-pandas": [base.SimplePythonGraphAdapter(base.PandasDataFrameResult())],
        "pandas": [base.PandasDataFrameResult()],
        "simple-dict": [base.SimplePythonGraphAdapter(base.DictResult())],
        "default": [base.DefaultAdapter()],
        "dict": [base.DictResult()],
    }[kind]


@pytest.mark.parametrize(
    ("kind", "expected_type"),
    [
        ("simple-pandas", pd.DataFrame),
        ("pandas", pd.DataFrame),
        ("simple-dict", dict),
        ("default", dict),
        ("dict", dict),
    ],
)
def test_builder_with_adapters(impl: Impl, ham: Impl, kind: str, expected_type: type):
    def run(lib: Impl):
        dr = lib.build(marketing, adapters=_adapters(lib, kind))
        return dr.execute(["spend_share", "total_spend"], inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert isinstance(got, expected_type)


@pytest.mark.parametrize(
    ("kind", "expected_type"), [("simple-dict", dict), ("default", dict), ("pandas", pd.DataFrame)]
)
def test_legacy_driver_adapter_kwarg(impl: Impl, ham: Impl, kind: str, expected_type: type):
    def run(lib: Impl):
        (adapter,) = _adapters(lib, kind)
        return lib.legacy(marketing, adapter=adapter).execute(
            ["spend_share"], inputs=MARKETING_INPUTS
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert isinstance(got, expected_type)


# numpy itself warns that np.matrix is discouraged; that is the documented output type.
@pytest.mark.filterwarnings(
    "ignore:the matrix subclass is not the recommended way:PendingDeprecationWarning"
)
def test_numpy_matrix_result(impl: Impl, ham: Impl):
    def run(lib: Impl):
        adapter = lib.base.SimplePythonGraphAdapter(lib.base.NumpyMatrixResult())
        dr = lib.build(marketing, adapters=[adapter])
        return dr.execute(["spend_share", "spend_zscore"], inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got.shape == (5, 2)


# -- raw_execute ---------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ["legacy", "builder"])
def test_raw_execute_returns_a_dict_whatever_the_result_builder(impl: Impl, ham: Impl, entry: str):
    def run(lib: Impl) -> dict:
        dr = lib.legacy(marketing) if entry == "legacy" else lib.build(marketing)
        return raw_execute(dr, ["spend_share", "total_spend"], inputs=MARKETING_INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert list(got) == ["spend_share", "total_spend"]


def test_raw_execute_takes_overrides(impl: Impl, ham: Impl):
    def run(lib: Impl) -> dict:
        return raw_execute(
            lib.build(marketing),
            ["spend_zscore"],
            inputs=MARKETING_INPUTS,
            overrides={"spend_std": 10.0},
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got["spend_zscore"].tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]
