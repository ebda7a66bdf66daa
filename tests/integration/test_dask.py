"""plugins.h_dask against a real dask.distributed LocalCluster (2 worker processes, 1 thread
each), started once for this module: DaskExecutor for Parallelizable blocks, DaskGraphAdapter
for every node, DaskDataFrameResult; worker loss and its retries."""

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

distributed = pytest.importorskip("dask.distributed")
dd = pytest.importorskip("dask.dataframe")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from dags.cluster_flow import (  # noqa: E402
    broken,
    cost_per_signup,
    crash,
    crashed,
    items,
    listed,
    mean_cost,
    scaled,
    shifted,
    slow_square,
    slow_total,
    spend,
    total,
)
from plait import ad_hoc_utils, base, driver  # noqa: E402
from plait._model.errors import ExecutorError  # noqa: E402
from plait.htypes import Collect  # noqa: E402
from plait.plugins import h_dask  # noqa: E402

pytestmark = pytest.mark.dask


# -- dataflows (in memory: they travel to the workers by value) -----------------------------


def waited(items: int) -> int:
    import time

    if items == 0:
        raise RuntimeError("the first branch fails at once")
    time.sleep(30)  # the others would take long: the failure cancels them
    return items


def all_waited(waited: Collect[int]) -> int:
    return len(waited)


def big(n_rows: int) -> np.ndarray:
    return np.arange(n_rows, dtype=np.float64)


def chunk_sum(items: int, big: np.ndarray) -> float:
    return float(big[items::7].sum())


def chunk_total(chunk_sum: Collect[float]) -> float:
    return sum(chunk_sum)


def signups(region: pd.Series) -> pd.Series:
    return region + 1.0


def lazy_spend(lazy_region: dd.Series) -> dd.Series:
    return lazy_region * 10.0


def lazy_cost(lazy_spend: dd.Series, lazy_region: dd.Series) -> dd.Series:
    return lazy_spend / (lazy_region + 1.0)


def eager_cost(lazy_cost: pd.Series) -> pd.Series:
    """Annotated pandas, fed a dask Series: DaskGraphAdapter allows the edge, as Hamilton."""
    return lazy_cost


@pytest.fixture(scope="module")
def modules() -> Iterator[dict[str, ModuleType]]:
    make = ad_hoc_utils.create_temporary_module  # modules in memory: sent by value
    made = {
        "blocks": make(items, scaled, shifted, total, listed),
        "slow": make(items, slow_square, slow_total),
        "doomed": make(items, crash, crashed),
        "waits": make(items, waited, all_waited),
        "big": make(items, big, chunk_sum, chunk_total),
        "frames": make(spend, signups, cost_per_signup, mean_cost, broken),
        "lazy": make(lazy_spend, lazy_cost, eager_cost),
    }
    yield made
    for module in made.values():
        sys.modules.pop(module.__name__, None)


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        # ":0": a free port for its HTTP server (with None it still takes 8787, and another
        # cluster on this machine would make that a warning, hence an error here)
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
    ) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster) -> Iterator[object]:
    with distributed.Client(cluster) as client:
        yield client


def _dynamic(module: ModuleType, executor: object = None) -> driver.Driver:
    builder = driver.Builder().with_modules(module)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    if executor is not None:
        builder = builder.with_remote_executor(executor)
    return builder.build()


# -- DaskExecutor ----------------------------------------------------------------------------


def test_blocks_on_dask_equal_the_synchronous_run(client, modules):
    inputs = {"n": 12, "factor": 3, "offset": 5}
    expected = _dynamic(modules["blocks"]).execute(["total", "listed"], inputs=inputs)
    dr = _dynamic(modules["blocks"], h_dask.DaskExecutor(client=client))
    assert dr.execute(["total", "listed"], inputs=inputs) == expected
    assert dr.execute(["total"], inputs={**inputs, "n": 0}) == {"total": 0}  # no items


