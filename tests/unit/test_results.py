"""Result builders and legacy adapters, side by side with ``hamilton.base`` where it exists."""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plait import base, lifecycle
from plait._api.results import GraphAdapter, to_result_function
from plait._model.errors import (
    InvalidResultBuilderError,
    PlaitError,
    ResultBuildError,
    ResultTypeError,
)

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def hb() -> Any:
    return pytest.importorskip("hamilton.base")


def _run(build: Any, outputs: dict[str, Any]) -> tuple[Any, list[type[Warning]]]:
    """Call ``build(**outputs)``; return (result or exception, warning categories)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = build(**outputs)
        except Exception as exc:
            result = exc
    return result, [w.category for w in caught]


def _assert_same(ours: Any, theirs: Any) -> None:
    """Equal frames/matrices, or exceptions of Hamilton's builtin type."""
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs)), (ours, theirs)
        assert isinstance(ours, PlaitError) or type(ours) is type(theirs)
    elif isinstance(theirs, pd.DataFrame):
        assert isinstance(ours, pd.DataFrame), ours
        pd.testing.assert_frame_equal(ours, theirs)
    else:
        np.testing.assert_array_equal(ours, theirs)
        assert type(ours) is type(theirs) and ours.dtype == theirs.dtype


_IX = pd.Index([5, 6, 7], name="t")
_FX = pd.Index([0.5, 1.5, 2.5])
CASES: dict[str, dict[str, Any]] = {
    "empty": {},
    "all scalars": {"a": 1, "b": "x", "c": None},
    "one frame": {"a": pd.DataFrame({"x": [1, 2]})},
    "one series": {"a": pd.Series([1, 2])},
    "frame and scalar": {"a": pd.DataFrame({"x": [1, 2]}), "b": 3},
    "two frames, other index": {
        "a": pd.DataFrame({"x": [1, 2]}),
        "b": pd.DataFrame({"y": [1.0, 2]}, index=[1, 2]),
    },
    "frame and series": {"a": pd.DataFrame({"x": [1, 2]}), "b": pd.Series([3, 4])},
    "series and list": {"a": pd.Series([1, 2, 3]), "b": [4, 5, 6]},
    "series and array": {"a": pd.Series([1, 2, 3]), "b": np.array([4.0, 5, 6])},
    "list too short": {"a": pd.Series([1, 2, 3]), "b": [4, 5]},
    "array too short": {"a": pd.Series([1, 2, 3]), "b": np.array([4, 5])},
    "2-D array": {"a": pd.Series([1, 2, 3]), "b": np.ones((3, 2))},
    "lists of two lengths": {"a": [1, 2], "b": [1, 2, 3]},
    "only a list": {"a": [1, 2, 3]},
    "array and scalar": {"a": np.array([1, 2, 3]), "b": 1},
    "set": {"a": pd.Series([1, 2, 3]), "b": {1, 2, 3}},
    "dict": {"a": pd.Series([1, 2, 3]), "b": {0: 5, 2: 7}},
    "only a dict": {"a": {"x": 1}},
    "object and string": {"a": pd.Series([1, 2, 3]), "b": "hello", "c": None},
    "int and str index": {"a": pd.Series([1, 2, 3]), "b": pd.Series([1, 2], index=["x", "y"])},
    "outer join": {"a": pd.Series([1, 2, 3]), "b": pd.Series([1.0, 2], index=[2, 9])},
    "int and time index": {
        "a": pd.Series([1, 2, 3]),
        "b": pd.Series([1, 2], index=pd.date_range("2020", periods=2)),
    },
    "two time indexes": {
        "a": pd.Series([1, 2], index=pd.period_range("2020", periods=2, freq="D")),
        "b": pd.Series([1, 2], index=pd.date_range("2020", periods=2)),
    },
    "repeated labels": {
        "a": pd.Series([1, 2, 3], index=[0, 0, 1]),
        "b": pd.Series([1, 2], index=[0, 1]),
    },
    "repeated labels, equal": {
        "a": pd.Series([1, 2, 3], index=[0, 0, 1]),
        "b": pd.Series([1, 2, 3], index=[0, 0, 1]),
    },
    "frame then clashing series": {"a": pd.DataFrame({"x": [1]}), "a.x": pd.Series([5])},
    "frame then clashing scalar": {"a": pd.DataFrame({"x": [1]}), "a.x": 3},
    "series then clashing frame": {"a.x": pd.Series([5]), "a": pd.DataFrame({"x": [1]})},
    "index output": {"a": pd.Index([1, 2, 3]), "b": pd.Series([1, 2, 3])},
    "shared index, scalar between": {
        "a": pd.Series([1.0, 2, 3], index=_FX),
        "b": 1,
        "c": pd.Index([1, 2, 3]),
        "d": pd.Series([4, 5, 6], index=_FX),
    },
    "categorical indexes": {
        "a": pd.Series([1, 2], index=pd.CategoricalIndex(["x", "y"])),
        "b": pd.Series([1, 2], index=pd.CategoricalIndex(["x", "z"])),
    },
    "shared index": {
        "a": pd.Series([1.0, 2, 3], index=_IX),
        "b": pd.Series([4.0, 5, 6], index=_IX),
    },
    "equal indexes, names differ": {
        "a": pd.Series([1.0, 2, 3], index=pd.Index([5, 6, 7], name="t")),
        "b": pd.Series([4.0, 5, 6], index=pd.Index([5, 6, 7], name="u")),
    },
    "multiindex columns": {
        "a": pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("p", "q"), ("p", "r")])),
        "b": pd.Series([1]),
    },
}


