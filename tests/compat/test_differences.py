"""Where plait deliberately differs from Hamilton, with both behaviours asserted.

SPEC §1: where Hamilton's behaviour is a bug (a cycle that only fails by RecursionError, a
RecursionError on deep chains, a missing input reported vaguely) plait fails early and
clearly instead, while keeping what users rely on: a module with a cycle still builds,
``has_cycles`` reports it, and outputs that do not depend on the cycle run.
Each test states Hamilton's behaviour on the ``hamilton`` run and plait's on the ``plait`` run.
"""

from __future__ import annotations

import pytest

from dags import cycle, deep_chain, docs

from .harness import (
    Impl,
    assert_mentions,
    assert_mentions_node,
    assert_same,
    both,
    both_raise,
    build_with_cycle,
    names,
)

HISTORY = {"history": [1.0, 2.0, 6.0]}
CYCLE_NODES = ("forecast", "adjusted", "residual")


# -- cycles ------------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ["builder", "legacy"])
def test_a_module_with_a_cycle_still_builds(impl: Impl, ham: Impl, entry: str):
    def run(lib: Impl):
        dr = build_with_cycle(lib, cycle, CYCLE_NODES, legacy=entry == "legacy")
        return names(dr.list_available_variables())

    got, want = both(impl, ham, run)
    assert got == want
    assert set(CYCLE_NODES) <= got


@pytest.mark.parametrize(
    ("final_vars", "expected"),
    [
        (["forecast_report"], True),
        (["history_report", "forecast_report"], True),
        ([cycle.forecast], True),
        (["history_report"], False),
        (["baseline"], False),
    ],
    ids=["through-cycle", "mixed", "function-object", "acyclic-part", "feeds-cycle"],
)
def test_has_cycles(impl: Impl, ham: Impl, final_vars, expected):
    got, want = both(
        impl, ham, lambda lib: build_with_cycle(lib, cycle, CYCLE_NODES).has_cycles(final_vars)
    )
    assert got is want is expected


def test_outputs_that_do_not_depend_on_the_cycle_run(impl: Impl, ham: Impl):
    def run(lib: Impl):
        cycle.CALLS.clear()
        result = build_with_cycle(lib, cycle, CYCLE_NODES).execute(
            ["history_report", "history_mean"], inputs=HISTORY
        )
        return result, list(cycle.CALLS)

    (got, got_calls), (want, want_calls) = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"history_report": "3 points, mean 3.0", "history_mean": 3.0}
    assert got_calls == want_calls == ["history_mean", "history_report"]


def test_an_output_that_depends_on_a_cycle(impl: Impl):
    dr = build_with_cycle(impl, cycle, CYCLE_NODES)
    if impl.is_hamilton:
        # Hamilton: its depth-first executor recurses around the cycle until the interpreter
        # gives up, after it has already run the cycle's upstream (``baseline``).
        with pytest.raises(RecursionError):
            dr.execute(["forecast_report"], inputs=HISTORY)
        assert cycle.CALLS == ["baseline"]
        return
    # plait: a clear error, a ValueError naming the cycle, raised before anything runs.
    with pytest.raises(ValueError) as info:
        dr.execute(["forecast_report"], inputs=HISTORY)
    assert not isinstance(info.value, RecursionError)
    for name in CYCLE_NODES:
        assert_mentions_node(info.value, name)
    assert cycle.CALLS == []


def test_an_output_that_depends_on_a_cycle_mixed_with_sound_outputs(impl: Impl):
    dr = build_with_cycle(impl, cycle, CYCLE_NODES)
    expected = RecursionError if impl.is_hamilton else ValueError
    with pytest.raises(expected) as info:
        dr.execute(["history_report", "forecast_report"], inputs=HISTORY)
    if impl.is_plait:  # all-or-nothing: nothing ran, not even the sound part
        for name in CYCLE_NODES:
            assert_mentions_node(info.value, name)
        assert cycle.CALLS == []


# -- deep chains -------------------------------------------------------------------------------
def test_a_shallow_chain_runs_in_both(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(deep_chain).execute(["step_300"], inputs={"chain_start": 0}),
    )
    assert_same(got, want)
    assert got == {"step_300": 300}


def test_a_3000_deep_chain(impl: Impl):
    dr = impl.build(deep_chain)
    last = f"step_{deep_chain.DEPTH - 1}"
    if impl.is_hamilton:
        # Hamilton executes recursively, one Python frame (or more) per node.
        with pytest.raises(RecursionError):
            dr.execute([last], inputs={"chain_start": 0})
        return
    # plait executes a precomputed plan in a flat loop.
    assert dr.execute([last], inputs={"chain_start": 0}) == {last: deep_chain.DEPTH - 1}


def test_lineage_of_a_3000_deep_chain(impl: Impl, ham: Impl):
    last = f"step_{deep_chain.DEPTH - 1}"
    got, want = both(impl, ham, lambda lib: names(lib.build(deep_chain).what_is_upstream_of(last)))
    assert got == want
    assert len(got) == deep_chain.DEPTH + 1  # every step plus the input


# -- missing inputs ----------------------------------------------------------------------------
def test_missing_input(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl, ham, lambda lib: lib.build(docs).execute(["weather_line", "temperature_k"])
    )
    assert isinstance(got, ValueError)
    # Both name the input and the node that needs it ...
    assert_mentions_node(got, "temperature_f")
    assert_mentions_node(got, "temperature_c")
    if impl.is_plait:
        # ... plait also says what to do: pass it in ``inputs=`` (or the config).
        assert_mentions(got, "inputs")


def test_every_missing_input_is_reported_at_once(impl: Impl, ham: Impl):
    from dags import scalars

    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(scalars).execute(
            ["revenue", "order_label"], inputs={"discount": 0.1}
        ),
    )
    assert isinstance(got, ValueError)
    for name in ("list_price", "order_count", "pack_size", "region"):
        assert_mentions_node(got, name)
