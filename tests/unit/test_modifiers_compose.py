"""Composition decorators as pure transforms (function in, nodes out) and through a driver."""

from __future__ import annotations

import types
from typing import Any

import pandas as pd
import polars as pl
import pytest

from plait import driver
from plait._model.errors import DuplicateNodeError, InvalidDecoratorError, PlaitError
from plait._modifiers.base import NON_FINAL_TAG
from plait._modifiers.resolve import resolve_function
from plait._modifiers.step import UnsupportedDecoratorError
from plait._modifiers.subdag import rename_inputs
from plait.function_modifiers import (
    apply_to,
    config,
    configuration,
    group,
    hamilton_exclude,
    mutate,
    parameterized_subdag,
    pipe,
    pipe_input,
    pipe_output,
    source,
    step,
    subdag,
    tag,
    value,
)
from plait.plugins import h_pandas, h_polars


def _where(fn: Any) -> str:
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def _by_name(nodes: list[Any]) -> dict[str, Any]:
    return {n.name: n for n in nodes}


def _run(*functions: Any, outputs: list[str], inputs: dict | None = None, cfg: dict | None = None):
    dr = driver.Builder().with_functions(*functions).with_config(cfg or {}).build()
    return dr.execute(outputs, inputs=inputs or {})


# -- inner "module" used by the subdag tests -------------------------------------------------
def doubled(x: int) -> int:
    return x * 2


def shifted(doubled: int, offset: int = 0) -> int:
    return doubled + offset


@config.when(mode="neg")
def signed__neg(shifted: int) -> int:
    return -shifted


@config.when_not(mode="neg")
def signed__pos(shifted: int) -> int:
    return shifted


INNER = [doubled, shifted, signed__neg, signed__pos]


# -- subdag: the transform -------------------------------------------------------------------
def test_subdag_names_and_wiring():
    @subdag(*INNER, inputs={"x": source("raw"), "offset": value(5)}, config={"mode": "neg"})
    def feat(signed: int) -> int:
        return signed + 1

    nodes = _by_name(resolve_function(feat, {}))
    assert sorted(nodes) == [
        "feat",
        "feat.doubled",
        "feat.mode",
        "feat.offset",
        "feat.shifted",
        "feat.signed",
        "feat.x",
    ]
    assert [d.name for d in nodes["feat.shifted"].inputs] == ["feat.doubled", "feat.offset"]
    assert [d.name for d in nodes["feat.x"].inputs] == ["raw"]
    assert [d.name for d in nodes["feat"].inputs] == ["feat.signed"]
    assert nodes["feat.doubled"].tags[NON_FINAL_TAG] is True
    assert NON_FINAL_TAG not in nodes["feat"].tags
    assert nodes["feat.mode"]() == "neg"
    assert nodes["feat.offset"]() == 5
    # inner nodes keep the inner function as origin; the final node is the decorated one
    assert nodes["feat.doubled"].origin.line == doubled.__code__.co_firstlineno
    assert nodes["feat"].originating_functions == (feat,)


def test_subdag_end_to_end():
    @subdag(*INNER, inputs={"x": source("raw"), "offset": value(5)}, config={"mode": "neg"})
    def feat(signed: int) -> int:
        return signed + 1

    @subdag(*INNER, inputs={"x": value(1)}, namespace="other", final_node_name="pos")
    def feat_pos(signed: int) -> int:
        return signed

    out = _run(feat, feat_pos, outputs=["feat", "pos", "other.doubled"], inputs={"raw": 10})
    assert out == {"feat": -24, "pos": 2, "other.doubled": 2}


def test_subdag_external_inputs_and_outer_config():
    @subdag(*INNER, inputs={"x": value(3)}, external_inputs=["bonus"])
    def feat(signed: int, bonus: int) -> int:
        return signed + bonus

    # the outer config selects the inner variant and also feeds 'offset' (not namespaced)
    out = _run(feat, outputs=["feat"], inputs={"bonus": 100}, cfg={"mode": "neg", "offset": 1})
    assert out == {"feat": 93}


def test_subdag_config_values_are_resolved():
    """Config nodes hold the resolved values (Hamilton: the raw value()/configuration() specs)."""

    @subdag(
        *INNER, inputs={"x": value(1)}, config={"mode": configuration("outer_mode"), "k": value(7)}
    )
    def feat(signed: int) -> int:
        return signed

    nodes = _by_name(resolve_function(feat, {"outer_mode": "neg"}))
    assert nodes["feat.mode"]() == "neg"
    assert nodes["feat.k"]() == 7
    assert nodes["feat.signed"].tags["hamilton.config"] == "mode"


