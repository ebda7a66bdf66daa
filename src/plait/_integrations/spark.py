"""Spark (Hamilton's ``plugins.h_spark``): what touches PySpark at run time.

- :func:`get_spark_type` maps a function's return annotation to the Spark type of the column
  it makes (``int`` -> ``bigint``, ``float`` -> ``double``, ...).
- :func:`add_udf_column` runs a plain function over columns of a Spark DataFrame as a UDF:
  a pandas (vectorized) UDF when its column parameters are ``pd.Series``, else a row UDF.
  Parameters that are not columns are bound to values computed by the dataflow.
- :class:`SparkInputValidator` (``SPARK_INPUT_CHECK``) accepts Spark Connect and classic
  DataFrames and sessions for one another.

The ``@with_columns`` / ``@select`` / ``@require_columns`` decorators built on this live in
``plait._integrations.spark_columns``. Importing this module imports pyspark, or raises
``ImportError`` naming ``pip install "plait[spark]"``. Imports ``plait._model``,
``plait._hooks``, ``plait._run.executors`` (the pickler) and the standard library.

- :class:`SparkKoalasGraphAdapter` and :class:`KoalasDataFrameResult` run pandas dataflows on
  pandas-on-Spark (``pyspark.pandas``), which needs pandas < 3: with pandas 3 they raise an
  error saying so (pyspark 4.3's ``pyspark.pandas`` does not import with it).
"""

from __future__ import annotations

import datetime
import decimal
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from plait._hooks.lifecycle import (
    EdgeConnectionHook,
    GraphExecutionHook,
    LegacyEdgeChecks,
    NodeExecutionHook,
    NodeExecutionMethod,
)
from plait._integrations.require import require
from plait._model.errors import InvalidDecoratorError, UnsupportedAdapterError
from plait._model.types import get_type_information, make_value_checker

require("pyspark.sql", "spark", "plait.plugins.h_spark")

import numpy as np  # noqa: E402  (after the check that names the extra)
import pandas as pd  # noqa: E402
from pyspark.sql import Column, DataFrame, SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402
from pyspark.sql import types as T  # noqa: E402
from pyspark.sql.pandas.functions import pandas_udf  # noqa: E402

#: Python annotations -> Spark types. ``int`` is 64-bit and ``float`` double, as in Python.
_PYTHON_TYPES: dict[Any, Callable[[], T.DataType]] = {
    bool: T.BooleanType,
    int: T.LongType,
    float: T.DoubleType,
    str: T.StringType,
    bytes: T.BinaryType,
    datetime.date: T.DateType,
    datetime.datetime: T.TimestampType,
    decimal.Decimal: T.DecimalType,
}
#: numpy scalar types -> Spark types of the same width.
_NUMPY_TYPES: dict[Any, Callable[[], T.DataType]] = {
    np.bool_: T.BooleanType,
    np.int8: T.ByteType,
    np.int16: T.ShortType,
    np.int32: T.IntegerType,
    np.int64: T.LongType,
    np.float32: T.FloatType,
    np.float64: T.DoubleType,
    np.str_: T.StringType,
    np.bytes_: T.BinaryType,
}
SUPPORTED_TYPES = (
    "bool, int, float, str, bytes, datetime.date, datetime.datetime, decimal.Decimal, numpy "
    "scalar types, list[T], dict[K, V], a pyspark DataType or a DDL string such as 'double'"
)


def python_to_spark_type(python_type: Any) -> T.DataType:
    """The Spark type of a Python scalar type; ``ValueError`` if it has none.

    Examples
    --------
    >>> python_to_spark_type(int).simpleString(), python_to_spark_type(float).simpleString()
    ('bigint', 'double')
    """
    make = _PYTHON_TYPES.get(python_type)
    if make is None:
        raise ValueError(f"No Spark type for the Python type {python_type!r}.")
    return make()


