"""Expansion decorators as pure transforms (function + config in, nodes out) and end to end.

value/source/group/configuration, @parameterize (+ _values, _sources, _extract_columns),
@inject, @extract_columns, @extract_fields, @unpack_fields, @does, @resolve. The misuse table
of ``docs/decorators/expansion.md`` is ``dags.mod_expand_misuse.CASES``: one test per row.
"""

from __future__ import annotations

import asyncio
import typing
from pathlib import Path
from typing import Any, TypedDict

import pandas as pd
import polars as pl
import pytest

import plait.function_modifiers as fm
from dags import mod_expand_misuse
from dags.mod_expand_misuse import Misuse
from plait import ad_hoc_utils, driver
from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._modifiers import dependencies, dynamic
from plait._modifiers.columns import frame_kind
from plait._modifiers.dependencies import DecoratorKeyError
from plait._modifiers.resolve import resolve_function
from plait.function_modifiers import (
    ParameterizedExtract,
    does,
    extract_columns,
    extract_fields,
    group,
    inject,
    parameterize,
    parameterize_extract_columns,
    parameterize_sources,
    parameterize_values,
    source,
    unpack_fields,
    value,
)

POWER = "hamilton.enable_power_user_mode"


def nodes_of(fn: Any, config: dict[str, Any] | None = None) -> dict[str, Node]:
    return {n.name: n for n in resolve_function(fn, config or {})}


def inputs_of(node: Node) -> dict[str, tuple[Any, bool]]:
    return {d.name: (d.type, d.required) for d in node.inputs}


def call(node: Node, **kwargs: Any) -> Any:
    assert node.callable is not None
    return node.callable(**kwargs)


def run(*fns: Any, outputs: list[str], config: dict[str, Any] | None = None, **inputs: Any):
    module = ad_hoc_utils.create_temporary_module(*fns)
    dr = driver.Builder().with_modules(module).with_config(config or {}).build()
    return dr.execute(outputs, inputs=inputs)


# -- value / source / group / configuration --------------------------------------------------
def test_dependency_records_follow_hamiltons_protocol():
    kinds = dependencies.ParametrizedDependencySource
    assert value(3).value == 3 and value(3).get_dependency_type() is kinds.LITERAL
    assert source("a").source == "a" and source("a").get_dependency_type() is kinds.UPSTREAM
    assert fm.configuration("k").source == "k"
    assert fm.configuration("k").get_dependency_type().name == "CONFIGURATION"
    listed, keyed = group(source("a"), value(1)), group(x=source("a"))
    assert listed.get_dependency_type() is kinds.GROUPED_LIST
    assert listed.sources == [source("a"), value(1)]
    assert keyed.get_dependency_type() is kinds.GROUPED_DICT
    assert keyed.sources == {"x": source("a")}
    assert value(value(2)) == value(2) and source(source("b")) == source("b")
    assert fm.LiteralDependency is dependencies.LiteralDependency
    assert fm.UpstreamDependency is dependencies.UpstreamDependency


@pytest.mark.parametrize(
    ("build", "needle"),
    [
        (lambda: group(source("a"), b=value(1)), "not both"),
        (lambda: group(), "needs members"),
        (lambda: group(source("a"), 3), "source(...) or value(...)"),
        (lambda: group(group(source("a"))), "source(...) or value(...)"),
        (lambda: source(len), 'source("len")'),
        (lambda: fm.configuration(3), "config key"),
    ],
)
def test_dependency_misuse(build, needle):
    with pytest.raises(InvalidDecoratorError, match=re_escape(needle)):
        build()


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


@pytest.mark.parametrize(
    ("spec", "annotation", "element"),
    [
        (group(source("a")), list[int], int),
        (group(source("a")), typing.List[str], str),  # noqa: UP006
        (group(source("a")), typing.Optional[list[float]], float),  # noqa: UP045
        (group(x=source("a")), dict[str, int], int),
        (group(x=source("a")), dict[str, int] | None, int),
    ],
)
def test_group_member_type_comes_from_the_annotation(spec, annotation, element):
    assert spec.resolve_dependency_type(annotation, "p") is element