def test_task_hooks_see_every_item_of_a_block_run_on_dask(client, modules):
    """The item tasks go through the same path as with local executors: submission and
    return hooks in the driver, one task per item; also when an execution manager routes the
    block to the cluster."""
    from dags.task_log import check_items_reach_task_hooks

    check_items_reach_task_hooks(modules["blocks"], lambda: h_dask.DaskExecutor(client=client))


def test_a_failing_item_raises_its_own_error_naming_node_and_branch(client, modules):
    dr = _dynamic(modules["blocks"], h_dask.DaskExecutor(client=client))
    with pytest.raises(ValueError, match="item 3 cannot be scaled by -1") as info:
        dr.execute(["total"], inputs={"n": 6, "factor": -1, "offset": 0})
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "node 'scaled'" in notes
    assert "branch 3" in notes


def test_shared_inputs_are_scattered_once_not_sent_with_every_item(client, modules):
    inputs = {"n": 20, "n_rows": 2_000_000}  # a 16 MB array every item reads
    expected = _dynamic(modules["big"]).execute(["chunk_total"], inputs=inputs)
    dr = _dynamic(modules["big"], h_dask.DaskExecutor(client=client))
    assert dr.execute(["chunk_total"], inputs=inputs) == expected  # no warning (-W error)
    unshared = _dynamic(modules["big"], h_dask.DaskExecutor(client=client, scatter_shared=False))
    with pytest.warns(UserWarning, match="large graph"):  # dask's warning, per item
        unshared.execute(["chunk_total"], inputs={**inputs, "n": 1})


def test_small_shared_inputs_travel_with_the_tasks_large_ones_are_scattered(client, modules):
    """A scatter is a round trip to every worker: worth it for big shared values only."""
    from dask.distributed import Future

    small = h_dask.DaskExecutor(client=client)
    dr = _dynamic(modules["blocks"], small)
    got = dr.execute(["total"], inputs={"n": 6, "factor": 2, "offset": 1})["total"]
    assert got == sum(i * 2 + 1 for i in range(6))
    assert small._head._last is not None
    assert isinstance(small._head._last[2], bytes)  # a few kB: sent inside each task
    big = h_dask.DaskExecutor(client=client)
    dr_big = _dynamic(modules["big"], big)  # kept: a collected driver finalizes its executor
    dr_big.execute(["chunk_total"], inputs={"n": 2, "n_rows": 100_000})
    assert big._head._last is not None
    assert isinstance(big._head._last[2], Future)  # 800 kB of shared rows: scattered once
    big.finalize()


def test_a_worker_killed_mid_run_has_its_tasks_retried(client, modules, tmp_path: Path):
    """Documented behaviour: dask's scheduler reruns a lost worker's tasks elsewhere; the run
    succeeds with the same result."""
    inputs = {"n": 8, "pid_dir": str(tmp_path)}
    dr = _dynamic(modules["slow"], h_dask.DaskExecutor(client=client))
    before = set(client.run(os.getpid).values())
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = dr.execute(["slow_total"], inputs=inputs)
        except BaseException as exc:
            outcome["error"] = exc

    runner = threading.Thread(target=run)
    runner.start()
    victim = _first_pid(tmp_path)
    assert victim in before
    os.kill(victim, signal.SIGKILL)
    runner.join(timeout=60)
    assert outcome == {"result": {"slow_total": sum(i * i for i in range(8))}}
    client.wait_for_workers(2, timeout=30)
    assert victim not in set(client.run(os.getpid).values())  # the nanny started a new one


def test_a_task_that_keeps_killing_workers_fails_with_a_clear_error(client, cluster, modules):
    scheduler = cluster.scheduler
    allowed = scheduler.allowed_failures
    scheduler.allowed_failures = 0  # no retry: the first lost worker fails the task
    try:
        dr = _dynamic(modules["doomed"], h_dask.DaskExecutor(client=client))
        with pytest.raises(ExecutorError, match="workers that died") as info:
            dr.execute(["crashed"], inputs={"n": 1})
        assert type(info.value.__cause__).__name__ == "KilledWorker"
    finally:
        scheduler.allowed_failures = allowed
        client.wait_for_workers(2, timeout=30)