def numpy_to_spark_type(numpy_type: Any) -> T.DataType:
    """The Spark type of a numpy scalar type (same width); ``ValueError`` if it has none."""
    make = _NUMPY_TYPES.get(numpy_type)
    if make is None:
        raise ValueError(f"No Spark type for the numpy type {numpy_type!r}.")
    return make()


def get_spark_type(return_type: Any) -> T.DataType | str:
    """The Spark type of a column whose values are annotated ``return_type``.

    Accepts the types of :data:`SUPPORTED_TYPES`; a DDL string is passed on for Spark to parse.
    Raises ``ValueError`` for anything else.
    """
    if isinstance(return_type, (T.DataType, str)):
        return return_type
    if return_type in _PYTHON_TYPES:
        return python_to_spark_type(return_type)
    if return_type in _NUMPY_TYPES:
        return numpy_to_spark_type(return_type)
    origin = getattr(return_type, "__origin__", None)
    args: tuple[Any, ...] = tuple(getattr(return_type, "__args__", ()))
    if origin in (list, Sequence, tuple) and len(args) == 1:
        return T.ArrayType(_data_type(args[0]))
    if origin is dict and len(args) == 2:
        return T.MapType(_data_type(args[0]), _data_type(args[1]))
    raise ValueError(f"No Spark type for {return_type!r}; supported: {SUPPORTED_TYPES}.")


def _data_type(element: Any) -> T.DataType:
    found = get_spark_type(element)
    return T._parse_datatype_string(found) if isinstance(found, str) else found


def column_spark_type(annotation: Any, vectorized: bool) -> T.DataType | str:
    """The Spark type of a UDF's result from its return annotation.

    A pandas UDF (``vectorized``) must return ``column[pd.Series, T]`` (``htypes.column``): the
    element type ``T`` gives the column type. A row UDF returns a scalar type.
    """
    base, extras = get_type_information(annotation)
    if vectorized:
        if not (is_series(base) and len(extras) == 1):
            raise ValueError(
                "a function of pd.Series columns must be annotated to return "
                "htypes.column[pd.Series, T], T the element type (e.g. float), so the "
                "Spark column type is known"
            )
        return get_spark_type(extras[0])
    return get_spark_type(annotation)


def is_series(annotation: Any) -> bool:
    """Whether ``annotation`` is ``pd.Series`` (or ``column[pd.Series, T]``, or a subclass)."""
    base, _ = get_type_information(annotation)
    return isinstance(base, type) and issubclass(base, pd.Series)


def is_dataframe(annotation: Any) -> bool:
    """Whether ``annotation`` is a PySpark DataFrame class (classic, Connect or the base)."""
    return isinstance(annotation, type) and issubclass(annotation, DataFrame)


def is_column(value: Any) -> bool:
    """Whether ``value`` is a PySpark ``Column`` (an expression, not data)."""
    return isinstance(value, Column)


def dataframe_type() -> type[DataFrame]:
    """``pyspark.sql.DataFrame``: the type of the nodes ``@with_columns`` makes."""
    return DataFrame


class UdfCall:
    """``fn(**columns, **bound)`` called with the column values in ``columns`` order.

    What Spark's workers run. Pickled with :func:`plait._run.executors.dumps`, so the functions
    of modules the workers cannot import (made in memory, or found on a path added at run time)
    travel by value.
    """

    __slots__ = ("bound", "columns", "fn")

    def __init__(
        self, fn: Callable[..., Any], columns: Sequence[str], bound: Mapping[str, Any]
    ) -> None:
        self.fn = fn
        self.columns = tuple(columns)
        self.bound = dict(bound)

    def __call__(self, *values: Any) -> Any:
        return self.fn(**dict(zip(self.columns, values, strict=True)), **self.bound)

    def __reduce__(self) -> tuple[Any, ...]:
        from plait._run.executors import dumps

        return _udf_call_from_bytes, (dumps((self.fn, self.columns, self.bound)),)


def _udf_call_from_bytes(data: bytes) -> UdfCall:
    import cloudpickle

    fn, columns, bound = cloudpickle.loads(data)
    return UdfCall(fn, columns, bound)


