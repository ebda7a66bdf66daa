"""docs/decorators/composition.md: reuse a dataflow (@subdag), chain small steps (@pipe_input,
@pipe_output, @mutate), append computed columns (@with_columns).

    python docs/examples/decorators_composition.py
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "dataflows"))

# --- subdag ---
import pandas as pd
import weekly_shop

from plait import ad_hoc_utils, driver
from plait.function_modifiers import (
    apply_to,
    mutate,
    parameterized_subdag,
    pipe_input,
    pipe_output,
    source,
    step,
    subdag,
    value,
)
from plait.plugins import h_pandas


@subdag(
    weekly_shop,
    inputs={"orders": source("north_orders"), "price": value(pd.Series([10.0, 12.0, 11.0]))},
    config={"currency": "EUR"},
)
def north(target_line: str) -> str:
    """The weekly_shop dataflow run for the north shop; its nodes are 'north.<name>'."""
    return target_line


@parameterized_subdag(
    weekly_shop,
    inputs={"price": source("list_price")},
    config={"currency": "USD"},
    east={"inputs": {"orders": source("east_orders")}},
    west={"inputs": {"orders": source("west_orders")}},
)
def shop_mean(mean_revenue: float) -> float:
    return mean_revenue


shops = ad_hoc_utils.create_temporary_module(north, shop_mean)
dr = driver.Builder().with_modules(shops).build()
print(sorted(v.name for v in dr.list_available_variables() if v.name.startswith("north.")))
print(
    dr.execute(
        ["north", "east", "west"],
        inputs={
            "north_orders": pd.Series([3, 5, 4]),
            "east_orders": pd.Series([1, 1, 1]),
            "west_orders": pd.Series([2, 4, 6]),
            "list_price": pd.Series([5.0, 5.0, 5.0]),
        },
    )
)


# --- pipe ---
def _clip(x: pd.Series, low: float, high: float) -> pd.Series:
    return x.clip(low, high)


def _scale(x: pd.Series, factor: float) -> pd.Series:
    return x * factor


@pipe_input(
    step(_clip, low=0.0, high=100.0),
    step(_scale, factor=source("fx_rate")).named("in_eur"),
    step(_scale, factor=1.2).when(with_tax=True),
)
def spend(raw_spend: pd.Series) -> pd.Series:
    """Receives raw_spend clipped, converted and (if configured) taxed."""
    return raw_spend.round(2)


@pipe_output(step(_scale, 100.0).named("percent"))
def share(spend: pd.Series) -> pd.Series:
    return spend / spend.sum()


def clicks(raw_clicks: pd.Series) -> pd.Series:
    return raw_clicks


@mutate(clicks, apply_to(share, factor=value(0.5)), factor=2.0)
def _weight(x: pd.Series, factor: float) -> pd.Series:
    return x * factor


piped = ad_hoc_utils.create_temporary_module(spend, share, clicks)
dr = driver.Builder().with_modules(piped).with_config({"with_tax": True}).build()
print([v.name for v in dr.list_available_variables() if not v.is_external_input])
out = dr.execute(
    ["spend", "share", "clicks"],
    inputs={
        "raw_spend": pd.Series([-5.0, 50.0, 250.0]),
        "fx_rate": 0.5,
        "raw_clicks": pd.Series([1, 2, 3]),
    },
)
print(pd.DataFrame(out))


# --- with_columns ---
def margin(price: pd.Series, cost: pd.Series) -> pd.Series:
    return price - cost


def margin_pct(margin: pd.Series, price: pd.Series) -> pd.Series:
    return (margin / price * 100).round(1)


@h_pandas.with_columns(margin, margin_pct, columns_to_pass=["price", "cost"], select=["margin_pct"])
def products(catalog: pd.DataFrame) -> pd.DataFrame:
    return catalog.sort_values("margin_pct", ascending=False)


catalog_module = ad_hoc_utils.create_temporary_module(products)
dr = driver.Builder().with_modules(catalog_module).build()
print([v.name for v in dr.list_available_variables()])
catalog = pd.DataFrame({"item": ["tea", "mug"], "price": [4.0, 9.0], "cost": [1.0, 6.0]})
print(dr.execute(["products"], inputs={"catalog": catalog})["products"])
