"""The ``Driver`` facade: execution rules, plan caching, lineage, cycles, legacy adapters."""

import json
import traceback
import warnings

import pytest

from dags import cycle, dup_a, dup_b, failing
from plait import base, driver
from plait._api import driver as driver_impl
from plait._graph.build import CycleWarning, build_graph
from plait._model.errors import (
    CycleError,
    DuplicateNodeError,
    EdgeTypeMismatchError,
    InputTypeError,
    MissingInputError,
    PlaitError,
    UnknownNodeError,
)
from plait._model.node import node_from_function


def _where(fn):
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def a(x: int) -> int:
    return x + 1


def b(a: int, y: int = 3) -> int:
    return a + y


def c(a: int, b: int) -> int:
    return a * b


def label(z: str) -> str:
    return z.upper()


@pytest.fixture
def dr(make_module):
    return driver.Builder().with_modules(make_module(a, b, c, label)).build()


# -- what execute returns --------------------------------------------------------------------


def test_a_builder_driver_returns_a_dict_of_the_requested_outputs(dr):
    out = dr.execute(["c", "a"], inputs={"x": 1})
    assert out == {"c": 10, "a": 2}
    assert list(out) == ["c", "a"]


def test_the_legacy_driver_returns_a_dataframe(make_module):
    pd = pytest.importorskip("pandas")
    out = driver.Driver({}, make_module(a, b)).execute(["a", "b"], inputs={"x": 1})
    assert isinstance(out, pd.DataFrame)
    assert out.to_dict("list") == {"a": [2], "b": [5]}


def test_outputs_may_be_functions_or_variables(make_module):
    module = make_module(a, b)
    dr = driver.Builder().with_modules(module).build()
    assert dr.execute([module.b, "a"], inputs={"x": 1}) == {"b": 5, "a": 2}
    variables = [v for v in dr.list_available_variables() if v.name == "b"]
    assert dr.execute(variables, inputs={"x": 1}) == {"b": 5}


def test_a_function_outside_the_modules_is_an_unknown_node(dr):
    with pytest.raises(UnknownNodeError, match="not part of this driver's modules"):
        dr.execute([a], inputs={"x": 1})  # the module holds a copy, not this function


def test_something_that_is_not_a_name_is_an_unknown_node(dr):
    with pytest.raises(UnknownNodeError, match="Cannot request 3"):
        dr.execute([3])


def test_final_vars_may_be_any_iterable(dr):
    assert dr.execute((n for n in ["a", "b"]), inputs={"x": 1}) == {"a": 2, "b": 5}


def test_unknown_outputs_suggest_a_close_name(dr):
    with pytest.raises(UnknownNodeError, match="Did you mean 'label'"):
        dr.execute(["lable"], inputs={"z": "q"})


# -- inputs ----------------------------------------------------------------------------------


def test_missing_inputs_are_listed_together_with_consumers(dr):
    with pytest.raises(MissingInputError) as info:
        dr.execute(["c", "label"])
    message = str(info.value)
    assert "2 required input(s)" in message
    assert _where(a) in message
    assert _where(label) in message
    assert isinstance(info.value, ValueError)


def test_input_type_errors_show_value_and_annotation(dr):
    with pytest.raises(InputTypeError) as info:
        dr.execute(["a"], inputs={"x": "one"})
    message = str(info.value)
    assert "'x' expects int" in message
    assert "got str: 'one'" in message
    assert _where(a) in message


def test_none_inputs_are_accepted(make_module):
    def show(x: int) -> str:
        return repr(x)

    dr = driver.Builder().with_modules(make_module(show)).build()
    assert dr.execute(["show"], inputs={"x": None}) == {"show": "None"}


def test_optional_inputs_use_the_default_unless_given(dr):
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 5}
    assert dr.execute(["b"], inputs={"x": 1, "y": 10}) == {"b": 12}
    assert dr.execute(["b"], inputs={"x": 1}) == {"b": 5}


def test_an_input_naming_a_function_node_is_ignored(dr):
    assert dr.execute(["b"], inputs={"x": 1, "a": 100}) == {"b": 5}


def test_an_input_can_be_requested_as_an_output(dr):
    assert dr.execute(["x", "a"], inputs={"x": 4}) == {"x": 4, "a": 5}


def test_inputs_not_needed_are_not_type_checked(dr):
    assert dr.execute(["label"], inputs={"z": "q", "x": "not an int"}) == {"label": "Q"}


# -- config ----------------------------------------------------------------------------------