def _vectorized(call: UdfCall) -> Callable[..., pd.Series]:
    # Annotated so that Spark sees a Series-to-Series pandas UDF.
    def series_udf(*columns: pd.Series) -> pd.Series:
        return call(*columns)

    return series_udf


def _row(call: UdfCall) -> Callable[..., Any]:
    # A plain function: Spark reads the hints of what it is given, and a UdfCall has none.
    def row_udf(*values: Any) -> Any:
        return call(*values)

    return row_udf


def add_udf_column(
    df: DataFrame,
    name: str,
    call: UdfCall,
    *,
    vectorized: bool,
    return_type: T.DataType | str,
) -> DataFrame:
    """``df`` with column ``name`` computed by ``call`` over its columns (a lazy plan)."""
    make: Any = pandas_udf if vectorized else F.udf
    udf = make(_vectorized(call) if vectorized else _row(call), return_type)
    return df.withColumn(name, udf(*(F.col(c) for c in call.columns)))


def missing_columns(df: DataFrame, wanted: Sequence[str]) -> list[str]:
    """The names of ``wanted`` that ``df`` has no column for."""
    present = set(df.columns)
    return [c for c in wanted if c not in present]


def type_name(value: Any) -> str:
    """``module.Class`` of a value, for error messages."""
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def udf_spark_type(annotation: Any, vectorized: bool, where: str) -> T.DataType | str:
    """:func:`column_spark_type`, failing with a decorator error that names ``where``."""
    try:
        return column_spark_type(annotation, vectorized)
    except ValueError as exc:
        raise InvalidDecoratorError(f"{where}: {str(exc).rstrip('.')}.") from None


# -- input checks ------------------------------------------------------------------------------


def _connect_classes() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """Spark Connect's DataFrame and SparkSession classes, if loaded.

    Never imported here: a Connect object exists only once its module is loaded, and importing
    ``pyspark.sql.connect`` without its dependencies may end the process (it assumes doctests).
    """
    frames = getattr(sys.modules.get("pyspark.sql.connect.dataframe"), "DataFrame", None)
    sessions = getattr(sys.modules.get("pyspark.sql.connect.session"), "SparkSession", None)
    return (() if frames is None else (frames,)), (() if sessions is None else (sessions,))


class SparkInputValidator(EdgeConnectionHook):
    """Accept Spark Connect and classic DataFrames (and sessions) for one another.

    An input annotated with one flavour's ``DataFrame`` or ``SparkSession`` takes an object of
    either flavour; every other input is checked as usual. Spark Connect needs
    ``pip install "pyspark[connect]"``; without it only classic objects exist and this changes
    nothing. Use the instance :data:`SPARK_INPUT_CHECK`:
    ``Builder().with_adapters(h_spark.SPARK_INPUT_CHECK)``.
    """

    @staticmethod
    def _family(tp: Any) -> tuple[type, ...] | None:
        if not isinstance(tp, type):
            return None
        connect_frames, connect_sessions = _connect_classes()
        for family in ((DataFrame, *connect_frames), (SparkSession, *connect_sessions)):
            if issubclass(tp, family):
                return family
        return None

    def validate_input(self, node_type: Any, input_value: Any, **kwargs: Any) -> bool:
        """Whether ``input_value`` may feed an input annotated ``node_type``."""
        family = self._family(node_type)
        if family is not None and isinstance(input_value, family):
            return True
        check = make_value_checker(node_type)
        return check is None or check(input_value)

    def do_validate_input(self, *, node_type: Any, input_value: Any) -> bool:
        """Hamilton's name of :meth:`validate_input`."""
        return self.validate_input(node_type, input_value)

    def check_edge_types_match(self, type_from: Any, type_to: Any, **kwargs: Any) -> bool:
        """A node of one flavour may feed a parameter annotated with the other."""
        family = self._family(type_from)
        return family is not None and family == self._family(type_to)


