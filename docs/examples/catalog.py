"""docs/catalog.md: the HTML catalog of a dataflow, written and read back.

python docs/examples/catalog.py                      # writes the catalog to a temp directory
python docs/examples/catalog.py --screenshot PNG     # and photographs it (Playwright + Chromium)
"""

import json
import pathlib
import re
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "dataflows"))

# --- write ---
import customers
import weekly_shop

from plait import driver

dr = driver.Builder().with_modules(weekly_shop, customers).with_config({"currency": "EUR"}).build()
out = pathlib.Path(tempfile.mkdtemp()) / "catalog.html"
path = dr.catalog(out, title="Shop features", root=HERE)  # paths shown relative to root
print(path.name, "written:", len(dr.list_available_variables()), "nodes")

# --- inside ---
page = path.read_text()
print(re.findall(r"<script[^>]*>", page))
print(re.search(r'http-equiv="Content-Security-Policy" content="([^;]*;[^;]*)', page)[1])
data = json.loads(re.search(r'type="application/json">(.*?)</script>', page, re.S)[1])
(email,) = [n for n in data["nodes"] if n["name"] == "email"]
for key in ("type", "kind", "module", "tags", "file", "line", "doc"):
    print(f"{key:>6}: {email[key]}")
print(data["sources"][email["source"]])

# --- pii ---
tagged = [v.name for v in dr.list_available_variables(tag_filter={"pii": "true"})]
print(sorted(v.name for v in dr.what_is_downstream_of(*tagged)))


# --- screenshot ---
def screenshot(png: str) -> None:
    """The page after a search, tracing pii=true and clicking customer_summary."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless"])
        tab = browser.new_page(viewport={"width": 1280, "height": 760})
        tab.goto(path.as_uri())
        tab.fill("#search", "customer")
        tab.fill("#taint-query", "pii=true")
        tab.click("#taint-run")
        tab.evaluate("plaitCatalog.select('customer_summary')")
        tab.screenshot(path=png)
        browser.close()


if sys.argv[1:2] == ["--screenshot"]:
    screenshot(sys.argv[2])
