"""docs/parallel.md, processes: CPU-bound items on MultiProcessingExecutor.

    python docs/examples/parallel_processes.py

Worker processes start fresh and re-import this script, so everything that runs the dataflow
sits under ``if __name__ == "__main__":`` (building the driver is cheap and safe to repeat).
"""

import os

from plait import driver
from plait.execution import executors
from plait.htypes import Collect, Parallelizable


# --- processes ---
def seed(n_seeds: int) -> Parallelizable[int]:
    yield from range(n_seeds)


def score(seed: int, rounds: int) -> int:
    """Pure-Python number crunching: holds the GIL, so threads would not help."""
    x = seed
    for k in range(rounds):
        x = (x * 31 + k) % 1_000_003
    return x


def worker(seed: int) -> int:
    return os.getpid()


def best(score: Collect[int]) -> int:
    return max(score)


def ran_elsewhere(worker: Collect[int]) -> bool:
    """True if no item ran in this (the driver's) process."""
    return os.getpid() not in worker


dr = (
    driver.Builder()
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_functions(seed, score, worker, best, ran_elsewhere)
    .with_remote_executor(executors.MultiProcessingExecutor(2))
    .build()
)

if __name__ == "__main__":  # workers re-import this file: run only in the parent
    print(dr.execute(["best", "ran_elsewhere"], inputs={"n_seeds": 8, "rounds": 200_000}))
