"""Dynamic execution (``Parallelizable``/``Collect``): plait against Hamilton on the same modules.

``tests/dags/mod_parallel_*.py`` are written against plait and ported to Hamilton by
``harness.load_dag``. Where Hamilton works, both must give the same values (inline and on a
thread pool). Where Hamilton fails or returns something else (several Collects of one block,
nested blocks, a node requested from inside a block, the Parallelizable node collected
directly), the tests pin Hamilton's behaviour *and* plait's result: the documented differences
(``docs/parallel.md``, "Beyond Hamilton").
"""

from __future__ import annotations

import traceback
from typing import Any

import pytest

from .harness import HAMILTON, Impl, assert_same, both, both_raise, load_dag

BASIC = "mod_parallel_basic"
MULTI = "mod_parallel_multi"
NESTED = "mod_parallel_nested"
FAILING = "mod_parallel_failing"


def build(lib: Impl, name: str, executor: str | None = None) -> Any:
    builder = lib.builder().with_modules(load_dag(lib, name))
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    if executor == "threads":
        builder = builder.with_remote_executor(
            lib.module("execution.executors").MultiThreadingExecutor(2)
        )
    return builder.build()


def run(name: str, outputs: list[str], inputs: dict[str, Any], executor: str | None = None,
        overrides: dict[str, Any] | None = None):  # fmt: skip
    return lambda lib: build(lib, name, executor).execute(
        outputs, inputs=inputs, overrides=overrides
    )


# -- the same results ---------------------------------------------------------------------------

SAME = [
    (BASIC, ["report"], {"n": 3, "offset": 1}, None),
    (BASIC, ["report", "scale"], {"n": 2, "offset": 4}, None),
    (BASIC, ["report"], {"n": 0, "offset": 1}, None),  # no items: the Collect gets []
    (BASIC, ["report"], {"offset": 1}, {"item": [4, 5]}),  # overridden items
    (MULTI, ["sum_doubled"], {"n": 4}, None),
    (MULTI, ["max_tripled"], {"n": 0}, None),
    (MULTI, ["item"], {"n": 3}, None),  # the Parallelizable node itself: its items
]


@pytest.mark.parametrize("executor", [None, "threads"])
@pytest.mark.parametrize(("name", "outputs", "inputs", "overrides"), SAME)
def test_same_results_where_hamilton_runs_the_block(
    impl, ham, executor, name, outputs, inputs, overrides
):
    got, want = both(impl, ham, run(name, outputs, inputs, executor, overrides))
    assert_same(got, want)


def test_pinned_values(impl):
    out = run(BASIC, ["report"], {"n": 3, "offset": 1})(impl)
    assert out == {"report": "v10,v20,v30"}


def test_an_error_in_a_branch_keeps_its_type_and_traceback(impl, ham):
    got, want = both_raise(impl, ham, run(FAILING, ["checked_total"], {"n": 5, "fail_at": 3}))
    for exc in (got, want):
        assert isinstance(exc, ValueError) and str(exc) == "item 3 is not allowed"
        assert traceback.extract_tb(exc.__traceback__)[-1].name == "checked"
    if impl.is_plait:  # plait also says which node and which item
        assert "plait: in branch 3 (item 3 yielded by Parallelizable 'item')" in got.__notes__


# -- the same errors ----------------------------------------------------------------------------


def test_parallelizable_without_dynamic_execution_is_an_invalid_executor(impl, ham):
    def run_static(lib: Impl) -> Any:
        dr = lib.builder().with_modules(load_dag(lib, BASIC)).build()
        return dr.execute(["report"], inputs={"n": 2, "offset": 0})

    got, want = both_raise(impl, ham, run_static)
    assert type(got) is impl.driver.InvalidExecutorException
    assert type(want).__name__ == "InvalidExecutorException"


def test_dynamic_execution_needs_the_experimental_flag(impl, ham):
    got, _ = both_raise(impl, ham, lambda lib: lib.builder().enable_dynamic_execution())
    assert isinstance(got, ValueError)


@pytest.mark.parametrize("method", ["with_remote_executor", "with_local_executor"])
def test_executors_need_dynamic_execution(impl, ham, method):
    def misuse(lib: Impl) -> Any:
        executor = lib.module("execution.executors").SynchronousLocalTaskExecutor()
        return getattr(lib.builder(), method)(executor)

    got, _ = both_raise(impl, ham, misuse)
    assert isinstance(got, ValueError)


# -- beyond Hamilton: what Hamilton gets wrong, and what plait gives ----------------------------

BEYOND = [
    # several Collects of one block in one request
    (
        MULTI,
        ["sum_doubled", "max_tripled"],
        {"n": 4},
        KeyError("not found in cache"),  # names one of the two (set order)
        {"sum_doubled": 12, "max_tripled": 9},
    ),
    # nested blocks
    (
        NESTED,
        ["grand_total", "inner_total"],
        {"n": 3},
        TypeError('can only concatenate list (not "int") to list'),
        {"grand_total": 46, "inner_total": [1, 12, 33]},
    ),
    # a node inside the block, requested: Hamilton fails or returns other values
    (
        BASIC,
        ["scaled"],
        {"n": 3, "offset": 1},
        TypeError('can only concatenate list (not "int") to list'),
        {"scaled": [10, 20, 30]},
    ),
    (MULTI, ["doubled"], {"n": 3}, {"doubled": [0, 1, 2, 0, 1, 2]}, {"doubled": [0, 2, 4]}),
    # the Parallelizable node collected directly: Hamilton wraps the items in one more list
    (MULTI, ["items_seen"], {"n": 3}, {"items_seen": [[0, 1, 2]]}, {"items_seen": [0, 1, 2]}),
]


@pytest.mark.parametrize("executor", [None, "threads"])
@pytest.mark.parametrize(("name", "outputs", "inputs", "hamilton", "plait"), BEYOND)
def test_beyond_hamilton(impl, executor, name, outputs, inputs, hamilton, plait):
    request = run(name, outputs, inputs, executor)
    if impl.name != HAMILTON:
        assert request(impl) == plait
    elif isinstance(hamilton, Exception):
        with pytest.raises(type(hamilton)) as info:
            request(impl)
        assert hamilton.args[0] in str(info.value.args[0])
    else:
        assert request(impl) == hamilton
