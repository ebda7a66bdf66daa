"""pandera checks: ``@check_output(schema=...)`` and ``@h_pandera.check_output()``.

Written against plait; the compat harness runs it through Hamilton (``harness.load_dag``).
``Orders`` subclasses the *top-level* ``pandera.DataFrameModel`` (deprecated by pandera, it
warns with FutureWarning) because Hamilton 1.90's ``h_pandera`` accepts only that one; plait
also accepts ``pandera.pandas.DataFrameModel`` (see the unit tests).

Input: ``n`` (int): 1..5 passes every check; 6..9 fails the warn-level ``share`` and
``orders`` checks; 10 and more also fails ``prices`` (importance="fail").
"""

import pandas as pd
import pandera as pa_legacy
import pandera.pandas as pa
from pandera.typing import DataFrame

from plait.function_modifiers import check_output
from plait.plugins import h_pandera

PRICES = pa.DataFrameSchema(
    {"price": pa.Column(float, pa.Check.ge(0.0)), "qty": pa.Column(int, pa.Check.le(9))}
)
SHARE = pa.SeriesSchema(float, pa.Check.in_range(0.0, 0.5))


class Orders(pa_legacy.DataFrameModel):
    qty: int = pa_legacy.Field(ge=0)


@check_output(schema=PRICES, importance="fail")
def prices(n: int) -> pd.DataFrame:
    return pd.DataFrame({"price": [1.5, 2.5], "qty": [n, 1]})


@check_output(schema=SHARE)
def share(prices: pd.DataFrame) -> pd.Series:
    return prices["qty"] / 10.0


@h_pandera.check_output()
def orders(prices: pd.DataFrame, n: int) -> DataFrame[Orders]:
    return pd.DataFrame({"qty": [5 - n, 1]})


def revenue(prices: pd.DataFrame, share: pd.Series) -> float:
    return float((prices["price"] * share).sum())
