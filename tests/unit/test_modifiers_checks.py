"""Data quality: ``@check_output``, ``@check_output_custom``, validators, pandera/pydantic plugins.

Decorators are tested as pure transforms (function or nodes in, nodes out), then end to end
through ``driver.Builder()``; the misuse table of ``docs/decorators/data_quality.md`` has one
test per row (``test_misuse_*``).
"""

import asyncio
import logging
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel

from plait import ad_hoc_utils, driver
from plait._model.errors import InvalidDecoratorError, PlaitError
from plait._model.node import Dependency, Node, NodeKind
from plait._modifiers import checks
from plait._modifiers.resolve import resolve_function
from plait.data_quality import default_validators as dv
from plait.data_quality.base import (
    AsyncDataValidator,
    DataValidationError,
    DataValidationLevel,
    DataValidator,
    ValidationResult,
)
from plait.function_modifiers import (
    DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG,
    IS_DATA_VALIDATOR_TAG,
    check_output,
    check_output_custom,
    tag,
)

LOGGER = "plait.data_quality.base"


def at(fn: Any) -> str:
    """``file:line`` of a function, as plait's errors print it."""
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def build(*fns: Any) -> Any:
    return driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(*fns)).build()


class Positive(DataValidator):
    """Every value of a Series is > 0 (a user-written validator)."""

    def __init__(self, importance: str = "warn") -> None:
        super().__init__(importance)

    def applies_to(self, datatype: type) -> bool:
        return isinstance(datatype, type) and issubclass(datatype, pd.Series)

    def description(self) -> str:
        return "All positive."

    @classmethod
    def name(cls) -> str:
        return "positive"

    def validate(self, dataset: pd.Series) -> ValidationResult:
        bad = int((dataset <= 0).sum())
        return ValidationResult(bad == 0, f"{bad} not positive", {"bad": bad})


# -- pure transforms --------------------------------------------------------------------------
def test_check_output_makes_validators_final_and_raw_nodes() -> None:
    @check_output(range=(0, 10), data_type=int, importance="fail")
    def x(n: int) -> int:
        """Doc of x."""
        return n

    nodes = resolve_function(x, {})
    assert [n.name for n in nodes] == ["x_range_validator", "x_data_type_validator", "x", "x_raw"]
    by = {n.name: n for n in nodes}
    assert by["x_raw"].callable is x and by["x_raw"].documentation == "Doc of x."
    assert [d.name for d in by["x"].inputs] == [
        "x_raw",
        "x_range_validator",
        "x_data_type_validator",
    ]
    assert by["x"].type is int and by["x"].documentation == "Doc of x."
    check = by["x_range_validator"]
    assert check.type is ValidationResult and check.inputs == (Dependency("x_raw", int),)
    assert check.tags[IS_DATA_VALIDATOR_TAG] is True
    assert check.tags[DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG] == "x"
    assert (
        IS_DATA_VALIDATOR_TAG not in by["x"].tags and IS_DATA_VALIDATOR_TAG not in by["x_raw"].tags
    )
    assert all(n.origin is not None and n.origin.line == x.__code__.co_firstlineno for n in nodes)
    assert by["x"](by["x_raw"](3), check(3), by["x_data_type_validator"](3)) == 3
    assert by["x"](x_raw=4, x_range_validator=check(4), x_data_type_validator=check(4)) == 4


def test_same_validator_twice_gets_numbered_names() -> None:
    @check_output_custom(Positive(), Positive("fail"), Positive())
    def s(n: int) -> pd.Series:
        return pd.Series([n])

    names = [n.name for n in resolve_function(s, {})]
    assert names == ["s_positive", "s_positive_1", "s_positive_2", "s", "s_raw"]


def _two_nodes() -> tuple[list[Node], Any]:
    def fn(n: int) -> int:
        return n

    a = Node.from_fn(fn, name="a")
    b = Node(name="b", type=int, callable=lambda a: a, inputs=(Dependency("a", int),))
    return [a, b], fn