@pytest.mark.parametrize("name", list(CASES))
def test_dataframe_result_matches_hamilton(hb: Any, name: str) -> None:
    theirs, their_warnings = _run(hb.PandasDataFrameResult.build_result, CASES[name])
    ours, our_warnings = _run(base.PandasDataFrameResult.build_result, CASES[name])
    _assert_same(ours, theirs)
    assert our_warnings == their_warnings
    theirs, _ = _run(hb.StrictIndexTypePandasDataFrameResult.build_result, CASES[name])
    ours, _ = _run(base.StrictIndexTypePandasDataFrameResult.build_result, CASES[name])
    _assert_same(ours, theirs)


@pytest.mark.parametrize("name", list(CASES))
def test_index_type_warnings_are_logged_like_hamilton(
    hb: Any, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    outputs = CASES[name]
    groups = hb.PandasDataFrameResult.pandas_index_types(outputs)
    ours = base.PandasDataFrameResult.pandas_index_types(outputs)
    assert [dict(g) for g in ours] == [dict(g) for g in groups]
    theirs = hb.PandasDataFrameResult.check_pandas_index_types_match(*groups)
    assert base.PandasDataFrameResult.check_pandas_index_types_match(*ours) == theirs
    by_logger = [r.name for r in caplog.records if r.levelno == logging.WARNING]
    assert by_logger.count("plait.base") == by_logger.count("hamilton.base")


def test_index_types_debug_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="plait.base")
    base.PandasDataFrameResult.build_result(a=pd.Series([1]), b=pd.Series([2]))
    assert any("Index types" in r.getMessage() for r in caplog.records)


def test_single_frame_is_returned_as_is() -> None:
    frame = pd.DataFrame({"x": [1, 2]})
    assert base.PandasDataFrameResult.build_result(a=frame) is frame


def test_errors_name_the_outputs_and_keep_the_builtin_type() -> None:
    with pytest.raises(ResultBuildError, match="'b': list of length 2") as info:
        base.PandasDataFrameResult.build_result(a=pd.Series([1, 2, 3]), b=[1, 2])
    assert isinstance(info.value, ValueError) and "DictResult" in str(info.value)
    with pytest.raises(ResultTypeError, match="'b': set") as type_info:
        base.PandasDataFrameResult.build_result(a=pd.Series([1, 2]), b={1, 2})
    assert isinstance(type_info.value, TypeError)
    with pytest.raises(ResultBuildError, match="'a': Series of shape"):
        base.PandasDataFrameResult.build_result(
            a=pd.Series([1, 2], index=[0, 0]), b=pd.Series([1], index=[1])
        )
    with pytest.raises(ResultBuildError, match=r"Output 'a\.x' .* DataFrame output 'a'"):
        base.PandasDataFrameResult.build_result(**{"a": pd.DataFrame({"x": [1]}), "a.x": 2})


