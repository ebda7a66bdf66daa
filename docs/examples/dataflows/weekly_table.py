"""A second module for the shop: one function returns a whole DataFrame."""

import pandas as pd


def weekly_table(orders: pd.Series, visits: pd.Series) -> pd.DataFrame:
    """Orders and visits side by side, one row per week."""
    return pd.DataFrame({"orders": orders, "visits": visits})


def busy_weeks(visits: pd.Series) -> pd.Series:
    """The weeks with more than 60 visits, indexed by week label (a different index)."""
    busy = visits[visits > 60]
    return pd.Series(busy.to_numpy(), index=[f"week {i}" for i in busy.index])
