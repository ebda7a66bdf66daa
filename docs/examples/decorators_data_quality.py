"""docs/decorators/data_quality.md: checking node outputs with @check_output and friends.

python docs/examples/decorators_data_quality.py
"""

import logging
import sys

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame
from pydantic import BaseModel

from plait import ad_hoc_utils, driver
from plait.data_quality.base import DataValidationError, DataValidator, ValidationResult
from plait.function_modifiers import check_output, check_output_custom
from plait.plugins import h_pandera, h_pydantic

logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(name)s: %(message)s")


# --- built-in validators ---
@check_output(range=(0.0, 100.0), data_type=np.float64, allow_nans=False)  # warn (default)
def spend(orders: pd.DataFrame) -> pd.Series:
    return orders["quantity"] * orders["price"]


@check_output(range=(0, 1_000), importance="fail")
def order_count(orders: pd.DataFrame) -> int:
    return len(orders)


# --- your own validator ---
class Increasing(DataValidator):
    """Values never go down."""

    def __init__(self, importance: str) -> None:
        super().__init__(importance)

    def applies_to(self, datatype: type) -> bool:
        return issubclass(datatype, pd.Series)

    def description(self) -> str:
        return "Values never decrease."

    @classmethod
    def name(cls) -> str:
        return "increasing"

    def validate(self, dataset: pd.Series) -> ValidationResult:
        drops = int((dataset.diff() < 0).sum())
        return ValidationResult(drops == 0, f"{drops} drop(s)", {"drops": drops})


@check_output_custom(Increasing(importance="fail"))
def cumulative_spend(spend: pd.Series) -> pd.Series:
    return spend.cumsum()


# --- pandera and pydantic ---
class Orders(pa.DataFrameModel):
    quantity: int = pa.Field(ge=0)
    price: float = pa.Field(gt=0)


@h_pandera.check_output(importance="fail")
def orders(raw_orders: pd.DataFrame) -> DataFrame[Orders]:
    return raw_orders.dropna()


class Summary(BaseModel):
    orders: int
    total: float


@h_pydantic.check_output()
def summary(order_count: int, spend: pd.Series) -> Summary:
    return Summary(orders=order_count, total=float(spend.sum()))


module = ad_hoc_utils.create_temporary_module(
    spend, order_count, cumulative_spend, orders, summary, module_name="shop_quality"
)
dr = driver.Builder().with_modules(module).build()

# --- nodes ---
for var in dr.list_available_variables():
    if var.tags.get("hamilton.data_quality.contains_dq_results"):
        print(f"{var.name:<32} checks {var.tags['hamilton.data_quality.source_node']}")
    else:
        print(f"{var.name:<32} {var.type.__name__}")

# --- run ---
good = pd.DataFrame({"quantity": [1, 2, 3], "price": [9.5, 10.0, 12.5]})
print(dr.execute(["summary"], inputs={"raw_orders": good})["summary"])

big = pd.DataFrame({"quantity": [1, 20, 3], "price": [9.5, 10.0, 12.5]})  # spend 200: warns
print(dr.execute(["summary"], inputs={"raw_orders": big})["summary"])

# --- fail ---
bad = pd.DataFrame({"quantity": [1, -2, 3], "price": [9.5, 10.0, 12.5]})
try:
    dr.execute(["summary"], inputs={"raw_orders": bad})
except DataValidationError as error:
    print(str(error).splitlines()[0])
    print(next(line.strip() for line in error.messages[0].splitlines() if '"error"' in line))

# --- inspect a check without failing ---
result = dr.execute(["spend_range_validator"], inputs={"raw_orders": big})["spend_range_validator"]
print(result.passes, result.diagnostics)