def test_repeated_frame_columns_warn_like_hamilton(hb: Any) -> None:
    outputs = {"a": pd.DataFrame([[1, 2]], columns=["x", "x"]), "b": pd.Series([1])}
    with pytest.warns(UserWarning):
        theirs = hb.PandasDataFrameResult.build_result(**outputs)
    with pytest.warns(UserWarning, match=r"output 'a' repeats columns \['x'\]"):
        ours = base.PandasDataFrameResult.build_result(**outputs)
    pd.testing.assert_frame_equal(ours, theirs)


def test_build_dataframe_with_dataframes_is_public(hb: Any) -> None:
    outputs = {"f": pd.DataFrame({"x": [1, 2], "y": [3, 4]}), "s": pd.Series([5, 6]), 7: 1}
    pd.testing.assert_frame_equal(
        base.PandasDataFrameResult.build_dataframe_with_dataframes(outputs),
        hb.PandasDataFrameResult.build_dataframe_with_dataframes(outputs),
    )


@pytest.mark.parametrize("dtype", ["int64", "float32", "bool", "complex128", "uint8"])
@pytest.mark.parametrize(
    "index",
    [pd.RangeIndex(4), pd.Index([3, 3, 1, 0], name="k"), pd.date_range("2021", periods=4)],
)
def test_aligned_series_fast_path_equals_plain_pandas(dtype: str, index: pd.Index) -> None:
    data = {f"c{i}": pd.Series(np.arange(4) * i, index=index).astype(dtype) for i in range(5)}
    data["copy"] = pd.Series(np.arange(4), index=index.copy()).astype(dtype)  # equal, not same
    frame = base.PandasDataFrameResult.build_result(**data)
    pd.testing.assert_frame_equal(frame, pd.DataFrame(data))
    assert not np.shares_memory(frame["c1"].to_numpy(), data["c1"].to_numpy())


@pytest.mark.parametrize(
    "second",
    [
        pd.Series([1.0, 2.0]),  # another dtype
        pd.Series([1, 2], index=[0, 1]),  # equal index of another type
        pd.Series(["a", "b"]),  # not numeric
        pd.Series([1, 2], dtype="Int64"),  # extension dtype
    ],
)
def test_fast_path_declines_and_general_path_matches(second: pd.Series) -> None:
    data = {"a": pd.Series([1, 2]), "b": second}
    frame = base.PandasDataFrameResult.build_result(**data)
    pd.testing.assert_frame_equal(frame, pd.DataFrame(data))


def test_numpy_matrix_matches_hamilton(hb: Any) -> None:
    cases: list[dict[str, Any]] = [
        {"a": np.array([1, 2, 3]), "b": np.array([4.0, 5, 6])},
        {"a": np.array([1, 2, 3]), "b": 2},
        {"b": 2.5, "a": [1, 2, 3]},
        {"a": [1, 2, 3], "b": "abc", "c": pd.Series([7, 8, 9], index=[4, 5, 6])},
        {"a": [1, 2, 3], "b": np.float64(2), "c": True},
        {"a": [1, 2, 3], "b": [1, 2]},
        {"a": [1, 2, 3], "b": None},
        {"a": np.ones((3, 2)), "b": [1, 2, 3]},
        {},
    ]
    for outputs in cases:
        ours, our_warnings = _run(base.NumpyMatrixResult.build_result, outputs)
        theirs, their_warnings = _run(hb.NumpyMatrixResult.build_result, outputs)
        _assert_same(ours, theirs)
        if not isinstance(theirs, Exception):  # np.matrix's PendingDeprecationWarning
            assert set(our_warnings) == set(their_warnings)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix itself
