"""The hooked run loop (``_run/hooked.py``): its per-plan step details, its direct keyword
calls (``Hooks.callers``), ``task_id`` and Parallelizable blocks under node hooks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from plait import driver, lifecycle
from plait._hooks.manager import Hooks
from plait._run.hooked import _Runner, run_plan_hooked
from plait._run.loop import load_sources
from plait.execution import executors
from plait.htypes import Collect, Parallelizable


def base(x: int) -> int:
    return x + 1


def pair(base: int, x: int) -> int:
    return base * x


def triple(base: int, pair: int, x: int) -> int:
    return base + pair + x


class Names(lifecycle.NodeExecutionHook):
    """Records ``(hook, node name, task_id)`` of every call."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, Any]] = []

    def run_before_node_execution(self, *, node_name: str, task_id: Any, **kw: Any) -> None:
        self.seen.append(("before", node_name, task_id))

    def run_after_node_execution(self, *, node_name: str, task_id: Any, **kw: Any) -> None:
        self.seen.append(("after", node_name, task_id))


@pytest.fixture
def flow(make_module):
    return make_module(base, pair, triple)


def build(module: Any, *adapters: Any) -> Any:
    return driver.Builder().with_modules(module).with_adapters(*adapters).build()


def zero() -> int:
    return 7


def five(zero: int, base: int, pair: int, triple: int, x: int) -> int:
    return zero + base + pair + triple + x


def test_node_kwargs_for_zero_to_five_arguments_are_a_new_dict_per_node(make_module):
    seen: dict[str, list[dict[str, Any]]] = {}

    class Kwargs(lifecycle.NodeExecutionHook):
        def run_before_node_execution(self, *, node_name: str, node_kwargs: Any, **kw: Any):
            seen.setdefault(node_name, []).append(node_kwargs)

        def run_after_node_execution(self, *, node_name: str, node_kwargs: Any, **kw: Any):
            assert node_kwargs is seen[node_name][-1]  # the same dict before and after

    module = make_module(zero, base, pair, triple, five)
    dr = build(module, Kwargs())
    assert dr.execute(["five"], inputs={"x": 2}) == {"five": 7 + 3 + 6 + 11 + 2}
    assert dr.execute(["five"], inputs={"x": 1}) == {"five": 7 + 2 + 2 + 5 + 1}
    assert seen["zero"][0] == {}
    assert seen["base"][0] == {"x": 2}
    assert seen["pair"][0] == {"base": 3, "x": 2}
    assert seen["triple"][0] == {"base": 3, "pair": 6, "x": 2}
    assert seen["five"][0] == {"zero": 7, "base": 3, "pair": 6, "triple": 11, "x": 2}
    assert list(seen["five"][0]) == ["zero", "base", "pair", "triple", "x"]  # parameter order
    assert seen["five"][1]["x"] == 1 and seen["five"][1] is not seen["five"][0]


def test_a_before_hook_changing_node_kwargs_changes_what_the_node_gets(flow):
    class Swap(lifecycle.NodeExecutionHook):  # as in Hamilton: one dict, hooks then the node
        def run_before_node_execution(self, *, node_name: str, node_kwargs: Any, **kw: Any):
            if node_name == "pair":
                node_kwargs["base"] = 100

        def run_after_node_execution(self, **kw: Any) -> None:
            pass

    assert build(flow, Swap()).execute(["pair"], inputs={"x": 2}) == {"pair": 200}


class Picky:
    """Takes a subset of the keywords: called through a wrapper, still blamed by its name."""

    def run_after_node_execution(self, node_name: str, result: Any) -> None:
        if node_name == "pair":
            raise ValueError(f"no {result}")


def test_a_failing_hook_taking_a_subset_of_keywords_is_named_by_its_class(flow):
    with pytest.raises(ValueError, match="no 6") as info:
        build(flow, Picky()).execute(["triple"], inputs={"x": 2})
    assert info.value.__notes__ == [  # type: ignore[attr-defined]
        "plait: raised by hook Picky.run_after_node_execution while running node 'pair'; "
        "the fault is in the hook, not in the node"
    ]