@pytest.mark.parametrize(
    ("target", "checked"),
    [(None, {"b"}), ("a", {"a"}), (["a", "b"], {"a", "b"}), (..., {"a", "b"})],
)
def test_target_selects_the_checked_nodes(target: Any, checked: set[str]) -> None:
    nodes, fn = _two_nodes()
    out = check_output(range=(0, 1), target_=target).transform_dag(nodes, {}, fn)
    assert {n.name[: -len("_raw")] for n in out if n.name.endswith("_raw")} == checked
    assert len(out) == 2 + 2 * len(checked)


def test_a_collect_node_checked_becomes_a_plain_function_node() -> None:
    _, fn = _two_nodes()
    collect = Node(
        name="c", type=int, callable=sum, inputs=(Dependency("x", list),), kind=NodeKind.COLLECT
    )
    raw_and_final = {n.name: n for n in check_output(range=(0, 1)).transform_node(collect, {}, fn)}
    assert (
        raw_and_final["c_raw"].kind is NodeKind.COLLECT
        and raw_and_final["c"].kind is NodeKind.FUNCTION
    )


# -- default validators -----------------------------------------------------------------------
SERIES = pd.Series([1.0, 2.0, np.nan])
CASES = [
    (dv.DataInRangeValidatorPandasSeries, (0, 2), SERIES, False, {"in_range": 2, "out_range": 1}),
    (dv.DataInRangeValidatorPandasSeries, (0, 2), SERIES.dropna(), True, {"out_range": 0}),
    (dv.DataInRangeValidatorPrimitives, (0, 2), 3, False, {"value": 3}),
    (dv.DataInRangeValidatorPrimitives, (0, 2), 2, True, {"range": (0, 2)}),
    (dv.DataInValuesValidatorPandasSeries, [1.0], SERIES, False, {"incorrect_values": {2.0: 1}}),
    (dv.DataInValuesValidatorPrimitives, ["a"], "a", True, {"incorrect_value": None}),
    (dv.DataInValuesValidatorPrimitives, [1, 2], 5, False, {"incorrect_value": 5}),
    (dv.MaxFractionNansValidatorPandasSeries, 0.5, SERIES, True, {"total_nan": 1}),
    (dv.MaxFractionNansValidatorPandasSeries, 0.2, SERIES, False, {"total_length": 3}),
    (dv.AllowNaNsValidatorPandasSeries, False, SERIES, False, {"max_fraction_na": 0}),
    (dv.DataTypeValidatorPandasSeries, np.floating, SERIES, True, {"actual_dtype": np.float64}),
    (dv.DataTypeValidatorPandasSeries, np.integer, SERIES, False, {"required_dtype": np.integer}),
    (dv.DataTypeValidatorPrimitives, int, 1.5, False, {"actual_data_type": float}),
    (dv.MaxStandardDevValidatorPandasSeries, 1.0, SERIES, True, {"max_standard_dev": 1.0}),
    (dv.MeanInRangeValidatorPandasSeries, (0, 1), SERIES, False, {"dataset_mean": 1.5}),
    (dv.AllowNoneValidator, False, None, False, {}),
    (dv.AllowNoneValidator, True, None, True, {}),
    (dv.StrContainsValidator, ["a", "z"], "abc", False, {"contains": ["a", "z"], "data": "abc"}),
    (dv.StrContainsValidator, "b", "abc", True, {}),
    (dv.StrDoesNotContainValidator, "b", "abc", False, {"does_not_contain": ["b"]}),
    (dv.StrDoesNotContainValidator, ["x"], "abc", True, {}),
]


@pytest.mark.parametrize(("cls", "arg", "data", "passes", "diagnostics"), CASES)
def test_default_validator(cls: Any, arg: Any, data: Any, passes: bool, diagnostics: dict) -> None:
    validator = cls(arg, "warn")
    result = validator.validate(data)
    assert result.passes is passes or result.passes == passes
    assert {k: result.diagnostics[k] for k in diagnostics} == diagnostics
    assert result.message and validator.description()
    assert validator.name() == f"{cls.arg()}_validator"