def test_subdag_source_input_used_only_by_final_function():
    """Hamilton leaves 'feat.x' unsatisfied here; plait feeds it from the source."""

    @subdag(doubled, inputs={"x": source("raw")})
    def feat(doubled: int, x: int) -> int:
        return doubled + x

    assert _run(feat, outputs=["feat"], inputs={"raw": 4}) == {"feat": 12}


def test_subdag_tag_goes_to_the_final_node():
    @tag(owner="me")
    @subdag(doubled, inputs={"x": value(1)})
    def feat(doubled: int) -> int:
        return doubled

    nodes = _by_name(resolve_function(feat, {}))
    assert nodes["feat"].tags["owner"] == "me"
    assert "owner" not in nodes["feat.doubled"].tags


def test_subdag_over_a_module(make_module):
    inner = types.ModuleType("compose_inner_mod")
    for fn in (doubled, shifted):
        setattr(inner, fn.__name__, fn)
    own = make_module(doubled, shifted)  # copies defined "in" the new module

    @subdag(own, inputs={"x": value(2)})
    def feat(shifted: int) -> int:
        return shifted

    assert sorted(n.name for n in resolve_function(feat, {})) == [
        "feat",
        "feat.doubled",
        "feat.shifted",
        "feat.x",
    ]
    with pytest.raises(InvalidDecoratorError, match="no functions"):
        subdag(inner)  # its functions are defined in another module: crawling skips them


def test_parameterized_subdag():
    @parameterized_subdag(
        *INNER,
        inputs={"offset": value(1)},
        one={"inputs": {"x": value(1)}},
        two={"inputs": {"x": value(2)}, "config": {"mode": "neg"}},
    )
    def many(signed: int) -> int:
        return signed

    names = {n.name for n in resolve_function(many, {})}
    assert {"one", "two", "one.x", "two.mode", "two.offset"} <= names
    assert _run(many, outputs=["one", "two"]) == {"one": 3, "two": -5}


# -- pipe_input / pipe_output / step ---------------------------------------------------------
def _add(x: int, y: int = 1) -> int:
    return x + y


def _mul(x: int, k: int) -> int:
    return x * k


def _text(x: int) -> str:
    return str(x)


def test_pipe_input_names_and_binding():
    @pipe_input(step(_add, y=source("bonus")), step(_mul, 3), step(_add, value(5)).named("last"))
    def f(a: int, b: int = 0) -> int:
        return a + b

    nodes = _by_name(resolve_function(f, {}))
    assert list(nodes) == ["f.with_add", "f.with_mul", "f.last", "f"]
    assert [d.name for d in nodes["f.with_add"].inputs] == ["a", "bonus"]
    assert [d.name for d in nodes["f.with_mul"].inputs] == ["f.with_add"]
    assert [d.name for d in nodes["f"].inputs] == ["f.last", "b"]
    assert nodes["f.with_add"].originating_functions == (f,)
    assert _run(f, outputs=["f"], inputs={"a": 1, "bonus": 1}) == {"f": 11}


def test_pipe_input_namespaces_and_repeats():
    @pipe_input(step(_add), step(_add), step(_add).named("n", namespace=None))
    def f(a: int) -> int:
        return a

    @pipe_input(step(_add), namespace="ns")
    def g(a: int) -> int:
        return a

    @pipe_input(step(_add), namespace=None)
    def h(a: int) -> int:
        return a

    assert [n.name for n in resolve_function(f, {})] == ["f.with_add", "f.with_add_1", "n", "f"]
    assert [n.name for n in resolve_function(g, {})] == ["ns.with_add", "g"]
    assert [n.name for n in resolve_function(h, {})] == ["with_add", "h"]


def test_step_conditions():
    @pipe_input(
        step(_mul, k=10).when(m="a"),
        step(_mul, k=100).when_not(m="a"),
        step(_add, y=1).when_in(m=["a", "b"]),
        step(_add, y=2).when_not_in(m=["a"]),
    )
    def f(a: int) -> int:
        return a

    assert pipe_input(step(_add).when(m=1)).optional_config() == {"m": None}
    assert _run(f, outputs=["f"], inputs={"a": 1}, cfg={"m": "a"}) == {"f": 11}
    assert _run(f, outputs=["f"], inputs={"a": 1}, cfg={"m": "b"}) == {"f": 103}
    assert [n.name for n in resolve_function(f, {"m": "c"})] == ["f.with_mul", "f.with_add", "f"]