@pytest.mark.parametrize(
    ("spec", "annotation"),
    [
        (group(source("a")), int),
        (group(source("a")), tuple[int]),
        (group(x=source("a")), dict[int, int]),
        (group(x=source("a")), list[int]),
    ],
)
def test_group_refuses_other_annotations(spec, annotation):
    with pytest.raises(InvalidDecoratorError, match="'p'"):
        spec.resolve_dependency_type(annotation, "p")


# -- @parameterize ---------------------------------------------------------------------------
def test_parameterize_binds_values_and_sources():
    @parameterize(
        one={"step": value(1)},
        from_b=({"step": source("b")}, "given doc"),
    )
    def shifted(base: int, step: int, scale: int = 2) -> int:
        """{output_name} adds {step} to base (times {scale})."""
        return (base + step) * scale

    nodes = nodes_of(shifted)
    assert list(nodes) == ["one", "from_b"]
    one, from_b = nodes["one"], nodes["from_b"]
    assert inputs_of(one) == {"base": (int, True), "scale": (int, False)}
    assert inputs_of(from_b) == {"base": (int, True), "b": (int, True), "scale": (int, False)}
    assert one.documentation == "one adds 1 to base (times scale)."
    assert from_b.documentation == "given doc"
    assert call(one, base=3) == 8 and call(one, base=3, scale=1) == 4
    assert call(from_b, base=3, b=10) == 26
    assert one.tags["module"] == __name__ and one.type is int


def test_parameterize_groups_into_lists_and_dicts():
    @parameterize(
        listed={"parts": group(source("a"), value(10), source("b"))},
        short={"parts": group(value(1), value(2))},
    )
    def combine(parts: list[int], offset: int = 0) -> str:
        return f"{parts}+{offset}"

    nodes = nodes_of(combine)
    assert inputs_of(nodes["listed"]) == {
        "a": (int, True),
        "b": (int, True),
        "offset": (int, False),
    }
    assert inputs_of(nodes["short"]) == {"offset": (int, False)}
    assert call(nodes["listed"], a=1, b=2) == "[1, 10, 2]+0"
    assert call(nodes["short"], offset=3) == "[1, 2]+3"

    def keyed(parts: dict[str, float]) -> str:
        return repr(parts)

    (node,) = inject(parts=group(x=source("a"), y=value(1.5))).expand_node(
        Node.from_fn(keyed), {}, keyed
    )
    assert node.name == "keyed"
    assert inputs_of(node) == {"a": (float, True)}
    assert call(node, a=2.0) == "{'x': 2.0, 'y': 1.5}"


def test_a_sourced_optional_parameter_left_out_keeps_its_default():
    """Hamilton fails with KeyError here; plait lets the default apply."""

    @parameterize(out={"z": source("maybe")})
    def f(x: int, z: int = 3) -> int:
        return x + z

    node = nodes_of(f)["out"]
    assert inputs_of(node) == {"x": (int, True), "maybe": (int, False)}
    assert call(node, x=1) == 4 and call(node, x=1, maybe=10) == 11
    assert run(f, outputs=["out"], x=1) == {"out": 4}


def test_value_only_bindings_leave_optional_inputs_to_their_defaults():
    """Outputs bound only with value(...) take the cheap path; behaviour is the same."""

    @parameterize(a={"x": value(1)}, b={"x": value(2), "z": value(5)})
    def f(x: int, y: int, z: int = 3) -> int:
        return x * 100 + y * 10 + z

    nodes = nodes_of(f)
    assert inputs_of(nodes["a"]) == {"y": (int, True), "z": (int, False)}
    assert inputs_of(nodes["b"]) == {"y": (int, True)}
    assert call(nodes["a"], y=2) == 123 and call(nodes["a"], y=2, z=9) == 129
    assert call(nodes["b"], y=2) == 225
    assert run(f, outputs=["a", "b"], y=4) == {"a": 143, "b": 245}
    assert run(f, outputs=["a"], y=4, z=0) == {"a": 140}


