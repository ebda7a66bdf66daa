"""Task hooks and grouping strategies of dynamic execution: plait against Hamilton.

A recording adapter implements every task hook (and the node hooks) on both libraries; the runs
must see the same tasks: the same ids, purposes, spawning tasks, nodes, inputs, overrides,
results and outcomes, each task's hooks in the same order, the same expansions, and node hooks
with the same task ids. The order *between* tasks is not compared: Hamilton schedules ready
tasks in an order of its own (the order of a set), plait runs them in plan order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from .harness import Impl, both, both_raise, load_dag

BASIC = "mod_parallel_basic"
FAILING = "mod_parallel_failing"
FLAT = "hooks_flow"


def recorder(lib: Impl) -> Any:
    """An adapter recording every task hook call (and which task each node ran in)."""
    lifecycle = lib.module("lifecycle")

    class Recorder(
        lifecycle.TaskExecutionHook,
        lifecycle.TaskSubmissionHook,
        lifecycle.TaskReturnHook,
        lifecycle.TaskGroupingHook,
        lifecycle.NodeExecutionHook,
    ):
        def __init__(self) -> None:
            self.tasks: dict[str, dict[str, Any]] = {}
            self.grouped: list[list[str]] = []
            self.expanded: dict[str, dict[str, Any]] = {}
            self.node_tasks: Counter[tuple[str, str | None]] = Counter()

        def _task(self, hook: str, task_id: str, purpose: Any, spawning: str | None,
                  nodes: list[Any], **seen: Any) -> None:  # fmt: skip
            task = self.tasks.setdefault(task_id, {"hooks": []})
            task["hooks"].append(hook)
            task.update(
                purpose=purpose.value, spawning=spawning, nodes=sorted(n.name for n in nodes)
            )
            task.update({f"{hook}.{key}": value for key, value in seen.items()})

        def run_before_task_submission(self, *, task_id, purpose, spawning_task_id, nodes,
                                       inputs, overrides, **future_kwargs):  # fmt: skip
            self._task("submit", task_id, purpose, spawning_task_id, nodes, inputs=inputs,
                       overrides=overrides)  # fmt: skip

        def run_before_task_execution(self, *, task_id, purpose, spawning_task_id, nodes,
                                      inputs, overrides, **future_kwargs):  # fmt: skip
            self._task("before", task_id, purpose, spawning_task_id, nodes, inputs=inputs,
                       overrides=overrides)  # fmt: skip

        def run_after_task_execution(self, *, task_id, purpose, spawning_task_id, nodes,
                                     results, success, error, **future_kwargs):  # fmt: skip
            self._task("after", task_id, purpose, spawning_task_id, nodes, results=results,
                       success=success, error=type(error).__name__)  # fmt: skip

        def run_after_task_return(self, *, task_id, purpose, spawning_task_id, nodes, result,
                                  success, error, **future_kwargs):  # fmt: skip
            self._task("return", task_id, purpose, spawning_task_id, nodes, result=result,
                       success=success, error=type(error).__name__)  # fmt: skip

        def run_after_task_grouping(self, *, task_ids, **future_kwargs):
            self.grouped.append(sorted(task_ids))

        def run_after_task_expansion(self, *, task_id, parameters, **future_kwargs):
            self.expanded[task_id] = parameters
            self.tasks.setdefault(task_id, {"hooks": []})["hooks"].append("expansion")

        def run_before_node_execution(self, *, node_name, task_id, **future_kwargs):
            self.node_tasks[(node_name, task_id)] += 1

        def run_after_node_execution(self, **future_kwargs):
            pass

    return Recorder()


def record(name: str, outputs: list[str], inputs: dict[str, Any], *, overrides: Any = None,
           strategy: str | None = None, threads: bool = False):  # fmt: skip
    """A run of ``name`` with a recorder; returns (outputs or the error's type, the recorder)."""

    def run(lib: Impl) -> tuple[Any, Any]:
        adapter = recorder(lib)
        builder = lib.builder().with_modules(load_dag(lib, name)).with_adapters(adapter)
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
        executors = lib.module("execution.executors")
        builder = builder.with_local_executor(executors.SynchronousLocalTaskExecutor())
        remote = executors.MultiThreadingExecutor(2) if threads else None
        builder = builder.with_remote_executor(remote or executors.SynchronousLocalTaskExecutor())
        if strategy is not None:
            builder = builder.with_grouping_strategy(
                getattr(lib.module("execution.grouping"), strategy)()
            )
        try:
            result: Any = builder.build().execute(outputs, inputs=inputs, overrides=overrides)
        except Exception as exc:
            result = type(exc).__name__
        return result, adapter

    return run


def assert_same_tasks(got: Any, want: Any) -> None:
    assert got.grouped == want.grouped
    assert got.expanded == want.expanded
    assert sorted(got.tasks) == sorted(want.tasks)
    for task_id, seen in want.tasks.items():
        assert got.tasks[task_id] == seen, task_id
    assert got.node_tasks == want.node_tasks


RUNS = {
    "block": (BASIC, ["report"], {"n": 3, "offset": 1}, None),
    "block, two outputs": (BASIC, ["report", "scale"], {"n": 2, "offset": 4}, None),
    "no items": (BASIC, ["report"], {"n": 0, "offset": 1}, None),
    "overridden items": (BASIC, ["report"], {"offset": 1}, {"item": [4, 5]}),
    "overridden node": (BASIC, ["report"], {"n": 2, "offset": 1}, {"scale": 3}),
    "failing item": (FAILING, ["checked_total"], {"n": 3, "fail_at": 1}, None),
    "no block": (FLAT, ["fragile"], {"x": 2, "fail": False}, None),
    "no block, failing": (FLAT, ["fragile"], {"x": 2, "fail": True}, None),
}


@pytest.mark.parametrize("case", list(RUNS))
def test_the_same_tasks_and_hook_calls(impl, ham, case):
    name, outputs, inputs, overrides = RUNS[case]
    (got, got_log), (want, want_log) = both(
        impl, ham, record(name, outputs, inputs, overrides=overrides)
    )
    assert got == want
    assert_same_tasks(got_log, want_log)


def test_the_same_tasks_when_items_run_on_threads(impl, ham):
    run = record(BASIC, ["report"], {"n": 4, "offset": 2}, threads=True)
    (got, got_log), (want, want_log) = both(impl, ham, run)
    assert got == want
    assert_same_tasks(got_log, want_log)


@pytest.mark.parametrize(
    "strategy",
    [
        "GroupByRepeatableBlocks",
        "GroupNodesIndividually",
        "GroupNodesAllAsOne",
        "GroupNodesByLevel",
    ],
)
@pytest.mark.parametrize("fail", [False, True])
def test_grouping_strategies_cut_a_dataflow_without_blocks_alike(impl, ham, strategy, fail):
    run = record(FLAT, ["fragile"], {"x": 2, "fail": fail}, strategy=strategy)
    (got, got_log), (want, want_log) = both(impl, ham, run)
    assert got == want
    assert_same_tasks(got_log, want_log)


MISUSE = {
    "manager twice": lambda b, ex: b.with_execution_manager(ex.DefaultExecutionManager(
        remote_executor=ex.SynchronousLocalTaskExecutor())).with_execution_manager(
        ex.DefaultExecutionManager(remote_executor=ex.SynchronousLocalTaskExecutor())),
    "remote, then manager": lambda b, ex: b.with_remote_executor(
        ex.SynchronousLocalTaskExecutor()).with_execution_manager(ex.DefaultExecutionManager(
        remote_executor=ex.SynchronousLocalTaskExecutor())),
    "manager, then remote": lambda b, ex: b.with_execution_manager(ex.DefaultExecutionManager(
        remote_executor=ex.SynchronousLocalTaskExecutor())).with_remote_executor(
        ex.SynchronousLocalTaskExecutor()),
    "manager, then local": lambda b, ex: b.with_execution_manager(ex.DefaultExecutionManager(
        remote_executor=ex.SynchronousLocalTaskExecutor())).with_local_executor(
        ex.SynchronousLocalTaskExecutor()),
    "local twice": lambda b, ex: b.with_local_executor(
        ex.SynchronousLocalTaskExecutor()).with_local_executor(ex.SynchronousLocalTaskExecutor()),
    "remote twice": lambda b, ex: b.with_remote_executor(
        ex.SynchronousLocalTaskExecutor()).with_remote_executor(ex.SynchronousLocalTaskExecutor()),
}  # fmt: skip


@pytest.mark.parametrize("case", list(MISUSE))
def test_the_builder_refuses_the_same_executor_mixes(impl, ham, case):
    def run(lib: Impl) -> Any:
        builder = lib.builder().enable_dynamic_execution(allow_experimental_mode=True)
        return MISUSE[case](builder, lib.module("execution.executors"))

    both_raise(impl, ham, run)  # a ValueError on both sides


@pytest.mark.parametrize("method", ["with_execution_manager", "with_grouping_strategy"])
def test_managers_and_strategies_need_dynamic_execution(impl, ham, method):
    def run(lib: Impl) -> Any:
        grouping = lib.module("execution.grouping")
        executors = lib.module("execution.executors")
        value = (
            executors.DefaultExecutionManager()
            if method == "with_execution_manager"
            else grouping.GroupByRepeatableBlocks()
        )
        return getattr(lib.builder(), method)(value)

    both_raise(impl, ham, run)


def test_a_grouping_strategy_is_set_once(impl, ham):
    def run(lib: Impl) -> Any:
        grouping = lib.module("execution.grouping")
        builder = lib.builder().enable_dynamic_execution(allow_experimental_mode=True)
        builder = builder.with_grouping_strategy(grouping.GroupNodesByLevel())
        return builder.with_grouping_strategy(grouping.GroupNodesByLevel())

    both_raise(impl, ham, run)


@pytest.mark.parametrize("threads", [False, True])
def test_an_execution_manager_runs_blocks_like_the_remote_executor(impl, ham, threads):
    def run(lib: Impl) -> Any:
        executors = lib.module("execution.executors")
        remote = (
            executors.MultiThreadingExecutor(2)
            if threads
            else executors.SynchronousLocalTaskExecutor()
        )
        manager = executors.DefaultExecutionManager(
            local_executor=executors.SynchronousLocalTaskExecutor(), remote_executor=remote
        )
        builder = lib.builder().with_modules(load_dag(lib, BASIC))
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
        dr = builder.with_execution_manager(manager).build()
        return dr.execute(["report"], inputs={"n": 5, "offset": 2})

    got, want = both(impl, ham, run)
    assert got == want


def test_a_local_executor_then_a_manager_hamilton_ignores_it_plait_refuses(impl):
    """Hamilton accepts with_local_executor() before with_execution_manager() and then ignores
    the local executor; plait refuses the mix in either order (documented difference)."""
    executors = impl.module("execution.executors")
    builder = impl.builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder = builder.with_local_executor(executors.SynchronousLocalTaskExecutor())
    manager = executors.DefaultExecutionManager(
        remote_executor=executors.SynchronousLocalTaskExecutor()
    )
    if impl.is_hamilton:
        builder.with_execution_manager(manager)
    else:
        with pytest.raises(ValueError, match="cannot be combined with with_local_executor"):
            builder.with_execution_manager(manager)


def raising(lib: Impl, hook: str, task_id: str) -> Any:
    """A recorder whose ``hook`` raises for ``task_id``."""
    adapter = recorder(lib)
    method = getattr(adapter, hook)

    def fail(**kwargs: Any) -> None:
        method(**kwargs)
        if kwargs["task_id"] == task_id:
            raise RuntimeError(f"{hook} failed")

    setattr(adapter, hook, fail)
    return adapter


@pytest.mark.parametrize(
    ("hook", "task_id"),
    [
        ("run_before_task_execution", "n"),
        ("run_before_task_execution", "expand-item.1.block-item"),
        ("run_after_task_execution", "scale"),
        ("run_after_task_execution", "expand-item.0.block-item"),
    ],
)
def test_a_raising_task_hook_fails_the_run_and_the_task_returns_failed(impl, ham, hook, task_id):
    adapters: dict[str, Any] = {}

    def run(lib: Impl) -> Any:
        adapter = adapters[lib.name] = raising(lib, hook, task_id)
        builder = lib.builder().with_modules(load_dag(lib, BASIC)).with_adapters(adapter)
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
        executors = lib.module("execution.executors")
        builder = builder.with_local_executor(executors.SynchronousLocalTaskExecutor())
        builder = builder.with_remote_executor(executors.SynchronousLocalTaskExecutor())
        return builder.build().execute(["report"], inputs={"n": 2, "offset": 1})

    got, want = both_raise(impl, ham, run)
    assert str(got) == str(want) == f"{hook} failed"
    got_log, want_log = adapters[impl.name], adapters[ham.name]
    assert got_log.tasks[task_id] == want_log.tasks[task_id]


def test_the_execution_path_lists_the_nodes_inside_blocks_too(impl, ham):
    """``run_before_graph_execution(execution_path=...)`` names every node the run executes,
    the ones inside the Parallelizable block included (Hamilton's order is a set's: compared
    as sets)."""

    def run(lib: Impl) -> list[str]:
        lifecycle = lib.module("lifecycle")
        seen: list[str] = []

        class Path(lifecycle.GraphExecutionHook):
            def run_before_graph_execution(self, *, execution_path, **future_kwargs):  # type: ignore[no-untyped-def]
                seen.extend(execution_path)

            def run_after_graph_execution(self, **future_kwargs: Any) -> None:
                pass

        builder = lib.builder().with_modules(load_dag(lib, BASIC)).with_adapters(Path())
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
        builder.build().execute(["report"], inputs={"n": 3, "offset": 1})
        return seen

    got, want = both(impl, ham, run)
    assert sorted(got) == sorted(want)
    assert len(got) == len(set(got))
