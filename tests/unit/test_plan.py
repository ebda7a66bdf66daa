"""Planning (``make_plan``): which nodes run, in which order, with what; errors before any run."""

import pytest

from plait._graph.build import CycleWarning, build_graph
from plait._model.errors import (
    CycleError,
    GraphError,
    InputTypeError,
    MissingInputError,
    UnknownNodeError,
)
from plait._model.node import node_from_function
from plait._plan.plan import make_plan
from plait._run.loop import run_plan


def _where(fn):
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def _graph(*fns, config=None):
    return build_graph([node_from_function(f) for f in fns], config)


def _ran(plan):
    return [n.name for n in plan.step_nodes]


def a(x: int) -> int:
    return x + 1


def b(a: int, y: int = 3) -> int:
    return a + y


def c(a: int, b: int) -> int:
    return a * b


def unrelated(z: str) -> str:
    return z


G = _graph(a, b, c, unrelated)


def test_only_what_the_outputs_need_is_planned_in_dependency_order():
    plan = make_plan(G, ("c",), {"x"}, set())
    assert _ran(plan) == ["a", "b", "c"]
    assert plan.outputs == ("c",)
    assert plan.nodes == frozenset({"a", "b", "c", "x"})  # y is optional and not provided
    assert [name for name, _ in plan.input_slots] == ["x"]


def test_a_provided_optional_input_is_part_of_the_plan():
    plan = make_plan(G, ("b",), {"x", "y"}, set())
    assert plan.nodes == frozenset({"a", "b", "x", "y"})
    assert run_plan(plan, {"x": 1, "y": 10}, None) == {"b": 12}


def test_an_optional_input_not_provided_is_left_out_so_the_default_applies():
    plan = make_plan(G, ("b",), {"x"}, set())
    assert run_plan(plan, {"x": 1}, None) == {"b": 5}


def test_missing_inputs_are_all_listed_at_once_with_their_consumers():
    with pytest.raises(MissingInputError) as info:
        make_plan(G, ("c", "unrelated"), set(), set())
    message = str(info.value)
    assert message.startswith("2 required input(s) not provided")
    assert f"'x', needed by function 'a' at {_where(a)}" in message
    assert f"'z', needed by function 'unrelated' at {_where(unrelated)}" in message
    assert "'y'" not in message  # optional
    assert "inputs={'x': ..., 'z': ...}" in message
    assert isinstance(info.value, ValueError)


def test_many_consumers_of_a_missing_input_are_summarised():
    fns = []
    for i in range(5):
        ns: dict = {}
        exec(f"def use{i}(shared: int) -> int:\n    return shared\n", ns)
        fns.append(ns[f"use{i}"])
    g = _graph(*fns)
    with pytest.raises(MissingInputError, match="and 2 more"):
        make_plan(g, tuple(f"use{i}" for i in range(5)), set(), set())


def test_unknown_outputs_are_listed_with_a_suggestion():
    with pytest.raises(UnknownNodeError) as info:
        make_plan(G, ("cc", "a", "nothing_like_it"), {"x"}, set())
    message = str(info.value)
    assert "'cc', 'nothing_like_it'" in message
    assert "Did you mean 'c'?" in message
    assert isinstance(info.value, ValueError)


def test_an_input_can_be_requested_as_an_output():
    plan = make_plan(G, ("x",), {"x"}, set())
    assert _ran(plan) == []
    assert run_plan(plan, {"x": 7}, None) == {"x": 7}


def test_an_input_naming_a_function_node_is_ignored():
    plan = make_plan(G, ("b",), {"x", "a"}, set())
    assert _ran(plan) == ["a", "b"]
    assert [name for name, _ in plan.input_slots] == ["x"]
    assert run_plan(plan, {"x": 1, "a": 100}, None) == {"b": 5}


def test_an_override_cuts_off_everything_upstream_of_it():
    plan = make_plan(G, ("c",), set(), {"a"})  # x is not needed any more
    assert _ran(plan) == ["b", "c"]
    assert run_plan(plan, {}, {"a": 2}) == {"c": 10}


def test_an_overridden_output_is_returned_without_running():
    plan = make_plan(G, ("a", "b"), set(), {"a"})
    assert _ran(plan) == ["b"]
    assert run_plan(plan, {}, {"a": 0}) == {"a": 0, "b": 3}


def test_config_values_satisfy_parameters():
    g = _graph(a, b, config={"x": 4, "y": 0})
    plan = make_plan(g, ("b",), set(), set())
    assert plan.input_slots == ()
    assert run_plan(plan, {}, None) == {"b": 5}


