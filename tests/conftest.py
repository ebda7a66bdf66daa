"""Shared by several test dirs: `tests/` on `sys.path` (for `dags`), and `make_module`."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

_COUNTER = itertools.count()


@pytest.fixture
def make_module() -> Iterator[Callable[..., types.ModuleType]]:
    """``make_module(*fns)``: a fresh module holding copies of ``fns`` (same code, so the same
    ``file:line``), registered in ``sys.modules`` for the test and removed after it."""
    made: list[str] = []

    def make(*fns: Callable[..., Any]) -> types.ModuleType:
        name = f"plait_test_module_{next(_COUNTER)}"
        module = types.ModuleType(name)
        for fn in fns:
            copy = types.FunctionType(
                fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__
            )
            copy.__kwdefaults__ = fn.__kwdefaults__
            copy.__annotations__ = dict(fn.__annotations__)
            copy.__doc__ = fn.__doc__
            copy.__qualname__ = fn.__qualname__
            copy.__module__ = name
            setattr(module, fn.__name__, copy)
        sys.modules[name] = module
        made.append(name)
        return module

    yield make
    for name in made:
        sys.modules.pop(name, None)


#: Skips that are part of a test's design, not a missing dependency.
_INTENDED_SKIPS = ("Hamilton raises RecursionError", "COMPAT_ONLY_HAMILTON")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI (``CI`` set, as ``.ci/run`` has it), a test that skips for a missing dependency
    (browser, Graphviz, a library) fails instead: CI must install everything it tests."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.skipped or not os.environ.get("CI") or hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr)
    if any(marker in reason for marker in _INTENDED_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = f"skipped in CI, where every dependency must be installed: {reason}"


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local Spark session (``local[2]``, 2 shuffle partitions, no UI) for the whole test
    session. Its Python workers run this interpreter, with ``src`` on their path."""
    sql = pytest.importorskip("pyspark.sql")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17+: no java on PATH and no JAVA_HOME")
    src = str(Path(_TESTS_DIR).parent / "src")
    saved = {k: os.environ.get(k) for k in ("PYSPARK_PYTHON", "PYTHONPATH", "SPARK_LOCAL_IP")}
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, saved["PYTHONPATH"]) if p)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("plait-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