def test_config_values_satisfy_parameters(make_module):
    dr = driver.Builder().with_modules(make_module(a, b)).with_config({"x": 4}).build()
    assert dr.execute(["b"]) == {"b": 8}


def test_a_config_value_replaces_the_function_of_that_name(make_module):
    calls = []

    def tracked(x: int) -> int:
        calls.append(x)
        return x

    def uses(tracked: int) -> int:
        return tracked * 2

    dr = driver.Builder().with_modules(make_module(tracked, uses)).with_config({"tracked": 7})
    dr = dr.build()
    assert dr.execute(["uses"]) == {"uses": 14}
    assert calls == []
    variable = {v.name: v for v in dr.list_available_variables()}["tracked"]
    assert variable.is_external_input


def test_the_same_name_in_config_and_inputs_is_a_value_error(make_module):
    dr = driver.Builder().with_modules(make_module(a)).with_config({"x": 4}).build()
    with pytest.raises(ValueError, match=r"\['x'\] are also in the driver's config") as info:
        dr.execute(["a"], inputs={"x": 5})
    assert isinstance(info.value, PlaitError)


def test_config_keys_are_listed_as_external_variables(make_module):
    dr = driver.Builder().with_modules(make_module(a)).with_config({"flag": True}).build()
    variables = {v.name: v for v in dr.list_available_variables()}
    assert variables["flag"].is_external_input
    assert [v.name for v in dr.what_is_downstream_of("flag")] == ["flag"]


# -- overrides -------------------------------------------------------------------------------


def test_overrides_short_circuit_upstream_nodes(make_module):
    calls = []

    def explode(x: int) -> int:
        calls.append("explode")
        raise RuntimeError("must not run")

    def after(explode: int) -> int:
        calls.append("after")
        return explode + 1

    dr = driver.Builder().with_modules(make_module(explode, after)).build()
    assert dr.execute(["after"], overrides={"explode": 1}) == {"after": 2}
    assert calls == ["after"]


# -- user exceptions -------------------------------------------------------------------------


def test_a_user_exception_comes_out_unchanged_with_a_note():
    dr = driver.Builder().with_modules(failing).build()
    with pytest.raises(KeyError) as info:
        dr.execute(["greeting_line"], inputs={"country": "Peru"})
    assert info.value.args == ("peru",)
    assert traceback.extract_tb(info.value.__traceback__)[-1].name == "country_code"
    assert info.value.__notes__ == [
        f"plait: raised by node 'country_code' (function at {_where(failing.country_code)})"
    ]


# -- plan caching ----------------------------------------------------------------------------


@pytest.fixture
def plans(monkeypatch):
    """Every plan the driver makes (``made``) and runs (``ran``), in order."""
    seen: dict = {"made": [], "ran": []}
    make, run = driver_impl.make_plan, driver_impl.run_plan

    def counting_make(*args, **kwargs):
        plan = make(*args, **kwargs)
        seen["made"].append(plan)
        return plan

    def recording_run(plan, inputs, overrides, *rest):
        seen["ran"].append(plan)
        return run(plan, inputs, overrides, *rest)

    monkeypatch.setattr(driver_impl, "make_plan", counting_make)
    monkeypatch.setattr(driver_impl, "run_plan", recording_run)
    return seen


def test_the_same_request_reuses_the_same_plan(dr, plans):
    assert dr.execute(["c"], inputs={"x": 1}) == {"c": 10}
    assert dr.execute(["c"], inputs={"x": 2}) == {"c": 18}
    assert len(plans["made"]) == 1
    assert plans["ran"][0] is plans["ran"][1]


def test_different_input_or_override_names_get_different_plans(dr, plans):
    dr.execute(["b"], inputs={"x": 1})
    dr.execute(["b"], inputs={"x": 1, "y": 0})
    dr.execute(["b"], inputs={"x": 1}, overrides={"a": 0})
    dr.execute(["b"], inputs={"x": 1})
    assert len(plans["made"]) == 3
    assert len({id(p) for p in plans["ran"]}) == 3
    assert plans["ran"][0] is plans["ran"][3]


def test_results_never_leak_between_executes(dr):
    first = dr.execute(["b", "a"], inputs={"x": 1}, overrides={"a": 100})
    assert first == {"b": 103, "a": 100}
    first["b"] = "mutated"
    second = dr.execute(["b", "a"], inputs={"x": 1})
    assert second == {"b": 5, "a": 2}
    assert second is not first
    assert dr.execute(["b", "a"], inputs={"x": 1}, overrides={"a": 100}) == {"b": 103, "a": 100}


