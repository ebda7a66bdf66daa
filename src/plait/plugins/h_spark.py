"""Spark (Hamilton's ``plugins.h_spark``): columns of PySpark DataFrames computed by plain
functions, as pandas UDFs, row UDFs or DataFrame functions.

- ``with_columns`` / ``select``: a group of functions becomes one chain of ``withColumn`` steps
  on the decorated function's Spark DataFrame; ``require_columns`` marks a function of the
  group that takes the DataFrame and the columns it reads.
- ``PySparkUDFGraphAdapter``: a whole dataflow as UDFs adding columns to one Spark DataFrame.
- ``SPARK_INPUT_CHECK`` (a ``SparkInputValidator``): Spark Connect and classic DataFrames and
  sessions accepted for one another.
- ``get_spark_type`` and friends: the Spark type of a return annotation.
- ``SparkKoalasGraphAdapter`` / ``KoalasDataFrameResult``: a pandas dataflow on pandas-on-Spark
  (``pyspark.pandas``, which needs pandas < 3; with pandas 3 they raise an error saying so).

Importing this module imports pyspark: ``pip install "plait[spark]"``.
"""

from plait._integrations.spark import (
    SPARK_INPUT_CHECK,
    KoalasDataFrameResult,
    PySparkUDFGraphAdapter,
    SparkInputValidator,
    SparkKoalasGraphAdapter,
    get_spark_type,
    numpy_to_spark_type,
    python_to_spark_type,
)
from plait._integrations.spark_columns import require_columns, select, with_columns

__all__ = [
    "SPARK_INPUT_CHECK",
    "KoalasDataFrameResult",
    "PySparkUDFGraphAdapter",
    "SparkInputValidator",
    "SparkKoalasGraphAdapter",
    "get_spark_type",
    "numpy_to_spark_type",
    "python_to_spark_type",
    "require_columns",
    "select",
    "with_columns",
]
