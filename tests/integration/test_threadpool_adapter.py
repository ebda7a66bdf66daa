"""plugins.h_threadpool.FutureAdapter: nodes run on a thread pool as their inputs resolve."""

import threading

import pytest

from plait import ad_hoc_utils, base, driver, lifecycle
from plait._model.errors import UnsupportedAdapterError
from plait.htypes import Collect, Parallelizable
from plait.plugins import h_threadpool

#: Three nodes meet here: the wait only ends if all three run at the same time.
MEETING = threading.Barrier(3, timeout=10)


def source(x: int) -> int:
    return x


def left(source: int) -> int:
    return source + 1


def middle(source: int) -> int:
    return source + 2


def right(source: int) -> int:
    return source + 3


def meet_a(source: int) -> int:
    return MEETING.wait()


def meet_b(source: int) -> int:
    return MEETING.wait()


def meet_c(source: int) -> int:
    return MEETING.wait()


def met(meet_a: int, meet_b: int, meet_c: int) -> list:
    return sorted([meet_a, meet_b, meet_c])


def joined(left: int, middle: int, right: int) -> int:
    return left * 100 + middle * 10 + right


def thread_name(joined: int) -> str:
    return threading.current_thread().name


def broken(left: int) -> int:
    raise KeyError(f"no row {left}")


def after_broken(broken: int, right: int) -> int:
    return broken + right


def items(n: int) -> Parallelizable[int]:
    yield from range(n)


def collected(items: Collect[int]) -> int:
    return sum(items)


@pytest.fixture(scope="module")
def module():
    return ad_hoc_utils.create_temporary_module(
        source, left, middle, right, joined, thread_name, broken, after_broken,
        meet_a, meet_b, meet_c, met,
    )  # fmt: skip


def _driver(module, adapter) -> driver.Driver:
    return driver.Builder().with_modules(module).with_adapters(adapter).build()


def test_results_equal_the_plain_run(module):
    outputs = ["joined", "left", "source"]
    expected = driver.Builder().with_modules(module).build().execute(outputs, inputs={"x": 1})
    dr = _driver(module, h_threadpool.FutureAdapter(max_workers=3))
    assert dr.execute(outputs, inputs={"x": 1}) == expected == {
        "joined": 2 * 100 + 3 * 10 + 4, "left": 2, "source": 1,
    }  # fmt: skip


def test_independent_nodes_run_at_the_same_time(module):
    dr = _driver(module, h_threadpool.FutureAdapter(max_workers=3))
    assert dr.execute(["met"], inputs={"x": 1}) == {"met": [0, 1, 2]}  # each got a turn


def test_nodes_run_in_the_pool_threads(module):
    dr = _driver(module, h_threadpool.FutureAdapter(thread_name_prefix="plait-test"))
    assert dr.execute(["thread_name"], inputs={"x": 1})["thread_name"].startswith("plait-test")


def test_a_result_builder_gets_resolved_values(module):
    adapter = h_threadpool.FutureAdapter(result_builder=base.PandasDataFrameResult())
    frame = driver.Driver({}, module, adapter=adapter).execute(["left", "right"], inputs={"x": 1})
    assert frame.to_dict("list") == {"left": [2], "right": [4]}
    assert adapter.output_type() is not None
    assert adapter.input_types() != []


def test_a_node_error_keeps_its_type_and_names_its_node_once(module):
    dr = _driver(module, h_threadpool.FutureAdapter())
    with pytest.raises(KeyError, match="no row 2") as info:
        dr.execute(["after_broken"], inputs={"x": 1})  # fails one node upstream
    notes = getattr(info.value, "__notes__", [])
    assert len(notes) == 1
    assert "node 'broken'" in notes[0]


def test_many_waiting_nodes_on_few_threads_do_not_deadlock():
    """Each node waits in its thread for its inputs; submission order prevents deadlock."""

    def step_0(x: int) -> int:
        return x

    fns = [step_0]
    for i in range(1, 30):
        exec(f"def step_{i}(step_{i - 1}: int) -> int:\n    return step_{i - 1} + 1", globals())
        fns.append(globals()[f"step_{i}"])
    chain = ad_hoc_utils.create_temporary_module(*fns)
    dr = _driver(chain, h_threadpool.FutureAdapter(max_workers=2))
    assert dr.execute(["step_29"], inputs={"x": 0}) == {"step_29": 29}


def test_node_hooks_still_run(module):
    class Seen(lifecycle.NodeExecutionHook):
        def __init__(self):
            self.names = []

        def run_before_node_execution(self, *, node_name, **kwargs):
            self.names.append(node_name)

        def run_after_node_execution(self, **kwargs):
            pass

    seen = Seen()
    dr = (
        driver.Builder()
        .with_modules(module)
        .with_adapters(h_threadpool.FutureAdapter(), seen)
        .build()
    )
    dr.execute(["joined"], inputs={"x": 1})
    assert sorted(seen.names) == ["joined", "left", "middle", "right", "source"]


def test_parallelizable_blocks_are_refused_with_a_pointer():
    blocks = ad_hoc_utils.create_temporary_module(items, collected)
    builder = driver.Builder().with_modules(blocks)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    dr = builder.with_adapters(h_threadpool.FutureAdapter()).build()
    with pytest.raises(UnsupportedAdapterError, match="MultiThreadingExecutor"):
        dr.execute(["collected"], inputs={"n": 2})


def test_same_results_as_hamiltons_future_adapter(module):
    h_driver = pytest.importorskip("hamilton.driver")
    h_threads = pytest.importorskip("hamilton.plugins.h_threadpool")
    outputs = ["joined", "left"]
    theirs = (
        h_driver.Builder()
        .with_modules(module)
        .with_adapters(h_threads.FutureAdapter())
        .build()
        .execute(outputs, inputs={"x": 1})
    )
    ours = _driver(module, h_threadpool.FutureAdapter()).execute(outputs, inputs={"x": 1})
    assert ours == theirs
