"""Executors of Parallelizable blocks: synchronous, threads, processes.

Every executor must give the inline run's results, in yield order, and its errors: same type,
a traceback to the user's line, notes naming the node and the item. Processes also get: code
from modules a fresh worker cannot import (sent by value), a worker killed mid-run (a clear
``ExecutorError``, never a hang), and Ctrl-C (the run stops, no worker is left behind). The
last two run a driver in a subprocess, each under a timeout.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dags import mod_parallel_basic, mod_parallel_failing, mod_parallel_multi, mod_parallel_nested
from plait import ad_hoc_utils, driver
from plait.execution import executors
from plait.htypes import Collect, Parallelizable

TESTS = Path(__file__).resolve().parent.parent
SRC = TESTS.parent / "src"
KINDS = ["inline", "sync", "threads", "processes"]


@pytest.fixture(scope="module")
def processes() -> Iterator[executors.MultiProcessingExecutor]:
    """One pool of 2 worker processes for the whole module (spawning costs ~0.5 s)."""
    pool = executors.MultiProcessingExecutor(2)
    yield pool
    pool.finalize()


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_executor(kind: str, processes: Any) -> Any:
    return {
        "inline": None,
        "sync": executors.SynchronousLocalTaskExecutor(),
        "threads": executors.MultiThreadingExecutor(3),
        "processes": processes,
    }[kind]


def dynamic(*modules: Any, executor: Any = None, fns: tuple[Any, ...] = ()) -> driver.Driver:
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder = builder.with_modules(*modules).with_functions(*fns)
    if executor is not None:
        builder = builder.with_remote_executor(executor)
    return builder.build()


def where(fn: Callable[..., Any]) -> str:
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


# -- same results as inline, with every executor ----------------------------------------------

CASES = [
    (mod_parallel_basic, ["report", "scaled"], {"n": 4, "offset": 2}),
    (mod_parallel_basic, ["report"], {"n": 0, "offset": 2}),
    (mod_parallel_multi, ["sum_doubled", "max_tripled", "items_seen", "doubled"], {"n": 5}),
    (mod_parallel_nested, ["grand_total", "inner_total", "bumped"], {"n": 4}),
]


@pytest.mark.parametrize(("module", "outputs", "inputs"), CASES)
def test_every_executor_gives_the_inline_results(kind, processes, module, outputs, inputs):
    expected = dynamic(module).execute(outputs, inputs=inputs)
    got = dynamic(module, executor=make_executor(kind, processes)).execute(outputs, inputs=inputs)
    assert got == expected
    assert list(got) == outputs


def test_values_come_back_in_yield_order_when_items_finish_out_of_order():
    def slowest_first(n: int) -> Parallelizable[int]:
        yield from range(n)

    def nap(slowest_first: int, n: int) -> int:
        time.sleep(0.01 * (n - slowest_first))
        return slowest_first

    def naps(nap: Collect[int]) -> list[int]:
        return nap

    ex = executors.MultiThreadingExecutor(4)
    dr = dynamic(executor=ex, fns=(slowest_first, nap, naps))
    assert dr.execute(["naps"], inputs={"n": 6}) == {"naps": [0, 1, 2, 3, 4, 5]}


def test_threads_run_items_at_the_same_time():
    barrier = threading.Barrier(2, timeout=10)  # only passes if two items run at once

    def pair(n: int) -> Parallelizable[int]:
        yield from range(n)

    def meet(pair: int) -> int:
        barrier.wait()
        return threading.get_ident()

    def idents(meet: Collect[int]) -> set[int]:
        return set(meet)

    dr = dynamic(executor=executors.MultiThreadingExecutor(2), fns=(pair, meet, idents))
    assert len(dr.execute(["idents"], inputs={"n": 2})["idents"]) == 2


def test_processes_run_items_in_other_processes(processes):
    def pids(n: int) -> Parallelizable[int]:
        yield from range(n)

    def pid_of(pids: int) -> int:
        return os.getpid()

    def all_pids(pid_of: Collect[int]) -> set[int]:
        return set(pid_of)

    dr = dynamic(executor=processes, fns=(pids, pid_of, all_pids))
    seen = dr.execute(["all_pids"], inputs={"n": 6})["all_pids"]
    assert seen and os.getpid() not in seen


# -- errors -----------------------------------------------------------------------------------


def test_an_error_in_one_branch_keeps_its_type_and_names_node_and_item(kind, processes):
    dr = dynamic(mod_parallel_failing, executor=make_executor(kind, processes))
    with pytest.raises(ValueError, match="item 3 is not allowed") as info:
        dr.execute(["checked_total"], inputs={"n": 6, "fail_at": 3})
    notes = info.value.__notes__
    fn = mod_parallel_failing.checked
    assert f"plait: raised by node 'checked' (function at {where(fn)})" in notes
    assert "plait: in branch 3 (item 3 yielded by Parallelizable 'item')" in notes
    if kind == "processes":  # the worker's traceback comes back as text, as the cause
        remote = str(info.value.__cause__)
        assert f'{fn.__code__.co_filename}", line' in remote and "in checked" in remote
    else:
        frame = traceback.extract_tb(info.value.__traceback__)[-1]
        assert (frame.filename, frame.name) == (fn.__code__.co_filename, "checked")


class _BatchingThreads:
    """An executor offering submit_many: records the batches it is given, runs them on threads."""

    def __init__(self) -> None:
        import concurrent.futures as cf

        self.pool = cf.ThreadPoolExecutor(2)
        self.batches: list[int] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        raise AssertionError("a block's items must come through submit_many")

    def submit_many(self, fn: Callable[..., Any], arg_tuples: list[tuple[Any, ...]]) -> list[Any]:
        self.batches.append(len(arg_tuples))
        return [self.pool.submit(fn, *args) for args in arg_tuples]


def test_an_executor_with_submit_many_gets_each_block_in_one_batch():
    batching = _BatchingThreads()
    inputs = {"n": 7, "offset": 1}
    want = dynamic(mod_parallel_basic).execute(["report"], inputs=inputs)
    got = dynamic(mod_parallel_basic, executor=batching).execute(["report"], inputs=inputs)
    assert got == want
    assert batching.batches == [7]
    failing = dynamic(mod_parallel_failing, executor=_BatchingThreads())
    with pytest.raises(ValueError, match="item 3 is not allowed") as info:
        failing.execute(["checked_total"], inputs={"n": 6, "fail_at": 3})
    assert "plait: in branch 3 (item 3 yielded by Parallelizable 'item')" in info.value.__notes__


def test_nested_errors_name_both_items():
    def outer(n: int) -> Parallelizable[int]:
        yield from range(n)

    def inner(outer: int) -> Parallelizable[tuple[int, int]]:
        for j in range(3):
            yield (outer, j)

    def cell(inner: tuple[int, int]) -> int:
        if inner == (1, 2):
            raise KeyError(inner)
        return 0

    def row(cell: Collect[int]) -> int:
        return sum(cell)

    def table(row: Collect[int]) -> int:
        return sum(row)

    dr = dynamic(executor=executors.MultiThreadingExecutor(2), fns=(outer, inner, cell, row, table))
    with pytest.raises(KeyError) as info:
        dr.execute(["table"], inputs={"n": 2})
    assert info.value.__notes__[1:] == [
        "plait: in branch 2 (item 2 yielded by Parallelizable 'inner')",
        "plait: in branch 1 (item 1 yielded by Parallelizable 'outer')",
    ]


def test_an_error_while_drawing_items_names_the_parallelizable_node(kind, processes):
    def broken(n: int) -> Parallelizable[int]:
        yield 0
        raise OSError("source went away")

    def same(broken: int) -> int:
        return broken

    def gathered(same: Collect[int]) -> list[int]:
        return same

    dr = dynamic(executor=make_executor(kind, processes), fns=(broken, same, gathered))
    with pytest.raises(OSError, match="source went away") as info:
        dr.execute(["gathered"], inputs={"n": 1})
    assert info.value.__notes__ == [f"plait: raised by node 'broken' (function at {where(broken)})"]


def test_a_failed_branch_cancels_the_items_not_started():
    ran: list[int] = []

    def many(n: int) -> Parallelizable[int]:
        yield from range(n)

    def step(many: int) -> int:
        ran.append(many)
        if many == 0:
            raise RuntimeError("first item fails")
        time.sleep(0.01)
        return many

    def steps(step: Collect[int]) -> int:
        return len(step)

    ex = executors.MultiThreadingExecutor(1)
    with pytest.raises(RuntimeError, match="first item fails"):
        dynamic(executor=ex, fns=(many, step, steps)).execute(["steps"], inputs={"n": 100})
    ex.submit(len, ()).result()  # one thread, first in first out: after what was not cancelled
    assert len(ran) < 100
    ex.finalize()


# -- processes: code a worker cannot import is sent by value ----------------------------------


def _shout(item: str) -> str:
    return item.upper()


def letters(word: str) -> Parallelizable[str]:
    yield from word


def upper(letters: str, suffix: str) -> str:
    return _shout(letters) + suffix


def joined(upper: Collect[str]) -> str:
    return "".join(upper)


SOURCE = """
from plait.htypes import Collect, Parallelizable