def test_shared_sources_become_one_input():
    @parameterize(out={"x": source("y")})
    def f(x: int, y: int) -> int:
        return x * 10 + y

    node = nodes_of(f)["out"]
    assert [d.name for d in node.inputs] == ["y"]
    assert call(node, y=2) == 22


def test_parameterize_values_and_sources_spellings():
    @parameterize_values(parameter="c", assigned_output={("a", "doc a"): 1, ("b", "doc b"): 2})
    def f(x: int, c: int) -> int:
        return x * c

    nodes = nodes_of(f)
    assert [(n.name, n.documentation) for n in nodes.values()] == [("a", "doc a"), ("b", "doc b")]
    assert call(nodes["b"], x=5) == 10

    @parameterize_sources(s1={"left": "p", "right": "q"}, s2={"left": "q", "right": "p"})
    def g(left: int, right: int) -> int:
        """{left} minus {right} = {output_name}"""
        return left - right

    nodes = nodes_of(g)
    assert [d.name for d in nodes["s1"].inputs] == ["p", "q"]
    assert nodes["s2"].documentation == "q minus p = s2"
    assert call(nodes["s2"], p=1, q=5) == 4


def test_inject_keeps_the_node_name_even_after_config_when():
    @inject(n=value(4))
    @fm.config.when(mode="x")
    def size__x(n: int, base: int) -> int:
        return n + base

    nodes = nodes_of(size__x, {"mode": "x"})
    assert list(nodes) == ["size"]
    assert call(nodes["size"], base=1) == 5
    assert nodes_of(size__x, {"mode": "y"}) == {}


def test_parameterize_end_to_end():
    @parameterize(p1={"k": value(1)}, p2={"k": source("k_node")})
    def times(base: int, k: int) -> int:
        return base * k

    def k_node() -> int:
        return 7

    assert run(times, k_node, outputs=["p1", "p2"], base=3) == {"p1": 3, "p2": 21}


# -- @extract_columns ------------------------------------------------------------------------
def test_extract_columns_makes_a_series_node_per_column():
    @fm.tag(team="t")
    @extract_columns("a", ("b", "doc of b"))
    def frame(n: int) -> pd.DataFrame:
        """The frame."""
        return pd.DataFrame({"a": [n, 2], "b": [3, 4]})

    nodes = nodes_of(frame)
    assert list(nodes) == ["frame", "a", "b"]
    assert nodes["a"].type is pd.Series and nodes["b"].documentation == "doc of b"
    assert nodes["a"].documentation == "The frame."
    assert inputs_of(nodes["a"]) == {"frame": (pd.DataFrame, True)}
    assert nodes["a"].tags["team"] == "t" and "team" not in nodes["frame"].tags  # final nodes only
    assert nodes["frame"].callable is frame  # no wrapper without fill_with
    df = frame(1)
    pd.testing.assert_series_equal(nodes["b"].callable(df), df["b"])
    pd.testing.assert_series_equal(call(nodes["b"], frame=df), df["b"])


def test_extract_columns_fill_with_pandas_end_to_end():
    @extract_columns("a", "new", fill_with=0)
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n, n]})

    out = run(frame, outputs=["new", "frame"], n=1)
    assert out["new"].tolist() == [0, 0]
    assert list(out["frame"].columns) == ["a", "new"]  # the frame node shows the filled column


