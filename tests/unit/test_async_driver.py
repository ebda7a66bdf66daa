"""The async driver: concurrency, results, errors and cancellation, hooks, the builder.

Plain test functions drive each coroutine with ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import gc
import time
import traceback
import warnings
from typing import Any

import pandas as pd
import pytest

from dags import async_decorated, async_flow
from plait import async_driver, base, lifecycle
from plait._model.errors import HookSpecError, UnsupportedAdapterError
from plait.lifecycle import base as lifecycle_base

INPUTS = {"user_id": 7}


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def build(*adapters: Any, module: Any = async_flow) -> async_driver.AsyncDriver:
    return await async_driver.Builder().with_modules(module).with_adapters(*adapters).build()


def _sleepers(count: int, log: list[tuple[str, float, float]]) -> list[Any]:
    """``count`` async nodes ``n0 .. n<count-1>`` that each sleep ``delay`` and log their span."""

    def make(name: str) -> Any:
        async def sleeper(delay: float) -> float:
            start = time.perf_counter()
            await asyncio.sleep(delay)
            log.append((name, start, time.perf_counter()))
            return delay

        sleeper.__name__ = sleeper.__qualname__ = name
        return sleeper

    return [make(f"n{i}") for i in range(count)]


def _max_overlap(spans: list[tuple[str, float, float]]) -> int:
    events = sorted([(s, 1) for _, s, _ in spans] + [(e, -1) for _, _, e in spans])
    running = most = 0
    for _, change in events:
        running += change
        most = max(most, running)
    return most


# -- concurrency -------------------------------------------------------------------------------


def test_a_hundred_sleeping_nodes_run_at_the_same_time():
    log: list[tuple[str, float, float]] = []
    nodes = _sleepers(100, log)

    async def main() -> dict[str, Any]:
        dr = await async_driver.Builder().with_functions(*nodes).build()
        return await dr.execute([f"n{i}" for i in range(100)], inputs={"delay": 0.1})

    started = time.perf_counter()
    out = run(main())
    wall = time.perf_counter() - started
    print(f"100 nodes x asyncio.sleep(0.1): {wall:.3f} s wall")
    assert out == {f"n{i}": 0.1 for i in range(100)}
    assert len(log) == 100
    assert _max_overlap(log) > 50


def test_a_node_starts_when_its_own_inputs_are_ready_not_when_a_level_is_done():
    finished: list[str] = []

    async def slow(x: int) -> int:
        await asyncio.sleep(0.05)
        finished.append("slow")
        return x

    async def fast(x: int) -> int:
        await asyncio.sleep(0)
        finished.append("fast")
        return x

    async def after_fast(fast: int) -> int:
        await asyncio.sleep(0)
        finished.append("after_fast")
        return fast + 1

    def both(slow: int, after_fast: int) -> int:
        finished.append("both")
        return slow + after_fast

    async def main() -> dict[str, Any]:
        dr = await async_driver.Builder().with_functions(slow, fast, after_fast, both).build()
        return await dr.execute(["both"], inputs={"x": 1})

    assert run(main()) == {"both": 3}
    assert finished == ["fast", "after_fast", "slow", "both"]


def test_sync_and_async_nodes_mix():
    async def main() -> Any:
        dr = await build()
        return await dr.execute(["summary", "order_total", "user_id"], inputs=INPUTS)

    out = run(main())
    assert out == {"summary": "user-7 spent 81.0", "order_total": 81.0, "user_id": 7}
    assert list(out) == ["summary", "order_total", "user_id"]  # requested order


# -- results, inputs, overrides ------------------------------------------------------------------


def test_builder_gives_a_dict_and_the_constructor_a_dataframe():
    async def main() -> tuple[Any, Any]:
        built = await build()
        legacy = await async_driver.AsyncDriver({}, async_flow).ainit()
        return (
            await built.execute(["order_total"], inputs=INPUTS),
            await legacy.execute(["order_total"], inputs=INPUTS),
        )

    built, legacy = run(main())
    assert built == {"order_total": 81.0}
    pd.testing.assert_frame_equal(legacy, pd.DataFrame({"order_total": [81.0]}))


def test_result_builder_as_argument_or_adapter():
    async def main() -> tuple[Any, Any]:
        one = async_driver.AsyncDriver({}, async_flow, result_builder=base.DictResult())
        two = await build(base.PandasDataFrameResult())
        return (
            await one.execute(["order_total"], inputs=INPUTS),
            await two.execute(["order_total"], inputs=INPUTS),
        )

    one, two = run(main())
    assert one == {"order_total": 81.0}
    assert isinstance(two, pd.DataFrame)


def test_two_result_builders_are_refused():
    with pytest.raises(ValueError, match="More than one result builder"):
        async_driver.AsyncDriver(
            {}, async_flow, result_builder=base.DictResult(), adapters=[base.DictResult()]
        )


def test_overrides_config_functions_and_raw_execute():
    async def main() -> tuple[Any, Any, Any]:
        dr = await async_driver.Builder().with_modules(async_flow).with_config({"limit": 1}).build()
        return (
            await dr.execute([async_flow.order_total], inputs=INPUTS),
            await dr.execute(["summary"], inputs=INPUTS, overrides={"order_total": 1.0}),
            await dr.raw_execute(["orders"], inputs=INPUTS),
        )

    total, summary, raw = run(main())
    assert total == {"order_total": 17.0}
    assert summary == {"summary": "user-7 spent 1.0"}
    assert raw == {"orders": [17.0]}


def test_input_errors_are_the_sync_drivers():
    async def main(inputs: dict[str, Any]) -> Any:
        return await (await build()).execute(["summary"], inputs=inputs)

    with pytest.raises(ValueError, match="required input"):
        run(main({}))
    with pytest.raises(ValueError, match="wrong type"):
        run(main({"user_id": "seven"}))


def test_display_graph_is_refused():
    async def main() -> Any:
        return await (await build()).execute(["user"], inputs=INPUTS, display_graph=True)

    with pytest.raises(ValueError, match="visualize_execution"):
        run(main())


def test_lineage_is_inherited():
    dr = async_driver.Builder().with_modules(async_flow).build_without_init()
    assert {v.name for v in dr.what_is_upstream_of("summary")} == {
        "summary", "user", "order_total", "orders", "user_id", "limit",
    }  # fmt: skip


def test_decorators_that_add_nodes_work_on_async_functions():
    async def main() -> Any:
        dr = await build(module=async_decorated)
        wanted = ["base_value", "low", "high", "times_two", "times_three", "checked"]
        wanted += ["piped_in", "piped_out"]
        return await dr.execute(wanted, inputs={"x": 1})

    assert run(main()) == {
        "base_value": 2, "low": 2, "high": 20, "times_two": 4, "times_three": 6, "checked": 2,
        "piped_in": 5, "piped_out": 6,
    }  # fmt: skip


# -- errors and cancellation ---------------------------------------------------------------------


def _fail_while_slow_runs(final_vars: list[str]) -> tuple[BaseException, list[str]]:
    cancelled: list[str] = []

    async def slow_report(user_id: int) -> str:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append("slow_report")
            raise
        return "never"

    fns = [async_flow.user, async_flow.orders, async_flow.order_total]
    fns += [async_flow.profile_lookup, async_flow.checked_total, slow_report]

    leftover: list[asyncio.Task[Any]] = []

    async def main() -> None:
        dr = await async_driver.Builder().with_functions(*fns).build()
        try:
            await dr.execute(final_vars, inputs={"user_id": 7, "limit": 100})
        finally:  # asyncio.run would cancel leftovers itself: look before it does
            leftover.extend(t for t in asyncio.all_tasks() if t is not asyncio.current_task())

    with pytest.raises(Exception) as info:
        run(main())
    assert leftover == [], "a node task outlived the run"
    gc.collect()
    return info.value, cancelled


def test_an_async_node_error_keeps_type_traceback_and_note_and_cancels_the_rest():
    error, cancelled = _fail_while_slow_runs(["slow_report", "profile_lookup"])
    assert type(error) is KeyError
    assert error.args == ("user-7",)
    note = f"raised by node 'profile_lookup' (function at {_where(async_flow.profile_lookup)})"
    assert any(note in n for n in error.__notes__)
    frames = [f.name for f in traceback.extract_tb(error.__traceback__)]
    assert frames[-1] == "profile_lookup"
    assert cancelled == ["slow_report"]


def test_a_sync_node_error_cancels_running_async_nodes():
    error, cancelled = _fail_while_slow_runs(["slow_report", "checked_total"])
    assert type(error) is ValueError
    assert "over the limit" in str(error)
    assert any("node 'checked_total'" in n for n in error.__notes__)
    assert cancelled == ["slow_report"]


def test_a_sync_failure_right_after_async_nodes_started_leaves_no_unawaited_coroutine():
    async def starts_first(x: int) -> int:
        await asyncio.sleep(10)
        return x

    def fails_next(x: int) -> int:
        raise ValueError("boom")

    async def main() -> None:
        dr = await async_driver.Builder().with_functions(starts_first, fails_next).build()
        await dr.execute(["starts_first", "fails_next"], inputs={"x": 1})

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="boom"):
            run(main())
        gc.collect()
    assert [str(w.message) for w in caught] == []


def test_cancelling_the_run_cancels_its_nodes():
    cancelled: list[str] = []

    async def waits(x: int) -> int:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append("waits")
            raise
        return x

    async def main() -> None:
        dr = await async_driver.Builder().with_functions(waits).build()
        with pytest.raises((asyncio.TimeoutError, TimeoutError)):
            await asyncio.wait_for(dr.execute(["waits"], inputs={"x": 1}), timeout=0.05)
        assert asyncio.all_tasks() == {asyncio.current_task()}

    run(main())
    assert cancelled == ["waits"]


def test_several_failures_at_once_raise_the_first_in_plan_order():
    async def boom_a(x: int) -> int:
        raise KeyError("a")

    async def boom_b(x: int) -> int:
        raise IndexError("b")

    async def main() -> None:
        dr = await async_driver.Builder().with_functions(boom_b, boom_a).build()
        await dr.execute(["boom_b", "boom_a"], inputs={"x": 1})

    with pytest.raises(IndexError):  # boom_b is planned first (requested first)
        run(main())
    gc.collect()


# -- hooks ---------------------------------------------------------------------------------------


class AsyncRecorder(
    lifecycle_base.BasePostGraphConstructAsync,
    lifecycle_base.BasePreGraphExecuteAsync,
    lifecycle_base.BasePreNodeExecuteAsync,
    lifecycle_base.BasePostNodeExecuteAsync,
    lifecycle_base.BasePostGraphExecuteAsync,
):
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.inits = 0

    async def ainit(self) -> None:
        self.inits += 1

    async def post_graph_construct(self, *, graph: Any, modules: Any, config: Any) -> None:
        self.calls.append(("construct", [m.__name__ for m in modules], config))

    async def pre_graph_execute(
        self, *, run_id: str, graph: Any, final_vars: Any, inputs: Any, overrides: Any
    ) -> None:
        self.calls.append(("pre_graph", final_vars, inputs, overrides))

    async def pre_node_execute(
        self, *, run_id: str, node_: Any, kwargs: Any, task_id: Any = None
    ) -> None:
        await asyncio.sleep(0)
        self.calls.append(("pre", node_.name, dict(kwargs)))

    async def post_node_execute(self, *, node_: Any, success: bool, result: Any, **_: Any) -> None:
        self.calls.append(("post", node_.name, success, result))

    async def post_graph_execute(
        self, *, success: bool, error: Any, results: Any, **_: Any
    ) -> None:
        self.calls.append(("post_graph", success, type(error).__name__, results))


class SyncRecorder(lifecycle.NodeExecutionHook, lifecycle.GraphExecutionHook):
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def run_before_graph_execution(self, *, final_vars: Any, execution_path: Any, **_: Any) -> None:
        self.calls.append(("before_graph", final_vars, sorted(execution_path)))

    def run_after_graph_execution(self, *, success: bool, results: Any, **_: Any) -> None:
        self.calls.append(("after_graph", success, results))

    def run_before_node_execution(self, *, node_name: str, node_kwargs: Any, **_: Any) -> None:
        self.calls.append(("before", node_name, dict(node_kwargs)))

    def run_after_node_execution(self, *, node_name: str, success: bool, result: Any, **_: Any):
        self.calls.append(("after", node_name, success, result))


def test_async_hooks_are_awaited_around_nodes_and_the_run():
    hook = AsyncRecorder()

    async def main() -> Any:
        dr = await build(hook)
        await dr.ainit()  # idempotent
        return await dr.execute(["order_total"], inputs=INPUTS, overrides={"limit": 2})

    assert run(main()) == {"order_total": 44.0}
    assert hook.inits == 1
    assert hook.calls == [
        ("construct", ["dags.async_flow"], {}),
        ("pre_graph", ["order_total"], INPUTS, {"limit": 2}),
        ("pre", "orders", {"user_id": 7, "limit": 2}),
        ("post", "orders", True, [17.0, 27.0]),
        ("pre", "order_total", {"orders": [17.0, 27.0]}),
        ("post", "order_total", True, 44.0),
        ("post_graph", True, "NoneType", {"order_total": 44.0}),
    ]


def test_sync_hooks_and_result_builders_work_too():
    sync, hook = SyncRecorder(), AsyncRecorder()

    async def main() -> Any:
        dr = await build(sync, hook, base.PandasDataFrameResult())
        return await dr.execute(["order_total"], inputs=INPUTS)

    frame = run(main())
    assert list(frame["order_total"]) == [81.0]
    assert sync.calls[0] == ("before_graph", ["order_total"], ["order_total", "orders"])
    assert sync.calls[1:5] == [
        ("before", "orders", {"user_id": 7}),
        ("after", "orders", True, [17.0, 27.0, 37.0]),
        ("before", "order_total", {"orders": [17.0, 27.0, 37.0]}),
        ("after", "order_total", True, 81.0),
    ]
    assert sync.calls[5][:2] == ("after_graph", True)
    assert sync.calls[5][2] is frame  # after the result builder, as in the sync driver
    assert [c[0] for c in hook.calls] == ["construct", "pre_graph", "pre", "post", "pre", "post",
                                          "post_graph"]  # fmt: skip


def test_after_hooks_see_failures_and_cancellations():
    hook, sync = AsyncRecorder(), SyncRecorder()

    async def main() -> None:
        dr = await build(hook, sync)
        await dr.execute(["profile_lookup", "slow_report"], inputs=INPUTS)

    with pytest.raises(KeyError):
        run(main())
    posts = {c[1]: c[2] for c in hook.calls if c[0] == "post"}
    assert posts == {"user": True, "profile_lookup": False, "slow_report": False}
    assert hook.calls[-1] == ("post_graph", False, "KeyError", None)
    afters = {c[1]: c[2] for c in sync.calls if c[0] == "after"}
    assert afters == posts


def test_a_node_execution_method_wraps_async_nodes():
    class Doubling(lifecycle.NodeExecutionMethod):
        def run_to_execute_node(self, *, node_callable: Any, node_kwargs: Any, **_: Any) -> Any:
            value = node_callable(**node_kwargs)
            if asyncio.iscoroutine(value):

                async def doubled() -> Any:
                    return 2 * await value

                return doubled()
            return 2 * value

    async def main() -> Any:
        return await (await build(Doubling())).execute(["order_total"], inputs=INPUTS)

    # orders are doubled, then their sum is doubled again
    assert run(main()) == {"order_total": 4 * 81.0}


def test_a_failing_async_hook_is_blamed_not_the_node():
    class Broken(lifecycle_base.BasePreNodeExecuteAsync):
        async def pre_node_execute(self, **_: Any) -> None:
            raise RuntimeError("hook bug")

    async def main() -> None:
        await (await build(Broken())).execute(["user"], inputs=INPUTS)

    with pytest.raises(RuntimeError) as info:
        run(main())
    notes = "\n".join(info.value.__notes__)
    assert "Broken.pre_node_execute while running node 'user'" in notes
    assert "raised by node" not in notes


def test_async_hooks_are_checked_when_the_driver_is_built():
    class Wrong(lifecycle_base.BasePreNodeExecuteAsync):
        async def pre_node_execute(self, *, node_: Any, when: str) -> None:  # type: ignore[override]
            pass

    with pytest.raises(HookSpecError, match="when"):
        async_driver.Builder().with_modules(async_flow).with_adapters(Wrong()).build_without_init()


def test_async_hook_bases_are_abstract():
    with pytest.raises(TypeError):
        lifecycle_base.BasePreNodeExecuteAsync()  # type: ignore[abstract]


def test_an_object_that_is_no_adapter_is_refused():
    with pytest.raises(UnsupportedAdapterError):
        async_driver.AsyncDriver({}, async_flow, adapters=[object()])


# -- builder ---------------------------------------------------------------------------------


def test_builder_refuses_what_the_async_driver_cannot_do():
    with pytest.raises(ValueError, match="not supported by the async driver"):
        async_driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    with pytest.raises(ValueError, match="not supported by the async driver"):
        async_driver.Builder().with_materializers()


def test_builder_copy_and_build_without_init():
    hook = AsyncRecorder()
    builder = async_driver.Builder().with_modules(async_flow).with_adapters(hook)
    copy = builder.copy()
    assert isinstance(copy, async_driver.Builder)
    dr = copy.build_without_init()
    assert isinstance(dr, async_driver.AsyncDriver)
    assert not dr.initialized and hook.inits == 0
    assert run(dr.ainit()) is dr
    assert dr.initialized and hook.inits == 1


def _where(fn: Any) -> str:
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"
