"""A small dataflow that exercises every visual convention: inputs (one optional), config-chosen
functions, a ``@parameterize`` family, ``@extract_columns``, ``@schema.output``, tags
(``display_name``, ``owner``) and a Parallelizable/Collect block.

Written against plait; the compat harness ports it to Hamilton (``harness.load_dag``). Inputs:
``raw`` (pd.DataFrame), ``rate`` (float), ``bonus`` (optional float); config: ``region``
(also an input of ``region_label``).
"""

import pandas as pd

from plait.function_modifiers import (
    config,
    extract_columns,
    parameterize,
    schema,
    tag,
    value,
)
from plait.htypes import Collect, Parallelizable


@extract_columns("price", "qty")
def cleaned(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows with a positive quantity."""
    return raw[raw["qty"] > 0]


@tag(owner="finance", display_name="Sales (gross)")
def sales(price: pd.Series, qty: pd.Series) -> pd.Series:
    """Price times quantity."""
    return price * qty


@config.when(region="eu")
def tax__eu(sales: pd.Series) -> pd.Series:
    """VAT, EU rate."""
    return sales * 0.2


@config.when(region="us")
def tax__us(sales: pd.Series) -> pd.Series:
    """Sales tax, US rate."""
    return sales * 0.07


@tag(owner="finance")
def net(sales: pd.Series, tax: pd.Series, rate: float, bonus: float = 0.0) -> pd.Series:
    """Sales after tax, converted at ``rate``, plus a bonus."""
    return (sales - tax) * rate + bonus


@parameterize(
    net_low={"cut": value(0.25)},
    net_mid={"cut": value(0.5)},
    net_high={"cut": value(0.75)},
)
def net_quantile(net: pd.Series, cut: float) -> float:
    """The {cut} quantile of net sales."""
    return float(net.quantile(cut))


@schema.output(("net", "float"), ("week", "int"))
def report(net: pd.Series, net_low: float, net_high: float) -> pd.DataFrame:
    """Net sales with the spread between quantiles."""
    return pd.DataFrame({"net": net, "week": range(len(net))})


def batches(net: pd.Series) -> Parallelizable[float]:
    """One item per week."""
    yield from net


def scaled(batches: float, rate: float) -> float:
    """Each week's net, scaled again."""
    return batches * rate


def total(scaled: Collect[float]) -> float:
    """The sum over weeks."""
    return sum(scaled)


def rate_note(rate: float) -> str:
    """Takes the same inputs as ``scaled`` does (one input table when deduplicated)."""
    return f"rate {rate}"


def region_label(region: str) -> str:
    """Takes a config value as an input."""
    return region.upper()
