"""Checks on a function that makes several nodes (``@extract_columns``): decorator order and
``target_`` pick the nodes. Decorators of one phase apply bottom-up, so a check below
``@extract_columns`` sees the dataframe, one above it sees the columns.

Written against plait; the compat harness runs it through Hamilton (``harness.load_dag``).
Input: ``n`` (int; 0..5 passes every check).
"""

import pandas as pd
import pandera.pandas as pa

from plait.function_modifiers import check_output, extract_columns

FRAME = pa.DataFrameSchema({"a": pa.Column(int), "b": pa.Column(float)})


@extract_columns("a", "b")
@check_output(schema=FRAME, importance="fail")  # applied first: checks the frame
def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"a": [n, 1], "b": [0.5, 1.5]})


@check_output(range=(0, 5))  # applied after extract_columns: checks the columns c, d
@extract_columns("c", "d")
def columns(n: int) -> pd.DataFrame:
    return pd.DataFrame({"c": [n, 1], "d": [2, 3]})


@check_output(range=(0, 5), target_="f", importance="fail")
@extract_columns("e", "f")
def only_f(n: int) -> pd.DataFrame:
    return pd.DataFrame({"e": [n, 100], "f": [n, 1]})
