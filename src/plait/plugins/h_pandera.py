"""``@h_pandera.check_output()``: check a dataframe against the pandera model in its annotation.

.. code-block:: python

    import pandera.pandas as pa
    from pandera.typing import DataFrame
    from plait.plugins import h_pandera

    class Prices(pa.DataFrameModel):
        price: float = pa.Field(ge=0)

    @h_pandera.check_output(importance="fail")
    def prices(raw: pd.DataFrame) -> DataFrame[Prices]: ...

The same check without the annotation: ``@check_output(schema=Prices)`` (or a
``DataFrameSchema`` / ``SeriesSchema``). pandera is imported when the decorator is created.
"""

from plait._modifiers.plugin_checks import pandera_check_output as check_output

__all__ = ["check_output"]
