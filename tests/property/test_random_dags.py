"""Property tests: random DAGs of plain functions, executed against a reference evaluator.

The tests use only the Hamilton-compatible public API, so they run unchanged against Apache
Hamilton, which is how their logic is validated::

    PLAIT_PROPERTY_TARGET=hamilton python -m pytest tests/property

The default target is plait. ``PLAIT_PROPERTY_EXAMPLES`` scales the number of hypothesis
examples per property (default 25).

Hamilton behaviours these tests pin down (plait must match them):

* ``what_is_upstream_of(*names)`` / ``what_is_downstream_of(*names)`` include the queried
  names themselves; upstream includes external inputs and edges from defaulted parameters.
* A defaulted parameter named like an existing node is an ordinary edge: the node runs and its
  value is passed; the default is never used.
* A defaulted parameter named like an external input makes that input optional: when it is not
  provided (in ``inputs`` or in ``config``) the function's own default is used.
* An overridden node does not run, and neither does anything needed only through it; inputs
  needed only through it are not required.
* Config values act as inputs (``with_config({"in_0": 1})`` == ``inputs={"in_0": 1}``); a
  key in both raises ``ValueError``. A config key named like a function *replaces* that
  function's node by an external input holding the config value.
* A missing required input fails before any function runs, with a ``ValueError``.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
import typing
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from dagspec import (
    PRIME,
    BuiltDag,
    DagSpec,
    built_module,
    chain_spec,
    dag_specs,
    downstream_closure,
    evaluate,
    layered_spec,
    strip_annotation,
    upstream_closure,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

TARGET = os.environ.get("PLAIT_PROPERTY_TARGET", "plait")
if TARGET == "hamilton":
    from hamilton import ad_hoc_utils, driver
elif TARGET == "plait":
    from plait import ad_hoc_utils, driver  # an import failure must fail the suite, not skip it
else:
    raise ValueError(f"PLAIT_PROPERTY_TARGET must be 'plait' or 'hamilton', not {TARGET!r}")

CREATE = ad_hoc_utils.create_temporary_module

EXAMPLES = int(os.environ.get("PLAIT_PROPERTY_EXAMPLES", "25"))

PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # keep the tree clean: no .hypothesis/ directory
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INPUT_VALUES = st.integers(0, PRIME - 1)
OVERRIDE_VALUES = st.integers(PRIME, 2 * PRIME - 1)  # never equal to a computed value


def build_driver(module: ModuleType, config: Mapping[str, Any] | None = None) -> Any:
    return driver.Builder().with_modules(module).with_config(dict(config or {})).build()


def run(
    dr: Any,
    dag: BuiltDag,
    outputs: list[str],
    inputs: Mapping[str, int],
    overrides: Mapping[str, int] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Execute and return ``(results, functions called during this execute)``."""
    dag.take_calls()
    result = dr.execute(outputs, inputs=dict(inputs), overrides=dict(overrides or {}))
    assert isinstance(result, dict), f"execute returned {type(result).__name__}, not a dict"
    return result, dag.take_calls()


def assert_called_exactly(calls: list[str], expected: list[str]) -> None:
    counts = Counter(calls)
    repeated = {name: n for name, n in counts.items() if n > 1}
    assert not repeated, f"functions called more than once in one execute: {repeated}"
    unexpected = sorted(set(counts) - set(expected))
    assert not unexpected, f"functions called although not needed: {unexpected}"
    skipped = sorted(set(expected) - set(counts))
    assert not skipped, f"needed functions not called: {skipped}"


# ---------------------------------------------------------------------------------------------
# Strategies for one execute call


@dataclass
class ExecCase:
    spec: DagSpec
    outputs: list[str]
    inputs: dict[str, int]
    config: dict[str, int] = field(default_factory=dict)
    overrides: dict[str, int] = field(default_factory=dict)
    from_source: bool = True


def _nodes_in_order(spec: DagSpec, names: set[str]) -> list[str]:
    return [name for name in spec.node_names if name in names]


