"""Graphviz views: the DOT a drawing holds (nodes, edges, styles, clusters, legend, filtering,
collapsed families, escaping), the errors, and the layering of ``plait._viz``.

Nothing here runs the Graphviz programs (``tests/integration/test_viz_render.py`` does), so
none of these tests skip.
"""

from __future__ import annotations

import ast
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import graphviz
import pytest

import dot_source
from dags import viz_flow
from plait import driver
from plait._graph.build import build_graph
from plait._model.errors import InvalidArgumentError, PlaitError, UnknownNodeError
from plait._model.node import Dependency, Node
from plait._viz import dot, select
from plait._viz.render import Digraph, GraphvizNotFoundError, to_digraph

SRC = Path(__file__).resolve().parents[2] / "src"
CONFIG = {"region": "eu"}


@pytest.fixture(scope="module")
def dr():
    return driver.Builder().with_modules(viz_flow).with_config(CONFIG).build()


def parsed(digraph) -> dot_source.Dot:
    return dot_source.parse(digraph.source)


def function_boxes(d: dot_source.Dot) -> set[str]:
    """The drawn function boxes (schema fields and the legend left out)."""
    return {n for n in d.drawn() if d.nodes[n].get("fillcolor") == "#b4d8e4" and ":" not in n}


# -- what display_all_functions draws --------------------------------------------------------

FUNCTIONS = {
    "cleaned", "price", "qty", "sales", "tax", "net", "net_low", "net_mid", "net_high",
    "report", "batches", "scaled", "total", "rate_note", "region_label",
}  # fmt: skip


def test_every_function_is_a_box_and_every_dependency_an_edge(dr):
    d = parsed(dr.display_all_functions())
    assert function_boxes(d) == FUNCTIONS
    assert ("sales", "net") in d.edges and ("tax", "net") in d.edges
    assert ("cleaned", "price") in d.edges  # extract_columns: the frame feeds its columns
    assert {("net", n) for n in ("net_low", "net_mid", "net_high")} <= set(d.edges)
    assert all(t in d.nodes for t, _ in d.edges) and all(h in d.nodes for _, h in d.edges)


def test_inputs_are_tables_feeding_their_consumer(dr):
    d = parsed(dr.display_all_functions())
    table = d.nodes["_net_inputs"]
    assert table["style"] == "filled,dashed"
    assert re.findall(r"<td>(\w+)</td><td>(\w+)</td>", table["label"]) == [
        ("rate", "float"),
        ("bonus", "float"),
    ]
    assert ("_net_inputs", "net") in d.edges
    assert "rate" not in d.nodes and "raw" not in d.nodes  # inputs are rows, not boxes


def test_config_values_are_notes_and_config_choices_are_labelled(dr):
    d = parsed(dr.display_all_functions())
    assert d.nodes["region"]["shape"] == "note"
    assert d.nodes["region"]["label"] == "<<b>region</b><br /><br /><i>eu</i>>"
    assert "<b>tax: region</b>" in d.nodes["tax"]["label"]


def test_labels_show_the_type_and_the_display_name_tag(dr):
    d = parsed(dr.display_all_functions())
    assert d.nodes["net"]["label"] == "<<b>net</b><br /><br /><i>Series</i>>"
    assert "<b>Sales (gross)</b>" in d.nodes["sales"]["label"]


def test_parallelizable_and_collect_are_double_bordered_with_crows_feet(dr):
    d = parsed(dr.display_all_functions())
    assert d.nodes["batches"]["peripheries"] == "2" and d.nodes["batches"]["color"] == "#56E39F"
    assert d.nodes["total"]["peripheries"] == "2" and d.nodes["total"]["color"] == "#EA5556"
    assert d.edges[("batches", "scaled")] == {
        "arrowhead": "crow",
        "arrowtail": "none",
        "dir": "both",
    }
    assert d.edges[("scaled", "total")] == {"arrowtail": "crow", "dir": "both"}


def test_a_schema_is_a_cluster_of_fields_around_its_node(dr):
    d = parsed(dr.display_all_functions())
    assert d.clusters["cluster_report"] == ["report:net=float", "report:week=int ", "report"]
    assert d.nodes["report:week=int "]["fontname"] == "Courier"
    assert "cluster_report" not in parsed(dr.display_all_functions(show_schema=False)).clusters


def test_the_legend_lists_what_is_drawn(dr):
    d = parsed(dr.display_all_functions())
    assert d.legend() == ["config", "input", "function", "cluster", "field", "expand", "collect"]
    assert "cluster__legend" not in parsed(dr.display_all_functions(show_legend=False)).clusters


