"""plugins.h_ray against a real local Ray instance (``ray.init(num_cpus=2)``), started once for
this module: RayTaskExecutor for Parallelizable blocks, RayGraphAdapter for every node; worker
loss and its retries."""

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ray = pytest.importorskip("ray")

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
from plait.function_modifiers import tag  # noqa: E402
from plait.plugins import h_ray  # noqa: E402

pytestmark = pytest.mark.ray


# -- dataflows (in memory: they travel to the workers by value) -----------------------------


@tag(
    **{"ray_remote.num_cpus": "1", "ray_remote.max_retries": "0"}, bypass_reserved_namespaces_=True
)
def signups(region: pd.Series) -> pd.Series:
    return region + 1.0


def after_broken(broken: pd.Series) -> pd.Series:
    return broken


@pytest.fixture(scope="module")
def modules() -> Iterator[dict[str, ModuleType]]:
    make = ad_hoc_utils.create_temporary_module  # modules in memory: sent by value
    made = {
        "blocks": make(items, scaled, shifted, total, listed),
        "slow": make(items, slow_square, slow_total),
        "doomed": make(items, crash, crashed),
        "frames": make(spend, signups, cost_per_signup, mean_cost, broken, after_broken),
    }
    yield made
    for module in made.values():
        sys.modules.pop(module.__name__, None)


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _dynamic(module: ModuleType, executor: object = None) -> driver.Driver:
    builder = driver.Builder().with_modules(module)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    if executor is not None:
        builder = builder.with_remote_executor(executor)
    return builder.build()


# -- RayTaskExecutor -------------------------------------------------------------------------


def test_blocks_on_ray_equal_the_synchronous_run(modules):
    inputs = {"n": 12, "factor": 3, "offset": 5}
    expected = _dynamic(modules["blocks"]).execute(["total", "listed"], inputs=inputs)
    executor = h_ray.RayTaskExecutor(num_cpus=2)
    dr = _dynamic(modules["blocks"], executor)
    assert dr.execute(["total", "listed"], inputs=inputs) == expected
    assert dr.execute(["total"], inputs={**inputs, "n": 0}) == {"total": 0}
    executor.finalize()  # Ray was running already: the executor leaves it running
    assert ray.is_initialized()


def test_task_hooks_see_every_item_of_a_block_run_on_ray(modules):
    """The item tasks go through the same path as with local executors: submission and
    return hooks in the driver, one task per item; also when an execution manager routes the
    block to the cluster."""
    import cloudpickle

    from dags import task_log
    from dags.task_log import check_items_reach_task_hooks

    cloudpickle.register_pickle_by_value(task_log)  # Ray's workers do not see tests/
    try:
        check_items_reach_task_hooks(
            modules["blocks"], lambda: h_ray.RayTaskExecutor(skip_init=True)
        )
    finally:
        cloudpickle.unregister_pickle_by_value(task_log)


def test_a_failing_item_raises_its_own_error_naming_node_and_branch(modules):
    dr = _dynamic(modules["blocks"], h_ray.RayTaskExecutor(skip_init=True))
    with pytest.raises(ValueError, match="item 3 cannot be scaled by -1") as info:
        dr.execute(["total"], inputs={"n": 6, "factor": -1, "offset": 0})
    assert type(info.value) is ValueError  # Ray's RayTaskError wrapper is removed...
    assert isinstance(info.value.__cause__, ray.exceptions.RayTaskError)  # ...and kept here
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "node 'scaled'" in notes
    assert "branch 3" in notes


def test_a_worker_killed_mid_run_has_its_tasks_retried(modules, tmp_path: Path):
    """Documented behaviour: Ray reruns the task of a dead worker (max_retries, 3 by default);
    the run succeeds with the same result."""
    dr = _dynamic(modules["slow"], h_ray.RayTaskExecutor(skip_init=True))
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = dr.execute(
                ["slow_total"], inputs={"n": 6, "pid_dir": str(tmp_path)}
            )
        except BaseException as exc:
            outcome["error"] = exc

    runner = threading.Thread(target=run)
    runner.start()
    os.kill(_first_pid(tmp_path), signal.SIGKILL)
    runner.join(timeout=60)
    assert outcome == {"result": {"slow_total": sum(i * i for i in range(6))}}


def test_a_task_whose_worker_dies_without_retries_fails_with_a_clear_error(modules):
    dr = _dynamic(modules["doomed"], h_ray.RayTaskExecutor(skip_init=True, max_retries=0))
    with pytest.raises(ExecutorError, match="Ray could not run a task") as info:
        dr.execute(["crashed"], inputs={"n": 1})
    assert isinstance(info.value.__cause__, ray.exceptions.RayError)


def _first_pid(pid_dir: Path, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(pid_dir.iterdir())
        if found:
            return int(found[0].name.split("-")[1])
        time.sleep(0.01)
    raise AssertionError("no item started on Ray")


def test_missing_ray_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ImportError, match=r'pip install "plait\[ray\]"'):
        h_ray.RayTaskExecutor()


# -- RayGraphAdapter -------------------------------------------------------------------------


@pytest.fixture
def region() -> pd.Series:
    return pd.Series([1.0, 2.0, 3.0, 4.0], name="region")


def test_graph_adapter_returns_what_the_plain_driver_returns(modules, region):
    outputs = ["spend", "signups", "cost_per_signup", "mean_cost"]
    expected = driver.Driver({}, modules["frames"]).execute(outputs, inputs={"region": region})
    adapter = h_ray.RayGraphAdapter(base.PandasDataFrameResult())
    result = driver.Driver({}, modules["frames"], adapter=adapter).execute(
        outputs, inputs={"region": region}
    )
    pd.testing.assert_frame_equal(result, expected)
    as_dict = (
        driver.Builder()
        .with_modules(modules["frames"])
        .with_adapters(h_ray.RayGraphAdapter(base.DictResult()))
        .build()
        .execute(["mean_cost"], inputs={"region": region})
    )
    assert as_dict == {"mean_cost": expected["mean_cost"].iloc[0]}


def test_graph_adapter_node_error_keeps_its_type_and_names_the_node(modules, region):
    adapter = h_ray.RayGraphAdapter(base.DictResult())
    dr = driver.Driver({}, modules["frames"], adapter=adapter)
    with pytest.raises(KeyError, match="no such column") as info:
        dr.execute(["after_broken"], inputs={"region": region})  # fails one task upstream
    assert type(info.value) is KeyError
    assert "node 'broken'" in "\n".join(getattr(info.value, "__notes__", []))


def test_ray_remote_tags_become_task_options():
    tags = {"ray_remote.num_cpus": "1", "ray_remote.resources": '{"gpu_slot": 1}', "team": "x"}
    from plait._integrations.ray import remote_options

    assert remote_options(tags) == {
        "num_cpus": 1, "resources": {"gpu_slot": 1},
    }  # fmt: skip


def test_graph_adapter_needs_a_result_builder():
    with pytest.raises(ValueError, match="result_builder"):
        h_ray.RayGraphAdapter(None)


def test_shutdown_on_completion(modules, region, monkeypatch):
    calls = []
    monkeypatch.setattr(ray, "shutdown", lambda: calls.append("shutdown"))
    adapter = h_ray.RayGraphAdapter(base.DictResult(), shutdown_ray_on_completion=True)
    driver.Driver({}, modules["frames"], adapter=adapter).execute(
        ["spend"], inputs={"region": region}
    )
    assert calls == ["shutdown"]