@st.composite
def exec_cases(
    draw: st.DrawFn,
    *,
    overrides: bool = False,
    config: bool = False,
    specs: st.SearchStrategy[DagSpec] | None = None,
) -> ExecCase:
    """Outputs, overrides, then the required inputs plus a random subset of the others.

    Overrides are mostly drawn among the nodes strictly upstream of the outputs, so they
    actually cut paths; sometimes an output or any node (maybe irrelevant) is overridden.
    Some provided inputs are also requested back as outputs. With ``config``, a random part
    of the provided inputs goes to ``with_config`` instead of ``inputs``.
    """
    spec = draw(specs if specs is not None else dag_specs())
    names = spec.node_names
    outputs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True))
    forced: dict[str, int] = {}
    if overrides:
        upstream = _nodes_in_order(spec, upstream_closure(spec, outputs) - set(outputs))
        chosen = set()
        if upstream:
            chosen |= set(draw(st.lists(st.sampled_from(upstream), max_size=3, unique=True)))
        if not chosen or draw(st.integers(0, 3)) == 0:  # an output, or any node at all
            chosen.add(draw(st.sampled_from(outputs) | st.sampled_from(names)))
        forced = {name: draw(OVERRIDE_VALUES) for name in _nodes_in_order(spec, chosen)}
    every_input = {name: draw(INPUT_VALUES) for name in spec.external_inputs}
    required = evaluate(spec, outputs, every_input, forced).required_inputs
    provided = {
        name: value
        for name, value in every_input.items()
        if name in required or draw(st.booleans())
    }
    if provided:
        outputs += draw(st.lists(st.sampled_from(sorted(provided)), max_size=2, unique=True))
    in_config: dict[str, int] = {}
    if config and provided:
        keys = draw(st.lists(st.sampled_from(sorted(provided)), unique=True))
        in_config = {key: provided.pop(key) for key in keys}
    from_source = draw(st.integers(0, 3)) > 0  # mostly exec'd source, sometimes templates
    return ExecCase(spec, outputs, provided, in_config, forced, from_source)


# ---------------------------------------------------------------------------------------------
# (0) the harness itself