TYPES = [
    pd.Series,
    pd.DataFrame,
    int,
    float,
    bool,
    np.float64,
    str,
    list,
    Annotated[pd.Series, int],
    typing.Optional[int],  # noqa: UP045 - the typing spelling on purpose
]
APPLIES = {  # class -> the TYPES it applies to
    dv.DataInRangeValidatorPandasSeries: {pd.Series, Annotated[pd.Series, int]},
    dv.DataInRangeValidatorPrimitives: {int, float, bool, np.float64},
    dv.DataInValuesValidatorPrimitives: {int, float, bool, np.float64, str},
    dv.DataTypeValidatorPrimitives: {int, float, bool, np.float64, str},
    dv.StrContainsValidator: {str},
    dv.AllowNoneValidator: set(TYPES),
    dv.PanderaDataFrameValidator: {pd.DataFrame},
    dv.PanderaSeriesSchemaValidator: {pd.Series, Annotated[pd.Series, int]},
    dv.PydanticModelValidator: set(),
}


@pytest.mark.parametrize("cls", list(APPLIES))
def test_applies_to_per_output_type(cls: Any) -> None:
    assert {t for t in TYPES if cls.applies_to(t)} == APPLIES[cls]


def test_resolution_picks_the_class_for_the_type() -> None:
    [series] = dv.resolve_default_validators(pd.Series, "warn", range=(0, 1))
    [number] = dv.resolve_default_validators(float, "fail", range=(0, 1))
    assert type(series) is dv.DataInRangeValidatorPandasSeries
    assert type(number) is dv.DataInRangeValidatorPrimitives
    assert number.importance is DataValidationLevel.FAIL


# -- end to end: warn logs, fail raises -------------------------------------------------------
@check_output(range=(0, 10), importance="warn")
def warned(n: int) -> int:
    return n


@check_output(mean_in_range=(0, 1), importance="fail")
@tag(team="dq")
def failed(n: int) -> pd.Series:
    return pd.Series([0.0, float(n)])


def test_warn_logs_on_the_data_quality_logger_and_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER)
    assert build(warned).execute(["warned"], inputs={"n": 11}) == {"warned": 11}
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.WARNING
    assert "[warned:range_validator]" in record.getMessage() and "11" in record.getMessage()
    caplog.clear()
    build(warned).execute(["warned"], inputs={"n": 5})
    assert not [r for r in caplog.records if r.name == LOGGER]


def test_fail_raises_naming_node_validator_and_message() -> None:
    dr = build(failed)
    assert dr.execute(["failed"], inputs={"n": 1})["failed"].tolist() == [0.0, 1.0]
    with pytest.raises(DataValidationError) as info:
        dr.execute(["failed"], inputs={"n": 5})
    error = info.value
    assert isinstance(error, PlaitError) and error.node_name == "failed"
    assert error.args[0] == error.messages and len(error.messages) == 1
    text = str(error)
    assert "node 'failed'" in text and "[failed:mean_in_range_validator]" in text and "2.5" in text
    assert dr.list_available_variables()  # the graph is still usable
    tags = {v.name: dict(v.tags) for v in dr.list_available_variables()}
    assert tags["failed"]["team"] == "dq" and "team" not in tags["failed_raw"]  # as Hamilton


def test_warn_and_fail_validators_on_one_node(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER)

    @check_output_custom(Positive("warn"), Positive("fail"))
    def mixed(n: int) -> pd.Series:
        return pd.Series([n, 1])

    with pytest.raises(DataValidationError) as info:  # lines name the validator, as Hamilton
        build(mixed).execute(["mixed"], inputs={"n": 0})
    assert len(info.value.messages) == 1 and "[mixed:positive]" in info.value.messages[0]
    assert [r.getMessage()[:16] for r in caplog.records] == ["[mixed:positive]"]


def test_validator_nodes_can_be_requested_without_the_gate() -> None:
    out = build(failed).execute(["failed_mean_in_range_validator"], inputs={"n": 5})
    result = out["failed_mean_in_range_validator"]
    assert result.passes is False and result.diagnostics["dataset_mean"] == 2.5