def test_every_kind_of_hook_in_one_run_in_registration_order(flow):
    log: list[str] = []

    class All(lifecycle.NodeExecutionHook):
        def run_before_node_execution(self, **kw: Any) -> None:
            log.append(f"all.before {kw['node_name']} {sorted(kw['node_kwargs'])}")

        def run_after_node_execution(self, **kw: Any) -> None:
            log.append(f"all.after {kw['node_name']} {kw['result']}")

    class Some:
        def run_before_node_execution(self, node_name: str) -> None:
            log.append(f"some.before {node_name}")

        def run_after_node_execution(self, node_name: str, success: bool) -> None:
            log.append(f"some.after {node_name} {success}")

    class Doubling(lifecycle.NodeExecutionMethod):
        def run_to_execute_node(self, *, node_callable: Any, node_kwargs: Any, **kw: Any) -> Any:
            log.append(f"execute {kw['node_name']}")
            return 2 * node_callable(**node_kwargs)

    result = build(flow, All(), Some(), Doubling()).execute(["pair"], inputs={"x": 3})
    assert result == {"pair": 8 * 3 * 2}
    assert log == [
        "all.before base ['x']",
        "some.before base",
        "execute base",
        "all.after base 8",
        "some.after base True",
        "all.before pair ['base', 'x']",
        "some.before pair",
        "execute pair",
        "all.after pair 48",
        "some.after pair True",
    ]


def test_step_details_are_computed_once_per_plan(flow):
    dr = build(flow, Names())
    dr.execute(["triple"], inputs={"x": 1})
    plan = dr._plan_for(["triple"], {"x": 1}, None)
    cached = plan.cache["hooked"][id(plan)]
    dr.execute(["triple"], inputs={"x": 2})
    assert plan.cache["hooked"][id(plan)] is cached
    assert [step[6] for step in cached] == ["base", "pair", "triple"]  # node names


def test_the_runner_passes_its_task_id_to_every_node_hook(flow):
    dr = build(flow)
    plan = dr._plan_for(["triple"], {"x": 1}, None)
    names = Names()
    vals = load_sources(plan, {"x": 1}, None)
    _Runner(Hooks([names]), "run-1", None, plan.cache).run(plan, vals, task_id="task-7")
    assert {task for _, _, task in names.seen} == {"task-7"}
    assert run_plan_hooked(plan, {"x": 1}, None, Hooks([names]), "run-2") == {"triple": 5}
    assert names.seen[-1] == ("after", "triple", None)


def items(n: int) -> Parallelizable[int]:
    yield from range(n)


def square(items: int) -> int:
    return items * items


def total(square: Collect[int]) -> int:
    return sum(square)


@pytest.mark.parametrize("executor", [None, "threads"])
def test_node_hooks_run_around_every_node_of_a_parallelizable_block(make_module, executor):
    names = Names()
    builder = (
        driver.Builder()
        .with_modules(make_module(items, square, total))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_adapters(names)
    )
    if executor:
        builder = builder.with_local_executor(executors.MultiThreadingExecutor(2))
    assert builder.build().execute(["total"], inputs={"n": 3}) == {"total": 5}
    seen = [(hook, name) for hook, name, _ in names.seen]
    assert seen[:2] == [("before", "items"), ("after", "items")]
    assert seen[-2:] == [("before", "total"), ("after", "total")]
    assert sorted(seen[2:-2]) == sorted([("before", "square"), ("after", "square")] * 3)


class Doubler:
    """A ``run_to_execute_node`` taking two of its seven keywords, and no ``**kwargs``."""

    def run_to_execute_node(self, node_callable: Any, node_kwargs: Any) -> Any:
        return 2 * node_callable(**node_kwargs)


def test_run_to_execute_node_may_take_a_subset_of_its_keywords(flow):
    assert build(flow, Doubler()).execute(["pair"], inputs={"x": 1}) == {"pair": 8}


def test_run_to_execute_node_may_take_a_subset_of_its_keywords_in_the_async_driver(flow):
    from plait import async_driver

    async def main() -> Any:
        dr = await async_driver.Builder().with_modules(flow).with_adapters(Doubler()).build()
        return await dr.execute(["pair"], inputs={"x": 1})

    assert asyncio.run(main()) == {"pair": 8}