def test_pipe_input_on_input_and_step_on_input():
    @pipe_input(step(_add), on_input="b")
    def f(a: int, b: int) -> int:
        return a * 10 + b

    @pipe_input(step(_add).on_input("a"), step(_mul, 2).on_input("b"))
    def g(a: int, b: int) -> int:
        return a * 10 + b

    assert [n.name for n in resolve_function(g, {})] == ["a.with_add", "b.with_mul", "g"]
    assert _run(f, outputs=["f"], inputs={"a": 1, "b": 1}) == {"f": 12}
    assert _run(g, outputs=["g"], inputs={"a": 1, "b": 1}) == {"g": 22}


def test_pipe_is_pipe_input_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match="pipe_input"):
        decorator = pipe(step(_add))
    assert isinstance(decorator, pipe_input)


def test_pipe_output_names_and_values():
    @pipe_output(step(_add, y=2), step(_mul, 10).named("ten"), step(_text))
    def f(a: int) -> int:
        """Documented."""
        return a

    nodes = _by_name(resolve_function(f, {}))
    assert list(nodes) == ["f.raw", "f.with_add", "f.ten", "f.with_text", "f"]
    assert nodes["f"].type is str
    assert nodes["f.raw"].documentation == "Documented."
    assert nodes["f"].tags["module"] == f.__module__  # Hamilton: its own macros module
    assert _run(f, outputs=["f"], inputs={"a": 1}) == {"f": "30"}


def test_pipe_output_without_applicable_steps_keeps_the_node():
    @pipe_output(step(_add).when(m="x"))
    def f(a: int) -> int:
        return a

    assert [n.name for n in resolve_function(f, {})] == ["f"]


def test_pipe_output_targets():
    def _two(a: int) -> int:
        return a

    @pipe_output(step(_add), step(_mul, 3).on_output("g"))
    @subdag(_two, inputs={"a": value(1)}, final_node_name="g")
    def f(_two: int) -> int:
        return _two

    names = [n.name for n in resolve_function(f, {})]
    assert names[-4:] == ["g.raw", "g.with_add", "g.with_mul", "g"]


def test_mutate_adds_steps_to_other_functions():
    def target(a: int) -> int:
        return a

    @pipe_output(step(_add, y=100))
    def other(a: int) -> int:
        return a

    shared = other.__plait_modifiers__[0]

    @mutate(target, apply_to(other, k=value(3)), k=2)
    def scale(x: int, k: int) -> int:
        return x * k

    @mutate(target)
    def _neg(x: int) -> int:
        return -x

    assert [n.name for n in resolve_function(target, {})] == [
        "target.raw",
        "target.with_scale",
        "target.with_neg",
        "target",
    ]
    assert shared.transforms == other.__plait_modifiers__[0].transforms[:1]  # not mutated
    assert resolve_function(scale, {}) == []  # excluded from the graph
    assert _run(target, other, outputs=["target", "other"], inputs={"a": 1}) == {
        "target": -2,
        "other": 303,
    }


def test_rename_inputs_calls_positionally_and_by_keyword():
    node = resolve_function(shifted, {})[0]
    renamed = rename_inputs(node, {"doubled": "ns.doubled"}, "ns.shifted")
    assert renamed.positional
    assert renamed(4, 1) == renamed(**{"ns.doubled": 4, "offset": 1}) == 5


# -- with_columns ----------------------------------------------------------------------------
def a_plus_b(a: pd.Series, b: pd.Series) -> pd.Series:
    return a + b


def twice(a_plus_b: pd.Series) -> pd.Series:
    return a_plus_b * 2


def total(a: pd.Series) -> int:
    return int(a.sum())


