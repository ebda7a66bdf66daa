"""Data quality (``@check_output``, ``@check_output_custom``, ``h_pandera``, ``h_pydantic``):
the same DAG modules run through apache-hamilton and plait.

The DAG modules (``tests/dags/mod_checks_*.py``) are written against plait and ported to
Hamilton by :func:`harness.load_dag`. Validators' ``message`` and ``description`` texts are
plait's own words; node names, tags, types, edges, values, ``passes`` and ``diagnostics`` match.
"""

import logging
import re
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from .harness import Impl, assert_mentions, assert_same, both, both_raise, load_dag, where

VALIDATOR_TAG = "hamilton.data_quality.contains_dq_results"
BASIC_INPUTS = {"n": 3, "region_code": "eu"}


@pytest.fixture(autouse=True)
def _quiet_pandera() -> Iterator[None]:
    """Hamilton's h_pandera needs models of pandera's deprecated top-level namespace."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"(pandera|dags)\b.*")
        warnings.filterwarnings(
            "ignore", message=r"(?s).*top-level pandera module", category=FutureWarning
        )
        yield


def shape(dr: Any) -> dict[str, dict[str, Any]]:
    """Every node: type name, tags, inputs, documentation (kept for non-validator nodes)."""
    table = {}
    for v in dr.list_available_variables():
        row = {
            "type": getattr(v.type, "__name__", repr(v.type)),
            "tags": dict(v.tags),
            "required": sorted(v.required_dependencies),
            "optional": sorted(v.optional_dependencies),
            "external": v.is_external_input,
        }
        if not v.tags.get(VALIDATOR_TAG):
            row["documentation"] = v.documentation
        if not v.is_external_input:
            row["functions"] = [f.__name__ for f in v.originating_functions or ()]
        table[v.name] = row
    return table


def validator_nodes(dr: Any) -> list[str]:
    return sorted(v.name for v in dr.list_available_variables() if v.tags.get(VALIDATOR_TAG))


def results(dr: Any, inputs: dict[str, Any]) -> dict[str, tuple[bool, dict[str, Any]]]:
    """``passes`` and ``diagnostics`` of the validator nodes (``label_*`` ones are downstream of
    the ``bounded`` gate, which raises for n > 10)."""
    wanted = [name for name in validator_nodes(dr) if not name.startswith("label_")]
    out = dr.execute(wanted, inputs=inputs)
    return {name: (bool(r.passes), r.diagnostics) for name, r in out.items()}


def module_of(lib: Impl, name: str) -> ModuleType:
    return load_dag(lib, name)


def test_load_dag_ports_the_imports(impl: Impl) -> None:
    module = module_of(impl, "mod_checks_basic")
    assert module.__name__ == "dags.mod_checks_basic"
    assert module.check_output.__module__.split(".")[0] == impl.name
    assert module.DataValidator.__module__.split(".")[0] == impl.name


# -- graph shape ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dag", ["mod_checks_basic", "mod_checks_pandera", "mod_checks_pydantic", "mod_checks_columns"]
)
def test_same_nodes_tags_and_edges(impl: Impl, ham: Impl, dag: str) -> None:
    got, want = both(impl, ham, lambda lib: shape(lib.build(module_of(lib, dag))))
    assert got == want


def test_node_names_follow_hamilton(impl: Impl) -> None:
    names = set(shape(impl.build(module_of(impl, "mod_checks_basic"))))
    assert {"scores", "scores_raw", "scores_range_validator", "scores_data_type_validator"} <= names
    assert {"scores_allow_nans_validator", "deltas_non_negative", "deltas_non_negative_1"} <= names


def test_tag_lands_on_the_checked_node_only(impl: Impl) -> None:
    table = shape(impl.build(module_of(impl, "mod_checks_basic")))
    assert table["deltas"]["tags"]["owner"] == "quality"
    assert "owner" not in table["deltas_raw"]["tags"]
    assert table["deltas_non_negative"]["tags"]["hamilton.data_quality.source_node"] == "deltas"


# -- values -----------------------------------------------------------------------------------
def test_values_when_every_check_passes(impl: Impl, ham: Impl) -> None:
    outputs = ["summary", "scores", "scores_raw", "ratios", "deltas", "region", "label"]
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(module_of(lib, "mod_checks_basic")).execute(
            outputs, inputs=BASIC_INPUTS
        ),
    )
    assert_same(got, want)


@pytest.mark.parametrize("n", [3, 12])
def test_validator_results_match(impl: Impl, ham: Impl, n: int) -> None:
    inputs = {"n": n, "region_code": "ux"}
    got, want = both(
        impl, ham, lambda lib: results(lib.build(module_of(lib, "mod_checks_basic")), inputs)
    )
    assert got == want
    assert want["scores_range_validator"][0] is (n <= 10)


def test_schema_validator_results_match(impl: Impl, ham: Impl) -> None:
    def run(lib: Impl) -> dict[str, Any]:
        dr = lib.build(module_of(lib, "mod_checks_pandera"))
        out = dr.execute(validator_nodes(dr), inputs={"n": 7})
        return {k: (r.passes, len(r.diagnostics.get("schema_errors", []))) for k, r in out.items()}

    got, want = both(impl, ham, run)
    assert got == want
    assert want == {
        "prices_pandera_schema_validator": (True, 0),
        "share_pandera_schema_validator": (False, 1),
        "orders_pandera_schema_validator": (False, 1),
    }


def test_pandera_and_pydantic_values(impl: Impl, ham: Impl) -> None:
    def run(lib: Impl) -> dict[str, Any]:
        frames = lib.build(module_of(lib, "mod_checks_pandera")).execute(
            ["revenue", "orders", "share"], inputs={"n": 2}
        )
        users = lib.build(module_of(lib, "mod_checks_pydantic")).execute(
            ["user_record", "user_pydantic_validator"], inputs={"age": 36, "age_text": "36"}
        )
        check = users.pop("user_pydantic_validator")
        return {**frames, **users, "user_passes": check.passes}

    got, want = both(impl, ham, run)
    assert_same(got, want)


def test_target_on_extracted_columns(impl: Impl, ham: Impl) -> None:
    def run(lib: Impl) -> Any:
        dr = lib.build(module_of(lib, "mod_checks_columns"))
        return dr.execute(["a", "b", "c", "d", "e"], inputs={"n": 6})  # c warns, e unchecked

    got, want = both(impl, ham, run)
    assert_same(got, want)
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(module_of(lib, "mod_checks_columns")).execute(["f"], inputs={"n": 6}),
    )
    assert_mentions(got, "[f:range_validator]")


# -- warn and fail ----------------------------------------------------------------------------
def test_warn_logs_a_warning_and_goes_on(
    impl: Impl, ham: Impl, caplog: pytest.LogCaptureFixture
) -> None:
    def run(lib: Impl) -> tuple[list[str], Any]:
        logger = f"{lib.name}.data_quality.base"
        caplog.clear()
        caplog.set_level(logging.WARNING, logger=logger)
        dr = lib.build(module_of(lib, "mod_checks_basic"))
        out = dr.execute(["scores", "ratios", "region"], inputs={"n": 12, "region_code": "ux"})
        warned = [
            re.match(r"\[(\w+:\w+)\]", r.getMessage()).group(1)  # type: ignore[union-attr]
            for r in caplog.records
            if r.name == logger and r.levelno == logging.WARNING
        ]
        return sorted(warned), out["scores"]

    (got_warned, got_scores), (want_warned, want_scores) = both(impl, ham, run)
    assert got_warned == want_warned
    assert "scores:range_validator" in want_warned and "region:values_in_validator" in want_warned
    assert_same(got_scores, want_scores)


@pytest.mark.parametrize(
    ("output", "inputs", "node", "validator"),
    [
        ("bounded", {"n": 12}, "bounded", "range_validator"),
        ("deltas", {"n": 12}, "deltas", "non_negative"),
        ("label", {"n": 12, "region_code": "eu"}, "bounded", "range_validator"),
    ],
)
def test_fail_raises_data_validation_error(
    impl: Impl, ham: Impl, output: str, inputs: dict[str, Any], node: str, validator: str
) -> None:
    got, want = both_raise(
        impl,
        ham,
        lambda lib: lib.build(module_of(lib, "mod_checks_basic")).execute([output], inputs=inputs),
    )
    assert_mentions(want, f"[{node}:{validator}]")
    assert isinstance(got, impl.module("data_quality.base").DataValidationError)
    assert_mentions(got, f"[{node}:{validator}]")


def test_fail_from_pandera_and_pydantic(impl: Impl, ham: Impl) -> None:
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(module_of(lib, "mod_checks_pandera")).execute(
            ["prices"], inputs={"n": 12}
        ),
    )
    assert_mentions(got, "[prices:pandera_schema_validator]", "qty")
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(module_of(lib, "mod_checks_pydantic")).execute(
            ["user"], inputs={"age": -1}
        ),
    )
    assert_mentions(got, "[user:pydantic_validator]", "age")


# -- misuse: both raise the same builtin; plait names the function and its file:line ---------
def _misuse(kind: str) -> Callable[[Impl], Any]:
    """A build that misuses a decorator of ``lib`` (the module body as a function of it)."""

    def run(lib: Impl) -> Any:
        fm = lib.module("function_modifiers")
        if kind == "unknown_kwarg":
            deco = fm.check_output(rnge=(0, 1))
        elif kind == "bad_importance":
            deco = fm.check_output(range=(0, 1), importance="error")
        elif kind == "not_for_type":
            deco = fm.check_output(contains="a")
        elif kind == "schema_on_int":
            import pandera.pandas as pa

            deco = fm.check_output(schema=pa.DataFrameSchema({"a": pa.Column(int)}))
        elif kind == "bad_fraction":
            deco = fm.check_output(max_fraction_nans=2.0)
        elif kind == "allow_nans_true":
            deco = fm.check_output(allow_nans=True)
        else:
            raise AssertionError(kind)
        numbers_kinds = ("bad_fraction", "allow_nans_true")

        def checked(n: int) -> pd.Series if kind in numbers_kinds else int:  # type: ignore[valid-type]
            return pd.Series([n]) if kind in numbers_kinds else n

        run.fn = checked  # type: ignore[attr-defined]
        decorated = deco(checked)
        return lib.build(lib.ad_hoc_utils.create_temporary_module(decorated))

    return run


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("unknown_kwarg", "Did you mean 'range'?"),
        ("bad_importance", "importance='error'"),
        ("not_for_type", "'contains' checks str, not the output type int"),
        ("schema_on_int", "'schema' checks dataframes"),
        ("bad_fraction", "max_fraction_nans=2.0"),
        ("allow_nans_true", "allow_nans=True"),
    ],
)
def test_misuse_fails_at_build_like_hamilton(impl: Impl, ham: Impl, kind: str, needle: str) -> None:
    run = _misuse(kind)
    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    if impl.is_plait:
        assert type(got).__name__ == "InvalidDecoratorError"
        assert_mentions(got, needle, "'", where(run.fn))  # type: ignore[attr-defined]


def test_two_checks_on_one_node_fail_at_build(impl: Impl, ham: Impl) -> None:
    def run(lib: Impl) -> Any:
        fm = lib.module("function_modifiers")

        @fm.check_output(range=(0, 10))
        @fm.check_output(data_type=int)
        def twice(n: int) -> int:
            return n

        return lib.build(lib.ad_hoc_utils.create_temporary_module(twice))

    got, _ = both_raise(impl, ham, run)
    assert_mentions(got, "twice_raw")
    if impl.is_plait:
        assert_mentions(got, "one @check_output", "test_modifiers_checks.py:")


def test_h_pandera_needs_a_dataframe_model_annotation(impl: Impl, ham: Impl) -> None:
    def run(lib: Impl) -> Any:
        h_pandera = lib.module("plugins.h_pandera")

        @h_pandera.check_output()
        def frame(n: int) -> pd.DataFrame:
            return pd.DataFrame({"a": [n]})

        return lib.build(lib.ad_hoc_utils.create_temporary_module(frame))

    got, _ = both_raise(impl, ham, run)
    assert_mentions(got, "pandera")
    if impl.is_plait:
        assert_mentions(got, "DataFrame[MyModel]", "function 'test_h_pandera")


def test_h_pydantic_needs_a_model_annotation(impl: Impl, ham: Impl) -> None:
    def run(lib: Impl) -> Any:
        h_pydantic = lib.module("plugins.h_pydantic")

        @h_pydantic.check_output()
        def record(n: int) -> dict:
            return {"a": n}

        return lib.build(lib.ad_hoc_utils.create_temporary_module(record))

    got, _ = both_raise(impl, ham, run)
    assert_mentions(got, "ydantic")
    if impl.is_plait:
        assert_mentions(got, "check_output(model=MyModel)")


# -- where plait differs on purpose -----------------------------------------------------------
def test_difference_empty_check_output_is_refused(impl: Impl) -> None:
    """Hamilton builds ``x_raw`` + ``x`` and checks nothing; plait refuses at decoration."""
    fm = impl.module("function_modifiers")

    def build() -> Any:
        @fm.check_output()
        def unchecked(n: int) -> int:
            return n

        return impl.build(impl.ad_hoc_utils.create_temporary_module(unchecked))

    if impl.is_hamilton:
        assert {"unchecked", "unchecked_raw"} <= set(shape(build()))
    else:
        with pytest.raises(ValueError, match="names no check"):
            build()


def test_difference_h_pandera_accepts_pandera_pandas_models(impl: Impl) -> None:
    """Hamilton 1.90 only knows ``pandera.DataFrameModel`` (deprecated top level)."""
    import pandera.pandas as pa
    from pandera.typing import DataFrame

    class Modern(pa.DataFrameModel):
        a: int = pa.Field(ge=0)

    h_pandera = impl.module("plugins.h_pandera")

    def build() -> Any:
        @h_pandera.check_output(importance="fail")
        def modern(n: int) -> DataFrame[Modern]:
            return pd.DataFrame({"a": [n]})

        return impl.build(impl.ad_hoc_utils.create_temporary_module(modern))

    if impl.is_hamilton:
        with pytest.raises(Exception, match="not a valid pandera schema"):
            build()
    else:
        assert build().execute(["modern"], inputs={"n": 1})["modern"]["a"].tolist() == [1]