def test_a_failing_branch_cancels_the_others_on_the_cluster(client, cluster, modules):
    dr = _dynamic(modules["waits"], h_dask.DaskExecutor(client=client))
    try:
        with pytest.raises(RuntimeError, match="fails at once"):
            dr.execute(["all_waited"], inputs={"n": 6})
        deadline = time.monotonic() + 10
        while _pending_tasks(cluster) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _pending_tasks(cluster) == []  # the scheduler dropped the other five branches
    finally:
        client.restart()  # stop the branches still sleeping in the workers' threads


def _napped(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def test_a_finished_result_is_delivered_while_slower_items_still_run(client):
    # results are fetched together to spare the workers, but none waits for the block's end
    executor = h_dask.DaskExecutor(client=client)
    quick, slow = executor.submit_many(_napped, [(0.0, 1), (4.0, 2)])
    try:
        assert quick.result(timeout=3.0) == 1
        assert not slow.done()
        assert slow.result(timeout=30) == 2
    finally:
        executor.finalize()


def test_results_of_a_block_come_back_in_order_whatever_order_they_finish(client):
    executor = h_dask.DaskExecutor(client=client)
    naps = [(0.3 * (5 - i) % 1.1, i) for i in range(6)]
    futures = executor.submit_many(_napped, naps)
    assert [f.result(timeout=30) for f in futures] == list(range(6))


def _pending_tasks(cluster) -> list[str]:
    pending = ("released", "waiting", "queued", "no-worker", "processing")
    tasks = list(cluster.scheduler.tasks.values())
    return [str(t.key) for t in tasks if t.state in pending and str(t.key).startswith("run_")]


def test_cancelling_a_future_cancels_its_task():
    from plait._integrations.remote import RemoteFuture

    cancelled = []
    future = RemoteFuture(lambda: cancelled.append(True))
    assert future.cancel()
    assert cancelled == [True]
    future.deliver(42)  # the task's late result is dropped, not an error
    assert future.cancelled()


def _first_pid(pid_dir: Path, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(pid_dir.iterdir())
        if found:
            return int(found[0].name.split("-")[1])
        time.sleep(0.01)
    raise AssertionError("no item started on the cluster")


def test_the_executor_wants_a_client():
    with pytest.raises(TypeError, match=r"dask\.distributed\.Client"):
        h_dask.DaskExecutor(client="tcp://localhost:8786")


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ImportError, match=r'pip install "plait\[dask\]"'):
        h_dask.DaskExecutor(client=None)


# -- DaskGraphAdapter ------------------------------------------------------------------------


@pytest.fixture
def region() -> pd.Series:
    return pd.Series([1.0, 2.0, 3.0, 4.0], name="region")


def test_graph_adapter_returns_what_the_plain_driver_returns(client, modules, region):
    outputs = ["spend", "signups", "cost_per_signup", "mean_cost"]
    expected = driver.Driver({}, modules["frames"]).execute(outputs, inputs={"region": region})
    dr = driver.Driver({}, modules["frames"], adapter=h_dask.DaskGraphAdapter(client))
    result = dr.execute(outputs, inputs={"region": region})
    pd.testing.assert_frame_equal(result, expected)


def test_graph_adapter_with_a_dict_result_and_lazy_result(client, modules, region):
    outputs = ["cost_per_signup", "mean_cost"]
    adapter = h_dask.DaskGraphAdapter(client, base.DictResult())
    result = driver.Driver({}, modules["frames"], adapter=adapter).execute(
        outputs, inputs={"region": region}
    )
    assert result["mean_cost"] == pytest.approx(float((region * 10 / (region + 1)).mean()))
    lazy = h_dask.DaskGraphAdapter(client, base.DictResult(), compute_at_end=False)
    delayed = driver.Driver({}, modules["frames"], adapter=lazy).execute(
        outputs, inputs={"region": region}
    )
    assert delayed.compute()["mean_cost"] == result["mean_cost"]


def test_graph_adapter_node_error_keeps_its_type_and_names_the_node(client, modules, region):
    adapter = h_dask.DaskGraphAdapter(client, base.DictResult())
    dr = driver.Driver({}, modules["frames"], adapter=adapter)
    with pytest.raises(KeyError, match="no such column") as info:
        dr.execute(["broken"], inputs={"region": region})
    assert "node 'broken'" in "\n".join(getattr(info.value, "__notes__", []))


def test_dask_dataframes_give_a_dask_dataframe_result(client, modules, region):
    lazy_region = dd.from_pandas(region, npartitions=2)
    expected = pd.DataFrame(
        {"lazy_spend": region * 10.0, "lazy_cost": region * 10.0 / (region + 1.0)}
    )
    adapter = h_dask.DaskGraphAdapter(
        client, h_dask.DaskDataFrameResult(), use_delayed=False, compute_at_end=False
    )
    dr = driver.Driver({}, modules["lazy"], adapter=adapter)
    result = dr.execute(["lazy_spend", "lazy_cost"], inputs={"lazy_region": lazy_region})
    assert isinstance(result, dd.DataFrame)
    pd.testing.assert_frame_equal(result.compute(), expected, check_names=False)
    adapter.compute_at_end = True
    computed = dr.execute(["lazy_spend", "lazy_cost"], inputs={"lazy_region": lazy_region})
    pd.testing.assert_frame_equal(computed, expected, check_names=False)


def test_a_dask_series_may_feed_a_pandas_series_parameter(client, modules, region):
    adapter = h_dask.DaskGraphAdapter(
        client, base.DictResult(), use_delayed=False, compute_at_end=False
    )
    dr = driver.Driver({}, modules["lazy"], adapter=adapter)
    lazy_region = dd.from_pandas(region, npartitions=2)
    out = dr.execute(["eager_cost"], inputs={"lazy_region": lazy_region})
    assert isinstance(out["eager_cost"], dd.Series)
    with pytest.raises(ValueError, match="Type mismatch on edge"):  # refused without it
        driver.Driver({}, modules["lazy"])


def test_dask_dataframe_result_broadcasts_scalars_and_flattens_frames():
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    built = h_dask.DaskDataFrameResult.build_result(
        a=pd.Series([5, 6]), f=frame, k=7, arr=np.array([8, 9])
    )
    assert list(built.columns) == ["a", "f.x", "f.y", "k", "arr"]
    assert built.compute().to_dict("list") == {
        "a": [5, 6], "f.x": [1, 2], "f.y": [3, 4], "k": [7, 7], "arr": [8, 9],
    }  # fmt: skip
    with pytest.raises(ValueError, match="No outputs"):
        h_dask.DaskDataFrameResult.build_result()


def test_same_frame_as_hamiltons_dask_adapter(client):
    """An importable module (tests/dags is on the workers' path: they inherit sys.path)."""
    h_driver = pytest.importorskip("hamilton.driver")
    hamilton_dask = pytest.importorskip("hamilton.plugins.h_dask")
    from dags import frames

    outputs = ["sales_per_staff", "weekly_totals", "late_sales", "store_count"]
    theirs = h_driver.Driver({}, frames, adapter=hamilton_dask.DaskGraphAdapter(client)).execute(
        outputs, inputs={"n_stores": 4}
    )
    ours = driver.Driver({}, frames, adapter=h_dask.DaskGraphAdapter(client)).execute(
        outputs, inputs={"n_stores": 4}
    )
    pd.testing.assert_frame_equal(ours, theirs)
