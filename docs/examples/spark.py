"""docs/spark.md: columns of a Spark DataFrame computed by plain functions (plugins.h_spark).

python docs/examples/spark.py     (needs pip install "plait[spark]" and Java 17 or newer)

Starts a local Spark session (2 cores), computes the shop's weekly columns with a pandas UDF,
a row UDF and a DataFrame function, in append and select mode, and shows two mistakes.
"""

import os
import sys
import warnings

# Spark starts its Python workers with this interpreter (by default: `python3` on the PATH).
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
# pyspark 4.3 warns that it does not fully support pandas 3 on every pandas conversion.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")

import pandas as pd
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from plait import ad_hoc_utils, driver
from plait.function_modifiers import InvalidDecoratorException
from plait.htypes import column
from plait.plugins import h_spark


# --- map functions ---
def revenue(orders: pd.Series, price: pd.Series) -> column[pd.Series, float]:
    """A pandas UDF: Series in, Series out, one batch of rows at a time."""
    return orders * price


def visits_with_bots(visits: int, bot_visits: int) -> int:
    """A row UDF. ``bot_visits`` is no column: the dataflow provides it (here, an input)."""
    return visits + bot_visits


@h_spark.require_columns("orders", "visits_with_bots")
def conversion(df: DataFrame) -> Column:
    """A DataFrame function: takes the frame, returns a Column (or a new DataFrame)."""
    return F.round(df["orders"] / df["visits_with_bots"], 3)


# --- end map functions ---
map_functions = ad_hoc_utils.create_temporary_module(revenue, visits_with_bots, conversion)


# --- dataflow ---
def weeks(spark: SparkSession) -> DataFrame:
    rows = {"week": [1, 2, 3, 4], "orders": [3, 5, 4, 8], "visits": [40, 52, 47, 80]}
    frame = pd.DataFrame({**rows, "price": [10.0, 10.0, 12.0, 12.0]})
    return spark.createDataFrame(frame)


@h_spark.with_columns(
    map_functions,
    columns_to_pass=["orders", "price", "visits"],
    select=["revenue", "conversion"],
)
def weekly(weeks: DataFrame) -> DataFrame:
    return weeks.orderBy("week")


@h_spark.select(
    map_functions,
    columns_to_pass=["orders", "price", "visits"],
    output_cols=["conversion", "revenue"],
)
def kpis(weeks: DataFrame) -> DataFrame:
    return weeks


# --- end dataflow ---
shop = ad_hoc_utils.create_temporary_module(weeks, weekly, kpis)


def shown(error: Exception) -> str:
    """The message, with file paths relative to the repository."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return f"{type(error).__name__}: {str(error).replace(root + os.sep, '')}"


# --- session ---
spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.sql.shuffle.partitions", "2")
    .config("spark.ui.enabled", "false")
    .getOrCreate()
)
# --- end session ---
spark.sparkContext.setLogLevel("ERROR")

# --- run ---
dr = driver.Builder().with_modules(shop).build()
result = dr.execute(["weekly", "kpis"], inputs={"spark": spark, "bot_visits": 10})
result["weekly"].show()
result["kpis"].show()
print(result["weekly"].dtypes)
# --- end run ---

# --- nodes ---
for variable in sorted(dr.list_available_variables(), key=lambda v: v.name):
    if variable.name.startswith("weekly"):
        print(f"{variable.name:<24} <- {sorted(variable.required_dependencies)}")
# --- end nodes ---


# --- mistakes ---
def forgot_the_type(orders: pd.Series) -> pd.Series:
    return orders * 2


@h_spark.with_columns(
    ad_hoc_utils.create_temporary_module(forgot_the_type), columns_to_pass=["orders"]
)
def daily(weeks: DataFrame) -> DataFrame:
    return weeks


try:
    driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(weeks, daily)).build()
except InvalidDecoratorException as error:
    print(shown(error))

no_price = spark.createDataFrame(pd.DataFrame({"orders": [3], "visits": [40]}))
try:
    dr.execute(["weekly"], inputs={"bot_visits": 0}, overrides={"weeks": no_price})
except InvalidDecoratorException as error:
    print(shown(error))
# --- end mistakes ---


# --- pandas on spark ---
def takings(orders: pd.Series, price: pd.Series) -> pd.Series:
    return orders * price


def on_pandas_on_spark(spark):
    import pyspark.pandas as ps

    from plait import base

    frame = ps.from_pandas(pd.DataFrame({"orders": [3, 5, 4], "price": [2.0, 2.0, 2.5]}))
    adapter = h_spark.SparkKoalasGraphAdapter(spark, base.PandasDataFrameResult(), "orders")
    dr = driver.Driver({}, ad_hoc_utils.create_temporary_module(takings), adapter=adapter)
    return dr.execute(["orders", "takings"], inputs={"orders": frame.orders, "price": frame.price})


# --- end pandas on spark ---


from plait.errors import UnsupportedAdapterError

try:
    print(on_pandas_on_spark(spark).sort_index())
except (ImportError, UnsupportedAdapterError) as error:  # pandas-on-Spark needs pandas < 3
    print(type(error).__name__)
spark.stop()
