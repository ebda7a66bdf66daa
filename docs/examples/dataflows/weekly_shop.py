"""A shop's figures, week by week: the dataflow most docs pages use.

Inputs: ``orders``, ``price`` and ``visits`` (one value per week, as pd.Series); ``currency``
comes from the driver's config; ``growth`` is optional.
"""

from statistics import fmean  # imported, not defined here: never a node

import pandas as pd

from plait.function_modifiers import tag


def revenue(orders: pd.Series, price: pd.Series) -> pd.Series:
    """Money taken each week."""
    return orders * price


@tag(owner="finance")
def mean_revenue(revenue: pd.Series) -> float:
    """Average weekly revenue over the period."""
    return _money(fmean(revenue))


def revenue_vs_mean(revenue: pd.Series, mean_revenue: float) -> pd.Series:
    """How far each week is above (or below) the mean."""
    return revenue - mean_revenue


@tag(owner="marketing")
def orders_per_visit(orders: pd.Series, visits: pd.Series) -> pd.Series:
    """Conversion: the share of visits that end in an order."""
    return orders / visits


@tag(owner="finance")
def revenue_target(mean_revenue: float, growth: float = 0.05) -> float:
    """Next period's weekly goal: the mean plus some growth (5% unless told otherwise)."""
    return _money(mean_revenue * (1 + growth))


def target_line(revenue_target: float, currency: str) -> str:
    """One sentence for the weekly report."""
    return f"Weekly target: {revenue_target:.2f} {currency}"


def _money(amount: float) -> float:
    """A helper: the leading underscore keeps it out of the graph."""
    return round(amount, 2)