def test_legend_ids_cannot_clash_with_node_names(make_module):
    def function(x: int) -> int:
        return x

    d = parsed(driver.Builder().with_modules(make_module(function)).build().display_all_functions())
    assert "function" in function_boxes(d)
    assert "_legend_function" in d.clusters["cluster__legend"]


# -- keyword arguments -------------------------------------------------------------------------


def test_orient_and_graphviz_kwargs(dr):
    d = parsed(dr.display_all_functions(orient="TB"))
    assert d.graph_attrs["rankdir"] == "TB" and d.graph_attrs["concentrate"] == "true"
    g = dr.display_all_functions(
        orient="TB", graphviz_kwargs={"graph_attr": {"rankdir": "BT"}, "engine": "neato"}
    )
    assert parsed(g).graph_attrs["rankdir"] == "BT"  # graph_attr wins over orient
    assert parsed(g).graph_attrs["ranksep"] == "0.4"  # merged, not replaced
    assert g.engine == "neato"


def test_hide_inputs_and_deduplicate_inputs(dr):
    hidden = parsed(dr.display_all_functions(hide_inputs=True))
    assert not [n for n in hidden.nodes if n.endswith("_inputs")]
    assert "input" not in hidden.legend()
    shared = parsed(dr.display_all_functions(deduplicate_inputs=True))
    rate_only = [n for n in shared.nodes if n in ("_scaled_inputs", "_rate_note_inputs")]
    assert len(rate_only) == 1  # scaled and rate_note both take just `rate`: one table
    assert {(rate_only[0], "scaled"), (rate_only[0], "rate_note")} <= set(shared.edges)


def test_a_custom_style_function_styles_nodes_and_adds_a_legend_entry(dr):
    def style(*, node, node_class):
        if node.tags.get("owner") == "finance":
            return {"fillcolor": "green", "penwidth": 2}, node_class, "finance"
        return {}, None, None

    d = parsed(dr.display_all_functions(custom_style_function=style))
    assert d.nodes["net"]["fillcolor"] == "green" and d.nodes["net"]["penwidth"] == "2"
    assert d.nodes["price"]["fillcolor"] == "#b4d8e4"
    assert d.legend()[-1] == "finance"


def test_a_custom_style_function_must_take_keywords_only(dr):
    with pytest.raises(InvalidArgumentError, match=r"keyword-only") as info:
        dr.display_all_functions(custom_style_function=lambda node, node_class: ({}, None, None))
    assert isinstance(info.value, ValueError)


# -- the other views ---------------------------------------------------------------------------


def test_upstream_and_downstream_views(dr):
    up = parsed(dr.display_upstream_of("sales"))
    assert function_boxes(up) == {"cleaned", "price", "qty", "sales"}
    down = parsed(dr.display_downstream_of("net_low"))
    assert function_boxes(down) == {"net_low", "net", "net_high", "report"}  # + direct inputs
    assert {("net", "net_low"), ("net_low", "report"), ("net_high", "report")} <= set(down.edges)
    assert "_cleaned_inputs" not in down.nodes


def test_visualize_execution_marks_outputs_and_overrides(dr):
    g = dr.visualize_execution(
        ["report"], inputs={"raw": None, "rate": 1.0}, overrides={"net_low": 1.0}
    )
    d = parsed(g)
    assert d.nodes["report"]["fillcolor"] == "#FFC857"
    assert d.nodes["net_low"]["style"] == "filled,diagonals"
    assert "batches" not in d.nodes
    assert "bonus" not in d.nodes["_net_inputs"]["label"]  # optional, not provided: not used
    assert {"output", "override"} <= set(d.legend())


def test_visualize_execution_validates_unless_told_not_to(dr):
    with pytest.raises(PlaitError, match=r"bypass_validation=True") as info:
        dr.visualize_execution(["net"])
    assert isinstance(info.value, ValueError)
    d = parsed(dr.visualize_execution([viz_flow.net], bypass_validation=True))  # a function
    assert "bonus" in d.nodes["_net_inputs"]["label"]  # compile-time view: every input
    assert d.nodes["net"]["fillcolor"] == "#FFC857"


