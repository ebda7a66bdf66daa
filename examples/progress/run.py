"""Progress bars on a 20-node dataflow: rich's display, then tqdm's bar.

python examples/progress/run.py

On a terminal the bars move as nodes finish; in a pipe or a log they print their final state.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import shop_report

from plait import driver
from plait.plugins import h_rich, h_tqdm


def main() -> None:
    inputs = {"days": 14}

    # rich: one task for the run, advanced as each node finishes.
    dr = (
        driver.Builder()
        .with_modules(shop_report)
        .with_adapters(h_rich.RichProgressBar(run_desc="shop report (rich)"))
        .build()
    )
    print(dr.execute(["report"], inputs=inputs)["report"])

    # tqdm: the running node's name next to the bar (tqdm writes to stderr).
    dr = (
        driver.Builder()
        .with_modules(shop_report)
        .with_adapters(h_tqdm.ProgressBar(desc="shop report (tqdm)"))
        .build()
    )
    result = dr.execute(["report", "total_units"], inputs=inputs)
    print(f"units sold: {result['total_units']}")


if __name__ == "__main__":
    main()
