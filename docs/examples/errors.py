"""docs/errors.md: every user mistake plait reports, triggered for real.

    python docs/examples/errors.py

Paths in the printed messages are shown relative to the repository root (plait prints them in
full).
"""

import pathlib
import sys
import warnings

import pandas as pd

from plait import ad_hoc_utils, base, driver, htypes

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "examples" / "dataflows"))


def attempt(action):
    """Run ``action``; print the error's class, the builtins it subclasses and its message."""
    try:
        action()
    except Exception as err:
        builtins = [
            cls.__name__
            for cls in type(err).__mro__[1:]
            if cls.__module__ == "builtins" and cls not in (Exception, BaseException, object)
        ]
        print(f"{type(err).__name__} ({', '.join(builtins)})")
        print(str(err).replace(str(ROOT) + "/", ""))
        for note in getattr(err, "__notes__", []):
            print("note:", note.replace(str(ROOT) + "/", ""))
    else:
        print("no error")


def build(*functions, config=None):
    module = ad_hoc_utils.create_temporary_module(*functions)
    return driver.Builder().with_modules(module).with_config(config or {}).build()


# --- no-return-annotation ---
def weekly_total(orders: pd.Series):
    return orders.sum()


attempt(lambda: build(weekly_total))


# --- no-parameter-annotation ---
def weekly_mean(orders) -> float:
    return orders.mean()


attempt(lambda: build(weekly_mean))


# --- star-args ---
def total_of(*weeks: int) -> int:
    return sum(weeks)


attempt(lambda: build(total_of))


# --- unresolvable-annotation ---
def basket_size(orders: "OrderBook") -> float:  # noqa: F821 - OrderBook is never defined
    return orders.mean_size()


attempt(lambda: build(basket_size))


# --- edge-type ---
def revenue(orders: int, price: float) -> float:
    return orders * price


def revenue_label(revenue: str) -> str:
    return f"revenue: {revenue}"


attempt(lambda: build(revenue, revenue_label))


# --- input-types-disagree ---
def orders_doubled(orders: int) -> int:
    return orders * 2


def orders_shouted(orders: str) -> str:
    return orders.upper()


attempt(lambda: build(orders_doubled, orders_shouted))


# --- duplicate ---
import promo_week
import weekly_shop

attempt(lambda: driver.Builder().with_modules(weekly_shop, promo_week).build())


# --- not-a-module ---
attempt(lambda: driver.Builder().with_modules("weekly_shop").build())


# --- not-a-result-builder ---
attempt(lambda: driver.Builder().with_modules(weekly_shop).with_adapters("dataframe").build())

# --- decorated-helper ---
HELPERS = """
from plait.function_modifiers import tag


@tag(owner="finance")
def _rounded(amount: float) -> float:
    return round(amount, 2)
"""
helpers = ad_hoc_utils.module_from_source(HELPERS, module_name="shop_helpers")
attempt(lambda: driver.Builder().with_modules(helpers).build())

# --- unknown-output ---
dr = build(revenue)
attempt(lambda: dr.execute(["revenu"], inputs={"orders": 3, "price": 2.5}))

# --- unknown-function ---
attempt(lambda: dr.execute([revenue_label], inputs={"orders": 3, "price": 2.5}))

# --- missing-input ---
attempt(lambda: dr.execute(["revenue"], inputs={"orders": 3}))

# --- wrong-input-type ---
attempt(lambda: dr.execute(["revenue"], inputs={"orders": "3", "price": 2.5}))

# --- input-and-config ---
dr_eur = build(revenue, config={"price": 2.5})
attempt(lambda: dr_eur.execute(["revenue"], inputs={"orders": 3, "price": 3.0}))

# --- unknown-lineage ---
attempt(lambda: dr.what_is_upstream_of("revenu"))

# --- bad-tag-filter ---
attempt(lambda: dr.list_available_variables(tag_filter={"owner": 3}))


# --- cycle ---
def forecast(adjusted_forecast: float) -> float:
    return adjusted_forecast * 1.1


def adjusted_forecast(forecast: float, returns: float) -> float:
    return forecast - returns


def returns_report(returns: float) -> str:
    return f"returns: {returns}"


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    dr_cycle = build(forecast, adjusted_forecast, returns_report)
print(caught[0].category.__name__, "-", caught[0].message)
print(dr_cycle.has_cycles(["forecast"]), dr_cycle.has_cycles(["returns_report"]))
print(dr_cycle.execute(["returns_report"], inputs={"returns": 4.0}))
attempt(lambda: dr_cycle.execute(["forecast"], inputs={"returns": 4.0}))


# --- user-exception ---
def price_in_eur(currency: str, price: float) -> float:
    rates = {"EUR": 1.0, "USD": 0.92}
    return price * rates[currency]


dr_fx = build(price_in_eur)
attempt(lambda: dr_fx.execute(["price_in_eur"], inputs={"currency": "GBP", "price": 10.0}))


# --- result-build ---
def weekly_orders(orders: list) -> pd.Series:
    return pd.Series(orders, index=[1, 1, 2])  # week 1 appears twice


def weekly_visits(visits: list) -> pd.Series:
    return pd.Series(visits, index=[1, 2, 3])


dr_table = driver.Driver({}, ad_hoc_utils.create_temporary_module(weekly_orders, weekly_visits))
attempt(
    lambda: dr_table.execute(
        ["weekly_orders", "weekly_visits"], inputs={"orders": [3, 5, 4], "visits": [40, 52, 47]}
    )
)


# --- strict-index ---
def visits_by_label(visits: list) -> pd.Series:
    return pd.Series(visits, index=["week 1", "week 2", "week 3"])


dr_strict = driver.Driver(
    {},
    ad_hoc_utils.create_temporary_module(weekly_visits, visits_by_label),
    adapter=base.StrictIndexTypePandasDataFrameResult(),
)
attempt(
    lambda: dr_strict.execute(["weekly_visits", "visits_by_label"], inputs={"visits": [4, 5, 6]})
)


# --- parallelizable ---
def each_week(weeks: int) -> htypes.Parallelizable[int]:
    yield from range(weeks)


def week_revenue(each_week: int) -> float:
    return each_week * 10.0


def total_revenue(week_revenue: htypes.Collect[float]) -> float:
    return sum(week_revenue)


dr_fan = build(each_week, week_revenue, total_revenue)
attempt(lambda: dr_fan.execute(["total_revenue"], inputs={"weeks": 4}))