class Box:
    def __init__(self, value):
        self.value = value


def boxes(n: int) -> Parallelizable[Box]:
    for i in range(n):
        yield Box(i)


def opened(boxes: Box) -> int:
    return boxes.value * 7


def opened_all(opened: Collect[int]) -> list:
    return opened
"""


def test_processes_run_functions_of_a_temporary_module(processes):
    module = ad_hoc_utils.create_temporary_module(letters, upper, joined)
    dr = dynamic(module, executor=processes)
    assert dr.execute(["joined"], inputs={"word": "abc", "suffix": "!"}) == {"joined": "A!B!C!"}


def test_processes_run_functions_of_this_test_module(processes):
    dr = dynamic(executor=processes, fns=(letters, upper, joined))
    assert dr.execute(["joined"], inputs={"word": "xy", "suffix": "."}) == {"joined": "X.Y."}


def test_processes_run_modules_made_in_memory_or_outside_sys_path(processes, make_module):
    made = [
        ad_hoc_utils.module_from_source(SOURCE),
        ad_hoc_utils.create_module(SOURCE),  # a file in a temporary directory
        make_module(letters, upper, joined),  # a module object with a made-up name
    ]
    assert dynamic(made[0], executor=processes).execute(["opened_all"], inputs={"n": 3}) == {
        "opened_all": [0, 7, 14]
    }
    assert dynamic(made[1], executor=processes).execute(["opened_all"], inputs={"n": 2}) == {
        "opened_all": [0, 7]
    }
    out = dynamic(made[2], executor=processes).execute(
        ["joined"], inputs={"word": "ok", "suffix": ""}
    )
    assert out == {"joined": "OK"}


FAILING_SOURCE = """
from plait.htypes import Collect, Parallelizable