@settings(PROPERTY_SETTINGS, max_examples=max(5, EXAMPLES // 3))
@given(spec=dag_specs())
def test_harness_both_constructions_agree(spec: DagSpec) -> None:
    """Exec'd source and code templates make the same functions, computing the reference."""
    with (
        built_module(spec, CREATE) as from_source,
        built_module(spec, CREATE, from_source=False) as from_templates,
    ):
        for node in spec.nodes:
            a = getattr(from_source.module, node.name)
            b = getattr(from_templates.module, node.name)
            assert inspect.signature(a) == inspect.signature(b)
            assert a.__name__ == b.__name__ == a.__qualname__ == b.__qualname__ == node.name
            assert a.__module__ == from_source.module.__name__
            assert b.__module__ == from_templates.module.__name__
            assert typing.get_type_hints(a) == typing.get_type_hints(b)
            args = {p.name: 31 * i + 5 for i, p in enumerate(node.params)}
            assert a(**args) == b(**args) == node.compute(args)
        assert from_source.calls == from_templates.calls == spec.node_names


# ---------------------------------------------------------------------------------------------
# (1) execute == reference


@PROPERTY_SETTINGS
@given(case=exec_cases(config=True))
def test_execute_matches_reference(case: ExecCase) -> None:
    """Requested outputs equal the reference; exactly the needed functions run, once each.

    Part of the provided inputs is passed through ``with_config``: config values are inputs.
    """
    all_inputs = {**case.inputs, **case.config}
    expected = evaluate(case.spec, case.outputs, all_inputs)
    with built_module(case.spec, CREATE, from_source=case.from_source) as dag:
        dr = build_driver(dag.module, case.config)
        result, calls = run(dr, dag, case.outputs, case.inputs)
    assert result == expected.values
    assert_called_exactly(calls, expected.called)


# ---------------------------------------------------------------------------------------------
# (2) overrides


@PROPERTY_SETTINGS
@given(case=exec_cases(overrides=True))
def test_overrides_short_circuit(case: ExecCase) -> None:
    """Overridden values are used as is; what is needed only through them never runs.

    Only the inputs required *given the overrides* (plus random extras) are provided, so this
    also checks that inputs behind an override are not demanded.
    """
    expected = evaluate(case.spec, case.outputs, case.inputs, case.overrides)
    without_overrides = upstream_closure(case.spec, case.outputs)
    shadowed = [
        name
        for name in _nodes_in_order(case.spec, without_overrides)
        if name not in expected.called
    ]
    with built_module(case.spec, CREATE, from_source=case.from_source) as dag:
        dr = build_driver(dag.module)
        result, calls = run(dr, dag, case.outputs, case.inputs, case.overrides)
    assert result == expected.values
    ran_anyway = sorted(set(calls) & set(shadowed))
    assert not ran_anyway, f"overridden or only-behind-an-override functions ran: {ran_anyway}"
    assert_called_exactly(calls, expected.called)


@PROPERTY_SETTINGS
@given(case=exec_cases(overrides=True))
def test_config_value_replaces_function_node(case: ExecCase) -> None:
    """A config key named like a function node replaces that node by an external input.

    So config behaves like a build-time override: the function never runs, and what is needed
    only through it is neither run nor required. Inputs read only by replaced functions leave
    the graph.
    """
    config = case.overrides
    expected = evaluate(case.spec, case.outputs, case.inputs, config)
    with built_module(case.spec, CREATE, from_source=case.from_source) as dag:
        dr = build_driver(dag.module, config)
        variables = {v.name: v.is_external_input for v in dr.list_available_variables()}
        result, calls = run(dr, dag, case.outputs, case.inputs)
        if case.inputs:  # the same key in config and inputs is an error
            clash = build_driver(dag.module, {**config, **case.inputs})
            with pytest.raises(ValueError):
                clash.execute(case.outputs, inputs=case.inputs)
    assert result == expected.values
    assert_called_exactly(calls, expected.called)
    expected_variables = {name: name in config for name in case.spec.node_names}
    for node in case.spec.nodes:
        if node.name not in config:  # its inputs stay in the graph
            inputs = [p.name for p in node.params if p.name not in case.spec.index]
            expected_variables |= dict.fromkeys(inputs, True)
    assert variables == expected_variables


# ---------------------------------------------------------------------------------------------
# (3) at most one call per node and execute


@PROPERTY_SETTINGS
@given(
    spec=dag_specs(min_nodes=5, max_nodes=30, max_inputs=3, max_params=8),
    data=st.data(),
)
def test_each_function_runs_at_most_once(spec: DagSpec, data: st.DataObject) -> None:
    """Dense fan-in and fan-out, many outputs at once: shared nodes still run once."""
    names = spec.node_names
    outputs = data.draw(
        st.lists(st.sampled_from(names), min_size=len(names) // 2, unique=True), label="outputs"
    )
    inputs = {name: data.draw(INPUT_VALUES, label=name) for name in spec.external_inputs}
    expected = evaluate(spec, outputs, inputs)
    with built_module(spec, CREATE) as dag:
        dr = build_driver(dag.module)
        result, calls = run(dr, dag, outputs, inputs)
    most_common = Counter(calls).most_common(1)
    assert not most_common or most_common[0][1] == 1, f"called twice: {most_common}"
    assert result == expected.values
    assert_called_exactly(calls, expected.called)


# ---------------------------------------------------------------------------------------------
# (4) lineage


@PROPERTY_SETTINGS
@given(spec=dag_specs(), data=st.data())
def test_lineage_matches_reference(spec: DagSpec, data: st.DataObject) -> None:
    """Up/downstream sets are the transitive closures, queried names included.

    ``list_available_variables`` lists every node and every external input, flagged.
    """
    queries = data.draw(
        st.lists(st.sampled_from(spec.all_names), min_size=1, max_size=3, unique=True),
        label="queries",
    )
    with built_module(spec, CREATE) as dag:
        dr = build_driver(dag.module)
        upstream = [v.name for v in dr.what_is_upstream_of(*queries)]
        downstream = [v.name for v in dr.what_is_downstream_of(*queries)]
        variables = {v.name: v.is_external_input for v in dr.list_available_variables()}
        calls = dag.take_calls()
    assert len(upstream) == len(set(upstream)), "duplicates in what_is_upstream_of"
    assert len(downstream) == len(set(downstream)), "duplicates in what_is_downstream_of"
    assert set(upstream) == upstream_closure(spec, queries)
    assert set(downstream) == downstream_closure(spec, queries)
    expected_variables = {name: name in spec.external_inputs for name in spec.all_names}
    assert variables == expected_variables
    assert calls == [], "building or querying the graph called user functions"


# ---------------------------------------------------------------------------------------------
# (5) repeated execution on one driver


@PROPERTY_SETTINGS
@given(first=exec_cases(overrides=True), data=st.data())
def test_repeated_execute_gives_fresh_results(first: ExecCase, data: st.DataObject) -> None:
    """Same driver, new inputs (and no overrides): nothing leaks from the previous call.

    Then the first call is repeated and must give its first result again.
    """
    spec = first.spec
    second_outputs = data.draw(
        st.lists(st.sampled_from(spec.node_names), min_size=1, max_size=6, unique=True),
        label="second outputs",
    )
    # every input, each one changed (a required input of the second call may be new)
    second_inputs = {
        name: (first.inputs.get(name, 0) + data.draw(st.integers(1, PRIME - 1), label=name)) % PRIME
        for name in spec.external_inputs
    }
    with built_module(spec, CREATE, from_source=first.from_source) as dag:
        dr = build_driver(dag.module)
        calls_per_run: list[list[str]] = []
        for outputs, inputs, overrides in [
            (first.outputs, first.inputs, first.overrides),
            (second_outputs, second_inputs, {}),
            (first.outputs, first.inputs, first.overrides),
            (first.outputs, second_inputs, {}),
        ]:
            expected = evaluate(spec, outputs, inputs, overrides)
            result, calls = run(dr, dag, outputs, inputs, overrides)
            assert result == expected.values, f"run {len(calls_per_run) + 1} differs"
            assert_called_exactly(calls, expected.called)
            calls_per_run.append(calls)


# ---------------------------------------------------------------------------------------------
# (6) errors


@PROPERTY_SETTINGS
@given(spec=dag_specs(min_inputs=1), data=st.data())
def test_missing_required_input_raises_value_error(spec: DagSpec, data: st.DataObject) -> None:
    """Dropping required inputs raises a ``ValueError`` naming one of them; nothing runs."""
    outputs = data.draw(
        st.lists(st.sampled_from(spec.node_names), min_size=1, unique=True), label="outputs"
    )
    every_input = {name: data.draw(INPUT_VALUES, label=name) for name in spec.external_inputs}
    required = sorted(evaluate(spec, outputs, every_input).required_inputs)
    assume(required)  # rarely empty with min_inputs=1 and many outputs
    dropped = data.draw(
        st.lists(st.sampled_from(required), min_size=1, unique=True), label="dropped"
    )
    inputs = {name: value for name, value in every_input.items() if name not in dropped}
    assert evaluate(spec, outputs, inputs).missing_inputs == set(dropped)
    with built_module(spec, CREATE) as dag:
        dr = build_driver(dag.module)
        dag.take_calls()
        with pytest.raises(ValueError) as info:
            dr.execute(outputs, inputs=inputs)
        calls = dag.take_calls()
    message = str(info.value)
    assert any(re.search(rf"\b{name}\b", message) for name in dropped), message
    assert calls == [], f"functions ran before the missing input was reported: {calls}"


@PROPERTY_SETTINGS
@given(spec=dag_specs(max_nodes=10), data=st.data())
def test_unknown_output_raises_value_error(spec: DagSpec, data: st.DataObject) -> None:
    outputs = data.draw(st.lists(st.sampled_from(spec.node_names), max_size=3, unique=True))
    inputs = {name: 1 for name in spec.external_inputs}
    with built_module(spec, CREATE) as dag:
        dr = build_driver(dag.module)
        with pytest.raises(ValueError, match="not_a_node"):
            dr.execute([*outputs, "not_a_node"], inputs=inputs)


@settings(PROPERTY_SETTINGS, max_examples=max(5, EXAMPLES // 3))
@given(spec=dag_specs(max_nodes=10), data=st.data())
def test_missing_annotation_is_rejected_at_build(spec: DagSpec, data: st.DataObject) -> None:
    """Hamilton parity: a parameter or return without annotation is a build-time ValueError."""
    node = data.draw(st.sampled_from(spec.nodes), label="node")
    param = data.draw(st.sampled_from([None, *[p.name for p in node.params]]), label="param")
    broken = strip_annotation(spec, node.name, param)
    with (
        built_module(broken, CREATE) as dag,
        pytest.raises(ValueError, match=rf"\b{node.name}\b"),
    ):
        build_driver(dag.module)


# ---------------------------------------------------------------------------------------------
# (7) depth and size


def _check_big(spec: DagSpec, outputs: list[str], inputs: dict[str, int]) -> None:
    expected = evaluate(spec, outputs, inputs)
    with built_module(spec, CREATE, from_source=False) as dag:
        dr = build_driver(dag.module)
        result, calls = run(dr, dag, outputs, inputs)
        assert result == expected.values
        assert len(calls) == len(expected.called)
        assert_called_exactly(calls, expected.called)
        upstream = {v.name for v in dr.what_is_upstream_of(outputs[0])}
        assert upstream == upstream_closure(spec, outputs[:1])


def test_deep_chain_3000() -> None:
    """3,000 functions in a chain. plait must run it; Hamilton recurses once per node.

    Documented difference: Hamilton's executor is a recursive depth-first traversal, so it
    raises ``RecursionError`` once the chain is deeper than the recursion limit (1,000).
    """
    spec = chain_spec(3000)
    outputs = ["n_2999", "n_1500"]
    inputs = {"in_0": 7}
    if TARGET != "hamilton":
        _check_big(spec, outputs, inputs)
        return
    assert sys.getrecursionlimit() < 3000
    with built_module(spec, CREATE) as dag:
        dr = build_driver(dag.module)
        with pytest.raises(RecursionError):
            dr.execute(outputs, inputs=inputs)


@pytest.mark.slow
def test_chain_100k_deep() -> None:
    if TARGET == "hamilton":
        pytest.skip("Hamilton raises RecursionError on deep chains (see test_deep_chain_3000)")
    _check_big(chain_spec(100_000), ["n_99999", "n_12345"], {"in_0": 11})


@pytest.mark.slow
def test_layered_dag_20k_nodes() -> None:
    """20,000 nodes in 100 layers of 200; every node of the last layer is requested.

    Only 100 deep, so Hamilton's recursive executor copes: this runs on both targets.
    """
    spec = layered_spec(20_000, width=200, n_inputs=20, seed=20_000)
    outputs = spec.node_names[-200:]
    inputs = {name: i * 7919 for i, name in enumerate(spec.external_inputs)}
    _check_big(spec, outputs, inputs)
