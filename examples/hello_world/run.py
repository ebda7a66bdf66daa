"""Run the hello-world dataflow two ways: the legacy Driver (a DataFrame) and the Builder (a dict).

python examples/hello_world/run.py
"""

import pathlib
import sys

import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import my_functions

from plait import driver


def main() -> None:
    inputs = {
        "orders": pd.Series([3, 5, 4, 8, 9, 12]),
        "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
        "visits": pd.Series([40, 52, 47, 80, 75, 96]),
    }
    # The legacy driver returns a pandas DataFrame: one column per requested output.
    dr = driver.Driver({}, my_functions)
    df = dr.execute(
        ["revenue", "revenue_trend", "revenue_vs_mean", "orders_per_visit"], inputs=inputs
    )
    print(df.to_string())

    # A Builder-made driver returns a dict; only what the outputs need is computed.
    dr2 = driver.Builder().with_modules(my_functions).build()
    print(dr2.execute(["mean_revenue"], inputs=inputs))
    upstream = sorted(v.name for v in dr2.what_is_upstream_of("revenue_vs_mean"))
    print("revenue_vs_mean is computed from:", upstream)


if __name__ == "__main__":
    main()
