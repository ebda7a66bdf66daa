"""``@with_columns`` on pandas and polars DataFrames.

Written against plait; ``tests/compat/harness.load_dag`` ports it to Hamilton.
"""

import pandas as pd
import polars as pl

from dags import mod_compose_column_ops as ops
from plait.plugins import h_pandas, h_polars


def raw_frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2, 3], "b": [10, 20, 30]}, index=[5, 6, 7])


@h_pandas.with_columns(
    ops, columns_to_pass=["a", "b"], select=["a_plus_b", "scaled"], config_required=[]
)
def pandas_columns(raw_frame: pd.DataFrame) -> pd.DataFrame:
    return raw_frame


def _a_cents(frame_in: pd.DataFrame) -> pd.Series:
    return frame_in["a"] * 100


def _a(frame_in: pd.DataFrame) -> pd.Series:
    return frame_in["a"] - 1


@h_pandas.with_columns(_a_cents, _a, on_input="frame_in", namespace="pd_ns")
def pandas_on_input(label: str, frame_in: pd.DataFrame) -> pd.DataFrame:
    """Columns computed from the frame itself; ``_a`` is appended next to ``a``."""
    return frame_in.assign(label=label)


def frame_in() -> pd.DataFrame:
    return pd.DataFrame({"a": [1.5, 2.5], "z": [0, 0]})


def pl_frame() -> pl.DataFrame:
    return pl.DataFrame({"x": [1, 2], "y": [3, 4]})


@h_polars.with_columns(ops.pl_sum, ops.pl_twice, columns_to_pass=["x", "y"])
def polars_columns(pl_frame: pl.DataFrame) -> pl.DataFrame:
    return pl_frame
