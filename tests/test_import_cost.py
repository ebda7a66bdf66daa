"""Importing ``plait.driver`` stays cheap: no pandas, numpy, hamilton or typing_inspect.

Runs the import in a fresh interpreter and prints what it cost (no timing assert: timings
depend on the machine; see benchmarks/ for measurements).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
FORBIDDEN = ("pandas", "numpy", "hamilton", "typing_inspect")

PROBE = """
import json, sys, time
before = set(sys.modules)
start = time.perf_counter()
import plait.driver
elapsed = time.perf_counter() - start
added = sorted(set(sys.modules) - before)
print(json.dumps({"added": added, "seconds": elapsed, "file": plait.driver.__file__}))
"""


def _probe() -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_importing_the_driver_imports_nothing_heavy():
    result = _probe()
    assert Path(result["file"]).resolve().is_relative_to(SRC)  # the tree under test
    added = result["added"]
    print(f"import plait.driver: {len(added)} modules added, {result['seconds'] * 1000:.1f} ms")
    heavy = sorted({m for m in added if m.split(".")[0] in FORBIDDEN})
    assert not heavy, f"import plait.driver imports {heavy}"
    assert "plait.driver" in added
