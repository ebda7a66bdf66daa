"""The task layer of dynamic execution: task hooks, task ids, grouping strategies, execution
managers (``_plan/tasks.py``, ``_run/tasks.py``, ``_run/managers.py``).

Hamilton side by side: ``tests/compat/test_task_hooks.py``.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dags import mod_parallel_basic, mod_parallel_nested
from plait import driver, lifecycle
from plait._hooks.spec import SPECS, TASK_HOOKS
from plait._model.errors import HookSpecError, InvalidArgumentError
from plait.execution import executors, grouping
from plait.execution.grouping import NodeGroupPurpose
from plait.htypes import Collect, Parallelizable

BASIC_INPUTS = {"n": 2, "offset": 1}


def build(*adapters: Any, module: Any = mod_parallel_basic, **options: Any) -> driver.Driver:
    builder = driver.Builder().with_modules(module).with_adapters(*adapters)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    for method, value in options.items():
        builder = getattr(builder, f"with_{method}")(value)
    return builder.build()


class Log(
    lifecycle.TaskExecutionHook,
    lifecycle.TaskSubmissionHook,
    lifecycle.TaskReturnHook,
    lifecycle.TaskGroupingHook,
):
    """Records ``(hook, task id)`` in order, and what each call received."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.kwargs: dict[tuple[str, str], dict[str, Any]] = {}

    def _add(self, hook: str, task_id: str, kwargs: dict[str, Any]) -> None:
        self.calls.append((hook, task_id))
        self.kwargs[(hook, task_id)] = kwargs

    def run_before_task_submission(self, *, task_id: str, **kwargs: Any) -> None:
        self._add("submit", task_id, kwargs)

    def run_before_task_execution(self, *, task_id: str, **kwargs: Any) -> None:
        self._add("before", task_id, kwargs)

    def run_after_task_execution(self, *, task_id: str, **kwargs: Any) -> None:
        self._add("after", task_id, kwargs)

    def run_after_task_return(self, *, task_id: str, **kwargs: Any) -> None:
        self._add("return", task_id, kwargs)

    def run_after_task_grouping(self, *, run_id: str, task_ids: list[str], **kwargs: Any) -> None:
        self._add("grouping", "", {"task_ids": task_ids})

    def run_after_task_expansion(self, *, task_id: str, **kwargs: Any) -> None:
        self._add("expansion", task_id, kwargs)

    def of(self, task_id: str) -> list[str]:
        return [hook for hook, seen in self.calls if seen == task_id]

    def task_ids(self) -> list[str]:
        return list(dict.fromkeys(t for h, t in self.calls if h == "submit"))


class NodeLog(lifecycle.NodeExecutionHook):
    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []

    def run_before_node_execution(self, *, node_name: str, task_id: str | None, **kw: Any) -> None:
        self.seen.append((node_name, task_id))

    def run_after_node_execution(self, **kw: Any) -> None:
        pass


# -- the tasks of a run (the default strategy) ---------------------------------------------------


def test_the_default_tasks_their_ids_purposes_and_hook_order():
    log = Log()
    assert build(log).execute(["report"], inputs=BASIC_INPUTS) == {"report": "v10,v20"}
    items = ["expand-item.0.block-item", "expand-item.1.block-item"]
    assert log.task_ids() == ["n", "offset", "scale", "expand-item", *items, "collect-item"]
    assert log.calls[0] == ("grouping", "")
    grouped = log.kwargs[("grouping", "")]["task_ids"]
    assert grouped == ["n", "offset", "scale", "expand-item", "block-item", "collect-item"]
    for task in ("n", "scale", *items, "collect-item"):
        assert log.of(task) == ["submit", "before", "after", "return"], task
    assert log.of("expand-item") == ["submit", "before", "after", "expansion", "return"]
    # the expand task is over before its items start
    assert log.calls.index(("return", "expand-item")) < log.calls.index(("submit", items[0]))
    purposes = {t: log.kwargs[("submit", t)]["purpose"] for t in log.task_ids()}
    assert purposes["scale"] is NodeGroupPurpose.EXECUTE_SINGLE
    assert purposes["expand-item"] is NodeGroupPurpose.EXPAND_UNORDERED
    assert purposes[items[1]] is NodeGroupPurpose.EXECUTE_BLOCK
    assert purposes["collect-item"].is_gatherer()


