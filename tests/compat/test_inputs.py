"""Where node values come from: inputs, config, defaults, overrides; and input type checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from dags import defaults, input_types, overrides, scalars

from .harness import Impl, assert_mentions_node, assert_same, both, both_raise, full_text, where

ORDER = {"list_price": 10.0, "discount": 0.1, "order_count": 3, "pack_size": 50, "region": "eu"}
EVENTS = [{"user": "ana"}, {"user": "bo"}, {"user": "ana"}, {"user": None}]


def without(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k not in keys}


# -- inputs and config ---------------------------------------------------------------------------
def test_inputs_satisfy_parameters(impl: Impl, ham: Impl):
    wanted = ["revenue", "order_label", "is_bulk", "revenue_per_pack"]
    got, want = both(impl, ham, lambda lib: lib.build(scalars).execute(wanted, inputs=ORDER))
    assert_same(got, want)
    assert got == {
        "revenue": 1350.0,
        "order_label": "eu-150",
        "is_bulk": True,
        "revenue_per_pack": 450.0,
    }


def test_extra_inputs_are_ignored(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(scalars).execute(["units"], inputs={**ORDER, "unrelated": object()}),
    )
    assert_same(got, want)
    assert got == {"units": 150}


@pytest.mark.parametrize("entry", ["builder", "legacy"])
def test_config_values_satisfy_parameters(impl: Impl, ham: Impl, entry: str):
    config = {"discount": 0.5, "region": "us"}

    def run(lib: Impl):
        if entry == "builder":
            dr = lib.build(scalars, config=config)
        else:
            dr = lib.legacy(scalars, config=config, adapter=lib.base.DefaultAdapter())
        return dr.execute(["revenue", "order_label"], inputs=without(ORDER, "discount", "region"))

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"revenue": 750.0, "order_label": "us-150"}


def test_config_values_can_be_requested_as_outputs(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(defaults, config={"tax_rate": 0.1})
        return dr.execute(["tax_rate", "gross_price"], inputs={"gross_price": 40.0})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"tax_rate": 0.1, "gross_price": 40.0}


def test_the_same_key_in_config_and_inputs_is_a_value_error(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(scalars, config={"discount": 0.5})
        return dr.execute(["revenue"], inputs=ORDER)

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert "discount" in str(got)


def test_a_config_key_named_like_a_node_replaces_the_node(impl: Impl, ham: Impl):
    # Hamilton drops the function ``units`` entirely: the config value *is* the node.
    def run(lib: Impl):
        dr = lib.build(scalars, config={"units": 2})
        listed = {v.name: v.is_external_input for v in dr.list_available_variables()}
        return dr.execute(["revenue", "units"], inputs=ORDER), listed["units"]

    (got, got_external), (want, want_external) = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"revenue": 18.0, "units": 2}
    assert got_external is want_external is True


def test_builder_with_config_twice_merges_and_later_wins(impl: Impl, ham: Impl):
    def run(lib: Impl):
        builder = (
            lib.builder()
            .with_modules(defaults)
            .with_config({"tax_rate": 0.1, "season": "sale"})
            .with_config({"season": "clearance"})
        )
        return builder.build().execute(
            ["discount_rate", "taxed_price"], inputs={"gross_price": 40.0}
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"discount_rate": 0.5, "taxed_price": pytest.approx(22.0)}


def test_builder_copy_is_independent(impl: Impl, ham: Impl):
    def run(lib: Impl):
        original = (
            lib.builder().with_modules(defaults).with_config({"tax_rate": 0.1, "season": "sale"})
        )
        copy = original.copy()
        copy.with_config({"season": "regular"}).with_modules(scalars)
        inputs = {"gross_price": 40.0}
        return (
            original.build().execute(["discount_rate"], inputs=inputs),
            copy.build().execute(["discount_rate", "units"], inputs={**inputs, **ORDER}),
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got[0] == {"discount_rate": 0.25}
    assert got[1] == {"discount_rate": 0.0, "units": 150}


# -- defaults --------------------------------------------------------------------------------------
def test_parameters_with_defaults_are_optional_inputs(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(defaults, config={"tax_rate": 0.1})
        return dr.execute(
            ["amount_due", "discount_rate", "shipping_fee"], inputs={"gross_price": 40.0}
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"amount_due": 48.5, "discount_rate": 0.0, "shipping_fee": 4.5}


def test_given_values_replace_defaults(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(defaults, config={"tax_rate": 0.1, "free_over": 10.0})
        inputs = {"gross_price": 40.0, "season": "sale", "tip": 1.0, "decimals": 0}
        return dr.execute(["amount_due"], inputs=inputs)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"amount_due": 34.0}


def test_a_node_named_like_a_defaulted_parameter_wins_over_the_default(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(defaults, config={"tax_rate": 0.1})
        return dr.execute(["loyalty_points"], inputs={"gross_price": 40.0, "loyalty_tier": "gold"})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"loyalty_points": 48 * 3}


def test_the_node_behind_a_defaulted_parameter_still_needs_its_inputs(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(defaults, config={"tax_rate": 0.1})
        return dr.execute(["loyalty_points"], inputs={"gross_price": 40.0})

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "loyalty_tier")


def test_an_input_named_like_a_computed_node_is_ignored(impl: Impl, ham: Impl):
    # ``multiplier`` is a function node: an ``inputs`` value of that name does not replace it
    # (``overrides`` does).
    def run(lib: Impl):
        dr = lib.build(defaults, config={"tax_rate": 0.1})
        inputs = {"gross_price": 40.0, "loyalty_tier": "gold", "multiplier": 10}
        return (
            dr.execute(["loyalty_points"], inputs=inputs),
            dr.execute(["loyalty_points"], inputs=inputs, overrides={"multiplier": 10}),
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == ({"loyalty_points": 144}, {"loyalty_points": 480})


# -- overrides -------------------------------------------------------------------------------------
def test_overrides_short_circuit_nodes_and_their_upstream_never_runs(impl: Impl, ham: Impl):
    # ``raw_events`` would raise, and ``source_url`` is not even given.
    def run(lib: Impl):
        dr = lib.build(overrides)
        return dr.execute(["events_per_user", "users"], overrides={"cleaned_events": EVENTS[:3]})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"events_per_user": 1.5, "users": ["ana", "bo"]}


def test_overriding_the_failing_source_lets_the_rest_run(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(overrides).execute(["event_count"], overrides={"raw_events": EVENTS})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"event_count": 3}


def test_overriding_a_requested_output_returns_the_override(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(scalars).execute(
            ["units", "revenue"], inputs=ORDER, overrides={"units": 7}
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"units": 7, "revenue": 63.0}


def test_overrides_take_precedence_over_inputs(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(scalars).execute(
            ["revenue"], inputs={**ORDER, "list_price": 2.0}, overrides={"list_price": 1.0}
        )

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"revenue": 135.0}


def test_overrides_remove_the_need_for_upstream_inputs(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(scalars).execute(["revenue"], overrides={"unit_price": 1.0, "units": 2})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"revenue": 2.0}


def test_without_overrides_the_source_runs_and_its_error_surfaces(impl: Impl, ham: Impl):
    got, want = both_raise(
        impl,
        ham,
        lambda lib: lib.build(overrides).execute(["event_count"], inputs={"source_url": "s3://x"}),
    )
    assert type(got) is type(want) is overrides.SourceUnavailable


# -- input type validation ----------------------------------------------------------------------
# Hamilton's rule (htypes.check_input_type) for plain classes is ``isinstance`` (and ``None``
# is always accepted); an int is *not* accepted for a float.
SCALAR_INPUT_CASES = [
    pytest.param("list_price", 10, False, id="int-for-float-rejected"),
    pytest.param("list_price", True, False, id="bool-for-float-rejected"),
    pytest.param("list_price", "10", False, id="str-for-float-rejected"),
    pytest.param("list_price", np.float64(10.0), True, id="np.float64-for-float-accepted"),
    pytest.param("order_count", 3.0, False, id="float-for-int-rejected"),
    pytest.param("order_count", True, True, id="bool-for-int-accepted"),
    pytest.param("pack_size", np.int64(50), False, id="np.int64-for-int-rejected"),
    pytest.param("region", 5, False, id="int-for-str-rejected"),
    pytest.param("region", None, True, id="None-always-accepted"),
]


@pytest.mark.parametrize(("name", "value", "accepted"), SCALAR_INPUT_CASES)
def test_input_values_are_type_checked_at_execute(impl: Impl, ham: Impl, name, value, accepted):
    def run(lib: Impl):
        return lib.build(scalars).execute(
            ["units", "unit_price", "order_label"], inputs={**ORDER, name: value}
        )

    if accepted:
        got, want = both(impl, ham, run)
        assert_same(got, want)
        return
    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, name)
    if impl.is_plait:  # plait also points at a function that annotates the input
        consumers = {
            "list_price": [scalars.unit_price],
            "order_count": [scalars.units, scalars.revenue_per_pack],
            "pack_size": [scalars.units],
            "region": [scalars.order_label],
        }[name]
        text = full_text(got)
        assert any(where(fn) in text for fn in consumers), text


GENERIC_INPUT_CASES = [
    pytest.param("tag_count", "tags", ["a", "b"], True, id="list[str]-list"),
    pytest.param("tag_count", "tags", [], True, id="list[str]-empty"),
    pytest.param("tag_count", "tags", {"a"}, False, id="list[str]-set-rejected"),
    pytest.param("weight_total", "weights", {"a": 1.0}, True, id="dict-dict"),
    pytest.param("weight_total", "weights", [("a", 1.0)], False, id="dict-list-rejected"),
    pytest.param("row_limit", "limit", 3, True, id="Optional[int]-int"),
    pytest.param("row_limit", "limit", None, True, id="Optional[int]-None"),
    pytest.param("row_limit", "limit", "3", False, id="Optional[int]-str-rejected"),
    pytest.param("identifier_text", "identifier", 7, True, id="Union-first-arm"),
    pytest.param("identifier_text", "identifier", "x7", True, id="Union-second-arm"),
    pytest.param("identifier_text", "identifier", 7.5, False, id="Union-neither-rejected"),
    pytest.param("page_size", "size", None, True, id="pep604-optional-None"),
    pytest.param("page_size", "size", 10, True, id="pep604-optional-int"),
    pytest.param("page_size", "size", 10.0, False, id="pep604-optional-float-rejected"),
    pytest.param("code_text", "code", "A1", True, id="pep604-union"),
    pytest.param("code_text", "code", b"A1", False, id="pep604-union-bytes-rejected"),
    pytest.param("payload_kind", "payload", object(), True, id="Any"),
    pytest.param("values_total", "values", pd.Series([1, 2]), True, id="Series"),
    pytest.param(
        "values_total", "values", pd.DataFrame({"a": [1]}), False, id="DataFrame-for-Series"
    ),
    pytest.param("values_total", "values", [1, 2], False, id="list-for-Series"),
    pytest.param("speed_label", "mode", "fast", True, id="Literal-member"),
    pytest.param("speed_label", "mode", "medium", False, id="Literal-non-member"),
]


@pytest.mark.parametrize(("output", "name", "value", "accepted"), GENERIC_INPUT_CASES)
def test_input_type_checks_on_type_forms(impl: Impl, ham: Impl, output, name, value, accepted):
    def run(lib: Impl):
        return lib.build(input_types).execute([output], inputs={name: value})

    if accepted:
        got, want = both(impl, ham, run)
        assert_same(got, want)
        return
    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, name)


def test_every_bad_input_is_reported_at_once(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(scalars).execute(
            ["revenue"], inputs={**ORDER, "list_price": 10, "pack_size": "x"}
        )

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "list_price")
    assert_mentions_node(got, "pack_size")


def test_config_values_are_type_checked_like_inputs(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(scalars, config={"discount": 1}).execute(
            ["revenue"], inputs=without(ORDER, "discount")
        )

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "discount")


def test_validate_execution_applies_the_same_type_checks(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return lib.build(scalars).validate_execution(
            ["revenue"], inputs={**ORDER, "list_price": 10}
        )

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "list_price")