# -- validate / export -----------------------------------------------------------------------


def test_validate_execution_raises_what_execute_would_and_runs_nothing(make_module):
    calls = []

    def counted(x: int) -> int:
        calls.append(x)
        return x

    dr = driver.Builder().with_modules(make_module(counted)).build()
    assert dr.validate_execution(["counted"], inputs={"x": 1}) is None
    with pytest.raises(MissingInputError):
        dr.validate_execution(["counted"])
    with pytest.raises(InputTypeError):
        dr.validate_execution(["counted"], inputs={"x": "s"})
    with pytest.raises(UnknownNodeError):
        dr.validate_execution(["nope"])
    assert calls == []


def test_export_execution_describes_the_nodes_a_run_touches(make_module):
    def doubled(x: int, y: int = 2) -> int:
        """Twice x."""
        return x * y

    def unused(w: int) -> int:
        return w

    dr = driver.Builder().with_modules(make_module(doubled, unused)).build()
    exported = json.loads(dr.export_execution(["doubled"], inputs={"x": 1}))
    assert list(exported) == ["nodes"]
    assert [n["name"] for n in exported["nodes"]] == ["doubled", "x"]
    node = exported["nodes"][0]
    assert set(node) == {
        "name",
        "tags",
        "output_type",
        "required_dependencies",
        "optional_dependencies",
        "source",
        "documentation",
        "version",
    }
    assert node["output_type"] == "int"
    assert node["required_dependencies"] == ["x"]
    assert node["optional_dependencies"] == ["y"]
    assert node["documentation"] == "Twice x."
    assert node["source"].lstrip().startswith("def doubled(")
    assert node["tags"]["module"].startswith("plait_test_module_")
    assert exported["nodes"][1]["output_type"] == "int"
    with pytest.raises(MissingInputError):
        dr.export_execution(["doubled"])


# -- lineage ---------------------------------------------------------------------------------


def _names(variables):
    return sorted(v.name for v in variables)


def test_upstream_and_downstream(dr):
    assert _names(dr.what_is_upstream_of("b")) == ["a", "b", "x", "y"]
    assert _names(dr.what_is_downstream_of("a")) == ["a", "b", "c"]
    assert _names(dr.what_is_downstream_of("y", "z")) == ["b", "c", "label", "y", "z"]


def test_path_between_includes_both_ends_and_is_empty_when_there_is_none(dr):
    assert _names(dr.what_is_the_path_between("x", "c")) == ["a", "b", "c", "x"]
    assert _names(dr.what_is_the_path_between("y", "c")) == ["b", "c", "y"]
    assert dr.what_is_the_path_between("c", "x") == []
    assert dr.what_is_the_path_between("label", "c") == []


def test_lineage_of_unknown_nodes_suggests_names(dr):
    with pytest.raises(UnknownNodeError, match="Did you mean 'label'"):
        dr.what_is_upstream_of("labels")
    with pytest.raises(UnknownNodeError, match="'nope'"):
        dr.what_is_the_path_between("x", "nope")


def test_list_available_variables_lists_functions_then_inputs(dr):
    names = [v.name for v in dr.list_available_variables()]
    assert names == ["a", "b", "c", "label", "x", "y", "z"]


def test_display_graph_is_deprecated(dr):
    with pytest.warns(DeprecationWarning, match="display_graph"):
        assert dr.execute(["a"], inputs={"x": 1}, display_graph=True) == {"a": 2}


def test_display_graph_warning_points_at_the_caller(dr):
    with pytest.warns(DeprecationWarning) as record:
        dr.execute(["a"], inputs={"x": 1}, display_graph=True)
    assert record[0].filename == __file__


# -- tag filters -----------------------------------------------------------------------------


def _tagged_driver():
    """A driver over nodes with tags (decorators live elsewhere: the graph is swapped in)."""

    def t1(x: int) -> int:
        return x

    def t2(x: int) -> int:
        return x

    def t3(x: int) -> int:
        return x

    dr = driver.Builder().build()
    dr.graph = build_graph(
        [
            node_from_function(t1, tags={"owner": "ann", "stage": "raw"}),
            node_from_function(t2, tags={"owner": "bob"}),
            node_from_function(t3, tags={"owner": ["ann", "cy"], "stage": "final"}),
        ]
    )
    return dr