def test_pandera_schemas_and_models_end_to_end() -> None:
    import pandera.pandas as pa
    from pandera.typing import DataFrame

    from plait.plugins import h_pandera

    class Model(pa.DataFrameModel):
        a: int = pa.Field(ge=0)

    @check_output(
        schema=pa.DataFrameSchema({"a": pa.Column(int, pa.Check.ge(0))}), importance="fail"
    )
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n]})

    @check_output(schema=pa.SeriesSchema(int, pa.Check.ge(0)), importance="fail")
    def column(frame: pd.DataFrame) -> pd.Series:
        return frame["a"]

    @h_pandera.check_output(importance="fail")
    def modelled(n: int) -> DataFrame[Model]:
        return pd.DataFrame({"a": [n]})

    dr = build(frame, column, modelled)
    assert dr.execute(["column", "modelled"], inputs={"n": 1})["column"].tolist() == [1]
    for name in ("frame", "modelled"):
        with pytest.raises(DataValidationError, match=rf"\[{name}:pandera_schema_validator\]"):
            dr.execute([name], inputs={"n": -1})


def test_pandera_on_polars() -> None:
    import pandera.polars as pp
    import polars as pl

    @check_output(
        schema=pp.DataFrameSchema({"a": pp.Column(int, pp.Check.ge(0))}), importance="fail"
    )
    def frame(n: int) -> pl.DataFrame:
        return pl.DataFrame({"a": [n]})

    dr = build(frame)
    assert dr.execute(["frame"], inputs={"n": 2})["frame"]["a"].to_list() == [2]
    with pytest.raises(DataValidationError, match="pandera_schema_validator"):
        dr.execute(["frame"], inputs={"n": -2})


def test_pydantic_models_end_to_end() -> None:
    from pydantic import BaseModel

    from plait.plugins import h_pydantic

    class User(BaseModel):
        age: int

    @h_pydantic.check_output(importance="fail")
    def user(age: Any) -> User:
        return User(age=age) if isinstance(age, int) else {"age": age}

    @check_output(model=User, importance="fail")
    def record(age: Any) -> dict[str, Any]:
        return {"age": age}

    dr = build(user, record)
    assert dr.execute(["user", "record"], inputs={"age": 3})["record"] == {"age": 3}
    for name in ("user", "record"):  # strict: "3" is not an int
        with pytest.raises(DataValidationError, match=rf"\[{name}:pydantic_validator\]"):
            dr.execute([name], inputs={"age": "3"})


# -- async validators -------------------------------------------------------------------------
class AsyncPositive(AsyncDataValidator):
    def __init__(self) -> None:
        super().__init__("fail")

    def applies_to(self, datatype: type) -> bool:
        return datatype is int

    def description(self) -> str:
        return "Positive (async)."

    @classmethod
    def name(cls) -> str:
        return "async_positive"

    async def validate(self, dataset: int) -> ValidationResult:
        return ValidationResult(dataset > 0, "checked")


def test_async_validator_node_is_a_coroutine_function_and_refused_by_the_sync_driver() -> None:
    @check_output_custom(AsyncPositive())
    def value(n: int) -> int:
        return n

    node = resolve_function(value, {})[0]
    assert asyncio.iscoroutinefunction(node.callable)
    assert asyncio.run(node.callable(3)).passes is True
    with pytest.raises(TypeError, match="AsyncDriver"):
        build(value).execute(["value"], inputs={"n": 1})


# -- misuse: one test per row of the docs' table ----------------------------------------------
def _fn_int(n: int) -> int:
    return n


def _fn_series(n: int) -> pd.Series:
    return pd.Series([n])