def test_with_columns_pandas_transform():
    @h_pandas.with_columns(a_plus_b, twice, total, columns_to_pass=["a", "b"], select=["twice"])
    def out(df: pd.DataFrame) -> pd.DataFrame:
        return df

    nodes = _by_name(resolve_function(out, {}))
    assert list(nodes) == ["out.a", "out.b", "out.a_plus_b", "out.twice", "out._append", "out"]
    assert [d.name for d in nodes["out._append"].inputs] == ["out.twice", "df"]
    assert [d.name for d in nodes["out"].inputs] == ["out._append"]
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    result = _run(out, outputs=["out"], inputs={"df": frame})["out"]
    pd.testing.assert_frame_equal(result, frame.assign(twice=[8, 12]))


def test_with_columns_default_select_and_on_input():
    def a(df: pd.DataFrame) -> pd.Series:
        return df["a"] * 10

    @h_pandas.with_columns(a, on_input="df", namespace="ns")
    def out(n: int, df: pd.DataFrame) -> pd.DataFrame:
        return df.head(n)

    assert [n.name for n in resolve_function(out, {})] == ["ns.a", "ns._append", "out"]
    frame = pd.DataFrame({"a": [1, 2]})
    result = _run(out, outputs=["out"], inputs={"df": frame, "n": 1})["out"]
    pd.testing.assert_frame_equal(result, pd.DataFrame({"a": [10]}))


def test_with_columns_polars():
    def s(x: pl.Series, y: pl.Series) -> pl.Series:
        return x + y

    @h_polars.with_columns(s, columns_to_pass=["x", "y"], select=["s"])
    def out(df: pl.DataFrame) -> pl.DataFrame:
        return df

    result = _run(out, outputs=["out"], inputs={"df": pl.DataFrame({"x": [1], "y": [2]})})
    assert result["out"].to_dict(as_series=False) == {"x": [1], "y": [2], "s": [3]}


# -- misuse: one test per row of the table in docs/decorators/composition.md ------------------
def _raises(exc_type: type[Exception], call: Any, *needles: str) -> Exception:
    with pytest.raises(exc_type) as info:
        call()
    assert isinstance(info.value, PlaitError)
    text = str(info.value)
    missing = [n for n in needles if n not in text]
    assert not missing, f"{missing} not in: {text}"
    return info.value


def _build(*functions: Any, cfg: dict | None = None) -> Any:
    return driver.Builder().with_functions(*functions).with_config(cfg or {}).build()


def test_misuse_subdag_input_feeds_nothing():
    @subdag(doubled, inputs={"x": value(1), "y": value(2)})
    def feat(doubled: int) -> int:
        return doubled

    _raises(ValueError, lambda: _build(feat), _where(feat), "['y']", "feed no parameter")


def test_subdag_input_for_a_variant_dropped_by_config_is_fine():
    def _uses_k(k: int) -> int:
        return k

    @subdag(doubled, config.when(mode="k")(_uses_k), inputs={"x": value(1), "k": value(2)})
    def feat(doubled: int) -> int:
        return doubled

    assert _run(feat, outputs=["feat"]) == {"feat": 2}


def test_misuse_subdag_input_names_a_computed_node():
    @subdag(doubled, inputs={"x": value(1), "doubled": value(2)})
    def feat(doubled: int) -> int:
        return doubled

    _raises(ValueError, lambda: _build(feat), _where(feat), "['doubled']", "computes")


def test_misuse_subdag_specs():
    _raises(ValueError, lambda: subdag(inputs={}), "no functions")
    _raises(ValueError, lambda: subdag(42), "int")
    _raises(ValueError, lambda: subdag(doubled, inputs={"x": 1}), "value(")
    _raises(ValueError, lambda: subdag(doubled, inputs={"x": value(1)}, config={"x": 1}), "both")
    _raises(ValueError, lambda: subdag(doubled, config={"m": source("n")}), "inputs=")


def test_misuse_subdag_external_input_not_a_parameter():
    def feat(doubled: int) -> int:
        return doubled

    decorator = subdag(doubled, inputs={"x": value(1)}, external_inputs=["nope"])
    _raises(ValueError, lambda: decorator(feat), _where(feat), "['nope']")


def test_misuse_subdag_configuration_key_missing():
    @subdag(doubled, inputs={"x": value(1)}, config={"m": configuration("absent")})
    def feat(doubled: int) -> int:
        return doubled

    _raises(ValueError, lambda: _build(feat), _where(feat), "'absent'")


def test_misuse_parameterized_subdag():
    _raises(ValueError, lambda: parameterized_subdag(doubled), "at least one")
    _raises(ValueError, lambda: parameterized_subdag(doubled, p={"input": {}}), "'input'")
    _raises(ValueError, lambda: parameterized_subdag(doubled, p=[1]), "dict")


