"""docs/visualization.md: drawing the dataflow with Graphviz.

python docs/examples/visualization.py [OUTPUT_DIR]

Writes the page's three pictures to OUTPUT_DIR (a temporary directory by default; those in
docs/images were made with ``python docs/examples/visualization.py docs/images``), its other
files to a temporary directory. Needs the graphviz package (pip install
"plait[visualization]") and the Graphviz programs (e.g. apt-get install graphviz).
"""

import pathlib
import shutil
import sys
import tempfile

if shutil.which("dot") is None:
    sys.exit("This example writes images: it needs the Graphviz programs (apt install graphviz).")

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "dataflows"))
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())
tmp = pathlib.Path(tempfile.mkdtemp())

# --- setup ---
import graphviz
import pandas as pd
import shop_features
import weekly_shop

from plait import driver

dr = driver.Builder().with_modules(weekly_shop).with_config({"currency": "EUR"}).build()

# --- everything ---
dot = dr.display_all_functions(output_file_path=str(out / "visualization_all.png"))
print(isinstance(dot, graphviz.Digraph))
print("\n".join(dot.source.splitlines()[:4]))

# --- parts ---
dr.display_upstream_of("revenue_target", output_file_path=str(tmp / "upstream.svg"))
dr.display_downstream_of("price", output_file_path=str(tmp / "downstream.svg"))
dr.visualize_path_between("price", "target_line", output_file_path=str(tmp / "path.svg"))

# --- execution ---
weeks = {
    "orders": pd.Series([3, 5, 4, 8]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0]),
}
dr.visualize_execution(
    ["revenue_vs_mean", "target_line"],
    output_file_path=str(out / "visualization_execution.png"),
    inputs=weeks,
    overrides={"mean_revenue": 100.0},
)

# --- validation ---
try:
    dr.visualize_execution(["orders_per_visit"], inputs=weeks)
except ValueError as error:
    print(type(error).__name__, "...", str(error).splitlines()[-1])

# --- files ---
dr.display_all_functions(output_file_path=str(tmp / "all.svg"), keep_dot=True)
dr.display_all_functions(output_file_path=str(tmp / "all.png"), render_kwargs={"format": "pdf"})
print(sorted(p.name for p in tmp.iterdir() if p.name.startswith("all")))

# --- large graphs ---
big = (
    driver.Builder()
    .with_modules(weekly_shop, shop_features)
    .with_config({"currency": "EUR"})
    .build()
)
big.display_all_functions(
    output_file_path=str(out / "visualization_grouped.png"),
    group_by_module=True,
    collapse_families=True,
)
marketing = big.display_all_functions(tag_filter={"owner": "marketing"}, show_legend=False)
print(marketing.source.count('fillcolor="#b4d8e4"'), "boxes tagged owner=marketing")
