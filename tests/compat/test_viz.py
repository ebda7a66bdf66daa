"""Graphviz views: for the same module and keyword arguments plait draws the same nodes, edges,
labels and styles as Hamilton, and its methods accept every keyword Hamilton's take.

Compared on the DOT text (``Digraph.source``), read back by ``tests/dot_source.py``. Node and
statement order differ (Hamilton iterates sets), as do input-table row order and the legend's
node ids (plait's cannot clash with node names); the legend's entries are compared by label.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import dot_source
from dags import marketing

from .harness import Impl, both, load_dag

CONFIG = {"region": "eu", "note": 'say "hi" <b> & bye'}
RAW = pd.DataFrame({"price": [2.0, 3.0], "qty": [1, 0]})
METHODS = [
    "display_all_functions",
    "display_upstream_of",
    "display_downstream_of",
    "visualize_execution",
    "visualize_path_between",
]


def by_owner(*, node: Any, node_class: str) -> tuple[dict[str, str], str | None, str | None]:
    """A custom style: finance's nodes in green, with their own legend entry."""
    if node.tags.get("owner") == "finance":
        return {"fillcolor": "#b6e3b6"}, node_class, "finance"
    return {}, None, None


VIEWS: dict[str, Callable[[Any], Any]] = {
    "all": lambda dr: dr.display_all_functions(),
    "all, TB, kwargs": lambda dr: dr.display_all_functions(
        orient="TB", graphviz_kwargs={"graph_attr": {"ratio": "1"}, "node_attr": {"x": "1"}}
    ),
    "all, no legend, no inputs": lambda dr: dr.display_all_functions(
        show_legend=False, hide_inputs=True
    ),
    "all, deduplicated inputs": lambda dr: dr.display_all_functions(deduplicate_inputs=True),
    "all, no schema": lambda dr: dr.display_all_functions(show_schema=False),
    "all, custom style": lambda dr: dr.display_all_functions(custom_style_function=by_owner),
    "upstream": lambda dr: dr.display_upstream_of("net", "qty"),
    "downstream": lambda dr: dr.display_downstream_of("sales"),
    "downstream of an input": lambda dr: dr.display_downstream_of("rate"),
    "execution": lambda dr: dr.visualize_execution(
        ["report"], inputs={"raw": RAW, "rate": 1.0}, overrides={"net_low": 1.0}
    ),
    "execution, compile time": lambda dr: dr.visualize_execution(
        ["total", "net_mid"], bypass_validation=True
    ),
    "path": lambda dr: dr.visualize_path_between("price", "report"),
    "path, strict": lambda dr: dr.visualize_path_between(
        "cleaned", "net", strict_path_visualization=True
    ),
}


def _draw(lib: Impl, view: Callable[[Any], Any], module: Any = None) -> dot_source.Dot:
    module = module or load_dag(lib, "viz_flow")
    dr = lib.build(module, config=CONFIG)
    return dot_source.parse(view(dr).source)


def _table_rows(label: str) -> set[str]:
    return set(re.findall(r"<tr>.*?</tr>", label))


def _comparable(dot: dot_source.Dot) -> dict[str, Any]:
    """Everything the two libraries must agree on.

    An input table is named after the nodes it feeds: which consumer's name a deduplicated
    table takes depends on Hamilton's set order.
    """
    tables = {n for n in dot.drawn() if n.startswith("_") and n.endswith("_inputs")}
    feeds: dict[str, list[str]] = {t: [] for t in tables}
    for tail, head in dot.edges:
        if tail in tables:
            feeds[tail].append(head)
    rename = {t: f"inputs of {sorted(heads)}" for t, heads in feeds.items()}
    nodes = {}
    for name in dot.drawn():
        attrs = dict(dot.nodes[name])
        if name in tables:
            attrs["label"] = _table_rows(attrs.pop("label"))  # row order is Hamilton's set's
        nodes[rename.get(name, name)] = attrs
    edges = {(rename.get(t, t), h): attrs for (t, h), attrs in dot.edges.items()}
    clusters = {k: sorted(v) for k, v in dot.clusters.items() if k != "cluster__legend"}
    return {"graph": dot.graph_attrs, "nodes": nodes, "edges": edges, "clusters": clusters}


@pytest.mark.parametrize("view", list(VIEWS), ids=list(VIEWS))
def test_same_drawing(impl: Impl, ham: Impl, view: str):
    got, want = both(impl, ham, lambda lib: _comparable(_draw(lib, VIEWS[view])))
    assert got["nodes"].keys() == want["nodes"].keys()
    assert got["edges"].keys() == want["edges"].keys()
    assert got == want


def test_same_drawing_of_plain_functions(impl: Impl, ham: Impl):
    got, want = both(impl, ham, lambda lib: _comparable(_draw(lib, VIEWS["all"], module=marketing)))
    assert got == want


@pytest.mark.parametrize("view", ["all", "execution", "path", "all, custom style"])
def test_same_legend(impl: Impl, ham: Impl, view: str):
    """Same entries, in the same order; plait also lists ``config`` when it draws config notes
    (Hamilton lists it only for nodes chosen by ``@config``)."""
    got, want = both(impl, ham, lambda lib: _draw(lib, VIEWS[view]).legend())
    assert [e for e in got if e != "config"] == [e for e in want if e != "config"]
    if impl.is_plait:
        assert got[0] == "config"


@pytest.mark.parametrize("method", METHODS)
def test_same_keywords(impl: Impl, ham: Impl, method: str):
    """Every parameter of Hamilton's method, same kind, same default (plait adds keyword-only
    extensions after them)."""
    want = inspect.signature(getattr(ham.driver.Driver, method)).parameters
    got = inspect.signature(getattr(impl.driver.Driver, method)).parameters
    for name, param in want.items():
        assert name in got, f"{method} lacks {name}"
        assert (got[name].kind, got[name].default) == (param.kind, param.default), name
    extra = [p for name, p in got.items() if name not in want]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in extra)


def test_both_return_a_graphviz_digraph(impl: Impl):
    import graphviz

    dr = impl.build(load_dag(impl, "viz_flow"), config=CONFIG)
    assert isinstance(dr.display_all_functions(), graphviz.Digraph)