def test_numpy_matrix_fixes_hamilton_failures() -> None:
    build = base.NumpyMatrixResult.build_result
    np.testing.assert_array_equal(build(a=1, b=2.0), np.asmatrix([[1.0, 2.0]]))
    np.testing.assert_array_equal(build(a=[1], b=2), np.asmatrix([[1, 2]]))
    np.testing.assert_array_equal(build(a=[1, 2], b=np.int64(3)), np.asmatrix([[1, 3], [2, 3]]))
    with pytest.raises(ResultTypeError, match="output 'b' of type NoneType"):
        build(a=[1, 2], b=None)
    with pytest.raises(ResultBuildError, match="'b' has 2 rows, but 'a' has 3"):
        build(a=[1, 2, 3], b=[1, 2])
    with pytest.raises(ResultBuildError, match=r"'a' has 2 dimensions \(shape \(3, 2\)\)"):
        build(a=np.ones((3, 2)))
    with pytest.raises(ResultBuildError, match="could not stack"):
        build(a=[[1, 2], [3]], b=[1, 2])
    assert base.NumpyMatrixResult().output_type() is np.matrix


def test_builder_types_and_defaults(hb: Any) -> None:
    assert base.DictResult.build_result(a=1) == {"a": 1}
    assert base.DictResult().output_type() == hb.DictResult().output_type()
    assert base.PandasDataFrameResult().output_type() is pd.DataFrame
    for cls in (base.DictResult, base.PandasDataFrameResult, base.ResultMixin):
        assert cls().input_types() == [Any]
    assert base.ResultMixin().build_result(a=1) is None
    assert base.ResultMixin().output_type() is Any


def test_user_subclasses_of_both_builder_styles() -> None:
    class Total(lifecycle.ResultBuilder):
        def build_result(self, **outputs: Any) -> Any:
            return sum(outputs.values())

    class Names(base.ResultMixin):
        @staticmethod
        def build_result(**outputs: Any) -> Any:
            return sorted(outputs)

    with pytest.raises(TypeError):
        lifecycle.ResultBuilder()  # type: ignore[abstract]
    assert Total().do_build_result({"a": 1, "b": 2}) == 3
    assert to_result_function(Total())({"a": 1, "b": 2}) == 3
    assert to_result_function(Names)({"b": 1, "a": 2}) == ["a", "b"]
    assert to_result_function(Names())({"b": 1}) == ["b"]
    assert issubclass(base.ResultMixin, lifecycle.LegacyResultMixin)


def test_adapters() -> None:
    adapter = base.SimplePythonGraphAdapter()
    assert adapter.build_result(a=1) == {"a": 1}
    assert adapter.output_type() == dict[str, Any]
    frame_adapter = base.SimplePythonGraphAdapter(base.PandasDataFrameResult())
    assert isinstance(frame_adapter.build_result(a=pd.Series([1])), pd.DataFrame)
    assert frame_adapter.output_type() is pd.DataFrame
    legacy = base.SimplePythonDataFrameGraphAdapter()
    assert list(legacy.build_result(a=pd.Series([1])).columns) == ["a"]
    node = SimpleNamespace(callable=lambda x, y: x - y)
    assert base.DefaultAdapter().execute_node(node, {"x": 3, "y": 1}) == 2
    for cls in (base.DefaultAdapter, base.SimplePythonDataFrameGraphAdapter):
        assert issubclass(cls, base.HamiltonGraphAdapter)
        assert issubclass(cls, lifecycle.GraphAdapter) and issubclass(cls, lifecycle.ResultBuilder)
    with pytest.raises(TypeError):
        base.HamiltonGraphAdapter()  # type: ignore[abstract]


def test_user_graph_adapter_subclass() -> None:
    class Doubling(GraphAdapter):
        @staticmethod
        def check_input_type(node_type: Any, input_value: Any) -> bool:
            return True

        @staticmethod
        def check_node_type_equivalence(node_type: Any, input_type: Any) -> bool:
            return True

        def execute_node(self, node: Any, kwargs: dict[str, Any]) -> Any:
            return 2 * node.callable(**kwargs)

        @staticmethod
        def build_result(**outputs: Any) -> Any:
            return list(outputs.values())

    adapter = Doubling()
    assert adapter.execute_node(SimpleNamespace(callable=lambda x: x + 1), {"x": 1}) == 4
    assert to_result_function(adapter)({"a": 1}) == [1]
    assert isinstance(adapter, lifecycle.GraphAdapter)