def test_visualize_path_between_draws_the_path_in_red(dr):
    d = parsed(dr.visualize_path_between("price", "net"))
    assert d.edges[("price", "sales")]["color"] == "red"
    assert d.nodes["tax"]["color"] == "red"
    assert "color" not in d.edges[("cleaned", "qty")]  # qty is an input of the path, not on it
    strict = parsed(dr.visualize_path_between("price", "net", strict_path_visualization=True))
    assert function_boxes(strict) == {"price", "sales", "tax", "net"}


def test_views_reject_unknown_names_and_missing_paths(dr):
    with pytest.raises(UnknownNodeError, match="Did you mean 'sales'"):
        dr.display_upstream_of("sale")
    with pytest.raises(UnknownNodeError):
        dr.visualize_execution(["nope"])
    with pytest.raises(InvalidArgumentError, match=r"No path from 'net' to 'price'"):
        dr.visualize_path_between("net", "price")


# -- plait's extensions for large graphs -------------------------------------------------------


def test_group_by_module_draws_one_cluster_per_module(make_module):
    def a(x: int) -> int:
        return x

    def b(a: int) -> int:
        return a

    dr = driver.Builder().with_modules(make_module(a), make_module(b)).build()
    d = parsed(dr.display_all_functions(group_by_module=True))
    clusters = {k: v for k, v in d.clusters.items() if k.startswith("cluster__module:")}
    assert sorted(sorted(v) for v in clusters.values()) == [["_a_inputs", "a"], ["b"]]
    name = next(k for k, v in clusters.items() if v == ["b"])
    assert d.cluster_attrs[name]["label"] == name.removeprefix("cluster__module:")
    assert ("a", "b") in d.edges
    assert not any(
        k.startswith("cluster__module") for k in parsed(dr.display_all_functions()).clusters
    )


def test_collapse_families_draws_one_box_per_expanded_function(dr):
    d = parsed(dr.display_all_functions(collapse_families=True))
    family = "_family_dags.viz_flow.net_quantile"
    assert {"net_low", "net_mid", "net_high"}.isdisjoint(d.nodes)
    assert "3 nodes" in d.nodes[family]["label"] and "net_mid" in d.nodes[family]["label"]
    assert d.nodes[family]["shape"] == "box3d"
    assert ("net", family) in d.edges and (family, "report") in d.edges
    columns = "_family_dags.viz_flow.cleaned"  # extract_columns: the frame and its columns
    assert (columns, "sales") in d.edges
    assert all(t != h for t, h in d.edges)
    assert "family" in d.legend()


def test_collapse_keeps_the_marks_of_members(dr):
    d = parsed(dr.visualize_execution(["net_mid"], bypass_validation=True, collapse_families=True))
    assert d.nodes["net_mid"]["fillcolor"] == "#FFC857"  # alone in this view: not collapsed
    d = parsed(
        dr.visualize_execution(
            ["net_mid", "net_low"], bypass_validation=True, collapse_families=True
        )
    )
    assert d.nodes["_family_dags.viz_flow.net_quantile"]["fillcolor"] == "#FFC857"


def test_tag_filter_keeps_matching_nodes_and_their_inputs(dr):
    d = parsed(dr.display_all_functions(tag_filter={"owner": "finance"}))
    assert function_boxes(d) == {"sales", "net"}
    assert set(d.edges) == {("sales", "net"), ("_net_inputs", "net")}
    with pytest.raises(InvalidArgumentError):
        dr.display_all_functions(tag_filter={"owner": 3})


def test_large_drawings_get_a_layout_budget_unless_set():
    nodes = [
        Node(f"n{i}", int, lambda **k: 0, (Dependency(f"n{i - 1}", int),)) for i in range(1, 1200)
    ]
    graph = build_graph([Node("n0", int, lambda: 0), *nodes])
    attrs = dot.build(graph, select.everything(graph), dot.Options()).kwargs["graph_attr"]
    assert attrs["nslimit"] == attrs["nslimit1"] == "0.2"
    mine = dot.Options(graphviz_kwargs={"graph_attr": {"nslimit": "5"}})
    assert dot.build(graph, select.everything(graph), mine).kwargs["graph_attr"]["nslimit"] == "5"
    small = build_graph([*nodes[:5], Node("n0", int, lambda: 0)])
    assert (
        "nslimit"
        not in dot.build(small, select.everything(small), dot.Options()).kwargs["graph_attr"]
    )


# -- escaping ----------------------------------------------------------------------------------

ODD_NAMES = ['say "hi"', "<b>bold</b>", "a:b", "x & y", "node", "back\\slash", "é"]


