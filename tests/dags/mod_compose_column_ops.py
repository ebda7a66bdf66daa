"""Column functions used by ``@with_columns`` in ``mod_compose_columns`` (no decorators)."""

import pandas as pd
import polars as pl


def a_plus_b(a: pd.Series, b: pd.Series) -> pd.Series:
    return a + b


def scaled(a_plus_b: pd.Series, factor: int) -> pd.Series:
    """``a + b`` times an outer input."""
    return a_plus_b * factor


def a_mean(a: pd.Series) -> float:
    return float(a.mean())


def pl_sum(x: pl.Series, y: pl.Series) -> pl.Series:
    return x + y


def pl_twice(pl_sum: pl.Series) -> pl.Series:
    return pl_sum * 2