#: The instance to pass to ``Builder().with_adapters(...)``.
SPARK_INPUT_CHECK = SparkInputValidator()


# -- the UDF graph adapter ---------------------------------------------------------------------


class PySparkUDFGraphAdapter(
    NodeExecutionHook, NodeExecutionMethod, GraphExecutionHook, LegacyEdgeChecks
):
    """Run a whole dataflow as UDFs adding columns to one Spark DataFrame (Hamilton's
    ``h_spark.PySparkUDFGraphAdapter``).

    Pass the DataFrame as the input of every column name it has
    (``inputs={c: df for c in df.columns}``, plus other inputs). A node given a Spark DataFrame
    runs as a UDF over the columns its parameters name and adds the column of its own name to
    the run's frame (the first DataFrame it sees); its other parameters are bound to their
    values. Functions of ``pd.Series`` columns returning ``htypes.column[pd.Series, T]`` run as
    pandas UDFs, others as row UDFs. A node given no DataFrame runs as usual. The result is the
    frame's original columns and the requested outputs (scalars as constant columns).

    The frame is per run, so one adapter serves one ``execute`` at a time.
    """

    def __init__(self) -> None:
        self.df_object: DataFrame | None = None
        self.original_schema: list[str] = []
        self._types: dict[str, tuple[dict[str, Any], Any]] = {}

    def run_before_graph_execution(self, **future_kwargs: Any) -> None:
        """Start from no frame (also after a failed run)."""
        self.df_object, self.original_schema, self._types = None, [], {}

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Nothing to do: :meth:`build_result` releases the frame."""

    def run_before_node_execution(
        self, *, node_name: str, node_input_types: dict[str, Any], **future_kwargs: Any
    ) -> None:
        """Remember the node's annotations for :meth:`run_to_execute_node`."""
        self._types[node_name] = (node_input_types, future_kwargs.get("node_return_type"))

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        """Nothing to do."""

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_callable: Any,
        node_kwargs: dict[str, Any],
        **future_kwargs: Any,
    ) -> Any:
        """The node's value, or the run's frame with the node's column added."""
        frames = [v for v in node_kwargs.values() if isinstance(v, DataFrame)]
        if not frames:
            return node_callable(**node_kwargs)
        if self.df_object is None:
            self.df_object = frames[0]
            self.original_schema = list(frames[0].columns)
        input_types, return_type = self._types.pop(node_name, ({}, None))
        df = self.df_object
        call, vectorized = _udf_for(node_name, node_callable, node_kwargs, input_types, df)
        spark_type = udf_spark_type(return_type, vectorized, f"node '{node_name}'")
        if node_name in df.columns:
            raise ValueError(
                f"PySparkUDFGraphAdapter: node '{node_name}' would add the column "
                f"'{node_name}', which the DataFrame has already; rename the function or "
                "drop the column."
            )
        self.df_object = add_udf_column(
            df, node_name, call, vectorized=vectorized, return_type=spark_type
        )
        return self.df_object

    def execute_node(self, node: Any, kwargs: dict[str, Any]) -> Any:
        """Hamilton's legacy entry point: the same as :meth:`run_to_execute_node`."""
        self._types[node.name] = ({d.name: d.type for d in node.inputs}, node.type)
        return self.run_to_execute_node(
            node_name=node.name, node_callable=node.callable, node_kwargs=kwargs
        )

    def build_result(self, **outputs: Any) -> DataFrame:
        """The frame: its original columns, then the outputs (scalars as constant columns)."""
        df = self.df_object
        if df is None:
            raise ValueError(
                "PySparkUDFGraphAdapter: no node received a Spark DataFrame, so there is no "
                "frame to return. Pass the DataFrame as the input of each of its columns: "
                "inputs={c: df for c in df.columns}."
            )
        schema = list(self.original_schema)
        for name, value in outputs.items():
            if name not in df.columns:
                df = df.withColumn(name, F.lit(value))
            if name not in schema:
                schema.append(name)
        self.df_object, self.original_schema = None, []
        return df.select(*schema)

    def validate_input(self, node_type: Any, input_value: Any, **kwargs: Any) -> bool:
        """A Spark DataFrame may feed any input (it stands for one of its columns)."""
        if isinstance(input_value, DataFrame):
            return True
        check = make_value_checker(node_type)
        return check is None or check(input_value)

    def check_edge_types_match(self, type_from: Any, type_to: Any, **kwargs: Any) -> bool:
        """``column[pd.Series, T]`` feeds a ``pd.Series`` or a ``T`` parameter."""
        param_base, _ = get_type_information(type_from)
        node_base, node_extras = get_type_information(type_to)
        return param_base == node_base or (bool(node_extras) and node_extras[0] == param_base)