def test_misuse_two_subdags_share_a_namespace():
    @subdag(doubled, inputs={"x": value(1)}, namespace="ns")
    def one(doubled: int) -> int:
        return doubled

    @subdag(doubled, inputs={"x": value(2)}, namespace="ns")
    def two(doubled: int) -> int:
        return doubled

    _raises(DuplicateNodeError, lambda: _build(one, two), "ns.doubled")


def test_misuse_pipe_input_without_parameters():
    def f() -> int:
        return 1

    _raises(ValueError, lambda: pipe_input(step(_add))(f), _where(f), "no parameters")


def test_misuse_pipe_input_unknown_on_input():
    def f(a: int) -> int:
        return a

    _raises(ValueError, lambda: pipe_input(step(_add), on_input="b")(f), _where(f), "'b'")
    _raises(NotImplementedError, lambda: pipe_input(step(_add), on_input=["a"]), "one parameter")
    _raises(ValueError, lambda: pipe_input(step(_add).on_input("a"), on_input="a"), "not both")


def test_misuse_step_cannot_take_the_piped_value():
    def _none() -> int:
        return 1

    def _kw(*, x: int) -> int:
        return x

    def _untyped(x):
        return x

    def f(a: int) -> int:
        return a

    _raises(ValueError, lambda: pipe_input(step(_none))(f), _where(f), "_none", "no parameters")
    _raises(ValueError, lambda: pipe_input(step(_kw))(f), "keyword-only")
    _raises(ValueError, lambda: pipe_input(step(_untyped))(f), "_untyped", "annotation")
    _raises(ValueError, lambda: pipe_output(step(_add, 1, 2))(f), "_add", "cannot take")
    _raises(ValueError, lambda: pipe_output(step(_mul, k=group(value(1))))(f), "group(")


def test_misuse_step_type_does_not_match():
    def _strs(x: str) -> str:
        return x

    @pipe_output(step(_text), step(_add))
    def f(a: int) -> int:
        return a

    @pipe_input(step(_text))
    def g(a: int) -> int:
        return a

    @pipe_output(step(_strs))
    def h(a: int) -> int:
        return a

    _raises(ValueError, lambda: resolve_function(f, {}), _where(f), "step(_add)", "'str'")
    _raises(ValueError, lambda: resolve_function(g, {}), _where(g), "'a' is annotated 'int'")
    _raises(ValueError, lambda: resolve_function(h, {}), _where(h), "step(_strs)")


def test_misuse_steps_named_alike():
    @pipe_input(step(_add).named("same"), step(_mul, 2).named("same"))
    def f(a: int) -> int:
        return a

    _raises(ValueError, lambda: resolve_function(f, {}), _where(f), "'f.same'")


def test_misuse_pipe_output_shared_namespace_on_several_outputs():
    def _v(a: int) -> int:
        return a

    @pipe_output(step(_add), namespace="ns", on_output=["p", "q"])
    @parameterized_subdag(_v, inputs={"a": value(1)}, p={}, q={})
    def f(_v: int) -> int:
        return _v

    _raises(ValueError, lambda: resolve_function(f, {}), _where(f), "'ns.with_add'")


def test_misuse_pipe_output_targets():
    def f(a: int) -> int:
        return a

    _raises(ValueError, lambda: pipe_output(step(_add), on_output=...), "'...'")
    _raises(ValueError, lambda: pipe_output(step(_add).on_output("a"), on_output="b"), "not both")
    decorated = pipe_output(step(_add).on_output("zz"))(f)
    _raises(ValueError, lambda: resolve_function(decorated, {}), "['zz']", _where(f))


def test_misuse_unimplemented_options():
    _raises(NotImplementedError, lambda: pipe_input(step(_add), collapse=True), "collapse")
    _raises(NotImplementedError, lambda: pipe_output(step(_add), _chain=True), "_chain")
    _raises(NotImplementedError, lambda: mutate(_add, collapse=True), "collapse")


def test_misuse_mutate_and_apply_to():
    _raises(ValueError, lambda: mutate(pd.Series.copy)(_add), "same module")
    _raises(TypeError, lambda: apply_to("name"), "not names")
    _raises(ValueError, lambda: step(_add, _name="x"), "_name")


