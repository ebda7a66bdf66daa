"""Graph build (``build_graph``) and the pure graph queries (``_graph.query``)."""

import warnings

import pytest

from plait._graph import query
from plait._graph.build import CycleWarning, build_graph
from plait._model.errors import DuplicateNodeError, EdgeTypeMismatchError, GraphError
from plait._model.node import NodeKind, node_from_function


def _where(fn):
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def _graph(*fns, **kwargs):
    return build_graph([node_from_function(f) for f in fns], **kwargs)


# -- wiring ----------------------------------------------------------------------------------


def a(x: int) -> int:
    return x + 1


def b(a: int, y: int = 3) -> int:
    return a + y


def c(a: int, b: int) -> int:
    return a * b


def test_parameters_name_nodes_or_become_external_inputs():
    g = _graph(a, b, c)
    assert list(g.nodes) == ["a", "b", "c", "x", "y"]  # functions first, then inputs
    assert [n.kind for n in g.nodes.values()] == [NodeKind.FUNCTION] * 3 + [NodeKind.EXTERNAL] * 2
    assert g.nodes["x"].type is int
    assert g.nodes["x"].originating_functions == (a,)
    assert dict(g.dependents) == {"x": ("a",), "a": ("b", "c"), "y": ("b",), "b": ("c",)}
    assert len(g) == 5
    assert "y" in g
    assert "z" not in g
    assert g.cycles == ()


def test_an_empty_graph_builds():
    g = build_graph([])
    assert len(g) == 0
    assert g.get_nodes() == []


def test_the_graph_and_its_config_are_read_only():
    g = _graph(a, config={"k": 1})
    with pytest.raises(TypeError):
        g.nodes["z"] = g.nodes["a"]  # type: ignore[index]
    with pytest.raises(TypeError):
        g.config["k"] = 2  # type: ignore[index]


# -- edge types ------------------------------------------------------------------------------


def test_edge_type_mismatch_names_both_functions_with_file_and_line():
    def producer(x: int) -> str:
        return str(x)

    def consumer(producer: int) -> int:
        return producer

    with pytest.raises(EdgeTypeMismatchError) as info:
        _graph(producer, consumer)
    message = str(info.value)
    assert "'producer'" in message
    assert _where(producer) in message
    assert _where(consumer) in message
    assert "producer: int" in message
    assert "returns str" in message
    assert isinstance(info.value, ValueError)


def test_a_parameter_may_take_a_subclass_of_its_annotation():
    def producer(x: int) -> bool:
        return bool(x)

    def consumer(producer: int) -> int:
        return producer

    assert set(_graph(producer, consumer).nodes) == {"producer", "consumer", "x"}


def test_edge_check_is_called_with_param_type_then_node_type():
    seen = []

    def check(param_type, node_type):
        seen.append((param_type, node_type))
        return True

    def producer(x: int) -> str:
        return str(x)

    def consumer(producer: bytes) -> int:
        return 1

    g = _graph(producer, consumer, edge_check=check)
    assert seen == [(bytes, str)]
    assert g.dependents["producer"] == ("consumer",)


def test_edge_check_can_reject_edges():
    def producer(x: int) -> int:
        return x

    def consumer(producer: object) -> int:
        return 1

    with pytest.raises(EdgeTypeMismatchError):
        _graph(producer, consumer, edge_check=lambda p, n: False)


# -- external inputs seen by several consumers -----------------------------------------------


def wide(x: object) -> str:
    return str(x)


def narrow(x: int) -> int:
    return x


def other(x: str) -> str:
    return x


@pytest.mark.parametrize("order", [(wide, narrow), (narrow, wide)])
def test_compatible_input_types_keep_the_tightest(order):
    g = _graph(*order)
    assert g.nodes["x"].type is int
    assert g.nodes["x"].kind is NodeKind.EXTERNAL


def test_tightening_an_input_type_records_both_consumers():
    g = _graph(wide, narrow)
    assert g.nodes["x"].originating_functions == (wide, narrow)


def test_incompatible_input_types_name_both_consumers():
    with pytest.raises(EdgeTypeMismatchError) as info:
        _graph(narrow, other)
    message = str(info.value)
    assert "Input 'x'" in message
    assert _where(narrow) in message
    assert _where(other) in message
    assert "int" in message
    assert "str" in message


# -- duplicates and overrides ----------------------------------------------------------------


