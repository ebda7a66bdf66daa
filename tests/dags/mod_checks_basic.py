"""Data-quality checks on pandas Series, numbers and strings (``@check_output``,
``@check_output_custom``). Written against plait; the compat harness runs it through Hamilton
by replacing the import name (``harness.load_dag``).

Inputs: ``n`` (int, 1..10 keeps every check passing), ``region_code`` (str).
"""

import numpy as np
import pandas as pd

from plait.data_quality.base import DataValidator, ValidationResult
from plait.function_modifiers import check_output, check_output_custom, tag


class NonNegative(DataValidator):
    """No value of a Series is below zero."""

    def __init__(self, importance: str) -> None:
        super().__init__(importance)

    def applies_to(self, datatype: type) -> bool:
        return issubclass(datatype, pd.Series)

    def description(self) -> str:
        return "No value is negative."

    @classmethod
    def name(cls) -> str:
        return "non_negative"

    def validate(self, dataset: pd.Series) -> ValidationResult:
        negative = int((dataset < 0).sum())
        return ValidationResult(negative == 0, f"{negative} negative", {"negative": negative})


@check_output(range=(0, 100), data_type=np.int64, allow_nans=False)
def scores(n: int) -> pd.Series:
    """Ten points per step: above 100 once n > 10 (a warning)."""
    return pd.Series([10 * i for i in range(n + 1)])


@check_output(
    mean_in_range=(0.0, 1.0),
    max_standard_dev=1.0,
    max_fraction_nans=0.5,
    values_in=[0.0, 0.5, 1.0],
    importance="warn",
)
def ratios(n: int) -> pd.Series:
    return pd.Series([0.0, 0.5, 1.0, np.nan] if n <= 10 else [0.0, 2.0, np.nan, np.nan])


@check_output(range=(0, 10), importance="fail")
def bounded(n: int) -> int:
    return n


@check_output(data_type=float, range=(0.0, 10.0), importance="fail")
def ratio_total(ratios: pd.Series) -> float:
    return float(ratios.sum())


@check_output(values_in=["eu", "us"], contains="u", does_not_contain=["x"], data_type=str)
def region(region_code: str) -> str:
    return region_code


@check_output(allow_none=False, importance="fail")
def label(region: str, bounded: int) -> str:
    return f"{region}-{bounded}"


@tag(owner="quality")
@check_output_custom(NonNegative(importance="warn"), NonNegative(importance="fail"))
def deltas(scores: pd.Series) -> pd.Series:
    return scores.diff().fillna(0.0) - (0 if len(scores) <= 11 else 100)


def summary(bounded: int, ratio_total: float, deltas: pd.Series, label: str) -> str:
    return f"{label}: {bounded} {ratio_total} {float(deltas.sum())}"
