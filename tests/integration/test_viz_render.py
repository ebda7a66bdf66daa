"""Graphviz views rendered by the real ``dot`` program: PNG and SVG files, Hamilton's file
naming rules, odd names, and a generated graph of 4,000 nodes.

Skips (saying why) only when the Graphviz programs are not installed; the DOT itself is
tested, without skipping, in ``tests/unit/test_viz.py``.
"""

from __future__ import annotations

import itertools
import random
import shutil
import sys
import types
from collections.abc import Iterator

import pytest

from dags import viz_flow
from plait import driver
from plait._graph.build import build_graph
from plait._model.node import Dependency, Node
from plait._viz import dot, select
from plait._viz.render import to_digraph

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="the Graphviz 'dot' program is not installed (apt-get install graphviz)",
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def dr():
    return driver.Builder().with_modules(viz_flow).with_config({"region": "eu"}).build()


def test_render_to_png(dr, tmp_path):
    digraph = dr.display_all_functions(output_file_path=str(tmp_path / "all.png"))
    assert (tmp_path / "all.png").read_bytes()[:8] == PNG_MAGIC
    assert digraph.pipe(format="png")[:8] == PNG_MAGIC
    assert not (tmp_path / "all").exists()  # no DOT file unless keep_dot


def test_render_to_svg_shows_the_node_names(dr, tmp_path):
    dr.visualize_execution(
        ["report"],
        output_file_path=str(tmp_path / "run.svg"),
        inputs={"raw": None, "rate": 1.0},
        collapse_families=True,
        group_by_module=True,
    )
    svg = (tmp_path / "run.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for name in ("cleaned", "net", "report", "Sales (gross)", "net_quantile", "dags.viz_flow"):
        assert f">{name}<" in svg, name


def test_keep_dot_and_render_kwargs(dr, tmp_path):
    dr.display_upstream_of("net", output_file_path=str(tmp_path / "up.svg"), keep_dot=True)
    assert (tmp_path / "up").read_text().startswith("// Dependency Graph")
    assert "<svg" in (tmp_path / "up.svg").read_text()
    dr.display_downstream_of(
        "net", output_file_path=str(tmp_path / "down.png"), render_kwargs={"format": "svg"}
    )
    assert (tmp_path / "down.svg").exists() and not (tmp_path / "down.png").exists()
    dr.visualize_path_between("price", "net", output_file_path=str(tmp_path / "path"))
    assert (tmp_path / "path.png").read_bytes()[:8] == PNG_MAGIC  # no extension: png


def test_odd_names_render():
    names = ['say "hi"', "<b>bold</b>", "a:b", "x & y", "node", "é"]
    chain = [Node(names[0], int, lambda **k: 0, (Dependency("in:put", int),))]
    chain += [
        Node(name, int, lambda **k: 0, (Dependency(prev, int),))
        for prev, name in itertools.pairwise(names)
    ]
    graph = build_graph(chain, {"cfg": 'a "quoted" <value> & more'})
    drawing = dot.build(graph, select.everything(graph), dot.Options(group_by_module=True))
    svg = to_digraph(drawing).pipe(format="svg").decode()
    for escaped in ("say &quot;hi&quot;", "&lt;b&gt;bold&lt;/b&gt;", "a:b", "x &amp; y", "é"):
        assert f">{escaped}<" in svg, escaped
    assert "a &quot;quoted&quot; &lt;value&gt; &amp; more" in svg


# -- 4,000 nodes -------------------------------------------------------------------------------


def _generated_modules(n_modules: int = 40, per: int = 100) -> list[types.ModuleType]:
    """A feature store's shape: per module, a base, 89 features of nearby features (and of
    the previous module's), and a ``@parameterize`` family of 10."""
    rnd = random.Random(0)
    modules, previous = [], []
    for m in range(n_modules):
        lines = [
            "from plait.function_modifiers import parameterize, value",
            f"def m{m}_base(raw: int) -> int:\n    return raw",
            f"@parameterize(**{{f'm{m}_p{{k}}': {{'k': value(k)}} for k in range(10)}})",
            f"def m{m}_family(m{m}_base: int, k: int) -> int:\n    return k",
        ]
        names = [f"m{m}_base"]
        for i in range(1, per - 10):
            pool = names[-20:] + previous[-5:]
            deps = sorted(set(rnd.sample(pool, k=min(len(pool), rnd.randint(1, 2)))))
            params = ", ".join(f"{d}: int" for d in deps)
            lines.append(f"def m{m}_f{i}({params}) -> int:\n    return 1")
            names.append(f"m{m}_f{i}")
        module = types.ModuleType(f"plait_viz_generated_{m}")
        sys.modules[module.__name__] = module
        exec("\n\n".join(lines), module.__dict__)
        modules.append(module)
        previous = names
    return modules


@pytest.fixture(scope="module")
def big() -> Iterator[driver.Driver]:
    modules = _generated_modules()
    yield driver.Builder().with_modules(*modules).build()
    for module in modules:
        sys.modules.pop(module.__name__, None)


@pytest.mark.slow
def test_a_4000_node_graph_renders(big, tmp_path):
    assert len(big.graph.nodes) == 4001
    digraph = big.display_all_functions(output_file_path=str(tmp_path / "big.svg"))
    assert "nslimit" in digraph.graph_attr  # large: the layout budget applies
    svg = (tmp_path / "big.svg").read_text()
    assert ">m0_base<" in svg and ">m39_f89<" in svg and ">m17_p3<" in svg


def test_a_4000_node_graph_collapses_and_groups(big):
    digraph = big.display_all_functions(collapse_families=True, group_by_module=True)
    source = digraph.source
    assert source.count('subgraph "cluster__module:') == 40
    assert source.count("<i>10 nodes</i>") == 40
    assert ">m17_p3<" not in source and "m17_p3" in source  # listed in its family's box
