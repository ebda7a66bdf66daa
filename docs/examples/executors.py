"""docs/executors.md: every executor on one dataflow, the legacy thread adapter, errors.

python docs/examples/executors.py     (the Dask and Ray parts need pip install "plait[dask,ray]")

Everything runs under ``main()``: process-based executors re-import this file.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import dask_and_ray
import weekly_shop  # on sys.path once dask_and_ray is imported
from dask_and_ray import INPUTS, ROOT, WEEKS, build, timed

from plait import driver
from plait.execution import executors
from plait.plugins import h_threadpool


# --- local ---
def local(timings):
    result, timings["synchronous"] = timed(build())
    print("synchronous:", result["price_range"])
    print(result["prices"])
    for executor in (executors.MultiThreadingExecutor(2), executors.MultiProcessingExecutor(2)):
        name = f"{type(executor).__name__}(2)"
        result, timings[name] = timed(build(executor))
        executor.finalize()
        print(f"{name}:", result["price_range"])


# --- futures ---
def futures():
    adapter = h_threadpool.FutureAdapter(max_workers=4)
    dr = driver.Builder().with_modules(weekly_shop).with_config({"currency": "EUR"})
    dr = dr.with_adapters(adapter).build()
    print(dr.execute(["mean_revenue", "target_line"], inputs=WEEKS))


# --- errors ---
def errors():
    for executor in (None, executors.MultiProcessingExecutor(2)):
        try:
            build(executor).execute(["price_range"], inputs={**INPUTS, "n_steps": 0})
        except ValueError as err:
            print(f"{type(err).__name__}: {err}")
            for note in err.__notes__:
                print(note.replace(str(ROOT) + "/", ""))
        if executor is not None:
            executor.finalize()


def main():
    timings = {}
    local(timings)
    futures()
    errors()
    dask_and_ray.on_dask(timings)
    dask_and_ray.on_dask_without_profiler(timings)
    dask_and_ray.on_ray(timings)
    dask_and_ray.report(timings)


if __name__ == "__main__":
    main()
