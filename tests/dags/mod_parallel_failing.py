"""Blocks whose items fail on purpose: an exception, a worker killed with SIGKILL, a slow item.

Only for tests: ``killed`` kills the process it runs in, so it must only run in a worker process
(MultiProcessingExecutor) of a driver started in a subprocess. Inputs: ``n`` (int), and per
output ``fail_at`` / ``kill_at`` (int, the item that fails) or ``seconds`` (float).
"""

import os
import signal
import time

from plait.htypes import Collect, Parallelizable


def item(n: int) -> Parallelizable[int]:
    yield from range(n)


def checked(item: int, fail_at: int) -> int:
    if item == fail_at:
        raise ValueError(f"item {item} is not allowed")
    return item


def checked_total(checked: Collect[int]) -> int:
    return sum(checked)


def killed(item: int, kill_at: int) -> int:
    if item == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def killed_total(killed: Collect[int]) -> int:
    return sum(killed)


def slow(item: int, seconds: float) -> int:
    print(f"running item {item} in {os.getpid()}", flush=True)
    time.sleep(seconds)
    return item


def slow_total(slow: Collect[int]) -> int:
    return sum(slow)