def test_extract_columns_polars_frames_and_lazy_frames():
    @extract_columns("a", "z", fill_with=1.5)
    def eager(n: int) -> pl.DataFrame:
        return pl.DataFrame({"a": [n, n + 1]})

    @extract_columns("la", "lz", fill_with=7)
    def lazy(n: int) -> pl.LazyFrame:
        return pl.LazyFrame({"la": [n]})

    assert nodes_of(eager)["a"].type is pl.Series
    assert nodes_of(lazy)["la"].type is pl.Expr
    out = run(eager, lazy, outputs=["z", "eager", "lazy"], n=1)
    assert out["z"].to_list() == [1.5, 1.5] and out["eager"].columns == ["a", "z"]
    assert out["lazy"].collect().to_dict(as_series=False) == {"la": [1], "lz": [7]}
    assert out["lazy"].collect_schema()["lz"] == pl.Int64


def test_extract_columns_lazy_column_is_an_expression():
    @extract_columns("a")
    def lazy(n: int) -> pl.LazyFrame:
        return pl.LazyFrame({"a": [n]})

    expr = run(lazy, outputs=["a"], n=2)["a"]
    assert pl.DataFrame({"a": [5]}).select(expr).item() == 5


def test_fill_with_wraps_async_functions_async():
    @extract_columns("a", "b", fill_with=0)
    async def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n]})

    node = nodes_of(frame)["frame"]
    df = asyncio.run(call(node, n=3))
    assert df.to_dict("list") == {"a": [3], "b": [0]}


def test_frame_kind_knows_frames_by_exact_class():
    class MyFrame(pd.DataFrame):
        pass

    assert frame_kind(pd.DataFrame).column_type is pd.Series  # type: ignore[union-attr]
    assert frame_kind(MyFrame) is None and frame_kind(int) is None
    assert frame_kind(list[int]) is None


# -- @extract_fields / @unpack_fields --------------------------------------------------------
class Point(TypedDict):
    x: int
    y: float
    label: str


@pytest.mark.parametrize(
    ("fields", "annotation", "expected"),
    [
        ({"a": int, "b": str}, dict, {"a": int, "b": str}),
        (["a", "b"], dict[str, float], {"a": float, "b": float}),
        ("a", typing.Dict[str, int], {"a": int}),  # noqa: UP006
        (None, Point, {"x": int, "y": float, "label": str}),
        (["y"], Point, {"y": float}),
        ({"x": int}, Point, {"x": int}),
        ({"x": typing.Any}, dict, {"x": typing.Any}),
    ],
)
def test_extract_fields_types(fields, annotation, expected):
    def f(n: int) -> dict:
        return {}

    f.__annotations__["return"] = annotation
    decorator = extract_fields(fields) if fields is not None else extract_fields()
    nodes = nodes_of(decorator(f))
    assert {k: v.type for k, v in list(nodes.items())[1:]} == expected
    assert all(inputs_of(v) == {"f": (annotation, True)} for v in list(nodes.values())[1:])


def test_extract_fields_reads_and_fills():
    @extract_fields({"a": int, "b": int}, fill_with=-1)
    def f(n: int) -> dict:
        return {"a": n}

    assert run(f, outputs=["a", "b", "f"], n=2) == {"a": 2, "b": -1, "f": {"a": 2, "b": -1}}


def test_extract_fields_varargs_spelling():
    @extract_fields("a", "b")
    def f(n: int) -> dict[str, int]:
        return {"a": n, "b": n + 1}

    assert run(f, outputs=["b"], n=1) == {"b": 2}


def test_unpack_fields_explicit_and_ellipsis():
    @unpack_fields("a", "b")
    def f(n: int) -> tuple[int, str, float]:
        """doc"""
        return (n, "s", 0.5)

    @unpack_fields("c0", "c1", "c2")
    def g(n: int) -> tuple[int, ...]:
        return (n, n, n)

    nodes = nodes_of(f)
    assert [(k, v.type) for k, v in nodes.items()] == [
        ("f", tuple[int, str, float]),
        ("a", int),
        ("b", str),
    ]
    assert nodes["b"].documentation == "doc"
    assert [v.type for v in nodes_of(g).values()][1:] == [int, int, int]
    assert run(f, g, outputs=["b", "c2"], n=4) == {"b": "s", "c2": 4}


