"""``@extract_columns`` (pandas, polars), ``@extract_fields``, ``@unpack_fields``,
``@parameterize_extract_columns``, combined with ``@tag`` and ``@config.when``.

Written against plait; the compat harness runs it through Hamilton by swapping the import name
(``harness.load_dag``). Inputs: ``n`` (int); config: ``region`` ("uk" or "us").
"""

import typing
from typing import TypedDict

import pandas as pd
import polars as pl

from plait.function_modifiers import (
    ParameterizedExtract,
    config,
    extract_columns,
    extract_fields,
    parameterize_extract_columns,
    source,
    tag,
    unpack_fields,
    value,
)


@tag(owner="growth")
@extract_columns("spend", ("clicks", "Clicks per day."))
def ads(n: int) -> pd.DataFrame:
    """Daily ad numbers."""
    return pd.DataFrame({"spend": [float(n), 2.0, 3.5], "clicks": [n, 20, 30]})


@extract_columns("visits", "bounced", fill_with=0)
def traffic(n: int) -> pd.DataFrame:
    return pd.DataFrame({"visits": [n, n + 1]})


def cost_per_click(spend: pd.Series, clicks: pd.Series) -> pd.Series:
    return spend / clicks


@extract_columns("p_a", "p_b")
def frame_pl(n: int) -> pl.DataFrame:
    return pl.DataFrame({"p_a": [n, n + 1], "p_b": ["x", "y"]})


class Stats(TypedDict):
    mean: float
    count: int
    name: str


@extract_fields()
def stats(n: int) -> Stats:
    """Summary statistics."""
    return {"mean": n / 2, "count": n, "name": "s"}


@extract_fields({"low": int, "high": int})
def bounds(n: int) -> dict:
    return {"low": n - 1, "high": n + 1, "ignored": 0}


@extract_fields("left", "right", fill_with=-1)
def sides(n: int) -> typing.Dict[str, int]:  # noqa: UP006 - typing's spelling too
    return {"left": n}


@unpack_fields("first", "second")
def pair(n: int) -> typing.Tuple[int, str, float]:  # noqa: UP006 - typing's spelling too
    return (n, str(n), 0.5)


@unpack_fields("a0", "a1", "a2")
def triple(n: int) -> tuple[int, ...]:
    return (n, n * 10, n * 100)


@parameterize_extract_columns(
    ParameterizedExtract(("lo_x", "lo_y"), {"factor": value(1)}),
    ParameterizedExtract(("hi_x", "hi_y"), {"factor": source("n")}),
)
def scaled(n: int, factor: int) -> pd.DataFrame:
    """Scaled by {factor} into {output_name}."""
    return pd.DataFrame({"x": [n * factor], "y": [n * factor + 1]})


@extract_columns("tax")
@config.when(region="uk")
def taxes__uk(n: int) -> pd.DataFrame:
    return pd.DataFrame({"tax": [n * 0.2]})


@extract_columns("tax")
@config.when(region="us")
def taxes__us(n: int) -> pd.DataFrame:
    return pd.DataFrame({"tax": [n * 0.1]})