def test_misuse_with_columns_options():
    _raises(ValueError, lambda: h_pandas.with_columns(a_plus_b), "exactly one")
    _raises(
        ValueError,
        lambda: h_pandas.with_columns(a_plus_b, columns_to_pass=["a"], on_input="d"),
        "exactly one",
    )
    _raises(
        NotImplementedError,
        lambda: h_pandas.with_columns(a_plus_b, pass_dataframe_as="d"),
        "on_input",
    )


def test_misuse_with_columns_frame_parameter():
    def none() -> pd.DataFrame:
        return pd.DataFrame()

    def polars_frame(df: pl.DataFrame) -> pl.DataFrame:
        return df

    def f(df: pd.DataFrame) -> pd.DataFrame:
        return df

    wc = h_pandas.with_columns(a_plus_b, columns_to_pass=["a", "b"])
    _raises(ValueError, lambda: wc(none), _where(none), "no parameters")
    _raises(ValueError, lambda: wc(polars_frame), _where(polars_frame), "polars")
    on = h_pandas.with_columns(a_plus_b, on_input="other")
    _raises(ValueError, lambda: on(f), _where(f), "'other'")


def test_misuse_with_columns_select():
    @h_pandas.with_columns(a_plus_b, total, columns_to_pass=["a", "b"], select=["nope"])
    def f(df: pd.DataFrame) -> pd.DataFrame:
        return df

    @h_pandas.with_columns(a_plus_b, total, columns_to_pass=["a", "b"], select=["total"])
    def g(df: pd.DataFrame) -> pd.DataFrame:
        return df

    @h_pandas.with_columns(a_plus_b, columns_to_pass=["a", "a_plus_b"])
    def h(df: pd.DataFrame) -> pd.DataFrame:
        return df

    _raises(ValueError, lambda: resolve_function(f, {}), _where(f), "['nope']", "a_plus_b")
    _raises(ValueError, lambda: resolve_function(g, {}), _where(g), "total -> int")
    _raises(ValueError, lambda: resolve_function(h, {}), _where(h), "['a_plus_b']")


def test_misuse_with_columns_missing_column_at_run_time():
    @h_pandas.with_columns(a_plus_b, columns_to_pass=["a", "b"])
    def f(df: pd.DataFrame) -> pd.DataFrame:
        return df

    dr = _build(f)
    call = lambda: dr.execute(["f"], inputs={"df": pd.DataFrame({"a": [1]})})  # noqa: E731
    error = _raises(InvalidDecoratorError, call, "'b'", _where(f), "columns_to_pass")
    assert "f.b" in "\n".join(getattr(error, "__notes__", []))


def test_misuse_unsupported_error_is_both_builtins():
    assert issubclass(UnsupportedDecoratorError, ValueError)
    assert issubclass(UnsupportedDecoratorError, NotImplementedError)


# -- found while writing this family (framework issues, not fixed here) -----------------------
def test_bare_hamilton_exclude():
    @hamilton_exclude
    def helper() -> int:
        return 1

    assert resolve_function(helper, {}) == []


def test_pipe_input_over_with_columns_pipes_the_frame_first():
    def _double(df: pd.DataFrame) -> pd.DataFrame:
        return df * 2

    @pipe_input(step(_double))
    @h_pandas.with_columns(a_plus_b, columns_to_pass=["a", "b"])
    def f(df: pd.DataFrame) -> pd.DataFrame:
        return df

    frame = pd.DataFrame({"a": [1], "b": [2]})
    result = _run(f, outputs=["f"], inputs={"df": frame})["f"]
    pd.testing.assert_frame_equal(result, pd.DataFrame({"a": [2], "b": [4], "a_plus_b": [6]}))


def test_subdag_config_default_variant_yields_to_a_selected_one():
    @config.default()
    def rate__default() -> float:
        return 1.0

    @config.when(region="uk")
    def rate__uk() -> float:
        return 0.8

    @subdag(rate__default, rate__uk, config={"region": "uk"}, namespace="uk")
    def uk_rate(rate: float) -> float:
        return rate

    @subdag(rate__default, rate__uk, namespace="other")
    def other_rate(rate: float) -> float:
        return rate

    assert _run(uk_rate, other_rate, outputs=["uk_rate", "other_rate"]) == {
        "uk_rate": 0.8,
        "other_rate": 1.0,
    }