def test_what_each_task_hook_receives():
    log = Log()
    build(log).execute(["report"], inputs=BASIC_INPUTS)
    item = "expand-item.1.block-item"
    submitted = log.kwargs[("submit", item)]
    assert submitted["inputs"] == {"offset": 1, "scale": 10, "item": 1}
    assert submitted["overrides"] == {}
    assert submitted["spawning_task_id"] == "expand-item"
    assert [n.name for n in submitted["nodes"]] == ["shifted", "scaled", "labelled"]
    after = log.kwargs[("after", item)]
    assert after["results"] == {"offset": 1, "scale": 10, "item": 1, "shifted": 2,
                                "scaled": 20, "labelled": "v20"}  # fmt: skip
    assert (after["success"], after["error"]) == (True, None)
    assert log.kwargs[("return", item)]["result"] == {"labelled": "v20"}
    assert log.kwargs[("expansion", "expand-item")]["parameters"] == {"0": 0, "1": 1}
    assert log.kwargs[("after", "expand-item")]["results"] == {"n": 2, "item": [0, 1]}
    assert log.kwargs[("return", "collect-item")]["result"] == {"report": "v10,v20"}
    assert log.kwargs[("before", "n")]["inputs"] == {"n": 2}
    assert log.kwargs[("before", "collect-item")]["spawning_task_id"] is None


def test_an_overridden_node_is_a_task_with_its_override():
    log, nodes = Log(), NodeLog()
    build(log, nodes).execute(["report"], inputs=BASIC_INPUTS, overrides={"scale": 3})
    assert log.kwargs[("before", "scale")]["overrides"] == {"scale": 3}
    assert ("scale", "scale") not in nodes.seen  # overridden: not run
    log = Log()
    build(log, nodes).execute(["report"], inputs={"offset": 0}, overrides={"item": [7]})
    assert log.kwargs[("before", "expand-item")]["overrides"] == {"item": [7]}
    assert log.kwargs[("expansion", "expand-item")]["parameters"] == {"0": 7}


def test_every_task_hook_gets_exactly_its_spec_keywords():
    log = Log()
    build(log).execute(["report"], inputs=BASIC_INPUTS)
    hooks = {"submit": "run_before_task_submission", "before": "run_before_task_execution",
             "after": "run_after_task_execution", "return": "run_after_task_return",
             "expansion": "run_after_task_expansion"}  # fmt: skip
    for (short, _), kwargs in log.kwargs.items():
        if short == "grouping":
            continue
        assert set(kwargs) | {"task_id"} == SPECS[hooks[short]].keywords, short


def test_task_hooks_are_not_called_without_dynamic_execution():
    log = Log()
    dr = driver.Builder().with_functions(plain_a, plain_b).with_adapters(log).build()
    assert dr.execute(["plain_b"], inputs={"x": 1}) == {"plain_b": 4}
    assert log.calls == []


def plain_a(x: int) -> int:
    return x + 1


def plain_b(plain_a: int) -> int:
    return plain_a * 2


def test_a_task_hook_must_take_only_keywords_of_its_spec():
    class Wrong(lifecycle.TaskGroupingHook):
        def run_after_task_grouping(self, *, task_ids: list[str], tasks: int) -> None:
            pass

        def run_after_task_expansion(self, **kwargs: Any) -> None:
            pass

    with pytest.raises(HookSpecError, match="run_after_task_grouping requires \\['tasks'\\]"):
        build(Wrong())


# -- node hooks see the task id ----------------------------------------------------------------


