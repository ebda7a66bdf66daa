"""Every ``examples/*/run.py`` runs to completion in a fresh interpreter and prints what it
promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/run.py"))

#: Lines (or fragments) each example must print; an example not listed must print something.
EXPECTED = {
    "hello_world": [
        "revenue  revenue_trend  revenue_vs_mean  orders_per_visit",
        "5    132.0     112.000000        54.666667          0.125000",
        "{'mean_revenue': 77.33333333333333}",
        "revenue_vs_mean is computed from: "
        "['mean_revenue', 'orders', 'price', 'revenue', 'revenue_vs_mean']",
    ],
    "progress": [
        "shop report (rich)",
        "revenue 644.50 at 10.57 per unit; best day 11",
        "units sold: 61",
    ],
}


def test_there_are_examples():
    assert EXAMPLES, "no examples/*/run.py found"


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_example_runs(script: Path):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=script.parent,
        timeout=120,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stderr}"
    assert "Traceback" not in done.stderr
    expected = EXPECTED.get(script.parent.name)
    if expected is None:
        assert done.stdout.strip(), f"{script} printed nothing"
    for fragment in expected or ():
        assert fragment in done.stdout, f"{script} did not print {fragment!r}:\n{done.stdout}"