def test_adapter_type_checks_delegate_to_the_type_module() -> None:
    pytest.importorskip("plait._model.types")
    adapter = base.SimplePythonGraphAdapter
    assert adapter.check_input_type(int, 1) and not adapter.check_input_type(int, "x")
    assert adapter.check_input_type(Any, object())
    assert adapter.check_node_type_equivalence(int, int)
    assert not adapter.check_node_type_equivalence(str, int)


def test_to_result_function_door(hb: Any) -> None:
    outputs = {"a": pd.Series([1, 2]), "b": 3}
    assert to_result_function(None) is dict
    assert to_result_function(base.DictResult()) is dict
    assert to_result_function(base.DefaultAdapter()) is dict
    fn = to_result_function(base.SimplePythonGraphAdapter(base.PandasDataFrameResult()))
    pd.testing.assert_frame_equal(fn(outputs), pd.DataFrame(outputs))
    pd.testing.assert_frame_equal(
        to_result_function(base.PandasDataFrameResult)(outputs), fn(outputs)
    )
    assert isinstance(
        to_result_function(base.SimplePythonDataFrameGraphAdapter())(outputs), pd.DataFrame
    )
    assert to_result_function(hb.DictResult())(outputs) == outputs

    class Custom(base.SimplePythonGraphAdapter):
        def build_result(self, **outputs: Any) -> Any:  # type: ignore[override]
            return len(outputs)

    assert to_result_function(Custom())(outputs) == 2


@pytest.mark.parametrize(
    ("bad", "hint"),
    [(42, "no build_result"), (dict, "no build_result"), (lifecycle.ResultBuilder, "an instance")],
)
def test_to_result_function_rejects_non_builders(bad: object, hint: str) -> None:
    with pytest.raises(InvalidResultBuilderError, match=hint) as info:
        to_result_function(bad)
    assert isinstance(info.value, TypeError)


def test_import_loads_neither_pandas_nor_numpy() -> None:
    code = (
        "import sys, plait.base, plait.lifecycle, plait._api.results;"
        "heavy = {'pandas', 'numpy'} & set(sys.modules); assert not heavy, heavy"
    )
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


@pytest.mark.parametrize("shell", ["base.py", "lifecycle/__init__.py"])
def test_shells_only_re_export(shell: str) -> None:
    tree = ast.parse((SRC / "plait" / shell).read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    module = base if shell == "base.py" else lifecycle
    assert all(hasattr(module, name) for name in module.__all__)


# --- random output dicts, compared with Hamilton ---------------------------------------------

_INDEXES = [pd.RangeIndex(4), pd.Index([2, 3, 4, 5]), pd.Index([3, 1, 0]), pd.Index([0, 1, 2, 3])]


def _series(which: int, kind: str, seed: int) -> pd.Series:
    index = _INDEXES[which]
    values = (np.arange(len(index)) + seed).astype(kind)
    return pd.Series(values, index=index)


def _frame(which: int, columns: list[str], seed: int) -> pd.DataFrame:
    index = _INDEXES[which]
    return pd.DataFrame({c: np.arange(len(index)) * seed for c in columns}, index=index)


_which = st.integers(0, len(_INDEXES) - 1)
_value = st.one_of(
    st.builds(_series, _which, st.sampled_from(["int64", "float64", "bool"]), st.integers(0, 9)),
    st.builds(_series, st.just(0), st.just("float64"), st.integers(0, 9)),  # often aligned
    st.integers(-3, 3),
    st.sampled_from(["x", 2.5, None]),
    st.builds(
        _frame,
        _which,
        st.lists(st.sampled_from(["x", "y"]), min_size=1, unique=True),
        st.integers(1, 3),
    ),
)
_outputs = st.dictionaries(st.sampled_from(["a", "b", "c", "a.x", "b.y"]), _value, max_size=4)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outputs=_outputs)
def test_random_outputs_match_hamilton(outputs: dict[str, Any]) -> None:
    hamilton_base = pytest.importorskip("hamilton.base")
    logging.disable(logging.WARNING)
    try:
        theirs, their_warnings = _run(hamilton_base.PandasDataFrameResult.build_result, outputs)
        ours, our_warnings = _run(base.PandasDataFrameResult.build_result, outputs)
    finally:
        logging.disable(logging.NOTSET)
    _assert_same(ours, theirs)
    assert our_warnings == their_warnings