def test_a_config_value_can_be_requested():
    g = _graph(a, config={"x": 4, "other": "v"})
    assert run_plan(make_plan(g, ("other", "a"), set(), set()), {}, None) == {"other": "v", "a": 5}


def test_a_config_value_of_the_wrong_type_is_an_input_type_error():
    g = _graph(a, config={"x": "four"})
    with pytest.raises(InputTypeError) as info:
        make_plan(g, ("a",), set(), set())
    assert "in config" in str(info.value)
    assert "'four'" in str(info.value)


def test_input_type_errors_show_value_and_annotation_for_every_bad_input():
    plan = make_plan(G, ("c", "unrelated"), {"x", "z"}, set())
    with pytest.raises(InputTypeError) as info:
        plan.check_inputs({"x": "one", "z": 2})
    message = str(info.value)
    assert message.startswith("2 input(s) in inputs have the wrong type")
    assert f"'x' expects int (as annotated in function 'a' at {_where(a)}), got str: 'one'" in (
        message
    )
    assert "'z' expects str" in message
    assert "got int: 2" in message
    assert isinstance(info.value, ValueError)


def test_long_values_are_shortened_in_input_type_errors():
    plan = make_plan(G, ("a",), {"x"}, set())
    with pytest.raises(InputTypeError) as info:
        plan.check_inputs({"x": "v" * 500})
    assert "v" * 500 not in str(info.value)
    assert "..." in str(info.value)


def test_none_inputs_pass_the_type_check():
    plan = make_plan(G, ("a",), {"x"}, set())
    plan.check_inputs({"x": None})  # does not raise
    plan.check_inputs({"x": 3})


def test_a_custom_checker_factory_decides_input_checks():
    annotations = []

    def only_even(annotation):
        annotations.append(annotation)
        return lambda value: value % 2 == 0

    plan = make_plan(G, ("a",), {"x"}, set(), checker_factory=only_even)
    assert annotations == [int]
    plan.check_inputs({"x": 2})
    with pytest.raises(InputTypeError):
        plan.check_inputs({"x": 3})
    unchecked = make_plan(G, ("a",), {"x"}, set(), checker_factory=lambda t: None)
    assert unchecked.input_checks == ()
    unchecked.check_inputs({"x": "anything"})


# -- cycles ----------------------------------------------------------------------------------


def p(r: int, seed: int) -> int:
    return r + seed


def q(p: int) -> int:
    return p


def r(q: int) -> int:
    return q


def on_cycle(q: int) -> int:
    return q


def off_cycle(seed: int) -> int:
    return seed


def _cyclic():
    with pytest.warns(CycleWarning):
        return _graph(p, q, r, on_cycle, off_cycle)


def test_outputs_off_the_cycle_plan_and_run():
    plan = make_plan(_cyclic(), ("off_cycle",), {"seed"}, set())
    assert run_plan(plan, {"seed": 2}, None) == {"off_cycle": 2}


def test_an_output_on_a_cycle_is_a_cycle_error_naming_the_cycle():
    with pytest.raises(CycleError) as info:
        make_plan(_cyclic(), ("off_cycle", "on_cycle"), {"seed"}, set())
    err = info.value
    assert set(err.cycle) == {"p", "q", "r"}
    assert err.cycle[0] == err.cycle[-1]
    assert len(err.cycle) == 4
    assert "Nothing was run" in str(err)
    assert _where(q) in str(err)
    assert isinstance(err, GraphError)
    assert isinstance(err, ValueError)


def test_overriding_a_node_of_the_cycle_breaks_it():
    plan = make_plan(_cyclic(), ("on_cycle",), set(), {"p"})
    assert _ran(plan) == ["q", "on_cycle"]
    assert run_plan(plan, {}, {"p": 9}) == {"on_cycle": 9}


def test_planning_is_iterative_for_deep_chains():
    depth = 5_000  # far beyond the default recursion limit
    fns = []
    ns: dict = {}
    source = "def n0(start: int) -> int:\n    return start\n" + "".join(
        f"def n{i}(n{i - 1}: int) -> int:\n    return n{i - 1} + 1\n" for i in range(1, depth)
    )
    exec(compile(source, "<chain>", "exec"), ns)
    fns = [ns[f"n{i}"] for i in range(depth)]
    plan = make_plan(_graph(*fns), (f"n{depth - 1}",), {"start"}, set())
    assert len(plan.steps) == depth
    assert run_plan(plan, {"start": 0}, None) == {f"n{depth - 1}": depth - 1}
