"""The HTML catalog's data (nodes, edges, tags, modules, sources) and its escaping.

The page itself is driven in a real browser in ``tests/browser/test_catalog_browser.py``.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from dags import catalog_people, catalog_sales
from dags.catalog_hostile import HOSTILE_INPUT, HOSTILE_NAME, HOSTILE_TAG, hostile_graph
from plait import ad_hoc_utils, driver
from plait._catalog import write_catalog
from plait._catalog.data import catalog_data, to_json, type_name
from plait._catalog.page import render_page

TESTS = Path(__file__).resolve().parent.parent
CATALOG_PKG = TESTS.parent / "src" / "plait" / "_catalog"
DATA_RE = re.compile(
    r'<script id="plait-catalog-data" type="application/json">(.*?)</script>', re.DOTALL
)


@pytest.fixture(scope="module")
def dr():
    return (
        driver.Builder()
        .with_modules(catalog_people, catalog_sales)
        .with_config({"this_year": 2024})
        .build()
    )


@pytest.fixture(scope="module")
def data(dr):
    return catalog_data(dr.graph, title="shop", root=TESTS)


def _node(data, name):
    (found,) = [n for n in data["nodes"] if n["name"] == name]
    return found


def _names(data, indices):
    return sorted(data["nodes"][i]["name"] for i in indices)


def test_every_node_is_listed_once_sorted_by_name(dr, data):
    names = [n["name"] for n in data["nodes"]]
    assert names == sorted(dr.graph.nodes)
    assert data["title"] == "shop"


def test_a_function_node_record(data):
    email = _node(data, "email")
    assert email["type"] == "str"
    assert email["kind"] == "function"
    assert email["module"] == "dags.catalog_people"
    assert email["tags"] == {"module": "dags.catalog_people", "pii": "true", "owner": "crm"}
    assert email["doc"] == "The customer's email address, lower-cased."
    assert email["function"] == "email"
    assert email["file"] == str(Path("dags") / "catalog_people.py")  # relative to root
    assert email["line"] == 6  # the decorator's line: the source shown starts there
    source = data["sources"][email["source"]]
    assert source.startswith('@tag(pii="true", owner="crm")\ndef email(raw_email: str) -> str:')
    assert source.endswith("return raw_email.strip().lower()")


def test_edges_go_both_ways(data):
    age = _node(data, "age")
    assert _names(data, age["up"]) == ["birth_year", "this_year"]
    assert _names(data, age["down"]) == ["age_report"]
    revenue = _node(data, "revenue")
    assert _names(data, revenue["down"]) == ["mean_revenue", "revenue_per_domain"]
    for i, node in enumerate(data["nodes"]):  # every edge is listed at both of its ends
        for j in node["up"]:
            assert i in data["nodes"][j]["down"]
        for j in node["down"]:
            assert i in data["nodes"][j]["up"]


def test_inputs_and_config_have_no_module_or_source(data):
    raw = _node(data, "raw_email")
    assert (raw["kind"], raw["module"], raw["source"]) == ("input", None, None)
    assert raw["function"] == "email"  # where it is first needed
    assert raw["up"] == [] and _names(data, raw["down"]) == ["email"]
    assert _node(data, "this_year")["kind"] == "config"


def test_tags_and_modules_are_indexed_for_the_filters(data):
    assert data["modules"] == ["dags.catalog_people", "dags.catalog_sales"]
    assert data["tags"] == {
        "module": ["dags.catalog_people", "dags.catalog_sales"],
        "owner": ["crm", "finance"],
        "pii": ["true"],
    }


CAPPED = """
from plait.function_modifiers import parameterize, value


@parameterize(low={"limit": value(1)}, high={"limit": value(9)})
def capped(x: int, limit: int) -> int:
    \"\"\"Capped at {limit}.\"\"\"
    return min(x, limit)
"""


def test_nodes_from_one_function_share_its_source():
    module = ad_hoc_utils.module_from_source(CAPPED)  # in linecache: its source is found
    data = catalog_data(driver.Builder().with_modules(module).build().graph)
    low, high = _node(data, "low"), _node(data, "high")
    assert low["source"] == high["source"] is not None
    assert data["sources"][low["source"]].startswith("@parameterize(")
    assert (low["doc"], high["doc"]) == ("Capped at 1.", "Capped at 9.")


NESTED = """
import sys