def _udf_for(
    name: str,
    fn: Callable[..., Any],
    kwargs: Mapping[str, Any],
    input_types: Mapping[str, Any],
    df: DataFrame,
) -> tuple[UdfCall, bool]:
    """The UDF call of a node: parameters naming columns of ``df`` read them, others are bound."""
    present = set(df.columns)
    columns = [p for p in kwargs if p in present]
    frames = [p for p, v in kwargs.items() if isinstance(v, DataFrame) and p not in present]
    if frames:
        raise ValueError(
            f"PySparkUDFGraphAdapter: node '{name}' got a Spark DataFrame for {frames}, but the "
            f"DataFrame has no such column; it has {sorted(present)}."
        )
    series = [p for p in columns if is_series(input_types.get(p))]
    if series and len(series) != len(columns):
        raise ValueError(
            f"PySparkUDFGraphAdapter: node '{name}' mixes pd.Series columns {series} with "
            f"scalar columns {[c for c in columns if c not in series]}; annotate them alike."
        )
    bound = {p: v for p, v in kwargs.items() if p not in present}
    return UdfCall(fn, columns, bound), bool(series)


# -- pandas-on-Spark ---------------------------------------------------------------------------


def _pandas_on_spark(name: str) -> Any:
    """``pyspark.pandas``, or the error saying why it is unavailable and what to do."""
    try:
        import pyspark.pandas as ps
    except ImportError as exc:
        raise UnsupportedAdapterError(
            f"h_spark.{name} needs pandas-on-Spark (pyspark.pandas), which does not import "
            f"here: {exc} (pyspark {_pyspark_version()} with pandas {pd.__version__}; "
            "pyspark.pandas needs pandas < 3). Use an environment with pandas < 3 "
            '(pip install "pandas<3"), or run the pandas functions as pandas UDFs on a Spark '
            "DataFrame with @h_spark.with_columns (functions of pd.Series columns annotated to "
            "return htypes.column[pd.Series, T])."
        ) from exc
    return ps


def _pyspark_version() -> str:
    import pyspark

    return str(pyspark.__version__)


class KoalasDataFrameResult:
    """Ask :class:`SparkKoalasGraphAdapter` for a pandas-on-Spark DataFrame (Hamilton's
    ``h_spark.KoalasDataFrameResult``; "Koalas" is pandas-on-Spark's former name).

    On its own, :meth:`build_result` makes a pandas-on-Spark DataFrame whose columns are the
    outputs (Series, or scalars broadcast), joined on their index.
    """

    def __init__(self) -> None:
        _pandas_on_spark("KoalasDataFrameResult")

    @staticmethod
    def build_result(**outputs: Any) -> Any:
        """The outputs as the columns of one pandas-on-Spark DataFrame."""
        ps = _pandas_on_spark("KoalasDataFrameResult")
        series = {k: v for k, v in outputs.items() if isinstance(v, (ps.Series, pd.Series))}
        if not series:
            return ps.DataFrame({k: [v] for k, v in outputs.items()})
        first = next(iter(series))
        return _spined(ps, outputs, first)


