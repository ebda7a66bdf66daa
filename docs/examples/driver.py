"""docs/driver.md: building drivers, the ways to execute, validating and exporting a run.

python docs/examples/driver.py
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "dataflows"))

# --- two drivers ---
import pandas as pd
import weekly_shop

from plait import base, driver

legacy = driver.Driver({"currency": "EUR"}, weekly_shop)
built = driver.Builder().with_modules(weekly_shop).with_config({"currency": "EUR"}).build()

weeks = {
    "orders": pd.Series([3, 5, 4, 8, 9, 12]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
}
print(type(legacy.execute(["revenue"], inputs=weeks)).__name__)
print(type(built.execute(["revenue"], inputs=weeks)).__name__)

# --- builder options ---
dr = (
    driver.Builder()
    .with_modules(weekly_shop)
    .with_config({"currency": "EUR"})
    .with_adapters(base.PandasDataFrameResult())
    .build()
)
print(dr.execute(["revenue", "revenue_vs_mean"], inputs=weeks).head(2))

# --- final vars ---
print(built.execute([weekly_shop.mean_revenue, "revenue_target"], inputs=weeks))
finance = built.list_available_variables(tag_filter={"owner": "finance"})
print(built.execute(finance, inputs=weeks))

# --- overrides ---
print(built.execute(["revenue_target"], overrides={"mean_revenue": 100.0}))

# --- raw_execute ---
print(legacy.raw_execute(["mean_revenue", "target_line"], inputs=weeks))

# --- validate ---
try:
    built.validate_execution(["orders_per_visit"], inputs=weeks)
except ValueError as err:
    print(type(err).__name__, "-", str(err).splitlines()[0])
built.validate_execution(["revenue_target"], inputs=weeks)  # fine: returns None

# --- export ---
exported = json.loads(built.export_execution(["revenue_target"], inputs=weeks))
for node in exported["nodes"]:
    print(node["name"], node["output_type"], node["required_dependencies"], node["tags"])

# --- module overrides ---
import promo_week

promo = (
    driver.Builder()
    .with_modules(weekly_shop, promo_week)
    .with_config({"currency": "EUR"})
    .allow_module_overrides()
    .build()
)
print(promo.execute(["target_line"], inputs=weeks))