# -- @parameterize_extract_columns -----------------------------------------------------------
def test_parameterize_extract_columns_names_and_values():
    @parameterize_extract_columns(
        ParameterizedExtract(("a1", "a2"), {"k": value(1)}),
        ParameterizedExtract(("b1", "b2"), {"k": source("kk")}),
    )
    def frame(n: int, k: int) -> pd.DataFrame:
        """frame {output_name}"""
        return pd.DataFrame({"x": [n * k], "y": [n + k]})

    nodes = nodes_of(frame)
    assert list(nodes) == ["frame__0", "a1", "a2", "frame__1", "b1", "b2"]
    assert nodes["frame__1"].documentation == "frame frame__1"
    assert inputs_of(nodes["frame__1"]) == {"n": (int, True), "kk": (int, True)}
    out = run(frame, outputs=["a2", "b1", "frame__0"], n=2, kk=5)
    assert out["a2"].tolist() == [3] and out["b1"].tolist() == [10]
    assert list(out["frame__0"].columns) == ["a1", "a2"]


def test_parameterize_extract_columns_without_reassigning():
    @parameterize_extract_columns(
        ParameterizedExtract(("x",), {"k": value(2)}), reassign_columns=False
    )
    def frame(k: int) -> pd.DataFrame:
        return pd.DataFrame({"x": [k], "y": [0]})

    assert run(frame, outputs=["x"])["x"].tolist() == [2]


def test_parameterize_extract_columns_polars_renames():
    @parameterize_extract_columns(ParameterizedExtract(("p", "q"), {"k": value(3)}))
    def frame(k: int) -> pl.DataFrame:
        return pl.DataFrame({"x": [k], "y": [0]})

    assert run(frame, outputs=["p"])["p"].to_list() == [3]


# -- @does -----------------------------------------------------------------------------------
def _sum_all(**values: int) -> int:
    return sum(values.values())


def _scale(x: int, factor: int = 2) -> int:
    return x * factor


def test_does_keeps_signature_and_calls_the_helper():
    @does(_sum_all)
    def total(a: int, b: int = 5) -> int:
        """a plus b."""

    (node,) = nodes_of(total).values()
    assert inputs_of(node) == {"a": (int, True), "b": (int, False)}
    assert node.documentation == "a plus b." and node.originating_functions == (total,)
    assert call(node, a=1) == 6 and call(node, a=1, b=1) == 2


def test_does_argument_mapping():
    @does(_scale, x="a")
    def scaled(a: int, factor: int = 3) -> int:
        pass

    @does(_scale, x="b", factor="a")
    def swapped(a: int, b: int) -> int:
        pass

    assert run(scaled, swapped, outputs=["scaled", "swapped"], a=2, b=5) == {
        "scaled": 6,
        "swapped": 10,
    }


def test_does_map_kwargs_matches_hamiltons_rule():
    assert does.map_kwargs({"a": 1, "b": 2}, {"x": "a"}) == {"b": 2, "x": 1}
    assert does.map_kwargs({"a": 1, "b": 2}, {"a": "b", "b": "a"}) == {"a": 2, "b": 1}


# -- @resolve --------------------------------------------------------------------------------
def test_resolve_builds_the_decorator_from_the_config():
    decorator = fm.resolve(
        when=fm.ResolveAt.CONFIG_AVAILABLE,
        decorate_with=lambda sizes, prefix="w": parameterize(
            **{f"{prefix}{s}": {"size": value(s)} for s in sizes}
        ),
    )
    assert decorator.required_config() == ["sizes"]
    assert decorator.optional_config() == {"prefix": "w"}

    @decorator
    def window(a: int, size: int) -> int:
        return a * size

    resolved = decorator.resolve({POWER: True, "sizes": [2, 3]}, window)
    assert isinstance(resolved, parameterize)
    assert list(nodes_of(window, {POWER: True, "sizes": [2]})) == ["w2"]
    config = {POWER: True, "sizes": [1, 4], "prefix": "v"}
    assert run(window, outputs=["v4"], config=config, a=2) == {"v4": 8}