def _spined(ps: Any, outputs: Mapping[str, Any], spine: str) -> Any:
    """A pandas-on-Spark DataFrame starting from the output ``spine``, then every output as a
    column of its name (joined on the index; a scalar fills its column)."""
    frame = ps.DataFrame(_on_spark(ps, outputs[spine]))
    with ps.option_context("compute.ops_on_diff_frames", True):
        for name, value in outputs.items():
            frame[name] = _on_spark(ps, value)
    return frame


def _on_spark(ps: Any, value: Any) -> Any:
    """pandas values as pandas-on-Spark ones; others unchanged."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return ps.from_pandas(value)
    return value


class SparkKoalasGraphAdapter(LegacyEdgeChecks):
    """Run a pandas dataflow on Spark through pandas-on-Spark (Hamilton's
    ``h_spark.SparkKoalasGraphAdapter``).

    Nodes run in your process as usual; the pandas-on-Spark Series and DataFrames they pass
    around are computed by Spark. The outputs become the columns of one pandas-on-Spark
    DataFrame, started from ``spine_column``'s output and joined on the index.

    Parameters
    ----------
    spark_session
        The Spark session (pandas-on-Spark uses the active one; it is kept for reference).
    result_builder
        ``base.PandasDataFrameResult()`` (the frame converted to pandas),
        :class:`KoalasDataFrameResult` (the pandas-on-Spark frame) or ``base.DictResult()``
        (the outputs as they are).
    spine_column
        The output the result frame starts from (its index is the result's index).

    Needs pandas-on-Spark (``pyspark.pandas``), which needs pandas < 3.
    """

    def __init__(self, spark_session: Any, result_builder: Any, spine_column: str) -> None:
        self._ps = _pandas_on_spark("SparkKoalasGraphAdapter")
        # The result builders live in plait._api; a plug-in may not import it at module level.
        from plait._api.results import DictResult, PandasDataFrameResult

        honoured = (PandasDataFrameResult, KoalasDataFrameResult, DictResult)
        if not isinstance(result_builder, honoured):
            raise ValueError(
                "SparkKoalasGraphAdapter(result_builder=...) takes base.PandasDataFrameResult()"
                ", h_spark.KoalasDataFrameResult() or base.DictResult(), got "
                f"{type(result_builder).__qualname__}."
            )
        self.spark_session = spark_session
        self.result_builder = result_builder
        self.spine_column = spine_column
        self._as_dict = isinstance(result_builder, DictResult)
        self._to_pandas = isinstance(result_builder, PandasDataFrameResult)

    def build_result(self, **outputs: Any) -> Any:
        """The outputs as one frame (pandas or pandas-on-Spark), or as a dict."""
        if self._as_dict:
            return self.result_builder.build_result(**outputs)
        if self.spine_column not in outputs:
            raise ValueError(
                f"SparkKoalasGraphAdapter: the spine column '{self.spine_column}' is not among "
                f"the requested outputs {sorted(outputs)}; request it too, or pass another "
                "spine_column."
            )
        frame = _spined(self._ps, outputs, self.spine_column)
        return frame.to_pandas() if self._to_pandas else frame

    def validate_input(self, node_type: Any, input_value: Any, **kwargs: Any) -> bool:
        """A pandas-on-Spark Series or DataFrame may be given for a pandas Series parameter
        (and the other way round); others as usual."""
        ps = self._ps
        lazy = (ps.Series, ps.DataFrame)
        if node_type in (pd.Series, ps.Series) and isinstance(input_value, lazy):
            return True
        if node_type in (pd.DataFrame, ps.DataFrame) and isinstance(input_value, ps.DataFrame):
            return True
        check = make_value_checker(node_type)
        return check is None or check(input_value)

    def check_edge_types_match(self, type_from: Any, type_to: Any, **kwargs: Any) -> bool:
        """pandas and pandas-on-Spark Series (or DataFrames) connect to one another."""
        ps = self._ps
        kinds = ({pd.Series, ps.Series}, {pd.DataFrame, ps.DataFrame})
        return any(type_from in kind and type_to in kind for kind in kinds)
