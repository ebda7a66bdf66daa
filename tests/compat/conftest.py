"""Fixtures for the compat suite: ``impl`` (hamilton, then plait) and ``ham`` (reference)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import HAMILTON, ONLY_HAMILTON_ENV, PLAIT, Impl, only_hamilton

# ``tests/dags`` is imported as the package ``dags`` (module names like ``dags.marketing`` show
# up in node tags, so they must be stable whatever pytest's import mode).
_TESTS_DIR = str(Path(__file__).resolve().parent.parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

# Hamilton logs every failure twice at ERROR (the traceback, then an invitation to its Slack)
# and logs pandas index mismatches at WARNING. Many tests fail nodes on purpose; keep that
# noise out of reports. Nothing here asserts on Hamilton's log lines.
# Scoped to this directory's tests (an autouse fixture), so other suites see Hamilton's logs.


@pytest.fixture(autouse=True)
def _quiet_hamilton_logs() -> Iterator[None]:
    logger = logging.getLogger("hamilton")
    before = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(before)


_HAMILTON = Impl(HAMILTON)
_PLAIT = Impl(PLAIT)


@pytest.fixture(scope="session")
def ham() -> Impl:
    """The reference implementation: apache-hamilton."""
    return _HAMILTON


@pytest.fixture(params=[HAMILTON, PLAIT])
def impl(request: pytest.FixtureRequest) -> Impl:
    """The library under test. The ``plait`` run fails (does not skip) when plait is missing,
    unless ``COMPAT_ONLY_HAMILTON=1`` asks for the Hamilton side only."""
    if request.param == PLAIT and only_hamilton():
        pytest.skip(f"{ONLY_HAMILTON_ENV}=1: plait side not run")
    return _HAMILTON if request.param == HAMILTON else _PLAIT


@pytest.fixture(autouse=True)
def _fresh_call_logs() -> Iterator[None]:
    """DAG modules that record their calls start every test with an empty record."""
    from dags import cycle

    cycle.CALLS.clear()
    yield
    cycle.CALLS.clear()
