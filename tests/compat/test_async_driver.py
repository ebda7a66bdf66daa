"""``async_driver``: the same async module through Hamilton's and plait's ``AsyncDriver``.

Results, result types, error types and what Hamilton's async hook classes receive. Where
plait deliberately differs, both behaviours are asserted (see the end of the file).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pandas as pd
import pytest

from dags import async_flow

from .harness import Impl, assert_same, both, both_raise

INPUTS = {"user_id": 7}


def _sorted(result: dict[str, Any]) -> dict[str, Any]:
    """Hamilton's async driver returns the outputs sorted by name; plait in requested order."""
    return dict(sorted(result.items()))


def _build(lib: Impl, *adapters: Any, config: dict[str, Any] | None = None) -> Any:
    builder = lib.module("async_driver").Builder().with_modules(async_flow)
    if config:
        builder = builder.with_config(config)
    if adapters:
        builder = builder.with_adapters(*adapters)
    return asyncio.run(builder.build())


def _execute(dr: Any, *args: Any, **kwargs: Any) -> Any:
    return asyncio.run(dr.execute(*args, **kwargs))


# -- results ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("final_vars", "kwargs"),
    [
        (["summary"], {"inputs": INPUTS}),
        (["summary", "orders", "order_total", "user_id"], {"inputs": INPUTS}),
        (["summary"], {"inputs": {"user_id": 3, "limit": 1}}),
        (["summary"], {"inputs": INPUTS, "overrides": {"order_total": 5.0}}),
        (["checked_total", "user"], {"inputs": INPUTS, "overrides": {"orders": [1.0, 2.0]}}),
    ],
    ids=["one", "many-with-input", "optional-input", "override-sync", "override-async"],
)
def test_builder_results(impl: Impl, ham: Impl, final_vars: list[str], kwargs: dict[str, Any]):
    def run(lib: Impl) -> dict[str, Any]:
        return _sorted(_execute(_build(lib), final_vars, **kwargs))

    got, want = both(impl, ham, run)
    assert_same(got, want)


def test_config_and_raw_execute(impl: Impl, ham: Impl):
    def run(lib: Impl) -> dict[str, Any]:
        dr = _build(lib, config={"limit": 2})
        return _sorted(asyncio.run(dr.raw_execute(["orders", "summary"], inputs=INPUTS)))

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got["summary"] == "user-7 spent 44.0"


def test_constructor_defaults_to_a_dataframe(impl: Impl, ham: Impl):
    def run(lib: Impl) -> pd.DataFrame:
        dr = lib.module("async_driver").AsyncDriver({}, async_flow)
        asyncio.run(dr.ainit())
        return _execute(dr, ["order_total", "summary"], inputs=INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)