def test_node_hooks_receive_the_task_id_in_dynamic_mode_and_none_otherwise():
    nodes = NodeLog()
    build(nodes).execute(["report"], inputs=BASIC_INPUTS)
    assert nodes.seen == [
        ("scale", "scale"),
        ("item", "expand-item"),
        ("shifted", "expand-item.0.block-item"),
        ("scaled", "expand-item.0.block-item"),
        ("labelled", "expand-item.0.block-item"),
        ("shifted", "expand-item.1.block-item"),
        ("scaled", "expand-item.1.block-item"),
        ("labelled", "expand-item.1.block-item"),
        ("report", "collect-item"),
    ]
    flat = NodeLog()
    driver.Builder().with_functions(plain_a, plain_b).with_adapters(flat).build().execute(
        ["plain_b"], inputs={"x": 1}
    )
    assert flat.seen == [("plain_a", None), ("plain_b", None)]


def test_a_nested_block_runs_inside_the_task_of_the_outer_item():
    nodes, log = NodeLog(), Log()
    dr = build(nodes, log, module=mod_parallel_nested)
    assert dr.execute(["grand_total"], inputs={"n": 2}) == {"grand_total": 13}
    assert ("bumped", "expand-outer.1.block-outer") in nodes.seen
    assert ("inner_total", "expand-outer.1.block-outer") in nodes.seen
    assert [t for t in log.task_ids() if "block" in t] == [
        "expand-outer.0.block-outer",
        "expand-outer.1.block-outer",
    ]
    assert [t for h, t in log.calls if h == "expansion"] == ["expand-outer"]


def test_with_node_hooks_only_items_are_still_drawn_lazily():
    drawn: list[str] = []

    def lazy(n: int) -> Parallelizable[int]:
        for i in range(n):
            drawn.append(f"draw {i}")
            yield i

    def seen(lazy: int) -> int:
        drawn.append(f"run {lazy}")
        return lazy

    def gathered(seen: Collect[int]) -> list[int]:
        return seen

    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    dr = builder.with_functions(lazy, seen, gathered).with_adapters(NodeLog()).build()
    assert dr.execute(["gathered"], inputs={"n": 2}) == {"gathered": [0, 1]}
    assert drawn == ["draw 0", "run 0", "draw 1", "run 1"]
    drawn.clear()
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder.with_functions(lazy, seen, gathered).with_adapters(Log()).build().execute(
        ["gathered"], inputs={"n": 2}
    )
    assert drawn == ["draw 0", "draw 1", "run 0", "run 1"]  # task hooks: drawn first


# -- failures ----------------------------------------------------------------------------------


def flaky(item: int) -> int:
    if item == 1:
        raise KeyError("no item 1")
    return item


def flaky_total(flaky: Collect[int]) -> int:
    return sum(flaky)


def item(n: int) -> Parallelizable[int]:
    yield from range(n)


def dynamic(*adapters: Any, remote: Any = None, **options: Any) -> driver.Driver:
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder = builder.with_functions(item, flaky, flaky_total).with_adapters(*adapters)
    if remote is not None:
        builder = builder.with_remote_executor(remote)
    for method, value in options.items():
        builder = getattr(builder, f"with_{method}")(value)
    return builder.build()


@pytest.mark.parametrize("remote", [None, "threads"])
def test_a_failing_item_is_reported_by_its_task_hooks_then_raised(remote):
    log = Log()
    executor = executors.MultiThreadingExecutor(2) if remote else None
    with pytest.raises(KeyError, match="no item 1") as info:
        dynamic(log, remote=executor).execute(["flaky_total"], inputs={"n": 3})
    failed = "expand-item.1.block-item"
    after, returned = log.kwargs[("after", failed)], log.kwargs[("return", failed)]
    assert (after["success"], after["results"], after["error"]) == (False, None, info.value)
    assert (returned["success"], returned["result"], returned["error"]) == (False, None, info.value)
    assert log.kwargs[("return", "expand-item.0.block-item")]["success"]
    assert "plait: in branch 1 (item 1 yielded by Parallelizable 'item')" in info.value.__notes__


class _Batching:
    """An executor with submit_many only: records each batch, runs it on threads."""

    def __init__(self) -> None:
        import concurrent.futures as cf

        self.pool = cf.ThreadPoolExecutor(2)
        self.batches: list[int] = []

    def submit_many(self, fn: Callable[..., Any], arg_tuples: list[tuple[Any, ...]]) -> list[Any]:
        self.batches.append(len(arg_tuples))
        return [self.pool.submit(fn, *args) for args in arg_tuples]

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        raise AssertionError("with submit_many, a block's items must come in one batch")