@pytest.mark.parametrize(
    ("tag_filter", "expected"),
    [
        ({"owner": "ann"}, ["t1", "t3"]),  # a value; list-valued tags match any element
        ({"owner": ["bob", "cy"]}, ["t2", "t3"]),  # any of a list
        ({"stage": None}, ["t1", "t3"]),  # the tag exists, any value
        ({"owner": "ann", "stage": "final"}, ["t3"]),  # AND
        ({"owner": "bob", "stage": None}, []),
        ({"missing": None}, []),
        ({}, ["t1", "t2", "t3", "x"]),
    ],
)
def test_tag_filter_semantics(tag_filter, expected):
    dr = _tagged_driver()
    assert _names(dr.list_available_variables(tag_filter=tag_filter)) == expected


def test_tag_filter_on_the_module_tag(make_module):
    module = make_module(a, label)
    dr = driver.Builder().with_modules(module).build()
    assert _names(dr.list_available_variables(tag_filter={"module": module.__name__})) == [
        "a",
        "label",
    ]


@pytest.mark.parametrize("bad", [1, [], ("ann",), {"ann"}])
def test_bad_tag_filter_values_are_value_errors(bad):
    with pytest.raises(ValueError, match="tag_filter") as info:
        _tagged_driver().list_available_variables(tag_filter={"owner": bad})
    assert isinstance(info.value, PlaitError)


# -- duplicates ------------------------------------------------------------------------------


def test_two_modules_defining_one_node_clash_with_both_locations():
    with pytest.raises(DuplicateNodeError) as info:
        driver.Builder().with_modules(dup_a, dup_b).build()
    assert _where(dup_a.conversion_rate) in str(info.value)
    assert _where(dup_b.conversion_rate) in str(info.value)
    with pytest.raises(DuplicateNodeError):
        driver.Driver({}, dup_a, dup_b)


INPUTS = {"orders": 10, "page_views": 40}


def test_allow_module_overrides_lets_the_later_module_win():
    dr = driver.Builder().with_modules(dup_a, dup_b).allow_module_overrides().build()
    assert dr.execute(["conversion_rate"], inputs=INPUTS) == {"conversion_rate": 50.0}
    dr = driver.Builder().with_modules(dup_b, dup_a).allow_module_overrides().build()
    assert dr.execute(["conversion_rate"], inputs=INPUTS) == {"conversion_rate": 0.5}


def test_allow_module_overrides_legacy_keyword():
    dr = driver.Driver({}, dup_a, dup_b, adapter=base.DictResult(), allow_module_overrides=True)
    assert dr.execute(["conversion_rate"], inputs=INPUTS) == {"conversion_rate": 50.0}


# -- cycles ----------------------------------------------------------------------------------


@pytest.fixture
def cyclic():
    cycle.CALLS.clear()
    with pytest.warns(CycleWarning, match="forecast"):
        dr = driver.Builder().with_modules(cycle).build()
    yield dr
    cycle.CALLS.clear()


def test_has_cycles_only_for_outputs_that_need_the_cycle(cyclic):
    assert cyclic.has_cycles(["forecast_report"]) is True
    assert cyclic.has_cycles(["history_report"]) is False


def test_outputs_off_the_cycle_run(cyclic):
    out = cyclic.execute(["history_report"], inputs={"history": [1, 2, 3]})
    assert out == {"history_report": "3 points, mean 2.0"}
    assert cycle.CALLS == ["history_mean", "history_report"]


def test_outputs_on_the_cycle_raise_before_any_node_runs(cyclic):
    with pytest.raises(CycleError) as info:
        cyclic.execute(["history_mean", "forecast_report"], inputs={"history": [1, 2, 3]})
    assert isinstance(info.value, ValueError)
    assert set(info.value.cycle) == {"forecast", "adjusted", "residual"}
    assert cycle.CALLS == []


def test_the_cycle_warning_points_at_the_builder_call():
    with pytest.warns(CycleWarning) as record:
        driver.Builder().with_modules(cycle).build()
    assert record[0].filename == __file__


def test_the_cycle_warning_points_at_the_legacy_driver_call():
    with pytest.warns(CycleWarning) as record:
        driver.Driver({}, cycle)
    assert record[0].filename == __file__


# -- depth -----------------------------------------------------------------------------------