@pytest.mark.parametrize(
    ("decorator", "fn", "excerpt"),
    [
        (
            lambda: check_output(rnge=(0, 1)),
            _fn_int,
            "no validator takes the argument 'rnge'. Did you mean 'range'?",
        ),
        (
            lambda: check_output(range=(0, 1), importance="error"),
            _fn_int,
            "importance='error' is not a validation level",
        ),
        (lambda: check_output(), _fn_int, "names no check"),
        (lambda: check_output_custom(), _fn_int, "has no validator"),
        (
            lambda: check_output_custom(Positive),
            _fn_series,
            "Positive is a class; pass an instance",
        ),
        (lambda: check_output_custom(object()), _fn_series, "is not a DataValidator"),
    ],
)
def test_misuse_at_decoration(decorator: Any, fn: Any, excerpt: str) -> None:
    fresh = types.FunctionType(fn.__code__, fn.__globals__, "fresh")  # decorators record on fn
    fresh.__annotations__ = fn.__annotations__
    with pytest.raises(InvalidDecoratorError) as info:
        decorator()(fresh)
    assert isinstance(info.value, ValueError)
    assert excerpt in str(info.value) and at(fn) in str(info.value)


def test_misuse_validator_without_super_init() -> None:
    class NoInit(Positive):
        def __init__(self) -> None:
            pass

    with pytest.raises(InvalidDecoratorError, match=r"call super\(\).__init__\(importance\)"):
        check_output_custom(NoInit())(lambda n: n)


def test_misuse_bad_importance_on_a_validator() -> None:
    with pytest.raises(InvalidDecoratorError, match="importance='loud'"):
        Positive("loud")


@pytest.mark.parametrize(
    ("decorator", "fn", "excerpt"),
    [
        (
            lambda: check_output(contains="a"),
            _fn_int,
            "'contains' checks str, not the output type int",
        ),
        (
            lambda: check_output(range=(0, 1)),
            lambda n: [n],
            "Arguments that apply to list: ['allow_none']",
        ),
        (
            lambda: check_output(max_fraction_nans=2),
            _fn_series,
            "max_fraction_nans=2 is not a fraction",
        ),
        (lambda: check_output(allow_nans=True), _fn_series, "allow_nans=True"),
        (lambda: check_output(range=5), _fn_int, "range=5 is not a (low, high) pair"),
        (
            lambda: check_output_custom(Positive()),
            _fn_int,
            "'positive' does not apply to the output type int",
        ),
        (
            lambda: check_output(range=(0, 1), target_="nope"),
            _fn_int,
            "target ['nope'] names no node",
        ),
    ],
)
def test_misuse_at_build(decorator: Any, fn: Any, excerpt: str) -> None:
    fresh = types.FunctionType(fn.__code__, fn.__globals__, "fresh")  # decorators record on fn
    fresh.__annotations__ = {"n": int, "return": fn.__annotations__.get("return", list)}
    with pytest.raises(InvalidDecoratorError) as info:
        resolve_function(decorator()(fresh), {})
    assert excerpt in str(info.value) and at(fn) in str(info.value)


def test_misuse_pandera_schema_on_a_non_dataframe() -> None:
    import pandera.pandas as pa

    frame_schema = pa.DataFrameSchema({"a": pa.Column(int)})

    def number(n: int) -> int:
        return n

    def series(n: int) -> pd.Series:
        return pd.Series([n])

    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n]})

    cases = [
        (
            number,
            frame_schema,
            "'schema' checks dataframes (pandas, polars, dask, pyspark.pandas) or series",
        ),
        (series, frame_schema, "is not a SeriesSchema, which a series output needs"),
        (frame, pa.SeriesSchema(int), "is not a DataFrameSchema or DataFrameModel"),
        (frame, {"a": int}, "is not a DataFrameSchema or DataFrameModel"),
    ]
    for fn, schema, excerpt in cases:
        with pytest.raises(InvalidDecoratorError) as info:
            build(check_output(schema=schema)(fn))
        assert excerpt in str(info.value) and at(fn) in str(info.value), str(info.value)


def test_misuse_plugins_on_the_wrong_output_type() -> None:
    from plait.plugins import h_pandera, h_pydantic

    def plain(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n]})

    with pytest.raises(
        InvalidDecoratorError, match=r"not pandera.typing.DataFrame\[Model\]"
    ) as info:
        build(h_pandera.check_output()(plain))
    assert at(plain) in str(info.value)

    def record(n: int) -> dict:
        return {"a": n}

    with pytest.raises(InvalidDecoratorError, match="is not a pydantic model") as info:
        build(h_pydantic.check_output()(record))
    assert at(record) in str(info.value)

    def another(n: int) -> dict:
        return {"a": n}

    with pytest.raises(InvalidDecoratorError, match="model=3 cannot validate data"):
        build(check_output(model=3)(another))