def test_resolve_from_config_and_a_transformer():
    @fm.resolve_from_config(decorate_with=lambda owner: fm.tag(owner=owner))
    def f(a: int) -> int:
        return a

    (node,) = nodes_of(f, {POWER: True, "owner": "me"}).values()
    assert node.tags["owner"] == "me"


def test_resolve_only_at_config_time():
    with pytest.raises(InvalidDecoratorError, match="CONFIG_AVAILABLE"):
        fm.resolve(when="later", decorate_with=lambda: fm.tag(a="b"))  # type: ignore[arg-type]


def test_resolve_refuses_positional_only_parameters():
    with pytest.raises(InvalidDecoratorError, match=r"\['k'\]"):

        @fm.resolve_from_config(decorate_with=lambda *k: fm.tag(a="b"))
        def f(a: int) -> int:
            return a


def test_power_user_error_is_also_a_key_error():
    error = dynamic.PowerUserModeError("needs power-user mode")
    assert isinstance(error, KeyError) and isinstance(error, ValueError)
    assert str(error) == "needs power-user mode"  # no KeyError quotes


# -- more decoration-time checks -------------------------------------------------------------
def _frame_fn(x: int) -> pd.DataFrame:
    return pd.DataFrame({"a": [x]})


def _int_fn(x: int) -> int:
    return x


def _tuple_fn(x: int) -> tuple[int, ...]:
    return (x,)


def _empty(a: int, *rest: int) -> int:
    pass


def _empty_one(a: int) -> int:
    pass


def _bad_ellipsis(x: int) -> tuple[int, ..., str]:  # type: ignore[misc]
    return (x, "s")


@pytest.mark.parametrize(
    ("decorator", "target", "needle"),
    [
        (lambda: parameterize_sources(out={"x": 3}), _int_fn, "node name"),
        (lambda: parameterize_sources(), _int_fn, "node name"),
        (lambda: parameterize_values("x", {"a": 1}), _int_fn, "pairs"),
        (lambda: parameterize(out=[1]), _int_fn, "give a dict"),
        (lambda: parameterize_extract_columns(), _frame_fn, "at least one"),
        (lambda: parameterize_extract_columns("a"), _frame_fn, "ParameterizedExtract(...)"),
        (
            lambda: parameterize_extract_columns(ParameterizedExtract(("a",), {})),
            _int_fn,
            "not a dataframe type",
        ),
        (
            lambda: parameterize_extract_columns(
                ParameterizedExtract(("a",), {}), ParameterizedExtract(("a",), {})
            ),
            _frame_fn,
            "more than once",
        ),
        (lambda: extract_columns("a", 3), _frame_fn, "is not a column"),
        (lambda: extract_fields(["a", "a"]), _int_fn, "more than once"),
        (lambda: extract_fields(["a"]), typing.Dict, "two type parameters"),  # noqa: UP006
        (lambda: unpack_fields(), _tuple_fn, "names no fields"),
        (lambda: unpack_fields("a", "a"), _tuple_fn, "more than once"),
        (lambda: unpack_fields("a"), _bad_ellipsis, "'...' may only follow"),
        (lambda: does(3), _int_fn, "not a function"),
        (lambda: does(_sum_all, x=["a"]), _empty_one, "one parameter each"),
        (lambda: does(_sum_all), _empty, "by keyword"),
    ],
)
def test_more_decoration_errors(decorator, target, needle):
    if target is typing.Dict:  # noqa: UP006

        def target(n: int) -> typing.Dict:  # noqa: UP006
            return {}

    with pytest.raises(InvalidDecoratorError, match=re_escape(needle)) as info:
        decorator()(target)
    assert target.__name__ in str(info.value)


