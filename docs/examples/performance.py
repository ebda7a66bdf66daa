"""docs/performance.md: the properties that make plait fast, observed (no timings printed).

python docs/examples/performance.py
"""

import subprocess
import sys
import weakref

from plait import ad_hoc_utils, driver

# --- lazy imports ---
probe = "import sys, plait.driver; print(sorted({'pandas', 'numpy'} & set(sys.modules)))"
print(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout)


# --- release ---
class WeekOfClicks:
    """Stands in for a large intermediate (a raw event log, say)."""

    def __init__(self, count: int) -> None:
        self.count = count


seen: list[weakref.ref] = []


def raw_clicks(visits: int) -> WeekOfClicks:
    clicks = WeekOfClicks(visits * 30)
    seen.append(weakref.ref(clicks))
    return clicks


def click_count(raw_clicks: WeekOfClicks) -> int:
    return raw_clicks.count  # the last consumer of raw_clicks


def report(click_count: int) -> str:
    still_alive = seen[-1]() is not None
    return f"{click_count} clicks; raw log still in memory: {still_alive}"


module = ad_hoc_utils.create_temporary_module(raw_clicks, click_count, report)
dr = driver.Builder().with_modules(module).build()
print(dr.execute(["report"], inputs={"visits": 52}))

# --- long chain ---
functions = ["def step_0(start: int) -> int:\n    return start + 1\n"]
for i in range(1, 100_000):
    functions.append(f"def step_{i}(step_{i - 1}: int) -> int:\n    return step_{i - 1} + 1\n")
source = "\n".join(functions)
chain = driver.Builder().with_modules(ad_hoc_utils.module_from_source(source)).build()
print(chain.execute(["step_99999"], inputs={"start": 0}))
print(len(chain.what_is_upstream_of("step_99999")))
