"""Dataflows the Dask and Ray integration tests both run (tests/integration/test_dask.py and
test_ray.py wrap them in temporary modules, so they travel to the workers by value)."""

import pandas as pd

from plait.htypes import Collect, Parallelizable


def items(n: int) -> Parallelizable[int]:
    yield from range(n)


def scaled(items: int, factor: int) -> int:
    if items == 3 and factor < 0:
        raise ValueError(f"item {items} cannot be scaled by {factor}")
    return items * factor


def shifted(scaled: int, offset: int) -> int:
    return scaled + offset


def total(shifted: Collect[int]) -> int:
    return sum(shifted)


def listed(shifted: Collect[int]) -> list:
    return list(shifted)


def slow_square(items: int, pid_dir: str) -> int:
    """Notes its worker's pid, then works for a while (long enough to be killed)."""
    import os
    import time

    with open(os.path.join(pid_dir, f"{items}-{os.getpid()}"), "w"):
        pass
    time.sleep(0.4)
    return items * items


def slow_total(slow_square: Collect[int]) -> int:
    return sum(slow_square)


def crash(items: int) -> int:
    """Kills the worker process running it, as a segfault or the OOM killer would."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    return items


def crashed(crash: Collect[int]) -> int:
    return len(crash)


def spend(region: pd.Series) -> pd.Series:
    return region * 10.0


def cost_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / signups


def mean_cost(cost_per_signup: pd.Series) -> float:
    return float(cost_per_signup.mean())


def broken(spend: pd.Series) -> pd.Series:
    raise KeyError("no such column")
