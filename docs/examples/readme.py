"""README.md, "A 30-second example": the hello-world functions run by the legacy Driver.

python docs/examples/readme.py
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "hello_world"))

# --- shown in README.md ---
import my_functions
import pandas as pd

from plait import driver

dr = driver.Driver({}, my_functions)
df = dr.execute(
    ["revenue", "revenue_vs_mean", "orders_per_visit"],
    inputs={
        "orders": pd.Series([3, 5, 4, 8, 9, 12]),
        "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
        "visits": pd.Series([40, 52, 47, 80, 75, 96]),
    },
)
print(df)
