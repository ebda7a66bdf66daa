"""polars integration (Hamilton's ``plugins.h_polars``): ``@with_columns`` on polars DataFrames.

polars is imported when the decorator is used, not by this module.
"""

from plait._modifiers.with_columns import polars_with_columns as with_columns

__all__ = ["with_columns"]