def odd_graph():
    """Nodes whose names need quoting, and an input whose name has a port-like colon."""
    first = Node(ODD_NAMES[0], int, lambda **k: 0, (Dependency("in:put", int),))
    chain = [first] + [
        Node(name, int, lambda **k: 0, (Dependency(prev, int),))
        for prev, name in itertools.pairwise(ODD_NAMES)
    ]
    return build_graph(chain, {"cfg": 'a "quoted" <value> & more'})


def test_odd_names_are_quoted_and_labels_escaped():
    graph = odd_graph()
    source = to_digraph(dot.build(graph, select.everything(graph), dot.Options())).source
    d = dot_source.parse(source)
    assert set(ODD_NAMES) - {"back\\slash"} <= set(d.nodes)
    assert "back\u29f5slash" in d.nodes  # DOT cannot escape a backslash in an id
    assert (ODD_NAMES[2], ODD_NAMES[3]) in d.edges  # "a:b" is one id, not a node and a port
    assert "<b>&lt;b&gt;bold&lt;/b&gt;</b>" in d.nodes["<b>bold</b>"]["label"]
    assert "<b>x &amp; y</b>" in d.nodes["x & y"]["label"]
    assert "a &quot;quoted&quot; &lt;value&gt; &amp; more" in d.nodes["cfg"]["label"]
    assert "<td>in:put</td>" in d.nodes['_say "hi"_inputs']["label"]
    assert '"node" [label=' in source  # a DOT keyword is quoted


def test_display_name_tags_are_escaped():
    from plait import ad_hoc_utils
    from plait.function_modifiers import tag

    @tag(display_name='Gross <"sales"> & more')
    def sales(x: int) -> int:
        return x

    module = ad_hoc_utils.create_temporary_module(sales)
    d = parsed(driver.Builder().with_modules(module).build().display_all_functions())
    assert "<b>Gross &lt;&quot;sales&quot;&gt; &amp; more</b>" in d.nodes["sales"]["label"]


# -- what comes back, and the errors -------------------------------------------------------------


def test_the_drawing_is_a_graphviz_digraph(dr):
    g = dr.display_all_functions()
    assert isinstance(g, graphviz.Digraph) and isinstance(g, Digraph)
    assert g.comment == "Dependency Graph"


def test_without_the_dot_program_rendering_says_how_to_install_it(dr, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    g = dr.display_all_functions()  # drawing needs no Graphviz program
    with pytest.raises(GraphvizNotFoundError, match=r"apt-get install graphviz") as info:
        g.pipe(format="svg")
    assert isinstance(info.value, graphviz.ExecutableNotFound)
    assert isinstance(info.value, PlaitError)
    with pytest.raises(GraphvizNotFoundError, match=r"DOT source was written to") as info:
        dr.display_all_functions(output_file_path=str(tmp_path / "out" / "graph.png"))
    written = tmp_path / "out" / "graph.dot"
    assert info.value.dot_path == str(written)
    assert written.read_text() == info.value.digraph.source
    assert not (tmp_path / "out" / "graph.png").exists()


def test_without_the_dot_program_keep_dot_keeps_the_source(dr, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(GraphvizNotFoundError) as info:
        dr.display_all_functions(output_file_path=str(tmp_path / "graph.svg"), keep_dot=True)
    assert (tmp_path / "graph").read_text() == info.value.digraph.source


def test_without_the_graphviz_package_the_error_names_the_extra(dr, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz now fails
    monkeypatch.delitem(sys.modules, "plait._viz.render")
    monkeypatch.delattr(sys.modules["plait._viz"], "render")
    with pytest.raises(ImportError, match=r'pip install "plait\[visualization\]"'):
        dr.display_all_functions()


# -- layering ----------------------------------------------------------------------------------


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(a.name, node.col_offset) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.col_offset))
    return found


def test_viz_imports_only_the_model_and_the_graph():
    for path in sorted((SRC / "plait" / "_viz").glob("*.py")):
        for module, _ in _imports(path):
            if module.startswith("plait."):
                assert module.split(".")[1] in {"_model", "_graph", "_viz"}, (path.name, module)
            if module == "graphviz":
                assert path.name == "render.py", path.name


def test_the_driver_imports_visualization_lazily():
    for module, column in _imports(SRC / "plait" / "_api" / "driver.py"):
        if module.startswith("plait._viz") or module == "plait._api.visualize":
            assert column > 0, f"driver.py imports {module} at module level"
    probe = (
        "import sys, plait.driver; "
        "print(sorted(m for m in sys.modules if 'viz' in m or m == 'graphviz'))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "[]", done.stderr
