"""Which functions become nodes, how modules combine, and which edges a build accepts."""

from __future__ import annotations

import sys
import uuid

import pytest

from dags import (
    bad_edge_type,
    conflicting_inputs,
    double_underscore,
    double_underscore_pair,
    dup_a,
    dup_b,
    private,
    typed_edges,
)

from .harness import (
    Impl,
    assert_mentions,
    assert_mentions_node,
    assert_same,
    both,
    both_raise,
    names,
    view_table,
    where,
)

TEXT = "  The quick\n  brown FOX  jumps over "
DUP_INPUTS = {"orders": 5, "page_views": 20}


# -- what is a node --------------------------------------------------------------------------------
def test_private_imported_and_non_function_names_are_not_nodes(impl: Impl, ham: Impl):
    got, want = both(impl, ham, lambda lib: names(lib.build(private).list_available_variables()))
    assert got == want == {"text", "clean_text", "word_count", "root_word_count"}


def test_private_helpers_still_run_inside_nodes(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(private).execute(
            ["word_count", "root_word_count"], inputs={"text": TEXT}
        ),
    )
    assert_same(got, want)
    assert got == {"word_count": 6, "root_word_count": pytest.approx(6**0.5)}


def test_classes_defined_in_a_module_are_not_nodes(impl: Impl, ham: Impl):
    got, want = both(
        impl, ham, lambda lib: names(lib.build(typed_edges).list_available_variables())
    )
    assert got == want
    assert not {"Reading", "CalibratedReading"} & got


def test_double_underscore_without_decorator_keeps_its_full_name(impl: Impl, ham: Impl):
    # Only @config.when & co. strip ``__suffix``; a plain ``score__raw`` is node ``score__raw``
    # and ``score`` is an external input nobody computes.
    def run(lib: Impl):
        return {
            v.name: v.is_external_input
            for v in lib.build(double_underscore).list_available_variables()
        }

    got, want = both(impl, ham, run)
    assert got == want == {"score__raw": False, "score_label": False, "points": True, "score": True}


def test_double_underscore_node_runs_under_its_full_name(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(double_underscore)
        return dr.execute(["score__raw", "score_label"], inputs={"points": 4, "score": 1})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"score__raw": 8, "score_label": "score:1"}


def test_double_underscore_node_does_not_feed_the_short_name(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(double_underscore).execute(["score_label"], inputs={"points": 4}),
    )
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "score")


def test_two_double_underscore_variants_are_two_nodes(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(double_underscore_pair)
        return names(dr.list_available_variables()), dr.execute(
            ["size__small", "size__large"], inputs={"items": [1, 2]}
        )

    got, want = both(impl, ham, run)
    assert_same(got[1], want[1])
    assert got[0] == want[0] == {"items", "size__small", "size__large"}
    assert got[1] == {"size__small": 2, "size__large": 2000}


# -- several modules ---------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ["builder", "legacy"])
def test_same_name_in_two_modules_clashes(impl: Impl, ham: Impl, entry: str):
    def run(lib: Impl):
        return lib.build(dup_a, dup_b) if entry == "builder" else lib.legacy(dup_a, dup_b)

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "conversion_rate")
    if impl.is_plait:  # plait names both definitions
        assert_mentions(got, where(dup_a.conversion_rate), where(dup_b.conversion_rate))


def test_the_same_module_given_twice_clashes_with_itself(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl, ham, lambda lib: lib.builder().with_modules(dup_a).with_modules(dup_a).build()
    )
    assert isinstance(got, ValueError)


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param((dup_a, dup_b), 50.0, id="b-wins"),
        pytest.param((dup_b, dup_a), 0.5, id="a-wins"),
    ],
)
@pytest.mark.parametrize("entry", ["builder-method", "legacy-kwarg"])
def test_allow_module_overrides_later_module_wins(impl: Impl, ham: Impl, order, expected, entry):
    def run(lib: Impl):
        if entry == "builder-method":
            dr = lib.builder().with_modules(*order).allow_module_overrides().build()
        else:
            dr = lib.legacy(*order, allow_module_overrides=True, adapter=lib.base.DefaultAdapter())
        by_name = {v.name: v for v in dr.list_available_variables()}
        origin = [f.__module__ for f in by_name["conversion_rate"].originating_functions]
        return dr.execute(["conversion_rate", "orders_label"], inputs=DUP_INPUTS), origin

    (got, got_origin), (want, want_origin) = both(impl, ham, run)
    assert_same(got, want)
    assert got == {"conversion_rate": expected, "orders_label": "5 orders"}
    assert got_origin == want_origin == [order[-1].__name__]


