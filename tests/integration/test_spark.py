"""plugins.h_spark on a real local Spark session (``local[2]``, the ``spark_session`` fixture of
tests/conftest.py, started once per test session): ``with_columns`` / ``select`` /
``require_columns`` through a plait driver, compared with the same computation in pandas;
misuse fails with a message naming the function and the fix."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import pytest

pyspark_sql = pytest.importorskip("pyspark.sql")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from pyspark.sql import Column, DataFrame  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from plait import ad_hoc_utils, driver  # noqa: E402
from plait._model.errors import (  # noqa: E402
    InputTypeError,
    InvalidDecoratorError,
)
from plait.htypes import column  # noqa: E402
from plait.plugins import h_spark  # noqa: E402

pytestmark = [
    pytest.mark.spark,
    # pyspark 4.3 warns on every pandas conversion that it does not fully support pandas 3
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

RAW = pd.DataFrame(
    {"spend": [10.0, 20.0, 30.0, 40.0], "signups": [1, 4, 2, 5], "region": ["n", "s", "n", "e"]}
)


# -- the group's functions (sent to Spark's workers by value: their module is made in memory) --


def spend_per_signup(spend: pd.Series, signups: pd.Series) -> column[pd.Series, float]:
    """A pandas UDF."""
    return spend / signups


def spend_capped(spend: pd.Series) -> column[pd.Series, float]:
    """Element-wise, as a pandas UDF must be: Spark hands it the column in batches."""
    return spend.clip(upper=25.0)


def signups_plus(signups: int, bonus: int) -> int:
    """A row UDF; ``bonus`` is not a column: an input of the dataflow, bound to its value."""
    return signups + bonus


def region_label(region: str, signups_plus: int) -> str:
    """A row UDF reading a column made by another function of the group."""
    return f"{region}:{signups_plus}"


@h_spark.require_columns("spend", "signups")
def spend_minus_signups(df: DataFrame) -> Column:
    """A DataFrame function returning a Column: becomes the column of its name."""
    return df["spend"] - df["signups"]


def spend_doubled(spend: DataFrame) -> DataFrame:
    """A DataFrame function: its one DataFrame parameter names the column it reads."""
    return spend.withColumn("spend_doubled", F.col("spend") * 2)


def raw(spark: Any) -> DataFrame:
    return spark.createDataFrame(RAW)


def _expected() -> pd.DataFrame:
    """The same columns computed in pandas, with bonus = 100."""
    out = RAW.copy()
    out["spend_per_signup"] = RAW.spend / RAW.signups
    out["spend_capped"] = RAW.spend.clip(upper=25.0)
    out["signups_plus"] = RAW.signups + 100
    out["region_label"] = RAW.region + ":" + out.signups_plus.astype(str)
    out["spend_minus_signups"] = RAW.spend - RAW.signups
    out["spend_doubled"] = RAW.spend * 2
    return out


ALL = [
    spend_per_signup,
    spend_capped,
    signups_plus,
    region_label,
    spend_minus_signups,
    spend_doubled,
]


def _module(*fns: Any) -> ModuleType:
    return ad_hoc_utils.create_temporary_module(*fns)


def _pandas(df: DataFrame) -> pd.DataFrame:
    """Collect a small Spark DataFrame (rows keep their order: no shuffle happened)."""
    return pd.DataFrame([row.asDict() for row in df.collect()], columns=df.columns)


def _flow(decorator: Any, raw_node: bool = True) -> ModuleType:
    """A dataflow module: ``final``, decorated, and ``raw`` (from the ``spark`` input) unless
    ``raw_node`` is false (then ``raw`` is an input)."""

    def final(raw: DataFrame) -> DataFrame:
        return raw

    return _module(raw, decorator(final)) if raw_node else _module(decorator(final))


def _run(spark: Any, decorator: Any, output: str = "final", **inputs: Any) -> DataFrame:
    dr = driver.Builder().with_modules(_flow(decorator)).build()
    result = dr.execute([output], inputs={"spark": spark, "bonus": 100, **inputs})
    frame = result[output]
    assert isinstance(frame, DataFrame)
    return frame


# -- results ---------------------------------------------------------------------------------


def test_with_columns_computes_what_pandas_computes(spark_session):
    group = _module(*ALL)
    decorator = h_spark.with_columns(group, columns_to_pass=["spend", "signups", "region"])
    got = _pandas(_run(spark_session, decorator))
    expected = _expected()
    pd.testing.assert_frame_equal(got[list(expected.columns)], expected, check_dtype=False)


def test_column_types_follow_the_annotations(spark_session):
    decorator = h_spark.with_columns(_module(*ALL), columns_to_pass=["spend", "signups", "region"])
    types = dict(_run(spark_session, decorator).dtypes)
    assert types == {
        "spend": "double",
        "signups": "bigint",
        "region": "string",
        "spend_per_signup": "double",  # column[pd.Series, float]: float is double, as in Python
        "spend_capped": "double",
        "signups_plus": "bigint",  # int is 64-bit
        "region_label": "string",
        "spend_minus_signups": "double",
        "spend_doubled": "double",
    }


def test_nodes_are_namespaced_and_chained_in_dependency_order(spark_session):
    decorator = h_spark.with_columns(
        _module(*ALL), columns_to_pass=["spend", "signups", "region"], select=["region_label"]
    )
    dr = driver.Builder().with_modules(_flow(decorator)).build()
    deps = {
        v.name: sorted(v.required_dependencies)
        for v in dr.list_available_variables()
        if v.name.startswith("final")
    }
    # Hamilton's names: <function>.<name>, and "_select" dropping the unselected columns
    assert deps == {
        "final": ["final._select"],
        "final.signups_plus": ["bonus", "raw"],
        "final.region_label": ["final.signups_plus", "raw"],
        "final._select": ["final.region_label"],
    }
    frame = _pandas(dr.execute(["final"], inputs={"spark": spark_session, "bonus": 1})["final"])
    assert list(frame.columns) == ["spend", "signups", "region", "region_label"]
    assert list(frame.region_label) == ["n:2", "s:5", "n:3", "e:6"]


def test_an_inner_node_is_the_frame_so_far(spark_session):
    decorator = h_spark.with_columns(_module(*ALL), columns_to_pass=["spend", "signups", "region"])
    frame = _run(spark_session, decorator, output="final.signups_plus")
    assert frame.columns == ["spend", "signups", "region", "signups_plus"]


def test_select_mode_keeps_only_the_selected_columns_in_order(spark_session):
    decorator = h_spark.with_columns(
        _module(*ALL),
        columns_to_pass=["spend", "signups", "region"],
        select=["spend_capped", "spend_per_signup"],
        mode="select",
    )
    got = _pandas(_run(spark_session, decorator))
    expected = _expected()[["spend_capped", "spend_per_signup"]]
    pd.testing.assert_frame_equal(got, expected)


def test_the_select_decorator_is_select_mode(spark_session):
    decorator = h_spark.select(
        _module(*ALL), columns_to_pass=["spend", "signups", "region"], output_cols=["signups_plus"]
    )
    assert _pandas(_run(spark_session, decorator)).signups_plus.tolist() == [101, 104, 102, 105]


def with_rank(df: DataFrame) -> DataFrame:
    return df.withColumn("rank", F.row_number().over(_window()))


def _window() -> Any:
    from pyspark.sql import Window

    return Window.orderBy(F.col("spend").desc())


def top(with_rank: DataFrame, n_top: int) -> DataFrame:
    """Takes the frame after ``with_rank`` (a function of the group) and an input."""
    return with_rank.where(F.col("rank") <= n_top)


def test_pass_dataframe_as_gives_functions_the_frame(spark_session):
    decorator = h_spark.with_columns(_module(with_rank, top), pass_dataframe_as="df")
    got = _pandas(_run(spark_session, decorator, n_top=2))
    assert got.spend.tolist() == [40.0, 30.0]
    assert got["rank"].tolist() == [1, 2]


def test_one_group_twice_under_two_namespaces(spark_session):
    group = _module(signups_plus)

    def low(raw: DataFrame) -> DataFrame:
        return raw

    def high(raw: DataFrame) -> DataFrame:
        return raw

    flow = _module(
        raw,
        h_spark.with_columns(group, columns_to_pass=["signups"], namespace="low_ns")(low),
        h_spark.with_columns(group, columns_to_pass=["signups"], namespace="high_ns")(high),
    )
    dr = driver.Builder().with_modules(flow).build()
    assert {"low_ns.signups_plus", "high_ns.signups_plus"} <= {
        v.name for v in dr.list_available_variables()
    }
    out = dr.execute(["low", "high"], inputs={"spark": spark_session, "bonus": 7})
    assert _pandas(out["high"]).signups_plus.tolist() == [8, 11, 9, 12]


def test_functions_from_modules_the_workers_cannot_import_travel_by_value(spark_session):
    source = (
        "import pandas as pd\n"
        "from plait.htypes import column\n"
        "def _helper(x):\n"
        "    return x * 3\n"
        "def tripled(spend: pd.Series) -> column[pd.Series, float]:\n"
        "    return _helper(spend)\n"
    )
    group = ad_hoc_utils.module_from_source(source)
    try:
        decorator = h_spark.with_columns(group, columns_to_pass=["spend"])
        got = _pandas(_run(spark_session, decorator))
    finally:
        sys.modules.pop(group.__name__, None)
    assert got.tripled.tolist() == [30.0, 60.0, 90.0, 120.0]


# -- mistakes found when the driver is built -------------------------------------------------


def _build(decorator: Any) -> None:
    driver.Builder().with_modules(_flow(decorator)).build()


def test_columns_to_pass_or_pass_dataframe_as_is_needed():
    with pytest.raises(InvalidDecoratorError, match=r"columns_to_pass=\[\.\.\.\].*pass_dataframe"):
        h_spark.with_columns(_module(signups_plus))


def test_an_unknown_mode_is_refused():
    with pytest.raises(InvalidDecoratorError, match=r"mode='merge'.*'append'.*'select'"):
        h_spark.with_columns(_module(signups_plus), columns_to_pass=["a"], mode="merge")


def test_select_must_name_functions_of_the_group():
    decorator = h_spark.with_columns(
        _module(signups_plus), columns_to_pass=["signups"], select=["signup_plus"]
    )
    with pytest.raises(InvalidDecoratorError, match=r"\['signup_plus'\] is not one.*signups_plus"):
        _build(decorator)


def returns_a_plain_series(spend: pd.Series) -> pd.Series:
    return spend


def mixes_kinds(spend: pd.Series, signups: int) -> column[pd.Series, float]:
    return spend


def series_not_a_column(spend: pd.Series, other: pd.Series) -> column[pd.Series, float]:
    return spend


def returns_an_object(signups: int) -> object:
    return signups


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        (returns_a_plain_series, r"returns_a_plain_series.*htypes\.column\[pd\.Series, T\]"),
        (mixes_kinds, r"mixes pd\.Series columns \['spend'\] with scalar columns \['signups'\]"),
        (series_not_a_column, r"\['other'\] are pd\.Series but not columns.*columns_to_pass"),
        (returns_an_object, r"returns_an_object.*No Spark type for <class 'object'>"),
    ],
    ids=["plain-series-return", "mixed-columns", "stray-series", "unsupported-return"],
)
def test_udfs_that_cannot_become_spark_columns_fail_at_build(fn, message):
    decorator = h_spark.with_columns(_module(fn), columns_to_pass=["spend", "signups"])
    with pytest.raises(InvalidDecoratorError, match=message):
        _build(decorator)


def test_a_function_cannot_shadow_a_passed_column():
    def signups(signups_plus: int) -> int:
        return signups_plus

    decorator = h_spark.with_columns(_module(signups), columns_to_pass=["signups"])
    with pytest.raises(InvalidDecoratorError, match=r"\['signups'\] are both in columns_to_pass"):
        _build(decorator)


def test_required_columns_must_be_known():
    decorator = h_spark.with_columns(_module(spend_minus_signups), columns_to_pass=["spend"])
    with pytest.raises(InvalidDecoratorError, match=r"requires columns \['signups'\]"):
        _build(decorator)


def joins(df: DataFrame, other: DataFrame) -> DataFrame:
    return df


def test_a_function_taking_two_frames_must_say_which_it_transforms():
    decorator = h_spark.with_columns(_module(joins), pass_dataframe_as="df")
    with pytest.raises(InvalidDecoratorError, match=r"several DataFrames \['df', 'other'\]"):
        _build(decorator)


def test_the_decorated_parameter_must_be_a_spark_frame():
    def final(raw: pd.DataFrame) -> pd.DataFrame:
        return raw

    decorator = h_spark.with_columns(_module(signups_plus), columns_to_pass=["signups"])
    with pytest.raises(InvalidDecoratorError, match=r"'raw' is annotated DataFrame.*h_pandas"):
        decorator(final)


def test_require_columns_wants_a_frame_first():
    def not_a_frame(spend: float) -> float:
        return spend

    with pytest.raises(InvalidDecoratorError, match=r"first parameter must be the Spark"):
        h_spark.require_columns("spend")(not_a_frame)


# -- mistakes found when it runs -------------------------------------------------------------


def test_a_missing_column_names_the_function_and_the_frame(spark_session):
    decorator = h_spark.with_columns(
        _module(spend_per_signup), columns_to_pass=["spend", "signups"]
    )
    dr = driver.Builder().with_modules(_flow(decorator, raw_node=False)).build()
    frame = spark_session.createDataFrame(RAW.drop(columns=["signups"]))
    with pytest.raises(InvalidDecoratorError) as info:
        dr.execute(["final"], inputs={"raw": frame})
    assert "function 'spend_per_signup'" in str(info.value)
    assert "reads columns ['signups'], which the DataFrame does not have; it has " in str(
        info.value
    )


def test_a_pandas_frame_is_refused_as_input(spark_session):
    decorator = h_spark.with_columns(_module(signups_plus), columns_to_pass=["signups"])
    dr = driver.Builder().with_modules(_flow(decorator, raw_node=False)).build()
    with pytest.raises(InputTypeError, match="raw"):
        dr.execute(["final"], inputs={"raw": RAW, "bonus": 1})


def pandas_raw(spark: Any) -> DataFrame:
    """Claims a Spark DataFrame, returns pandas."""
    return RAW  # type: ignore[return-value]


def test_a_pandas_frame_from_a_node_is_refused_with_a_hint(spark_session):
    def final(pandas_raw: DataFrame) -> DataFrame:
        return pandas_raw

    decorator = h_spark.with_columns(_module(signups_plus), columns_to_pass=["signups"])
    dr = driver.Builder().with_modules(_module(pandas_raw, decorator(final))).build()
    with pytest.raises(InvalidDecoratorError, match=r"is a pandas.*DataFrame, not a pyspark"):
        dr.execute(["final"], inputs={"spark": spark_session, "bonus": 1})


def frame_as_number(df: DataFrame) -> DataFrame:
    return 3  # type: ignore[return-value]


def test_a_frame_function_must_return_a_frame_or_column(spark_session):
    decorator = h_spark.with_columns(_module(frame_as_number), pass_dataframe_as="df")
    with pytest.raises(InvalidDecoratorError, match=r"returned a builtins\.int; it must return"):
        _run(spark_session, decorator)


def test_select_mode_names_a_column_no_function_made(spark_session):
    decorator = h_spark.with_columns(
        _module(with_rank), pass_dataframe_as="df", mode="select", select=["with_rank"]
    )
    with pytest.raises(InvalidDecoratorError, match=r"no columns \['with_rank'\]"):
        _run(spark_session, decorator)


# -- types, the input validator, pandas-on-Spark ---------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "spark_type"),
    [
        (int, "bigint"),
        (float, "double"),
        (bool, "boolean"),
        (str, "string"),
        (np.int32, "int"),
        (np.float32, "float"),
        (list[int], "array<bigint>"),
        (dict[str, float], "map<string,double>"),
    ],
)
def test_spark_types_of_annotations(annotation, spark_type):
    assert h_spark.get_spark_type(annotation).simpleString() == spark_type


def test_a_ddl_string_is_passed_on():
    assert h_spark.get_spark_type("decimal(10,2)") == "decimal(10,2)"


def signups_32(signups: pd.Series) -> column[pd.Series, "int"]:  # noqa: UP037 - Spark DDL
    return signups.astype("int32")


def test_a_ddl_string_types_the_column(spark_session):
    decorator = h_spark.with_columns(_module(signups_32), columns_to_pass=["signups"])
    frame = _run(spark_session, decorator)
    assert dict(frame.dtypes)["signups_32"] == "int"
    assert _pandas(frame).signups_32.tolist() == RAW.signups.tolist()


def test_the_input_validator_accepts_frames_and_checks_the_rest(spark_session):
    check = h_spark.SPARK_INPUT_CHECK
    frame = spark_session.createDataFrame(RAW)
    assert check.validate_input(node_type=DataFrame, input_value=frame)
    assert check.validate_input(node_type=type(spark_session), input_value=spark_session)
    assert check.validate_input(node_type=int, input_value=3)
    assert not check.validate_input(node_type=DataFrame, input_value=RAW)
    dr = (
        driver.Builder()
        .with_modules(
            _flow(h_spark.with_columns(_module(signups_plus), columns_to_pass=["signups"]), False)
        )
        .with_adapters(h_spark.SPARK_INPUT_CHECK)
        .build()
    )
    out = dr.execute(["final"], inputs={"raw": frame, "bonus": 0})
    assert _pandas(out["final"]).signups_plus.tolist() == RAW.signups.tolist()


def test_without_pyspark_the_import_names_the_extra(monkeypatch):
    for module in ("plait.plugins.h_spark", "plait._integrations.spark"):
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(ImportError, match=r'pip install "plait\[spark\]"'):
        import plait.plugins.h_spark  # noqa: F401


# -- PySparkUDFGraphAdapter ------------------------------------------------------------------


def label(region: str, bonus_doubled: int) -> str:
    return f"{region}{bonus_doubled}"


def bonus_doubled(bonus: int) -> int:
    """No DataFrame among its inputs: runs as a plain function."""
    return bonus * 2


def per_signup_plus(spend_per_signup: float, bonus: int) -> float:
    """A row UDF over the column another node made (column[pd.Series, float] feeds float)."""
    return spend_per_signup + bonus


def test_the_udf_adapter_adds_every_node_as_a_column(spark_session):
    flow = _module(spend_per_signup, per_signup_plus, bonus_doubled, label)
    frame = spark_session.createDataFrame(RAW)
    dr = driver.Builder().with_modules(flow).with_adapters(h_spark.PySparkUDFGraphAdapter()).build()
    outputs = ["spend_per_signup", "per_signup_plus", "label", "bonus_doubled"]
    inputs = {c: frame for c in frame.columns}
    got = _pandas(dr.execute(outputs, inputs={**inputs, "bonus": 3}))
    assert list(got.columns) == [*RAW.columns, *outputs]
    assert got.spend_per_signup.tolist() == (RAW.spend / RAW.signups).tolist()
    assert got.per_signup_plus.tolist() == (RAW.spend / RAW.signups + 3).tolist()
    assert got.label.tolist() == ["n6", "s6", "n6", "e6"]
    assert got.bonus_doubled.tolist() == [6, 6, 6, 6]
    # a second run starts from its own frame
    again = _pandas(dr.execute(["spend_per_signup"], inputs={**inputs, "bonus": 0}))
    assert list(again.columns) == [*RAW.columns, "spend_per_signup"]


def test_the_udf_adapters_legacy_type_check_reads_node_then_parameter():
    # Hamilton: check_node_type_equivalence(node_type, input_type), the node's type first
    adapter = h_spark.PySparkUDFGraphAdapter()
    assert adapter.check_node_type_equivalence(column[pd.Series, int], int)  # a column -> int
    assert adapter.check_node_type_equivalence(column[pd.Series, int], pd.Series)
    assert not adapter.check_node_type_equivalence(int, column[pd.Series, int])
    assert not adapter.check_node_type_equivalence(column[pd.Series, int], str)


def test_the_udf_adapter_refuses_a_column_that_exists(spark_session):
    frame = spark_session.createDataFrame(RAW.assign(signups_plus=0))
    dr = (
        driver.Builder()
        .with_modules(_module(signups_plus))
        .with_adapters(h_spark.PySparkUDFGraphAdapter())
        .build()
    )
    with pytest.raises(ValueError, match=r"column 'signups_plus', which the DataFrame has"):
        dr.execute(["signups_plus"], inputs={"signups": frame, "bonus": 1})


def test_require_columns_outside_a_group_only_tags(spark_session):
    dr = driver.Builder().with_modules(_module(spend_minus_signups)).build()
    (node,) = dr.list_available_variables(tag_filter={"hamilton.spark.target": "df"})
    assert node.name == "spend_minus_signups"
    assert node.tags["hamilton.spark.columns"] == ["spend", "signups"]
    frame = spark_session.createDataFrame(RAW)
    column_ = dr.execute(["spend_minus_signups"], inputs={"df": frame})["spend_minus_signups"]
    assert _pandas(frame.select(column_)).iloc[:, 0].tolist() == (RAW.spend - RAW.signups).tolist()


def test_an_annotation_without_a_spark_type_is_a_value_error():
    with pytest.raises(ValueError, match=r"No Spark type for <class 'complex'>; supported: bool"):
        h_spark.get_spark_type(complex)
