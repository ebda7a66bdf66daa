"""pandas integration (Hamilton's ``plugins.h_pandas``): ``@with_columns`` on pandas DataFrames.

pandas is imported when the decorator is used, not by this module.
"""

from plait._modifiers.with_columns import pandas_with_columns as with_columns

__all__ = ["with_columns"]
