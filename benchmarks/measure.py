"""Timing primitives: warm-up with a time budget, interleaved repetitions, paired ratios.

A *case* (one workload at one size) has one ``Contender`` per framework. ``run_case`` warms each
up (a call that exceeds the budget, raises ``RecursionError`` or fails marks the contender and
it is not timed further), then takes ``repeats`` rounds; in round ``r`` the contenders run in an
order rotated by ``r``, so no framework always runs first or last. Each sample is the mean of
``number`` calls, each timed alone, with ``number`` chosen at warm-up so a sample lasts at least
``min_sample_s``. Ratios are medians of per-round ratios to the reference measured in the same
round, which cancels most of the drift of a shared machine.
"""

from __future__ import annotations

import gc
import math
import signal
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

OK = "ok"
NA = "n/a"


class BudgetExceeded(BaseException):
    """Raised by the interval timer; a BaseException so libraries' ``except Exception`` pass it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread only, like all signal handlers)."""

    def _raise(signum: int, frame: Any) -> None:
        raise BudgetExceeded

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Settings:
    repeats: int
    min_sample_s: float  # fast calls are repeated until one sample lasts this long
    single_shot_s: float  # a warm-up slower than this is kept as the only sample
    budget_s: float  # a warm-up slower than this is abandoned: "skipped (>N s)"


@dataclass
class Contender:
    """One framework in one case. ``call`` is timed; ``prepare`` (untimed) returns it."""

    name: str
    prepare: Callable[[], Callable[[], Any]]
    per: float = 1.0  # divide the seconds of one call by this (nodes, calls)
    check: Callable[[Any], str | None] | None = None  # a result -> None, or what is wrong
    status: str = OK
    estimate_s: float | None = None  # predicted duration of one call, if known
    call: Callable[[], Any] | None = None
    number: int = 1
    max_samples: int = 0
    samples: dict[int, float] = field(default_factory=dict)  # round -> seconds per call
    first_call_s: float | None = None
    #: whether the warm-up call is representative (a build), so a slow one may be the sample;
    #: an execute's first call compiles plans and fills caches, so it never is
    first_call_is_sample: bool = False


def _timed(call: Callable[[], Any], number: int) -> float:
    """Mean seconds of ``number`` calls; each result is freed outside the clock, at once."""
    gc.collect()
    total = 0.0
    for _ in range(number):
        start = time.perf_counter()
        result = call()
        total += time.perf_counter() - start
        del result
    return total / number


def failure(exc: BaseException, budget_s: float) -> str:
    if isinstance(exc, BudgetExceeded):
        return f"skipped (>{budget_s:g} s)"
    if isinstance(exc, RecursionError):
        return "RecursionError"
    return f"error: {type(exc).__name__}: {exc}".splitlines()[0][:100]


def _warm_up(c: Contender, s: Settings) -> None:
    if c.estimate_s is not None and c.estimate_s > s.budget_s:
        c.status = f"skipped (>{s.budget_s:g} s, est. {c.estimate_s:.0f} s)"
        return
    try:
        with time_limit(s.budget_s):
            c.call = c.prepare()
            gc.collect()
            start = time.perf_counter()
            result = c.call()
            c.first_call_s = time.perf_counter() - start
    except (Exception, BudgetExceeded, RecursionError) as exc:
        c.status, c.call = failure(exc, s.budget_s), None
        return
    problem = c.check(result) if c.check else None
    del result
    if problem:
        c.status, c.call = f"wrong result: {problem}", None
        return
    if c.first_call_s > s.single_shot_s:  # too slow to repeat: one sample only
        c.max_samples = 1
        if c.first_call_is_sample:
            c.samples[0] = c.first_call_s
    else:
        c.number = max(1, math.ceil(s.min_sample_s / max(c.first_call_s, 1e-7)))
        c.max_samples = s.repeats


def run_case(contenders: list[Contender], s: Settings) -> None:
    """Warm up every contender, then take interleaved samples.

    Everything alive before the case (modules, the harness, earlier results) is moved to the
    garbage collector's permanent generation, so collections triggered by a framework scan
    only what the case allocates rather than whatever earlier workloads left on the heap.
    """
    gc.collect()
    gc.freeze()
    try:
        _run_case(contenders, s)
    finally:
        for c in contenders:
            c.call = None  # release handles
        gc.unfreeze()


def _run_case(contenders: list[Contender], s: Settings) -> None:
    for c in contenders:
        if c.status == OK:
            _warm_up(c, s)
    live = [c for c in contenders if c.status == OK and c.call is not None]
    for r in range(s.repeats):
        k = r % len(live) if live else 0
        for c in live[k:] + live[:k]:
            if len(c.samples) < c.max_samples and c.call is not None:
                _sample(c, r, s)


def _sample(c: Contender, r: int, s: Settings) -> None:
    assert c.call is not None
    try:
        c.samples[r] = _timed(c.call, c.number)
    except Exception as exc:  # a framework that fails later than its warm-up
        c.status, c.call = failure(exc, s.budget_s), None
        c.samples.clear()


def value(c: Contender) -> float | None:
    """Median seconds per call divided by ``per``."""
    if c.status != OK or not c.samples:
        return None
    return statistics.median(c.samples.values()) / c.per


def ratio(c: Contender, ref: Contender) -> float | None:
    """Median of per-round ratios (same-round pairs); ratio of medians if nothing pairs."""
    mine, theirs = value(c), value(ref)
    if mine is None or theirs is None:
        return None
    paired = [
        c.samples[r] / c.per / (ref.samples[r] / ref.per) for r in c.samples if r in ref.samples
    ]
    return statistics.median(paired) if paired else mine / theirs
