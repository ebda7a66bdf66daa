"""Store metrics as DataFrames, Series and scalars, for the DataFrame result builder.

``store_frame`` and ``weekly_totals`` are DataFrames (their columns become
``<node>.<column>``); ``late_sales`` is indexed differently from the rest (outer join);
``store_count`` is a scalar (broadcast).
"""

import pandas as pd


def store_frame(n_stores: int) -> pd.DataFrame:
    """One row per store with its sales and staff."""
    ids = list(range(n_stores))
    return pd.DataFrame(
        {"sales": [100.0 + 10 * i for i in ids], "staff": [3 + i for i in ids]},
        index=pd.Index(ids, name="store"),
    )


def sales_per_staff(store_frame: pd.DataFrame) -> pd.Series:
    """Sales per staff member, per store."""
    return store_frame["sales"] / store_frame["staff"]


def weekly_totals(store_frame: pd.DataFrame) -> pd.DataFrame:
    """Two derived columns per store."""
    return pd.DataFrame(
        {"sales_x7": store_frame["sales"] * 7, "staff_x7": store_frame["staff"] * 7}
    )


def late_sales(store_frame: pd.DataFrame) -> pd.Series:
    """Sales reported one store later: index shifted by 2, so it only half overlaps."""
    shifted = store_frame["sales"].copy()
    shifted.index = shifted.index + 2
    return shifted


def store_count(store_frame: pd.DataFrame) -> int:
    """Number of stores (a scalar)."""
    return len(store_frame)


def region_name(region: str) -> str:
    """A string scalar."""
    return region.title()


def sales(store_frame: pd.DataFrame) -> pd.Series:
    """A Series named like a column of store_frame (``sales`` vs ``store_frame.sales``)."""
    return store_frame["sales"]
