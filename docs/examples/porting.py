"""docs/porting.md: the same module and driver code under ``hamilton`` and ``plait``, then
what plait does differently on purpose.

    python docs/examples/porting.py

The side-by-side parts need apache-hamilton (``pip install -e ".[test]"`` installs it); without
it they run plait alone.
"""

import importlib
import logging
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "hello_world"))
logging.disable(logging.ERROR)  # Hamilton logs an invitation to its Slack on every error

LIBRARIES = []
for library in ("hamilton", "plait"):
    try:
        importlib.import_module(f"{library}.driver")
        LIBRARIES.append(library)
    except ImportError:
        print(f"{library} is not installed; skipped")

# --- same code ---
import my_functions
import pandas as pd

inputs = {
    "orders": pd.Series([3, 5, 4, 8, 9, 12]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
    "visits": pd.Series([40, 52, 47, 80, 75, 96]),
}
frames = {}
for library in LIBRARIES:
    driver = importlib.import_module(f"{library}.driver")  # `from <library> import driver`
    dr = driver.Driver({}, my_functions)
    frames[library] = dr.execute(["revenue", "revenue_vs_mean", "orders_per_visit"], inputs=inputs)
    print(library, frames[library].shape, list(frames[library].columns))
if len(frames) == 2:
    print("identical:", frames["hamilton"].equals(frames["plait"]))

# --- deep chain ---
from plait import ad_hoc_utils

functions = ["def step_0(start: int) -> int:\n    return start + 1\n"]
for i in range(1, 5000):
    functions.append(f"def step_{i}(step_{i - 1}: int) -> int:\n    return step_{i - 1} + 1\n")
source = "\n".join(functions)
chain = ad_hoc_utils.module_from_source(source)
for library in LIBRARIES:
    driver = importlib.import_module(f"{library}.driver")
    dr = driver.Builder().with_modules(chain).build()
    try:
        print(library, dr.execute(["step_4999"], inputs={"start": 0}))
    except RecursionError:
        print(library, "RecursionError")

# --- user exception ---
from plait import driver


def weekly_price(week: int, price_list: dict) -> float:
    return price_list[week]


prices = ad_hoc_utils.create_temporary_module(weekly_price)
dr = driver.Builder().with_modules(prices).build()
try:
    dr.execute(["weekly_price"], inputs={"week": 7, "price_list": {1: 10.0}})
except KeyError as err:  # the function's own exception, unchanged
    print(repr(err))
    print(err.__notes__[0].replace(str(ROOT) + "/", ""))