def test_misuse_two_checks_on_one_node() -> None:
    def twice(n: int) -> int:
        return n

    decorated = check_output(range=(0, 10))(check_output(data_type=int)(twice))
    with pytest.raises(InvalidDecoratorError, match=r"\['twice_raw'\] twice") as info:
        build(decorated)
    assert at(twice) in str(info.value)


def test_misuse_check_on_a_parallelizable_output() -> None:
    from plait.htypes import Parallelizable

    def items(n: int) -> Parallelizable[int]:
        yield from range(n)

    with pytest.raises(InvalidDecoratorError, match="Parallelizable output") as info:
        resolve_function(check_output(allow_none=False)(items), {})
    assert at(items) in str(info.value)


@pytest.mark.parametrize(
    ("module", "make"),
    [
        ("pandera", lambda: __import__("plait.plugins.h_pandera").plugins.h_pandera.check_output()),
        ("pandera", lambda: dv.PanderaDataFrameValidator(object(), "warn")),
        (
            "pydantic",
            lambda: __import__("plait.plugins.h_pydantic").plugins.h_pydantic.check_output(),
        ),
        ("pydantic", lambda: dv.PydanticModelValidator(dict, "warn")),
    ],
)
def test_misuse_library_missing(monkeypatch: pytest.MonkeyPatch, module: str, make: Any) -> None:
    import plait.plugins.h_pandera
    import plait.plugins.h_pydantic  # noqa: F401

    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf'pip install "plait\[{module}\]"'):
        make()


def test_runtime_validate_returning_the_wrong_type_is_a_type_error() -> None:
    class Sloppy(Positive):
        def validate(self, dataset: pd.Series) -> Any:
            return True

    @check_output_custom(Sloppy())
    def sloppy(n: int) -> pd.Series:
        return pd.Series([n])

    with pytest.raises(TypeError, match="'positive' of node 'sloppy' returned bool"):
        build(sloppy).execute(["sloppy"], inputs={"n": 1})


def test_runtime_sync_validator_returning_a_coroutine_is_a_type_error() -> None:
    class Confused(Positive):
        def validate(self, dataset: pd.Series) -> Any:
            return AsyncPositive().validate(1)

    runner = checks.RunCheck(Confused(), "node")
    with pytest.raises(TypeError, match="AsyncDriver"):
        runner(pd.Series([1]))


# -- public shells and import cost ------------------------------------------------------------
def test_public_names_and_no_heavy_imports() -> None:
    import plait.data_quality.base as base

    assert base.DataValidationError is DataValidationError and base.logger.name == LOGGER
    assert checks.check_output is check_output
    code = (
        "import sys, plait.function_modifiers, plait.plugins.h_pandera, plait.plugins.h_pydantic,"
        " plait.data_quality.default_validators\n"
        "heavy = {'pandas', 'numpy', 'pandera', 'pydantic'} & set(sys.modules)\n"
        "assert not heavy, heavy"
    )
    src = str(Path(checks.__file__).parents[2])
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": src})


class Point(BaseModel):  # module level: pickled by reference
    x: int


def test_checked_nodes_and_errors_pickle_for_process_executors() -> None:
    import pickle

    @check_output(model=Point, importance="fail")
    def point(x: int) -> dict:
        return {"x": x}

    nodes = {n.name: n for n in resolve_function(point, {})}
    check = pickle.loads(pickle.dumps(nodes["point_pydantic_validator"].callable))
    assert check({"x": 1}).passes and not check({"x": "1"}).passes
    gate = pickle.loads(pickle.dumps(nodes["point"].callable))
    with pytest.raises(DataValidationError):
        gate({"x": "1"}, check({"x": "1"}))
    error = pickle.loads(pickle.dumps(DataValidationError(["[a:b] failed"], "a")))
    assert error.node_name == "a" and error.messages == ["[a:b] failed"]
