"""docs/executors.md: Parallelizable blocks and whole dataflows on Dask and Ray.

python docs/examples/dask_and_ray.py     (needs pip install "plait[dask,ray]")

Starts a local Dask cluster (2 worker processes) and a local Ray instance (2 CPUs), runs the
``scenarios`` dataflow on each, then the ``weekly_shop`` dataflow through the graph adapters.
Everything runs under ``main()``: Dask's worker processes re-import this file.
"""

import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "examples" / "dataflows"))

import pandas as pd
import scenarios
import weekly_shop

from plait import base, driver
from plait.plugins import h_dask, h_ray

INPUTS = {"n_scenarios": 8, "start_price": 100.0, "n_steps": 600_000}
WEEKS = {
    "orders": pd.Series([3, 5, 4, 8]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0]),
    "visits": pd.Series([40, 52, 47, 80]),
}
SHOP_OUTPUTS = ["revenue", "revenue_vs_mean", "orders_per_visit"]


# --- build ---
def build(executor=None):
    builder = driver.Builder().with_modules(scenarios)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    if executor is not None:
        builder = builder.with_remote_executor(executor)
    return builder.build()


def timed(dr):
    started = time.perf_counter()
    result = dr.execute(["prices", "price_range"], inputs=INPUTS)
    return result, time.perf_counter() - started


# --- dask ---
def on_dask(timings):
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        dr = build(h_dask.DaskExecutor(client=client))
        result, timings["DaskExecutor (2 workers)"] = timed(dr)
        print("dask:", result["price_range"])

        adapter = h_dask.DaskGraphAdapter(client)  # every node a dask task; a DataFrame
        shop = driver.Driver({}, weekly_shop, adapter=adapter)
        print(shop.execute(SHOP_OUTPUTS, inputs=WEEKS))


# --- dask, workers' profiler off (pure-Python branches) ---
def on_dask_without_profiler(timings):
    import dask
    from dask.distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    with cluster, Client(cluster, set_as_default=False) as client:
        dr = build(h_dask.DaskExecutor(client=client))
        result, timings["DaskExecutor, no profiler"] = timed(dr)
        print("dask, no profiler:", result["price_range"])


# --- ray ---
def on_ray(timings):
    import cloudpickle
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    # Ray's workers do not see this script's sys.path: ship the dataflows by value
    cloudpickle.register_pickle_by_value(scenarios)
    cloudpickle.register_pickle_by_value(weekly_shop)
    try:
        dr = build(h_ray.RayTaskExecutor(skip_init=True))
        result, timings["RayTaskExecutor (2 CPUs)"] = timed(dr)
        print("ray:", result["price_range"])

        adapter = h_ray.RayGraphAdapter(base.DictResult())
        shop = driver.Builder().with_modules(weekly_shop).with_adapters(adapter).build()
        print(shop.execute(["mean_revenue"], inputs=WEEKS))
    finally:
        ray.shutdown()


# --- main ---
def report(timings):
    print(f"CPU-bound block, {INPUTS['n_scenarios']} items:")
    for name, seconds in timings.items():
        print(f"  {name:<28} {seconds:5.2f} s  x{timings['synchronous'] / seconds:.2f}")


def main():
    timings = {}
    result, timings["synchronous"] = timed(build())
    print("synchronous:", result["price_range"])
    on_dask(timings)
    on_dask_without_profiler(timings)
    on_ray(timings)
    report(timings)


if __name__ == "__main__":
    main()
