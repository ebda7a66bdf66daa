"""Lint, format and type checks: ``ruff check``, ``ruff format --check``, ``mypy`` (strict on
``src/plait``, configured in pyproject.toml), each run with the current interpreter."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["src", "tests", "benchmarks", "examples"]
#: mypy's cache lives outside the tree (the tree is shared and pytest runs without caches).
MYPY_CACHE = Path(tempfile.gettempdir()) / "plait-mypy-cache"


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _report(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"


def test_ruff_check():
    done = _run("ruff", "check", "--no-cache", *TARGETS)
    assert done.returncode == 0, _report(done)


def test_ruff_format():
    done = _run("ruff", "format", "--check", "--no-cache", *TARGETS)
    assert done.returncode == 0, _report(done)


def test_mypy_strict_on_src():
    done = _run("mypy", "--cache-dir", str(MYPY_CACHE), timeout=600)
    assert done.returncode == 0, _report(done)
