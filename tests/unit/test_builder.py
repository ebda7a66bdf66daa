"""``Builder``: modules, functions, config, adapters, overrides, ``copy``; and module crawling."""

import functools

import pytest

from plait import base, driver
from plait._model.crawl import module_functions
from plait._model.errors import GraphError


def a(x: int) -> int:
    return x + 1


def b(a: int, y: int = 3) -> int:
    return a + y


def scaled(a: int, factor: int) -> int:
    return a * factor


def test_build_returns_a_driver_that_returns_dicts(make_module):
    dr = driver.Builder().with_modules(make_module(a, b)).build()
    assert isinstance(dr, driver.Driver)
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 5}


def test_every_with_method_returns_the_builder(make_module):
    builder = driver.Builder()
    assert builder.with_modules(make_module(a)) is builder
    assert builder.with_functions(b) is builder
    assert builder.with_config({"x": 1}) is builder
    assert builder.with_adapters(base.DictResult()) is builder
    assert builder.allow_module_overrides() is builder


def test_with_modules_appends(make_module):
    dr = driver.Builder().with_modules(make_module(a)).with_modules(make_module(b)).build()
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 5}
    assert len(dr.graph_modules) == 2


def test_with_modules_rejects_what_is_not_a_module():
    with pytest.raises(GraphError, match="with_modules\\(\\) takes modules, got function"):
        driver.Builder().with_modules(a)


def test_with_functions_adds_loose_functions(make_module):
    dr = driver.Builder().with_modules(make_module(a)).with_functions(b).build()
    assert dr.execute(["b"], inputs={"x": 1, "y": 0}) == {"b": 2}


def test_with_functions_rejects_other_callables():
    with pytest.raises(GraphError, match="plain functions, got partial"):
        driver.Builder().with_functions(functools.partial(a, 1))


def test_with_functions_rejects_lambdas():
    with pytest.raises(GraphError, match="lambda"):
        driver.Builder().with_functions(lambda x: x)


def test_with_config_merges_and_later_keys_win(make_module):
    builder = driver.Builder().with_modules(make_module(a, scaled))
    builder.with_config({"x": 1, "factor": 2}).with_config({"factor": 10})
    assert builder.config == {"x": 1, "factor": 10}
    assert builder.build().execute(["scaled"]) == {"scaled": 20}


def test_with_config_does_not_keep_the_callers_dict(make_module):
    config = {"x": 1}
    builder = driver.Builder().with_modules(make_module(a)).with_config(config)
    config["x"] = 100
    assert builder.build().execute(["a"]) == {"a": 2}


def test_a_result_builder_shapes_the_result(make_module):
    pd = pytest.importorskip("pandas")
    dr = (
        driver.Builder()
        .with_modules(make_module(a, b))
        .with_adapters(base.PandasDataFrameResult())
        .build()
    )
    out = dr.execute(["a", "b"], inputs={"x": 1})
    assert isinstance(out, pd.DataFrame)
    assert out.to_dict("list") == {"a": [2], "b": [5]}


def test_with_adapter_is_the_single_spelling(make_module):
    builder = driver.Builder().with_adapter(base.DictResult())
    assert len(builder.adapters) == 1
    assert builder.with_modules(make_module(a)).build().execute(["a"], inputs={"x": 0}) == {"a": 1}


def test_allow_module_overrides_lets_the_later_module_win(make_module):
    def a(x: int) -> int:
        return x - 1

    first, second = make_module(globals()["a"]), make_module(a)
    with pytest.raises(GraphError, match="defined twice"):
        driver.Builder().with_modules(first, second).build()
    dr = driver.Builder().with_modules(first, second).allow_module_overrides().build()
    assert dr.execute(["a"], inputs={"x": 10}) == {"a": 9}


def test_copy_is_independent(make_module):
    original = (
        driver.Builder()
        .with_modules(make_module(a))
        .with_config({"x": 1})
        .with_functions(b)
        .allow_module_overrides()
    )
    copy = original.copy()
    copy.with_config({"x": 5}).with_modules(make_module(scaled)).with_adapters(base.DictResult())
    copy.with_functions(scaled)
    assert original.config == {"x": 1}
    assert len(original.modules) == 1
    assert original.functions == [b]
    assert original.adapters == []
    assert copy.config == {"x": 5}
    assert len(copy.modules) == 2
    assert original.build().execute(["b"]) == {"b": 5}
    overriding = copy.copy()
    overriding.with_modules(make_module(a))  # a third module redefining ``a``: allowed too
    assert overriding.build().execute(["a"]) == {"a": 6}


def test_build_twice_gives_independent_drivers(make_module):
    builder = driver.Builder().with_modules(make_module(a))
    first, second = builder.build(), builder.build()
    assert first is not second
    assert first.graph is not second.graph


# -- module crawling -------------------------------------------------------------------------


def test_a_module_contributes_its_own_public_functions_in_name_order():
    from plait import ad_hoc_utils

    module = ad_hoc_utils.module_from_source(
        "from os.path import join\n"
        "def zeta(x: int) -> int:\n    return x\n"
        "def _helper(x: int) -> int:\n    return x\n"
        "def alpha(x: int) -> int:\n    return x\n"
        "value = 3\n"
        "class Thing:\n    pass\n"
    )
    assert [f.__name__ for f in module_functions(module)] == ["alpha", "zeta"]


def test_crawling_something_else_than_a_module_is_a_graph_error():
    with pytest.raises(GraphError, match="Expected a module, got function"):
        module_functions(a)  # type: ignore[arg-type]