def test_result_builder_argument(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        dr = lib.module("async_driver").AsyncDriver(
            {}, async_flow, result_builder=lib.base.DictResult()
        )
        return _execute(dr, ["order_total"], inputs=INPUTS)

    got, want = both(impl, ham, run)
    assert_same(got, want)


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("failing", ["profile_lookup", "checked_total"], ids=["async", "sync"])
def test_a_node_error_keeps_its_type(impl: Impl, ham: Impl, failing: str):
    inputs = {"user_id": 7, "limit": 100}

    got, want = both_raise(
        impl, ham, lambda lib: _execute(_build(lib), [failing, "summary"], inputs=inputs)
    )
    assert type(got) is type(want)
    assert str(got) == str(want)


def test_unknown_output_is_a_value_error(impl: Impl, ham: Impl):
    both_raise(impl, ham, lambda lib: _execute(_build(lib), ["sumary"], inputs=INPUTS))


def test_display_graph_is_a_value_error(impl: Impl, ham: Impl):
    both_raise(
        impl,
        ham,
        lambda lib: _execute(_build(lib), ["summary"], inputs=INPUTS, display_graph=True),
    )


def test_two_result_builders_are_a_value_error(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        return lib.module("async_driver").AsyncDriver(
            {}, async_flow, result_builder=lib.base.DictResult(), adapters=[lib.base.DictResult()]
        )

    both_raise(impl, ham, run)


@pytest.mark.parametrize("method", ["enable_dynamic_execution", "with_materializers"])
def test_builder_refuses_what_async_cannot_do(impl: Impl, ham: Impl, method: str):
    def run(lib: Impl) -> Any:
        builder = lib.module("async_driver").Builder()
        if method == "enable_dynamic_execution":
            return builder.enable_dynamic_execution(allow_experimental_mode=True)
        return builder.with_materializers()

    both_raise(impl, ham, run)


# -- async hooks -----------------------------------------------------------------------------------
def _recorder(lib: Impl) -> Any:
    lb = lib.module("lifecycle.base")

    class Recorder(
        lb.BasePostGraphConstructAsync,
        lb.BasePreGraphExecuteAsync,
        lb.BasePreNodeExecuteAsync,
        lb.BasePostNodeExecuteAsync,
        lb.BasePostGraphExecuteAsync,
    ):
        def __init__(self) -> None:
            self.calls: list[tuple[Any, ...]] = []
            self.inits = 0

        async def ainit(self) -> None:
            self.inits += 1

        async def post_graph_construct(self, *, graph: Any, modules: Any, config: Any) -> None:
            self.calls.append(("construct", tuple(m.__name__ for m in modules), config))

        async def pre_graph_execute(
            self, *, run_id: str, graph: Any, final_vars: Any, inputs: Any, overrides: Any
        ) -> None:
            self.calls.append(("pre_graph", list(final_vars), dict(inputs)))

        async def pre_node_execute(
            self, *, run_id: str, node_: Any, kwargs: Any, task_id: Any = None
        ) -> None:
            self.calls.append(("pre", node_.name, dict(kwargs)))

        async def post_node_execute(
            self, *, run_id, node_, kwargs, success, error, result, task_id=None
        ) -> None:
            self.calls.append(("post", node_.name, success, type(error).__name__, result))

        async def post_graph_execute(
            self, *, run_id: str, graph: Any, success: bool, error: Any, results: Any
        ) -> None:
            self.calls.append(("post_graph", success, type(error).__name__))

    return Recorder()


def test_async_hooks_see_the_same_calls(impl: Impl, ham: Impl):
    def run(lib: Impl) -> tuple[list[Any], int]:
        hook = _recorder(lib)
        _execute(_build(lib, hook), ["summary"], inputs=INPUTS)
        # nodes run concurrently: compare the node calls as a set, the graph calls in order
        graph_calls = [c for c in hook.calls if c[0] not in ("pre", "post")]
        node_calls = sorted((c for c in hook.calls if c[0] in ("pre", "post")), key=repr)
        return [*graph_calls, *node_calls], hook.inits

    got, want = both(impl, ham, run)
    assert got == want
    calls, inits = got
    assert inits == 1
    assert calls[:3] == [
        ("construct", ("dags.async_flow",), {}),
        ("pre_graph", ["summary"], INPUTS),
        ("post_graph", True, "NoneType"),
    ]
    assert ("post", "summary", True, "NoneType", "user-7 spent 81.0") in calls


def test_async_hooks_see_a_failure(impl: Impl, ham: Impl):
    def run(lib: Impl) -> list[Any]:
        hook = _recorder(lib)
        with pytest.raises(KeyError):
            _execute(_build(lib, hook), ["profile_lookup"], inputs=INPUTS)
        return [c for c in hook.calls if c[0] in ("post", "post_graph")]

    got, want = both(impl, ham, run)
    assert got == want
    assert got == [
        ("post", "user", True, "NoneType", {"id": 7, "name": "user-7"}),
        ("post", "profile_lookup", False, "KeyError", None),
        ("post_graph", False, "KeyError"),
    ]


# -- where plait differs ---------------------------------------------------------------------------
def test_output_order(impl: Impl):
    """Hamilton sorts the outputs by name; plait keeps the requested order (as its sync
    driver and Hamilton's sync driver do)."""
    out = _execute(_build(impl), ["summary", "order_total"], inputs=INPUTS)
    expected = ["order_total", "summary"] if impl.is_hamilton else ["summary", "order_total"]
    assert list(out) == expected


def test_missing_and_mistyped_inputs(impl: Impl):
    """Hamilton reports a missing input with NotImplementedError and does not check input
    types (the node fails on the bad value); plait checks both before running anything, with
    the sync driver's errors (ValueError subclasses)."""
    dr = _build(impl)
    with pytest.raises(Exception) as missing:
        _execute(dr, ["summary"], inputs={})
    with pytest.raises(Exception) as mistyped:
        _execute(dr, ["order_total"], inputs={"user_id": "7"})
    if impl.is_hamilton:
        assert isinstance(missing.value, NotImplementedError)
        assert isinstance(mistyped.value, TypeError)  # raised inside the node
    else:
        assert isinstance(missing.value, ValueError)
        assert "user_id" in str(missing.value)
        assert isinstance(mistyped.value, ValueError)
        assert "expects int" in str(mistyped.value)
