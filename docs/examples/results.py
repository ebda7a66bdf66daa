"""docs/results.md: result builders and the legacy adapter.

python docs/examples/results.py
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "dataflows"))

# --- setup ---
import logging

import pandas as pd
import weekly_shop
import weekly_table

from plait import base, driver, lifecycle

logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(name)s: %(message)s")

weeks = {
    "orders": pd.Series([3, 5, 4, 8, 9, 12]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
    "visits": pd.Series([40, 52, 47, 80, 75, 96]),
}


def build(*adapters):
    return (
        driver.Builder()
        .with_modules(weekly_shop, weekly_table)
        .with_config({"currency": "EUR"})
        .with_adapters(*adapters)
        .build()
    )


# --- dict ---
print(build().execute(["mean_revenue", "revenue_target"], inputs=weeks))
print(build(base.DictResult()).execute(["mean_revenue"], inputs=weeks))

# --- dataframe ---
df = build(base.PandasDataFrameResult()).execute(
    ["revenue", "mean_revenue", "weekly_table"], inputs=weeks
)
print(df)

# --- strict ---
strict = build(base.StrictIndexTypePandasDataFrameResult())
try:
    strict.execute(["revenue", "busy_weeks"], inputs=weeks)
except ValueError as err:
    print(type(err).__name__, "-", str(err).splitlines()[0])

# --- numpy ---
print(build(base.NumpyMatrixResult()).execute(["revenue", "mean_revenue"], inputs=weeks))

# --- legacy adapter ---
adapter = base.SimplePythonGraphAdapter(base.DictResult())
legacy = driver.Driver({"currency": "EUR"}, weekly_shop, adapter=adapter)
print(legacy.execute(["target_line"], inputs=weeks))


class PrintingAdapter(base.SimplePythonGraphAdapter):
    """A legacy adapter that reports each node it runs."""

    def execute_node(self, node, kwargs):
        print("running", node.name, sorted(kwargs))
        return super().execute_node(node, kwargs)


printing = driver.Driver({"currency": "EUR"}, weekly_shop, adapter=PrintingAdapter())
print(printing.execute(["revenue_target"], inputs=weeks))


# --- custom ---
class WeeklyReport(base.ResultMixin):
    """Render the outputs as report lines instead of a table."""

    @staticmethod
    def build_result(**outputs):
        return "\n".join(f"{name:>14}: {value}" for name, value in outputs.items())


print(build(WeeklyReport()).execute(["mean_revenue", "target_line"], inputs=weeks))


class Headline(lifecycle.ResultBuilder):
    """An instance-method result builder: it may carry settings."""

    def __init__(self, shop: str) -> None:
        self.shop = shop

    def build_result(self, **outputs):
        return f"{self.shop}: " + ", ".join(f"{k}={v}" for k, v in outputs.items())


print(build(Headline("Corner Shop")).execute(["mean_revenue", "revenue_target"], inputs=weeks))