def nums(n: int) -> Parallelizable[int]:
    yield from range(n)

def checked(nums: int) -> int:
    if nums == 2:
        raise ValueError("two")
    return nums

def all_checked(checked: Collect[int]) -> list[int]:
    return checked
"""


def test_an_error_of_a_module_sent_by_value_names_its_real_file(processes):
    # cloudpickle (>= 3.1.3) names the code of functions it sends by value "<dynamic-code>"
    module = ad_hoc_utils.create_module(FAILING_SOURCE)  # a file outside sys.path: by value
    with pytest.raises(ValueError, match="two") as info:
        dynamic(module, executor=processes).execute(["all_checked"], inputs={"n": 4})
    where = f"plait: raised by node 'checked' (function at {module.__file__}:7)"
    assert where in info.value.__notes__
    remote = str(info.value.__cause__)  # the worker's traceback, as text
    assert f'File "{module.__file__}", line 9, in checked' in remote


def test_processes_run_closures(processes):
    factor = 5

    def nums(n: int) -> Parallelizable[int]:
        yield from range(n)

    def times(nums: int) -> int:
        return nums * factor

    def all_times(times: Collect[int]) -> list[int]:
        return times

    dr = dynamic(executor=processes, fns=(nums, times, all_times))
    assert dr.execute(["all_times"], inputs={"n": 3}) == {"all_times": [0, 5, 10]}


def test_only_modules_a_worker_cannot_import_are_sent_by_value(make_module):
    from plait._run import executors as impl

    assert impl._importable(mod_parallel_basic)  # on sys.path: imported by the workers
    assert impl._importable(impl)
    assert not impl._importable(make_module(letters))  # a module object with a made-up name
    assert not impl._importable(ad_hoc_utils.module_from_source("x = 1"))
    assert not impl._importable(ad_hoc_utils.create_module("x = 1"))  # outside sys.path


# -- pools: lazy, released, reusable ----------------------------------------------------------


def test_a_pool_starts_on_first_use_and_finalize_releases_it():
    ex = executors.MultiThreadingExecutor(2)
    assert ex._pool is None
    dr = dynamic(mod_parallel_basic, executor=ex)
    assert dr.execute(["report"], inputs={"n": 2, "offset": 0}) == {"report": "v0,v10"}
    assert ex._pool is not None
    ex.finalize()
    assert ex._pool is None
    assert dr.execute(["report"], inputs={"n": 1, "offset": 0}) == {"report": "v0"}  # restarts
    ex.finalize()


def test_the_pool_is_released_with_the_driver():
    ex = executors.MultiThreadingExecutor(2)
    dr = dynamic(mod_parallel_basic, executor=ex)
    dr.execute(["report"], inputs={"n": 2, "offset": 0})
    assert ex._pool is not None
    del dr
    gc.collect()
    assert ex._pool is None


def test_an_executor_shared_by_drivers_keeps_its_pool_until_the_last_one_goes():
    ex = executors.MultiThreadingExecutor(2)
    first = dynamic(mod_parallel_basic, executor=ex)
    second = dynamic(mod_parallel_basic, executor=ex)
    first.execute(["report"], inputs={"n": 2, "offset": 0})
    pool = ex._pool
    del first
    gc.collect()
    assert ex._pool is pool  # `second` still uses it
    assert second.execute(["report"], inputs={"n": 2, "offset": 10}) == {"report": "v100,v110"}
    del second
    gc.collect()
    assert ex._pool is None


def test_max_tasks_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        executors.MultiProcessingExecutor(0)


# -- processes: a killed worker, Ctrl-C (drivers in subprocesses, under timeouts) -------------

SCRIPT = """
import signal
from dags import mod_parallel_failing
from plait import driver
from plait.execution import executors