def test_with_task_hooks_a_batching_executor_still_gets_each_block_at_once():
    batching, log, inline_log = _Batching(), Log(), Log()
    got = build(log, remote_executor=batching).execute(["report"], inputs={"n": 5, "offset": 1})
    assert got == build(inline_log).execute(["report"], inputs={"n": 5, "offset": 1})
    assert batching.batches == [5]
    assert log.task_ids() == inline_log.task_ids()
    for task in log.task_ids():  # each task: the same hooks in the same order
        assert log.of(task) == inline_log.of(task), task
    items = [t for t in log.task_ids() if t.endswith(".block-item")]
    last_submit = max(log.calls.index(("submit", t)) for t in items)
    assert last_submit < min(log.calls.index(("before", t)) for t in items)  # one batch


def test_a_failing_node_outside_blocks_is_reported_by_its_task():
    def broken(n: int) -> int:
        raise ValueError("broken")

    log = Log()
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    dr = builder.with_functions(broken).with_adapters(log).build()
    with pytest.raises(ValueError, match="broken"):
        dr.execute(["broken"], inputs={"n": 1})
    assert log.of("broken") == ["submit", "before", "after", "return"]
    assert log.kwargs[("return", "broken")]["success"] is False


class Raising(lifecycle.TaskExecutionHook):
    """Raises from one hook for one task."""

    def __init__(self, hook: str, task_id: str) -> None:
        self.hook, self.task_id = hook, task_id

    def _maybe(self, hook: str, task_id: str) -> None:
        if (hook, task_id) == (self.hook, self.task_id):
            raise RuntimeError(f"{hook} failed")

    def run_before_task_execution(self, *, task_id: str, **kwargs: Any) -> None:
        self._maybe("before", task_id)

    def run_after_task_execution(self, *, task_id: str, **kwargs: Any) -> None:
        self._maybe("after", task_id)


@pytest.mark.parametrize(
    ("hook", "task_id"),
    [("before", "expand-item.0.block-item"), ("after", "expand-item"), ("before", "n")],
)
@pytest.mark.parametrize("remote", [None, "threads"])
def test_a_raising_task_hook_is_reported_as_the_hooks_fault(hook, task_id, remote):
    executor = executors.MultiThreadingExecutor(2) if remote else None
    log = Log()
    dr = dynamic(Raising(hook, task_id), log, remote=executor)
    with pytest.raises(RuntimeError, match=f"{hook} failed") as info:
        dr.execute(["flaky_total"], inputs={"n": 1})
    method = "run_before_task_execution" if hook == "before" else "run_after_task_execution"
    assert (
        f"plait: raised by hook Raising.{method} for task '{task_id}'; the fault is in the "
        "hook, not in the task's nodes"
    ) in info.value.__notes__
    assert log.kwargs[("return", task_id)]["success"] is False


# -- where items run: threads, processes --------------------------------------------------------


