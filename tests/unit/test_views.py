"""Read-only views: ``HamiltonNode``, ``HamiltonGraph``, ``hash_source_code``."""

import pytest

from plait import driver, graph_types
from plait._graph.build import build_graph
from plait._model.node import node_from_function
from plait._model.views import HamiltonGraph, HamiltonNode, hash_source_code


def price(units: int, rate: float = 1.5) -> float:
    """Units times rate."""
    return units * rate


def _views():
    graph = build_graph([node_from_function(price, tags={"owner": "ann", "kinds": ["a", "b"]})])
    return graph, {n.name: HamiltonNode.from_node(n) for n in graph.nodes.values()}


def test_the_public_module_re_exports_the_views():
    assert graph_types.HamiltonNode is HamiltonNode
    assert graph_types.HamiltonGraph is HamiltonGraph
    assert graph_types.hash_source_code is hash_source_code


def test_a_function_node_view():
    _, views = _views()
    view = views["price"]
    assert view.name == "price"
    assert view.type is float
    assert view.tags == {"owner": "ann", "kinds": ["a", "b"]}
    assert view.is_external_input is False
    assert view.originating_functions == (price,)
    assert view.documentation == "Units times rate."
    assert view.required_dependencies == {"units"}
    assert view.optional_dependencies == {"rate"}
    assert view.optional_dependencies_default_values == {"rate": 1.5}
    assert view.location == f"{__file__}:{price.__code__.co_firstlineno}"
    assert repr(view) == 'Node("price": float)'


def test_an_external_input_view():
    _, views = _views()
    units = views["units"]
    assert units.is_external_input is True
    assert units.type is int
    assert units.required_dependencies == set()
    assert units.originating_functions == (price,)  # the function that needs it, as Hamilton
    assert units.version == hash_source_code(price, strip=True)


def test_changing_a_view_does_not_change_the_graph():
    graph, views = _views()
    views["price"].tags["owner"] = "bob"
    assert graph.nodes["price"].tags["owner"] == "ann"
    again = HamiltonNode.from_node(graph.nodes["price"])
    assert again.tags["owner"] == "ann"


def test_a_node_without_functions_has_no_version_or_location():
    from plait._model.node import Node, NodeKind

    external = HamiltonNode.from_node(Node("cfg", int, kind=NodeKind.EXTERNAL))
    assert external.version == "cfg"  # Hamilton: an input's version is its name
    assert external.location is None
    assert external.originating_functions is None
    internal = HamiltonNode.from_node(Node("made", int))
    assert internal.version is None


def test_as_dict_is_json_friendly():
    _, views = _views()
    d = views["price"].as_dict()
    assert d == {
        "name": "price",
        "tags": {"owner": "ann", "kinds": ["a", "b"]},
        "output_type": "float",
        "required_dependencies": ["units"],
        "optional_dependencies": ["rate"],
        "source": d["source"],
        "documentation": "Units times rate.",
        "version": hash_source_code(price, strip=True),
    }
    assert d["source"].startswith("def price(units: int, rate: float = 1.5) -> float:")
    with_defaults = views["price"].as_dict(include_optional_dependencies_default_values=True)
    assert with_defaults["optional_dependencies_default_values"] == {"rate": 1.5}


def test_version_ignores_docstrings_and_comments_but_not_code():
    base = 'def f(x: int) -> int:\n    """Doc."""\n    return x + 1\n'
    reworded = 'def f(x: int) -> int:\n    """Other words."""\n    # a comment\n    return x + 1\n'
    changed = 'def f(x: int) -> int:\n    """Doc."""\n    return x + 2\n'
    assert hash_source_code(base, strip=True) == hash_source_code(reworded, strip=True)
    assert hash_source_code(base, strip=True) != hash_source_code(changed, strip=True)
    assert hash_source_code(base) != hash_source_code(reworded)
    assert len(hash_source_code(base)) == 64


def test_hamilton_graph_looks_up_nodes_by_name(make_module):
    dr = driver.Builder().with_modules(make_module(price)).build()
    graph = dr.get_hamilton_graph()
    assert sorted(n.name for n in graph.nodes) == ["price", "rate", "units"]
    assert graph["price"].type is float
    with pytest.raises(KeyError):
        graph["nope"]


def test_hamilton_graph_version_follows_node_code(make_module):
    def other(x: int) -> int:
        return x

    def other_changed(x: int) -> int:
        return x + 1

    one = HamiltonGraph.from_graph(build_graph([node_from_function(price)]))
    same = HamiltonGraph.from_graph(build_graph([node_from_function(price)]))
    two = HamiltonGraph.from_graph(
        build_graph([node_from_function(price), node_from_function(other)])
    )
    three = HamiltonGraph.from_graph(
        build_graph([node_from_function(price), node_from_function(other_changed, name="other")])
    )
    assert one.version == same.version
    assert len({one.version, two.version, three.version}) == 3


def test_hamilton_graph_filters_nodes():
    graph = HamiltonGraph.from_graph(build_graph([node_from_function(price)]))
    kept = graph.filter_nodes(lambda n: n.is_external_input)  # type: ignore[attr-defined]
    assert sorted(n.name for n in kept) == ["rate", "units"]