def test_resolve_must_not_return_another_resolve():
    @fm.resolve_from_config(
        decorate_with=lambda: fm.resolve_from_config(decorate_with=lambda: fm.tag(a="b"))
    )
    def f(x: int) -> int:
        return x

    with pytest.raises(InvalidDecoratorError, match="not a plait decorator"):
        resolve_function(f, {POWER: True})


def test_resolve_validates_what_it_returns():
    @fm.resolve_from_config(decorate_with=lambda: parameterize(out={"nope": value(1)}))
    def f(x: int) -> int:
        return x

    with pytest.raises(InvalidDecoratorError, match=r"\['nope'\]"):
        resolve_function(f, {POWER: True})


# -- the misuse table ------------------------------------------------------------------------
ERRORS = {
    "InvalidDecoratorError": InvalidDecoratorError,
    "DecoratorKeyError": DecoratorKeyError,
    "PowerUserModeError": dynamic.PowerUserModeError,
}


def commit(case: Misuse) -> tuple[str, Exception]:
    """Commit the misuse with plait: the phase that raised, and the error."""
    phase = "decorate"
    try:
        fn = case.make(fm)
        phase = "build"
        module = ad_hoc_utils.create_temporary_module(fn)
        dr = driver.Builder().with_modules(module).with_config(case.config).build()
        phase = "execute"
        dr.execute(list(case.outputs), inputs=case.inputs)
    except Exception as exc:
        return phase, exc
    pytest.fail(f"{case.id}: no error")


@pytest.mark.parametrize("case", mod_expand_misuse.CASES, ids=lambda c: c.id)
def test_misuse_fails_early_and_names_the_function(case: Misuse):
    phase, error = commit(case)
    assert isinstance(error, ERRORS[case.error]), f"{type(error).__name__}: {error}"
    assert phase == case.when, f"{case.id}: raised at {phase}, documented {case.when}"
    text = "\n".join([str(error), *getattr(error, "__notes__", ())])
    for needle in case.needles:
        assert needle in text, f"{case.id}: {needle!r} not in {text!r}"
    assert f"{Path(mod_expand_misuse.__file__).name}:{case.line()}" in text, text


def test_every_misuse_row_is_documented():
    page = Path(__file__).parents[2] / "docs" / "decorators" / "expansion.md"
    text = page.read_text()
    missing = [c.id for c in mod_expand_misuse.CASES if f"`{c.id}`" not in text]
    assert not missing, f"rows missing from {page.name}: {missing}"


def test_docs_page_shows_the_example_and_its_real_output():
    import importlib.util

    root = Path(__file__).parents[2]
    spec = importlib.util.spec_from_file_location("check_docs", root / "docs/tools/check_docs.py")
    assert spec is not None and spec.loader is not None
    check_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_docs)
    page = root / "docs" / "decorators" / "expansion.md"
    script = root / "docs" / "examples" / "decorators_expansion.py"
    assert check_docs.check(page, script, check_docs._sources()) == []


# -- @resolve inside the framework (both were bugs in resolve.py, fixed there) ---------------
def test_a_resolved_second_creator_is_refused():
    """As in Hamilton (which fails unpacking): one node creator per function."""

    def _one(**values: int) -> int:
        return 1

    def _two(**values: int) -> int:
        return 2

    @fm.resolve_from_config(decorate_with=lambda: does(_two))
    @does(_one)
    def f(x: int) -> int:
        pass

    with pytest.raises(InvalidDecoratorError):
        resolve_function(f, {POWER: True})


def test_resolved_decorators_run_after_written_ones():
    """As in Hamilton: a decorator made by @resolve runs after the written ones of its phase."""

    @fm.tag(owner="written")
    @fm.resolve_from_config(decorate_with=lambda: fm.tag(owner="resolved"))
    def f(x: int) -> int:
        return x

    (node,) = resolve_function(f, {POWER: True})
    assert node.tags["owner"] == "resolved"