class FileLog(lifecycle.TaskExecutionHook):
    """Appends each execution hook call to a file: visible from worker processes too."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def _write(self, **record: Any) -> None:
        with open(self.path, "a") as out:
            out.write(json.dumps(record) + "\n")

    def run_before_task_execution(self, *, task_id: str, inputs: dict[str, Any], **kw: Any) -> None:
        import os

        self._write(hook="before", task_id=task_id, inputs=inputs, pid=os.getpid())

    def run_after_task_execution(self, *, task_id: str, results: Any, **kw: Any) -> None:
        self._write(hook="after", task_id=task_id, results=results)


def test_execution_hooks_of_items_run_in_the_worker_processes(tmp_path):
    import os

    path = tmp_path / "log.jsonl"
    log = Log()
    dr = build(FileLog(path), log, remote_executor=executors.MultiProcessingExecutor(2))
    assert dr.execute(["report"], inputs={"n": 3, "offset": 0}) == {"report": "v0,v10,v20"}
    records = [json.loads(line) for line in path.read_text().splitlines()]
    items = {r["task_id"]: r for r in records if r["hook"] == "before" and "block" in r["task_id"]}
    assert sorted(items) == [f"expand-item.{i}.block-item" for i in range(3)]
    assert all(r["pid"] != os.getpid() for r in items.values())  # ran in a worker
    assert items["expand-item.2.block-item"]["inputs"] == {"offset": 0, "scale": 10, "item": 2}
    assert [r for r in records if r["hook"] == "after" and r["task_id"] == "collect-item"]
    # submission and return hooks ran here, in the driver's process
    assert log.of("expand-item.2.block-item") == ["submit", "return"]
    assert log.kwargs[("return", "expand-item.2.block-item")]["result"] == {"labelled": "v20"}


def test_node_hooks_in_worker_processes_see_the_item_task(tmp_path):
    class NodeFile(lifecycle.NodeExecutionHook):
        def __init__(self, path: Path) -> None:
            self.path = str(path)

        def run_before_node_execution(self, *, node_name: str, task_id: Any, **kw: Any) -> None:
            with open(self.path, "a") as out:
                out.write(f"{node_name} {task_id}\n")

        def run_after_node_execution(self, **kw: Any) -> None:
            pass

    path = tmp_path / "nodes.txt"
    dr = build(NodeFile(path), remote_executor=executors.MultiProcessingExecutor(2))
    assert dr.execute(["report"], inputs={"n": 2, "offset": 0}) == {"report": "v0,v10"}
    lines = set(path.read_text().splitlines())
    assert "labelled expand-item.1.block-item" in lines
    assert "report collect-item" in lines


# -- grouping strategies -----------------------------------------------------------------------


def diamond_a(x: int) -> int:
    return x + 1


def diamond_far(diamond_a: int) -> int:
    return diamond_a * 10


def diamond_near(x: int) -> int:
    return x * 100


def diamond_end(diamond_far: int, diamond_near: int) -> int:
    return diamond_far + diamond_near


def diamond(*adapters: Any, strategy: Any) -> driver.Driver:
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder = builder.with_functions(diamond_a, diamond_far, diamond_near, diamond_end)
    return builder.with_adapters(*adapters).with_grouping_strategy(strategy).build()


def test_by_level_runs_level_by_level_and_still_releases_values():
    log, nodes = Log(), NodeLog()
    dr = diamond(log, nodes, strategy=grouping.GroupNodesByLevel())
    assert dr.execute(["diamond_end"], inputs={"x": 1}) == {"diamond_end": 120}
    assert log.task_ids() == ["level_0", "level_1", "level_2", "level_3"]
    assert [n for n, _ in nodes.seen] == ["diamond_a", "diamond_near", "diamond_far", "diamond_end"]
    assert nodes.seen[1] == ("diamond_near", "level_1")
    assert [n.name for n in log.kwargs[("before", "level_1")]["nodes"]] == [
        "diamond_a",
        "diamond_near",
    ]
    assert log.kwargs[("after", "level_1")]["results"] == {
        "x": 1,
        "diamond_a": 2,
        "diamond_near": 100,
    }
    assert log.kwargs[("return", "level_1")]["result"] == {"diamond_a": 2, "diamond_near": 100}
    plan = next(iter(dr._plans.values()))
    layout = plan.cache["tasks:GroupNodesByLevel"]
    released = {s for step in layout.steps for s in step[4]}
    assert released and not released & set(plan.output_slots)  # outputs are kept


def test_all_as_one_is_one_task_spawning_the_items():
    log, nodes = Log(), NodeLog()
    assert build(log, nodes, grouping_strategy=grouping.GroupNodesAllAsOne()).execute(
        ["report"], inputs=BASIC_INPUTS
    ) == {"report": "v10,v20"}
    assert log.task_ids() == ["root", "root.0.block-item", "root.1.block-item"]
    assert log.kwargs[("grouping", "")]["task_ids"] == ["root", "block-item"]
    assert [h for h, t in log.calls if t == "root"] == [
        "submit",
        "before",
        "expansion",
        "after",
        "return",
    ]
    assert log.kwargs[("after", "root")]["results"]["labelled"] == ["v10", "v20"]
    assert ("report", "root") in nodes.seen


def test_individually_names_tasks_after_their_nodes():
    log = Log()
    build(log, grouping_strategy=grouping.GroupNodesIndividually()).execute(
        ["report"], inputs=BASIC_INPUTS
    )
    assert log.task_ids()[:4] == ["n", "offset", "scale", "item"]
    assert "item.1.block-item" in log.task_ids()
    assert log.kwargs[("submit", "report")]["purpose"] is NodeGroupPurpose.GATHER
    assert log.kwargs[("submit", "scale")]["purpose"] is NodeGroupPurpose.EXECUTE_BLOCK


def test_several_collects_of_one_block_get_distinct_task_ids():
    def low(item: int) -> int:
        return item

    def lows(low: Collect[int]) -> int:
        return sum(low)

    def highs(low: Collect[int]) -> int:
        return max(low)

    log = Log()
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    dr = builder.with_functions(item, low, lows, highs).with_adapters(log).build()
    assert dr.execute(["lows", "highs"], inputs={"n": 3}) == {"lows": 3, "highs": 2}
    collects = [t for t in log.task_ids() if t.startswith("collect")]
    assert sorted(collects) in (
        ["collect-item", "collect-item-lows"],
        ["collect-item", "collect-item-highs"],
    )


# -- the builder ---------------------------------------------------------------------------------


def dynamic_builder() -> driver.Builder:
    return driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)


def test_with_grouping_strategy_takes_hamiltons_four_strategies_only():
    for strategy in (grouping.GroupByRepeatableBlocks, grouping.GroupNodesIndividually,
                     grouping.GroupNodesAllAsOne, grouping.GroupNodesByLevel):  # fmt: skip
        dynamic_builder().with_grouping_strategy(strategy())

    class Mine(grouping.GroupingStrategy):
        def group_nodes(self, nodes: list[Any]) -> list[Any]:
            return []

    with pytest.raises(InvalidArgumentError, match="Custom strategies \\(group_nodes\\)"):
        dynamic_builder().with_grouping_strategy(Mine())
    with pytest.raises(InvalidArgumentError, match="needs dynamic execution"):
        driver.Builder().with_grouping_strategy(grouping.GroupNodesByLevel())
    with pytest.raises(InvalidArgumentError, match="already set"):
        dynamic_builder().with_grouping_strategy(
            grouping.GroupNodesByLevel()
        ).with_grouping_strategy(grouping.GroupNodesByLevel())


def test_with_execution_manager_refuses_what_is_not_one_and_mixing():
    with pytest.raises(InvalidArgumentError, match="not an execution manager"):
        dynamic_builder().with_execution_manager(executors.MultiThreadingExecutor(2))
    manager = executors.DefaultExecutionManager(remote_executor=executors.MultiThreadingExecutor(2))
    with pytest.raises(InvalidArgumentError, match="cannot be combined with with_remote_executor"):
        dynamic_builder().with_remote_executor(
            executors.MultiThreadingExecutor(2)
        ).with_execution_manager(manager)
    with pytest.raises(
        InvalidArgumentError, match="cannot be combined with with_execution_manager"
    ):
        dynamic_builder().with_execution_manager(manager).with_local_executor(
            executors.SynchronousLocalTaskExecutor()
        )


def test_a_builder_copy_keeps_the_manager_and_the_strategy():
    manager = executors.DefaultExecutionManager(remote_executor=executors.MultiThreadingExecutor(2))
    builder = dynamic_builder().with_execution_manager(manager)
    builder = builder.with_grouping_strategy(grouping.GroupNodesAllAsOne())
    log = Log()
    dr = builder.copy().with_modules(mod_parallel_basic).with_adapters(log).build()
    assert dr.execute(["report"], inputs=BASIC_INPUTS) == {"report": "v10,v20"}
    assert log.task_ids()[0] == "root"


# -- execution managers -----------------------------------------------------------------------


class Counting:
    """An executor running tasks inline, counting them."""

    def __init__(self) -> None:
        self.submitted = 0
        self.finalized = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        self.submitted += 1
        return executors.SynchronousLocalTaskExecutor().submit(fn, *args)

    def finalize(self) -> None:
        self.finalized += 1


class ByTag(executors.ExecutionManager):
    """Blocks whose nodes are tagged ``where="special"`` go to ``special``."""

    def __init__(self) -> None:
        self.plain, self.special = Counting(), Counting()
        super().__init__([self.plain, self.special])
        self.asked: list[Any] = []
        self.started = 0

    def init(self) -> None:
        self.started += 1
        super().init()

    def get_executor_for_task(self, task: Any) -> Any:
        self.asked.append(task)
        tagged = any(n.tags.get("where") == "special" for n in task.nodes)
        return self.special if tagged else self.plain


def test_a_custom_manager_is_asked_once_per_block_and_finalized_with_the_driver():
    manager = ByTag()
    dr = build(execution_manager=manager)
    for _ in range(2):
        assert dr.execute(["report"], inputs={"n": 3, "offset": 0}) == {"report": "v0,v10,v20"}
    assert len(manager.asked) == 1 and manager.started == 1
    spec = manager.asked[0]
    assert (spec.base_id, spec.purpose) == ("block-item", NodeGroupPurpose.EXECUTE_BLOCK)
    assert [n.name for n in spec.nodes] == ["shifted", "scaled", "labelled"]
    assert spec.outputs_to_compute == ("labelled",)
    assert (manager.plain.submitted, manager.special.submitted) == (6, 0)
    del dr
    gc.collect()
    assert (manager.plain.finalized, manager.special.finalized) == (1, 1)


def test_a_manager_may_route_by_tags():
    from plait.function_modifiers import tag

    @tag(where="special")
    def special(item: int) -> int:
        return -item

    def specials(special: Collect[int]) -> list[int]:
        return special

    manager = ByTag()
    dr = dynamic_builder().with_functions(item, special, specials).with_execution_manager(manager)
    assert dr.build().execute(["specials"], inputs={"n": 2}) == {"specials": [0, -1]}
    assert (manager.plain.submitted, manager.special.submitted) == (0, 2)


def test_a_manager_returning_no_executor_fails_clearly():
    class Broken(executors.ExecutionManager):
        def get_executor_for_task(self, task: Any) -> Any:
            return "threads please"

    dr = build(execution_manager=Broken([]))
    with pytest.raises(
        InvalidArgumentError, match=r"Broken.get_executor_for_task\(\) got 'threads please'"
    ):
        dr.execute(["report"], inputs=BASIC_INPUTS)


def test_the_default_manager_has_hamiltons_defaults_and_runs_blocks_remotely():
    manager = executors.DefaultExecutionManager()
    assert isinstance(manager.local_executor, executors.SynchronousLocalTaskExecutor)
    assert isinstance(manager.remote_executor, executors.MultiProcessingExecutor)
    assert manager.remote_executor.max_tasks == 5
    counting = Counting()
    dr = build(execution_manager=executors.DefaultExecutionManager(remote_executor=counting))
    assert dr.execute(["report"], inputs=BASIC_INPUTS) == {"report": "v10,v20"}
    assert counting.submitted == 2


# -- no cost without hooks ---------------------------------------------------------------------


def test_no_task_layout_is_computed_without_task_or_node_hooks():
    class GraphOnly(lifecycle.GraphExecutionHook):
        def run_before_graph_execution(self, **kw: Any) -> None:
            pass

        def run_after_graph_execution(self, **kw: Any) -> None:
            pass

    for adapters in ((), (GraphOnly(),)):
        dr = build(*adapters)
        assert dr.execute(["report"], inputs=BASIC_INPUTS) == {"report": "v10,v20"}
        plan = next(iter(dr._plans.values()))
        assert not [key for key in plan.cache if str(key).startswith("tasks")]


def test_every_task_hook_is_a_spec():
    assert set(TASK_HOOKS) <= set(SPECS)