def test_duplicate_nodes_name_both_definitions():
    def first(x: int) -> int:
        return 1

    def second(x: int) -> int:
        return 2

    with pytest.raises(DuplicateNodeError) as info:
        build_graph([node_from_function(first, name="n"), node_from_function(second, name="n")])
    message = str(info.value)
    assert "'n' is defined twice" in message
    assert _where(first) in message
    assert _where(second) in message
    assert "allow_module_overrides" in message
    assert isinstance(info.value, GraphError)


def test_allow_overrides_lets_the_later_node_win_at_the_later_position():
    def first(x: int) -> int:
        return 1

    def middle(x: int) -> int:
        return 0

    def second(y: str) -> int:
        return 2

    g = build_graph(
        [
            node_from_function(first, name="n"),
            node_from_function(middle),
            node_from_function(second, name="n"),
        ],
        allow_overrides=True,
    )
    assert g.nodes["n"].callable is second
    assert list(g.nodes) == ["middle", "n", "x", "y"]


# -- config ----------------------------------------------------------------------------------


def test_a_config_value_replaces_the_function_of_that_name():
    g = _graph(a, b, config={"a": 10})
    assert g.nodes["a"].kind is NodeKind.EXTERNAL
    assert g.nodes["a"].type is int  # from b's parameter
    assert "x" not in g.nodes  # only the replaced function needed it
    assert dict(g.config) == {"a": 10}


# -- cycles ----------------------------------------------------------------------------------


def p(r: int) -> int:
    return r


def q(p: int) -> int:
    return p


def r(q: int) -> int:
    return q


def test_a_cycle_warns_naming_it_and_the_graph_still_builds():
    with pytest.warns(CycleWarning) as record:
        g = _graph(p, q, r, a)
    assert len(record) == 1
    message = str(record[0].message)
    assert "1 cycle(s)" in message
    assert (
        "p -> q -> r -> p" in message
        or "q -> r -> p -> q" in message
        or ("r -> p -> q -> r" in message)
    )
    assert len(g.cycles) == 1
    assert set(g.cycles[0]) == {"p", "q", "r"}
    assert g.cycles[0][0] == g.cycles[0][-1]
    assert "a" in g.nodes


def test_a_node_that_takes_itself_is_a_cycle():
    def loop(loop: int) -> int:
        return loop

    with pytest.warns(CycleWarning, match="loop -> loop"):
        g = _graph(loop)
    assert g.cycles == (("loop", "loop"),)


def test_no_cycle_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _graph(a, b, c)


def test_cycle_warning_is_a_user_warning():
    assert issubclass(CycleWarning, UserWarning)


# -- queries ---------------------------------------------------------------------------------


def test_upstream_and_downstream_include_the_named_nodes():
    g = _graph(a, b, c)
    assert set(query.upstream(g.nodes, ["b"])) == {"b", "a", "x", "y"}
    assert query.upstream(g.nodes, ["b"])[0] == "b"
    assert set(query.downstream(g.dependents, ["a"])) == {"a", "b", "c"}
    assert set(query.downstream(g.dependents, ["x", "y"])) == {"x", "y", "a", "b", "c"}
    assert query.upstream(g.nodes, ["x"]) == ["x"]


def test_path_between_includes_both_ends_and_is_empty_without_a_path():
    g = _graph(a, b, c)
    assert set(query.path_between(g.nodes, g.dependents, "x", "c")) == {"x", "a", "b", "c"}
    assert set(query.path_between(g.nodes, g.dependents, "y", "c")) == {"y", "b", "c"}
    assert query.path_between(g.nodes, g.dependents, "c", "x") == []
    assert query.path_between(g.nodes, g.dependents, "y", "a") == []


def test_find_cycles_respects_its_limit():
    fns = []
    for i in range(3):  # three independent self-loops
        ns: dict = {}
        exec(f"def s{i}(s{i}: int) -> int:\n    return 1\n", ns)
        fns.append(ns[f"s{i}"])
    with pytest.warns(CycleWarning, match="3 cycle"):
        g = _graph(*fns)
    assert len(query.find_cycles(g.nodes)) == 3
    assert len(query.find_cycles(g.nodes, limit=2)) == 2


def test_walk_visits_each_name_once():
    edges = {"a": ["b", "c"], "b": ["c"], "c": ["a"]}
    assert sorted(query.walk(["a"], lambda n: edges.get(n, []))) == ["a", "b", "c"]