if __name__ == "__main__":
    # Ctrl-C raises KeyboardInterrupt, as in a terminal (a background job inherits SIGINT ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    dr = (
        driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(mod_parallel_failing)
        .with_remote_executor(executors.MultiProcessingExecutor(2))
        .build()
    )
{body}
"""


class Script:
    """``SCRIPT`` with ``body``, run in its own session (a process group, as a shell gives a
    foreground job), output to files (no pipe to block on). Leaving the ``with`` kills the
    whole group, so a failing test leaves no process behind."""

    def __init__(self, tmp_path: Path, body: str) -> None:
        script = tmp_path / "run_driver.py"
        script.write_text(SCRIPT.format(body=textwrap.indent(textwrap.dedent(body), "    ")))
        self.out, self.err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(script)], env=env, stdout=out, stderr=err,
                start_new_session=True,
            )  # fmt: skip

    def __enter__(self) -> Script:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def lines(self) -> list[str]:
        return self.out.read_text().splitlines()

    def wait_for_lines(self, prefix: str, count: int, timeout: float) -> list[str]:
        """Poll stdout until ``count`` lines start with ``prefix``."""
        deadline = time.monotonic() + timeout
        while sum(line.startswith(prefix) for line in self.lines()) < count:
            assert self.proc.poll() is None, f"the driver exited: {self.err.read_text()}"
            assert time.monotonic() < deadline, f"not {count} {prefix!r} lines: {self.lines()}"
            time.sleep(0.02)
        return self.lines()


def test_a_worker_killed_mid_run_is_a_clear_error_not_a_hang(tmp_path):
    body = """
        try:
            dr.execute(["killed_total"], inputs={"n": 6, "kill_at": 3})
        except Exception as exc:
            print("raised", type(exc).__name__, exc)
        print("again", dr.execute(["killed_total"], inputs={"n": 6, "kill_at": -1}))
        """
    with Script(tmp_path, body) as script:
        assert script.proc.wait(timeout=90) == 0, script.err.read_text()
        out = script.out.read_text()
    assert "raised ExecutorError A worker process of MultiProcessingExecutor died" in out
    assert "again {'killed_total': 15}" in out  # the broken pool was replaced


UNGUARDED = """
from dags import mod_parallel_failing
from plait import driver
from plait.execution import executors

dr = (
    driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    .with_modules(mod_parallel_failing)
    .with_remote_executor(executors.MultiProcessingExecutor(2))
    .build()
)
print(dr.execute(["killed_total"], inputs={"n": 4, "kill_at": -1}))
"""


def test_a_script_without_a_main_block_is_told_to_add_one(tmp_path):
    # spawned workers import the script again; unguarded, it starts a driver while they start
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    prefix = "plait._model.errors.ExecutorError: A worker process"
    raised = [line for line in done.stderr.splitlines() if line.startswith(prefix)]
    assert len(raised) == 1, done.stderr
    assert str(script) in raised[0]
    assert 'if __name__ == "__main__":' in raised[0]
    assert "out of memory" not in raised[0]  # not the generic guess
    # the pool's thread fails the other tasks itself: the loop cancelling them under it made
    # that thread print an InvalidStateError traceback (a race: not every run showed it)
    assert "InvalidStateError" not in done.stderr


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find worker processes")
@pytest.mark.parametrize("to", ["process group", "driver only"])
def test_ctrl_c_stops_the_run_and_leaves_no_worker_behind(tmp_path, to):
    body = """
        dr.execute(["slow_total"], inputs={"n": 8, "seconds": 60.0})
        print("finished")
        """
    with Script(tmp_path, body) as script:
        pid = script.proc.pid
        lines = script.wait_for_lines("running", 2, timeout=60)  # both workers in a 60 s item
        workers = {int(line.split()[-1]) for line in lines if line.startswith("running")}
        workers |= _children(pid)  # and the resource tracker
        if to == "process group":
            os.killpg(pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        else:
            os.kill(pid, signal.SIGINT)
        assert script.proc.wait(timeout=30) != 0
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], "worker processes left running"
    assert "finished" not in script.lines()
    assert "KeyboardInterrupt" in script.err.read_text()
