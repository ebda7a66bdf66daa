"""docs/concepts.md: how functions become nodes, inputs, config values and defaults.

python docs/examples/concepts.py
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "dataflows"))

# --- crawl ---
import pandas as pd
import weekly_shop

from plait import driver, graph_types

dr = driver.Builder().with_modules(weekly_shop).with_config({"currency": "EUR"}).build()
for var in dr.list_available_variables():
    kind = "input" if var.is_external_input else "node "
    print(kind, var.name)

# --- dependencies ---
target = graph_types.HamiltonGraph.from_graph(dr.graph)["revenue_target"]
print(target.required_dependencies, target.optional_dependencies)
print(target.optional_dependencies_default_values)

# --- run ---
weeks = {
    "orders": pd.Series([3, 5, 4, 8, 9, 12]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
}
print(dr.execute(["mean_revenue", "target_line"], inputs=weeks))
print(dr.execute(["target_line"], inputs={**weeks, "growth": 0.2}))

# --- config ---
dr_usd = driver.Builder().with_modules(weekly_shop).with_config({"currency": "USD"}).build()
print(dr_usd.execute(["target_line"], inputs=weeks))

# --- config replaces a function ---
fixed = {"currency": "EUR", "mean_revenue": 50.0}
dr_fixed = driver.Builder().with_modules(weekly_shop).with_config(fixed).build()
print(dr_fixed.execute(["target_line"]))