if sys.version_info >= (3, 10):

    def inside(x: int) -> int:
        \"\"\"Defined in an if block.\"\"\"
        return x + 1
"""


def test_the_source_of_an_indented_function_is_dedented():
    module = ad_hoc_utils.module_from_source(NESTED)
    data = catalog_data(driver.Builder().with_modules(module).build().graph)
    source = data["sources"][_node(data, "inside")["source"]]
    assert (
        source == 'def inside(x: int) -> int:\n    """Defined in an if block."""\n    return x + 1'
    )


def test_paths_outside_the_root_stay_absolute(dr):
    data = catalog_data(dr.graph, root=TESTS / "unit")
    assert Path(_node(data, "email")["file"]).is_absolute()


def test_tag_values_become_strings_or_lists_of_strings():
    from plait._graph.build import build_graph
    from plait._model.node import node_from_function

    def f() -> int:
        return 1

    node = node_from_function(f, tags={"n": 3, "many": ["a", "b"], "flag": True})
    data = catalog_data(build_graph([node]))
    assert data["nodes"][0]["tags"] == {"n": "3", "many": ["a", "b"], "flag": "True"}
    assert data["tags"]["many"] == ["a", "b"]


def test_type_names_are_readable():
    assert type_name(int) == "int"
    assert type_name(list[int]) == "list[int]"
    assert type_name(dict[str, "int | None"]) == "dict[str, 'int | None']"


# -- escaping --------------------------------------------------------------------------------


def test_json_for_a_script_element_has_no_markup_and_round_trips():
    hostile = {"a": "</script><img src=x onerror=alert(1)>", "b": "<!-- & -->", "c": "\u2028é"}
    text = to_json(hostile)
    assert not set("<>&") & set(text)
    assert text.isascii()
    assert json.loads(text) == hostile


def test_hostile_names_docstrings_and_tags_stay_data():
    data = catalog_data(hostile_graph())
    names = {n["name"] for n in data["nodes"]}
    assert {HOSTILE_NAME, HOSTILE_INPUT, "harmless"} <= names
    page = render_page(to_json(data), title="<title></title><script>alert(5)</script>")
    assert page.count("<script") == 2  # the data element and the page's own script
    assert page.count("</script>") == 2
    assert "<img" not in page
    assert "onerror=alert" in page  # still there, as escaped data
    assert "<title>&lt;title&gt;&lt;/title&gt;&lt;script&gt;alert(5)" in page
    (embedded,) = DATA_RE.findall(page)
    back = json.loads(embedded)
    assert back == json.loads(json.dumps(data))  # nothing lost
    harmless = _node(back, "harmless")
    assert "</script><img src=x onerror=alert(4)>" in harmless["doc"]
    assert harmless["tags"]["note"] == HOSTILE_TAG
    assert "note=HOSTILE_TAG" in back["sources"][harmless["source"]]


def test_the_script_never_writes_html():
    js = (CATALOG_PKG / "catalog.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js


# -- the page --------------------------------------------------------------------------------


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_page_is_self_contained_and_allows_only_its_own_script(tmp_path, dr):
    path = dr.catalog(tmp_path / "sub" / "catalog.html", title="Shop")
    assert path == tmp_path / "sub" / "catalog.html"
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing to fetch
    (csp,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert "default-src 'none'" in csp
    script = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)[0]
    style = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)[0]
    assert f"script-src '{_hash(script)}'" in csp
    assert f"style-src '{_hash(style)}'" in csp
    (embedded,) = DATA_RE.findall(page)
    assert len(json.loads(embedded)["nodes"]) == len(dr.graph.nodes)


def test_write_catalog_takes_a_graph_and_a_string_path(tmp_path):
    out = write_catalog(hostile_graph(), str(tmp_path / "h.html"))
    assert out.exists() and out.suffix == ".html"


def test_the_catalog_package_imports_only_model_and_graph():
    allowed = {"_model", "_graph", "_catalog"}
    for path in CATALOG_PKG.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("plait"):
                parts = (node.module or "").split(".")
                assert len(parts) > 1 and parts[1] in allowed, f"{path.name}: {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("plait") for a in node.names), path.name