# -- edge types ---------------------------------------------------------------------------------
def test_compatible_edge_annotations_build_and_run(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(typed_edges)
        computed = sorted(v.name for v in dr.list_available_variables() if not v.is_external_input)
        return dr.execute(computed, inputs={"raw_id": 3, "raw_value": 2.0})

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert got["sensor_key"] == "sensor-3"
    assert got["threshold_label"] == "t=30"
    assert got["active_count"] == 1
    assert got["reading_value"] == 3.0
    assert got["history_total"] == 6.0
    assert got["metadata_keys"] == ["key"]
    assert got["frame_rows"] == 2
    assert got["sensor_code"] == "code-3"
    assert got["threshold_or_zero"] == 30


def test_typed_edges_node_types(impl: Impl, ham: Impl):
    got, want = both(
        impl, ham, lambda lib: view_table(lib.build(typed_edges).list_available_variables())
    )
    assert got == want
    # the input's type is its first consumer's annotation; the wider Union consumer is fine
    assert got["raw_value"]["type"] is float
    assert got["history"]["type"] == list[float]


@pytest.mark.parametrize("entry", ["builder", "legacy"])
def test_clashing_edge_annotation_fails_at_build(impl: Impl, ham: Impl, entry: str):
    def run(lib: Impl):
        return lib.build(bad_edge_type) if entry == "builder" else lib.legacy(bad_edge_type)

    got, _ = both_raise(impl, ham, run)
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "row_count_label")
    assert_mentions_node(got, "row_count")
    if impl.is_plait:
        assert_mentions(got, where(bad_edge_type.row_count_label))


def test_incompatible_annotations_for_one_input_fail_at_build(impl: Impl, ham: Impl):
    got, _ = both_raise(impl, ham, lambda lib: lib.build(conflicting_inputs))
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "reading")
    assert_mentions(got, "celsius_label", "reading_upper")
    if impl.is_plait:
        assert_mentions(
            got, where(conflicting_inputs.celsius_label), where(conflicting_inputs.reading_upper)
        )


# -- ad hoc modules -------------------------------------------------------------------------------
def basket_size(items: list) -> int:
    """Number of items in the basket."""
    return len(items)


def basket_label(basket_size: int, shop: str = "corner") -> str:
    """Describes the basket."""
    return f"{shop}:{basket_size}"


def _basket_helper(items: list) -> int:
    return len(items)


def test_create_temporary_module_builds_a_dag(impl: Impl, ham: Impl):
    def run(lib: Impl):
        module = lib.ad_hoc_utils.create_temporary_module(basket_size, basket_label)
        dr = lib.build(module)
        listed = names(dr.list_available_variables())
        # the module's copies of the functions are valid final_vars, like names are
        return listed, dr.execute([module.basket_label, "basket_size"], inputs={"items": [1, 2, 3]})

    got, want = both(impl, ham, run)
    assert_same(got[1], want[1])
    assert got[0] == want[0] == {"basket_size", "basket_label", "items", "shop"}
    assert got[1] == {"basket_label": "corner:3", "basket_size": 3}


def test_create_temporary_module_with_a_name(impl: Impl, ham: Impl):
    def run(lib: Impl):
        wanted_name = f"compat_adhoc_{lib.name}_{uuid.uuid4().hex}"  # sys.modules is global
        module = lib.ad_hoc_utils.create_temporary_module(basket_size, module_name=wanted_name)
        assert sys.modules[wanted_name] is module
        named = (module.__name__, module.basket_size.__module__) == (wanted_name, wanted_name)
        return named, lib.build(module).execute(["basket_size"], inputs={"items": []})

    got, want = both(impl, ham, run)
    assert got[0] is want[0] is True
    assert_same(got[1], want[1])


def test_create_temporary_module_refuses_a_taken_name(impl: Impl, ham: Impl):
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.ad_hoc_utils.create_temporary_module(basket_size, module_name="sys"),
    )
    assert isinstance(got, ValueError)


@pytest.mark.parametrize(
    "functions",
    [
        pytest.param((_basket_helper,), id="underscore"),
        pytest.param((basket_size, basket_size), id="duplicate"),
    ],
)
def test_create_temporary_module_rejects(impl: Impl, ham: Impl, functions):
    got, _ = both_raise(impl, ham, lambda lib: lib.ad_hoc_utils.create_temporary_module(*functions))
    assert isinstance(got, ValueError)