def test_a_10_000_deep_chain_runs_and_answers_lineage(make_module):
    import types

    depth = 10_000

    def template(p: int) -> int:
        return p + 1

    fns = []
    for i in range(1, depth):
        fn = types.FunctionType(
            template.__code__.replace(co_name=f"n{i}", co_varnames=(f"n{i - 1}",)), {}, f"n{i}"
        )
        fn.__annotations__ = {f"n{i - 1}": int, "return": int}
        fns.append(fn)
    dr = driver.Builder().with_modules(make_module(*fns)).build()
    last = f"n{depth - 1}"
    assert dr.execute([last], inputs={"n0": 0}) == {last: depth - 1}
    assert len(dr.what_is_upstream_of(last)) == depth
    assert len(dr.what_is_the_path_between("n1", last)) == depth - 1


# -- legacy adapters -------------------------------------------------------------------------


def _adapter_module(make_module):
    def source(x: int) -> int:
        return x + 1

    def sink(source: float) -> float:
        return source * 2

    return make_module(source, sink)


def test_a_legacy_execute_node_override_runs_every_node(make_module):
    calls = []

    class Tenfold(base.SimplePythonGraphAdapter):
        def execute_node(self, node, kwargs):
            calls.append((node.name, dict(kwargs)))
            return node.callable(**kwargs) * 10

    def first(x: int) -> int:
        return x + 1

    def second(first: int) -> int:
        return first * 2

    dr = driver.Driver({}, make_module(first, second), adapter=Tenfold(base.DictResult()))
    assert dr.execute(["second"], inputs={"x": 1}) == {"second": 400}
    assert calls == [("first", {"x": 1}), ("second", {"first": 20})]


def test_a_legacy_check_input_type_override_decides_input_checks(make_module):
    seen = []

    class OnlyStrings(base.SimplePythonGraphAdapter):
        @staticmethod
        def check_input_type(node_type, input_value):
            seen.append((node_type, input_value))
            return isinstance(input_value, str)

    def echo(x: int) -> str:
        return str(x)

    dr = driver.Driver({}, make_module(echo), adapter=OnlyStrings(base.DictResult()))
    assert dr.execute(["echo"], inputs={"x": "s"}) == {"echo": "s"}
    with pytest.raises(InputTypeError):
        dr.execute(["echo"], inputs={"x": 1})
    assert seen == [(int, "s"), (int, 1)]


def test_a_legacy_check_node_type_equivalence_override_gets_node_type_first(make_module):
    seen = []

    class IntFeedsFloat(base.SimplePythonGraphAdapter):
        @staticmethod
        def check_node_type_equivalence(node_type, input_type):
            seen.append((node_type, input_type))
            return node_type is int and input_type is float

    dr = driver.Driver({}, _adapter_module(make_module), adapter=IntFeedsFloat(base.DictResult()))
    assert seen == [(int, float)]
    assert dr.execute(["sink"], inputs={"x": 1}) == {"sink": 4}


def test_a_legacy_edge_check_only_adds_accepted_edges(make_module):
    class Never(base.SimplePythonGraphAdapter):
        @staticmethod
        def check_node_type_equivalence(node_type, input_type):
            return False

    def flag(x: int) -> bool:
        return x > 0

    def count(flag: int) -> int:
        return flag + 1

    dr = driver.Driver({}, make_module(flag, count), adapter=Never(base.DictResult()))
    assert dr.execute(["count"], inputs={"x": 1}) == {"count": 2}


def test_a_legacy_adapter_without_overrides_keeps_the_default_rules(make_module):
    with pytest.raises(EdgeTypeMismatchError):
        driver.Driver({}, _adapter_module(make_module), adapter=base.SimplePythonGraphAdapter())


def test_an_adapter_that_is_neither_result_builder_nor_hook_is_a_clear_error(make_module):
    class NotAnAdapter:
        def run_before_everything(self, **kwargs):
            pass

    with pytest.raises(ValueError, match="neither a result builder") as info:
        driver.Builder().with_modules(make_module(a)).with_adapters(NotAnAdapter()).build()
    assert isinstance(info.value, PlaitError)


def test_a_duck_typed_node_hook_is_called(make_module):
    seen = []

    class Hook:
        def run_before_node_execution(self, *, node_name, **kwargs):
            seen.append(node_name)

    dr = driver.Builder().with_modules(make_module(a)).with_adapters(Hook()).build()
    assert dr.execute(["a"], inputs={"x": 1}) == {"a": 2}
    assert seen == ["a"]


def test_two_result_builders_are_a_clear_error(make_module):
    with pytest.raises(ValueError, match="More than one result builder"):
        driver.Driver({}, make_module(a), adapter=[base.DictResult(), base.DictResult()])


def test_no_warnings_on_a_plain_run(dr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dr.execute(["c"], inputs={"x": 1})
