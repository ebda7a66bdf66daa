"""A tiny dataflow over weekly shop figures.

Each function is one column (or value); its parameters name the columns it is computed from.
"""

import pandas as pd


def revenue(orders: pd.Series, price: pd.Series) -> pd.Series:
    """Money taken each week."""
    return orders * price


def revenue_trend(revenue: pd.Series) -> pd.Series:
    """Revenue smoothed over the last three weeks."""
    return revenue.rolling(3).mean()


def mean_revenue(revenue: pd.Series) -> float:
    """One number for the whole period."""
    return float(revenue.mean())


def revenue_vs_mean(revenue: pd.Series, mean_revenue: float) -> pd.Series:
    """How far each week is from the period's mean (a scalar broadcasts over the column)."""
    return revenue - mean_revenue


def orders_per_visit(orders: pd.Series, visits: pd.Series) -> pd.Series:
    """Conversion: the share of visits that end in an order."""
    return orders / visits
