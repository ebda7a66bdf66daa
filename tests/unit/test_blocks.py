"""Parallelizable/Collect blocks: how they are planned (``_plan/blocks.py``) and run inline.

Executors (threads, processes) are covered in ``test_executors.py``; Hamilton side by side in
``tests/compat/test_parallel.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from dags import mod_parallel_basic, mod_parallel_multi, mod_parallel_nested
from plait import driver
from plait._graph.build import build_graph
from plait._model.errors import GraphError, InvalidArgumentError
from plait._model.node import node_from_function
from plait._plan.blocks import Block
from plait._plan.plan import CALLBLOCK, make_plan
from plait.execution import executors
from plait.htypes import Collect, Parallelizable


def dynamic(*fns: Callable[..., Any], modules: tuple[Any, ...] = ()) -> driver.Driver:
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    return builder.with_modules(*modules).with_functions(*fns).build()


def plan_of(fns: list[Callable[..., Any]], outputs: list[str], inputs: set[str], overrides=()):
    graph = build_graph([node_from_function(f) for f in fns])
    return make_plan(graph, tuple(outputs), inputs, set(overrides))


def blocks(plan_or_block: Any) -> list[Block]:
    return [n for n in plan_or_block.step_nodes if isinstance(n, Block)]


def names(block: Block) -> list[str]:
    return [n.expand.name if isinstance(n, Block) else n.name for n in block.step_nodes]


def where(fn: Callable[..., Any]) -> str:
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


# -- functions shared by several tests --------------------------------------------------------


def item(n: int) -> Parallelizable[int]:
    yield from range(n)


def doubled(item: int) -> int:
    return 2 * item


def total(doubled: Collect[int]) -> int:
    return sum(doubled)


def other(m: int) -> Parallelizable[int]:
    yield from range(m)


def mixed(doubled: int, other: int) -> int:  # one value from each of two sibling blocks
    return doubled + other


def mixed_total(mixed: Collect[int]) -> int:
    return sum(mixed)


# -- planning ---------------------------------------------------------------------------------


def test_a_block_is_one_step_of_the_plan_with_its_members_inside():
    plan = plan_of([item, doubled, total], ["total"], {"n"})
    assert [s[2] for s in plan.steps] == [CALLBLOCK, 1]  # the block, then the collect
    (block,) = blocks(plan)
    assert block.expand.name == "item"
    assert names(block) == ["doubled"]
    assert block.collected_names == ("doubled",)


def test_nested_blocks_are_blocks_inside_blocks():
    fns = [getattr(mod_parallel_nested, n) for n in ("outer", "inner", "bumped")]
    fns += [mod_parallel_nested.inner_total, mod_parallel_nested.grand_total]
    plan = plan_of(fns, ["grand_total"], {"n"})
    (outer,) = blocks(plan)
    assert names(outer) == ["inner", "inner_total"]  # the inner block, then its collect
    (inner,) = blocks(outer)
    assert names(inner) == ["bumped"]
    assert outer.collected_names == ("inner_total",)


def test_a_block_with_no_members_has_no_steps():
    def seen(item: Collect[int]) -> list[int]:
        return list(item)

    (block,) = blocks(plan_of([item, seen], ["seen"], {"n"}))
    assert block.steps == ()
    assert block.collected_names == ("item",)


def test_only_values_needed_outside_are_gathered():
    def halved(doubled: int) -> int:
        return doubled // 2

    def total_halved(halved: Collect[int]) -> int:
        return sum(halved)

    plan = plan_of([item, doubled, halved, total_halved], ["total_halved"], {"n"})
    (block,) = blocks(plan)
    assert names(block) == ["doubled", "halved"]
    assert block.collected_names == ("halved",)  # `doubled` stays inside the block


def test_the_block_runs_before_every_collect_whatever_the_request_order():
    def tripled(item: int) -> int:
        return 3 * item

    def total3(tripled: Collect[int]) -> int:
        return sum(tripled)

    def seen(item: Collect[int]) -> list[int]:
        return list(item)

    dr = dynamic(item, doubled, total, tripled, total3, seen)
    for request in (["total3", "total"], ["seen", "total"], ["total", "seen", "total3"]):
        got = dr.execute(request, inputs={"n": 3})
        expected = {"total": 6, "total3": 9, "seen": [0, 1, 2]}
        assert got == {k: expected[k] for k in request}


# -- running ----------------------------------------------------------------------------------


def test_a_plain_block_runs_each_item_through_the_chain():
    dr = dynamic(modules=(mod_parallel_basic,))
    assert dr.execute(["report"], inputs={"n": 3, "offset": 1}) == {"report": "v10,v20,v30"}
    assert dr.execute(["report"], inputs={"n": 1, "offset": 5}) == {"report": "v50"}


def test_nested_blocks_collect_per_outer_item_then_overall():
    dr = dynamic(modules=(mod_parallel_nested,))
    out = dr.execute(["inner_total", "grand_total"], inputs={"n": 3})
    # outer item i: inner items 0, 10, ..., 10 i, each + 1
    assert out == {"inner_total": [1, 12, 33], "grand_total": 46}


def test_an_inner_block_reads_the_outer_item_and_top_level_values():
    def base(k: int) -> int:
        return 100 * k

    def inner(item: int) -> Parallelizable[int]:
        yield from range(item + 1)

    def cell(inner: int, item: int, base: int) -> tuple[int, int, int]:
        return (item, inner, base)

    def row(cell: Collect[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        return cell

    def table(row: Collect[list[tuple[int, int, int]]]) -> list[list[tuple[int, int, int]]]:
        return row

    out = dynamic(base, item, inner, cell, row, table).execute(["table"], inputs={"n": 2, "k": 1})
    assert out == {"table": [[(0, 0, 100)], [(1, 0, 100), (1, 1, 100)]]}


def test_several_collects_of_one_block_run_it_once():
    calls: list[str] = []

    def counted(n: int) -> Parallelizable[int]:
        calls.append("expand")
        yield from range(n)

    def a(counted: int) -> int:
        calls.append("a")
        return counted + 1

    def b(counted: int) -> int:
        calls.append("b")
        return counted * 10

    def sum_a(a: Collect[int]) -> int:
        return sum(a)

    def list_b(b: Collect[int]) -> list[int]:
        return list(b)

    def both(a: Collect[int], b: Collect[int]) -> list[tuple[int, int]]:
        return list(zip(a, b, strict=True))

    out = dynamic(counted, a, b, sum_a, list_b, both).execute(
        ["sum_a", "list_b", "both"], inputs={"n": 3}
    )
    assert out == {"sum_a": 6, "list_b": [0, 10, 20], "both": [(1, 0), (2, 10), (3, 20)]}
    assert calls.count("expand") == 1
    assert calls.count("a") == calls.count("b") == 3


def test_the_module_with_several_collects():
    dr = dynamic(modules=(mod_parallel_multi,))
    out = dr.execute(["sum_doubled", "max_tripled", "items_seen"], inputs={"n": 4})
    assert out == {"sum_doubled": 12, "max_tripled": 9, "items_seen": [0, 1, 2, 3]}


def test_a_node_inside_a_block_comes_back_as_the_per_item_list():
    dr = dynamic(modules=(mod_parallel_multi,))
    assert dr.execute(["doubled"], inputs={"n": 3}) == {"doubled": [0, 2, 4]}
    out = dr.execute(["doubled", "sum_doubled", "tripled"], inputs={"n": 3})
    assert out == {"doubled": [0, 2, 4], "sum_doubled": 6, "tripled": [0, 3, 6]}


def test_a_node_inside_nested_blocks_comes_back_as_a_list_of_lists():
    dr = dynamic(modules=(mod_parallel_nested,))
    out = dr.execute(["bumped", "inner", "outer"], inputs={"n": 3})
    assert out == {
        "bumped": [[1], [1, 11], [1, 11, 21]],
        "inner": [[0], [0, 10], [0, 10, 20]],
        "outer": [0, 1, 2],
    }


def test_collecting_the_parallelizable_node_directly():
    dr = dynamic(modules=(mod_parallel_multi,))
    assert dr.execute(["items_seen"], inputs={"n": 3}) == {"items_seen": [0, 1, 2]}
    assert dr.execute(["item"], inputs={"n": 2}) == {"item": [0, 1]}


def test_values_from_outside_are_computed_once_and_broadcast_to_every_item():
    calls: list[int] = []

    def shared(k: int) -> dict[str, int]:
        calls.append(k)
        return {"k": k}

    def use(item: int, shared: dict[str, int], k: int) -> int:
        return item + shared["k"] + k

    def used(use: Collect[int]) -> list[int]:
        return use

    out = dynamic(item, shared, use, used).execute(["used", "shared"], inputs={"n": 3, "k": 5})
    assert out == {"used": [10, 11, 12], "shared": {"k": 5}}
    assert calls == [5]


def test_an_empty_parallelizable_gives_the_collect_an_empty_list():
    got: list[Any] = []
    ran: list[int] = []

    def member(item: int) -> int:
        ran.append(item)
        return item

    def gather(member: Collect[int]) -> int:
        got.append(member)
        return len(member)

    dr = dynamic(item, member, gather)
    assert dr.execute(["gather", "member", "item"], inputs={"n": 0}) == {
        "gather": 0,
        "member": [],
        "item": [],
    }
    assert got == [[]]
    assert ran == []


def test_a_generator_is_drawn_one_item_at_a_time_when_inline():
    events: list[str] = []

    def lazy(n: int) -> Parallelizable[int]:
        for i in range(n):
            events.append(f"draw {i}")
            yield i

    def work(lazy: int) -> int:
        events.append(f"run {lazy}")
        return lazy

    def done(work: Collect[int]) -> int:
        events.append("collect")
        return sum(work)

    dynamic(lazy, work, done).execute(["done"], inputs={"n": 3})
    assert events == ["draw 0", "run 0", "draw 1", "run 1", "draw 2", "run 2", "collect"]


@pytest.mark.parametrize("items", [[3, 4], (3, 4), range(3, 5), {3: "a", 4: "b"}])
def test_any_iterable_works_as_the_items(items):
    def given(x: Any) -> Parallelizable[int]:
        return x  # type: ignore[no-any-return]

    def plus(given: int) -> int:
        return given + 1

    def plused(plus: Collect[int]) -> list[int]:
        return plus

    assert dynamic(given, plus, plused).execute(["plused"], inputs={"x": items}) == {
        "plused": [4, 5]
    }


def test_the_synchronous_executor_is_the_inline_run():
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    dr = (
        builder.with_modules(mod_parallel_basic)
        .with_local_executor(executors.SynchronousLocalTaskExecutor())
        .with_remote_executor(executors.SynchronousLocalTaskExecutor())
        .build()
    )
    assert dr.execute(["report"], inputs={"n": 2, "offset": 0}) == {"report": "v0,v10"}


def test_a_driver_is_reusable_and_plans_are_cached():
    dr = dynamic(modules=(mod_parallel_basic,))
    first = [dr.execute(["report"], inputs={"n": n, "offset": 0})["report"] for n in (2, 0, 3)]
    assert first == ["v0,v10", "", "v0,v10,v20"]


# -- overrides --------------------------------------------------------------------------------


def test_overriding_the_parallelizable_node_gives_the_items():
    dr = dynamic(item, doubled, total)
    assert dr.execute(["total"], overrides={"item": [5, 6]}) == {"total": 22}
    assert dr.execute(["doubled"], overrides={"item": (1, 2)}) == {"doubled": [2, 4]}
    assert dr.execute(["item"], overrides={"item": [7]}) == {"item": [7]}  # as given


def test_overriding_a_collect_or_an_upstream_input_skips_the_block():
    dr = dynamic(item, doubled, total)
    assert dr.execute(["total"], overrides={"total": -1}) == {"total": -1}
    assert dr.execute(["total"], inputs={"n": 2}, overrides={"n": 3}) == {"total": 6}


def test_overriding_a_node_inside_the_block_is_a_clear_error():
    dr = dynamic(item, doubled, total)
    with pytest.raises(GraphError, match="not computed inside a Parallelizable block") as info:
        dr.execute(["total"], inputs={"n": 2}, overrides={"doubled": 4})
    assert where(total) in str(info.value)
    assert "Overrides (doubled) take the nodes they replace out of" in str(info.value)


# -- misuse: refused when planning, with file:line ---------------------------------------------


def test_collect_of_a_value_outside_any_block_is_refused_before_running():
    ran: list[str] = []

    def plain(x: int) -> int:
        ran.append("plain")
        return x

    def wrong(plain: Collect[int]) -> int:
        return sum(plain)

    dr = dynamic(plain, wrong)
    message = re.escape(f"{where(wrong)} collects 'plain' with Collect[...]")
    with pytest.raises(GraphError, match=message):
        dr.validate_execution(["wrong"], inputs={"x": 1})
    with pytest.raises(ValueError, match="not computed inside a Parallelizable block") as info:
        dr.execute(["wrong"], inputs={"x": 1})
    assert "Overrides" not in str(info.value)
    assert ran == []


def test_a_node_mixing_two_sibling_blocks_is_refused():
    dr = dynamic(item, doubled, other, mixed, mixed_total)
    with pytest.raises(GraphError, match="two different Parallelizable blocks") as info:
        dr.execute(["mixed_total"], inputs={"n": 2, "m": 2})
    assert where(mixed) in str(info.value)
    assert "(item and other)" in str(info.value) or "(other and item)" in str(info.value)


def test_two_sibling_blocks_are_fine_when_each_is_collected_first():
    def other_total(other: Collect[int]) -> int:
        return sum(other)

    def combined(total: int, other_total: int) -> int:
        return total * 100 + other_total

    dr = dynamic(item, doubled, total, other, other_total, combined)
    assert dr.execute(["combined"], inputs={"n": 3, "m": 4}) == {"combined": 606}


def test_collecting_and_reading_the_same_block_per_item_is_refused():
    def odd(doubled: Collect[int], item: int) -> int:
        return sum(doubled) + item

    with pytest.raises(GraphError, match="would run inside the block it closes") as info:
        dynamic(item, doubled, odd).execute(["odd"], inputs={"n": 2})
    assert where(odd) in str(info.value)


def test_a_block_that_needs_its_own_collected_value_is_refused():
    def spread(total: int, item: int) -> int:  # per item, but needs the whole block's total
        return total - item

    def spreads(spread: Collect[int]) -> list[int]:
        return spread

    with pytest.raises(GraphError, match="cannot use its own collected values") as info:
        dynamic(item, doubled, total, spread, spreads).execute(["spreads"], inputs={"n": 2})
    assert where(total) in str(info.value)


def test_parallelizable_without_dynamic_execution_is_an_invalid_executor():
    built = driver.Builder().with_functions(item, doubled, total).build()
    legacy = driver.Driver({}, mod_parallel_basic)
    for dr, output in ((built, "total"), (legacy, "report"), (built, "doubled"), (built, "item")):
        with pytest.raises(driver.InvalidExecutorException, match="enable_dynamic_execution"):
            dr.execute([output], inputs={"n": 1, "offset": 0})


def test_outputs_outside_the_block_need_no_dynamic_execution():
    dr = driver.Builder().with_modules(mod_parallel_basic).build()
    assert dr.execute(["scale"]) == {"scale": 10}


# -- builder ----------------------------------------------------------------------------------


def test_dynamic_execution_must_be_acknowledged_as_experimental():
    with pytest.raises(InvalidArgumentError, match="allow_experimental_mode=True"):
        driver.Builder().enable_dynamic_execution()
    with pytest.raises(ValueError, match="allow_experimental_mode=True"):
        driver.Builder().enable_dynamic_execution(allow_experimental_mode=False)


@pytest.mark.parametrize("method", ["with_remote_executor", "with_local_executor"])
def test_executors_need_dynamic_execution_first(method):
    with pytest.raises(InvalidArgumentError, match=f"{method}\\(\\) needs dynamic execution"):
        getattr(driver.Builder(), method)(executors.MultiThreadingExecutor(2))


def test_the_remote_executor_is_set_once_and_must_submit():
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder.with_remote_executor(executors.MultiThreadingExecutor(2))
    with pytest.raises(InvalidArgumentError, match="already set"):
        builder.with_remote_executor(executors.MultiThreadingExecutor(2))
    fresh = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    with pytest.raises(InvalidArgumentError, match="is not an executor"):
        fresh.with_remote_executor(object()).build()


def test_a_builder_copy_keeps_dynamic_execution():
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    dr = builder.with_functions(item, doubled, total).copy().build()
    assert dr.execute(["total"], inputs={"n": 3}) == {"total": 6}
