"""Lineage and introspection: variables, upstream/downstream/path, validation, export."""

from __future__ import annotations

import pytest

from dags import cycle, defaults, docs, dup_a, dup_b, marketing, typed_edges

from .harness import (
    Impl,
    assert_mentions_node,
    assert_same_export,
    both,
    both_raise,
    build_with_cycle,
    export_table,
    names,
    view_table,
)

DOCS_COMPUTED = {"temperature_c", "temperature_k", "is_freezing", "weather_line"}
CYCLE_NODES = ("forecast", "adjusted", "residual")


def _build(lib: Impl, module):
    """Build a module; the cycle module through the helper that tolerates plait's warning."""
    return build_with_cycle(lib, cycle, CYCLE_NODES) if module is cycle else lib.build(module)


# -- list_available_variables ----------------------------------------------------------------
@pytest.mark.parametrize(
    "module", [marketing, defaults, docs, typed_edges, cycle], ids=lambda m: m.__name__
)
def test_list_available_variables_matches(impl: Impl, ham: Impl, module):
    got, want = both(
        impl, ham, lambda lib: view_table(_build(lib, module).list_available_variables())
    )
    assert got == want


def test_list_available_variables_fields(impl: Impl):
    table = view_table(impl.build(docs).list_available_variables())
    assert set(table) == DOCS_COMPUTED | {"temperature_f", "station"}
    line = table["weather_line"]
    assert line["type"] is str
    assert line["tags"] == {"module": "dags.docs"}
    assert line["is_external_input"] is False
    assert line["documentation"] == "One line for the weather report."
    assert line["required_dependencies"] == {"temperature_c", "is_freezing"}
    assert line["optional_dependencies"] == {"station"}
    assert line["optional_dependencies_default_values"] == {"station": "HQ"}
    assert line["originating_functions"] == (docs.weather_line,)
    # the docstring is kept verbatim (not dedented); no docstring is an empty string
    assert table["temperature_c"]["documentation"] == docs.temperature_c.__doc__
    assert table["temperature_k"]["documentation"] == ""
    # external inputs: no tags, no docs, typed by their consumer's annotation
    station = table["station"]
    assert (
        station["type"],
        station["tags"],
        station["is_external_input"],
        station["documentation"],
    ) == (
        str,
        {},
        True,
        "",
    )


def test_list_available_variables_with_config_input(impl: Impl, ham: Impl):
    def run(lib: Impl):
        return view_table(
            lib.build(
                defaults, config={"tax_rate": 0.2, "season": "sale"}
            ).list_available_variables()
        )

    got, want = both(impl, ham, run)
    assert got == want
    assert got["tax_rate"]["is_external_input"] is True


@pytest.mark.parametrize(
    ("tag_filter", "expected"),
    [
        pytest.param({"module": "dags.dup_b"}, {"conversion_rate", "orders_label"}, id="exact"),
        pytest.param({"module": ["dags.dup_a", "nowhere"]}, {"visits"}, id="any-of-list"),
        pytest.param({"module": None}, {"conversion_rate", "orders_label", "visits"}, id="has-tag"),
        pytest.param({"module": "nowhere"}, set(), id="no-match"),
        pytest.param({"owner": None}, set(), id="absent-tag"),
    ],
)
def test_list_available_variables_tag_filter(impl: Impl, ham: Impl, tag_filter, expected):
    def run(lib: Impl):
        dr = lib.builder().with_modules(dup_a, dup_b).allow_module_overrides().build()
        return names(dr.list_available_variables(tag_filter=tag_filter))

    got, want = both(impl, ham, run)
    assert got == want == expected


@pytest.mark.parametrize("bad_value", [[], 3], ids=["empty-list", "int"])
def test_list_available_variables_bad_tag_filter(impl: Impl, ham: Impl, bad_value):
    got, _ = both_raise(
        impl,
        ham,
        lambda lib: lib.build(docs).list_available_variables(tag_filter={"module": bad_value}),
    )
    assert isinstance(got, ValueError)


# -- upstream / downstream / path ------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            ("weather_line",),
            {"weather_line", "temperature_c", "temperature_f", "is_freezing", "station"},
        ),
        (
            ("is_freezing", "temperature_k"),
            {"is_freezing", "temperature_k", "temperature_c", "temperature_f"},
        ),
        (("temperature_f",), {"temperature_f"}),
    ],
    ids=["one", "several", "an-input"],
)
def test_what_is_upstream_of(impl: Impl, ham: Impl, query, expected):
    got, want = both(impl, ham, lambda lib: names(lib.build(docs).what_is_upstream_of(*query)))
    assert got == want == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (("temperature_c",), {"temperature_c", "temperature_k", "is_freezing", "weather_line"}),
        (("temperature_f",), {"temperature_f"} | DOCS_COMPUTED),
        (("station", "temperature_k"), {"station", "weather_line", "temperature_k"}),
        (("weather_line",), {"weather_line"}),
    ],
    ids=["node", "input", "several", "a-sink"],
)
def test_what_is_downstream_of(impl: Impl, ham: Impl, query, expected):
    got, want = both(impl, ham, lambda lib: names(lib.build(docs).what_is_downstream_of(*query)))
    assert got == want == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            "temperature_f",
            "weather_line",
            {"temperature_f", "temperature_c", "is_freezing", "weather_line"},
        ),
        ("temperature_c", "is_freezing", {"temperature_c", "is_freezing"}),
        ("temperature_k", "weather_line", set()),  # no path
        ("weather_line", "temperature_f", set()),  # wrong direction
    ],
    ids=["through-two-branches", "one-edge", "no-path", "reversed"],
)
def test_what_is_the_path_between(impl: Impl, ham: Impl, start, end, expected):
    got, want = both(
        impl, ham, lambda lib: names(lib.build(docs).what_is_the_path_between(start, end))
    )
    assert got == want == expected


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda dr: dr.what_is_upstream_of("temperature_x"), id="upstream"),
        pytest.param(lambda dr: dr.what_is_downstream_of("temperature_x"), id="downstream"),
        pytest.param(
            lambda dr: dr.what_is_the_path_between("temperature_x", "weather_line"), id="path-start"
        ),
        pytest.param(
            lambda dr: dr.what_is_the_path_between("temperature_f", "temperature_x"), id="path-end"
        ),
    ],
)
def test_lineage_of_an_unknown_node_is_a_value_error(impl: Impl, ham: Impl, query):
    got, _ = both_raise(impl, ham, lambda lib: query(lib.build(docs)))
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "temperature_x")


def test_lineage_through_a_cycle(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = _build(lib, cycle)
        return (
            names(dr.what_is_upstream_of("forecast_report")),
            names(dr.what_is_downstream_of("baseline")),
            names(dr.what_is_the_path_between("baseline", "forecast_report")),
        )

    got, want = both(impl, ham, run)
    assert got == want
    on_cycle = {"forecast", "adjusted", "residual"}
    assert got[0] == on_cycle | {"forecast_report", "baseline", "history"}
    assert got[1] == on_cycle | {"forecast_report", "baseline"}
    assert got[2] == on_cycle | {"forecast_report", "baseline"}


# -- validate_execution ------------------------------------------------------------------------
def test_validate_execution_passes_and_returns_none(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(docs).validate_execution(
            ["weather_line"], inputs={"temperature_f": 10.0}
        ),
    )
    assert got is want is None


def test_validate_execution_accepts_overrides_in_place_of_inputs(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(docs).validate_execution(
            ["is_freezing"], overrides={"temperature_c": 1.0}
        ),
    )
    assert got is want is None


@pytest.mark.parametrize(
    ("final_vars", "inputs", "named"),
    [
        (["weather_line"], {}, "temperature_f"),
        (["weather_line"], {"temperature_f": 10}, "temperature_f"),
        (["temperature_x"], {"temperature_f": 10.0}, "temperature_x"),
    ],
    ids=["missing-input", "wrong-type", "unknown-output"],
)
def test_validate_execution_errors(impl: Impl, ham: Impl, final_vars, inputs, named):
    got, _ = both_raise(
        impl, ham, lambda lib: lib.build(docs).validate_execution(final_vars, inputs=inputs)
    )
    assert isinstance(got, ValueError)
    assert_mentions_node(got, named)


def test_validate_execution_runs_nothing(impl: Impl):
    _build(impl, cycle).validate_execution(["history_report"], inputs={"history": [1.0]})
    assert cycle.CALLS == []


# -- export_execution --------------------------------------------------------------------------
def _external(lib: Impl, module, **kw) -> set[str]:
    return {
        v.name for v in lib.build(module, **kw).list_available_variables() if v.is_external_input
    }


@pytest.mark.parametrize(
    ("module", "final_vars", "kwargs"),
    [
        (docs, ["weather_line"], {"inputs": {"temperature_f": 10.0}}),
        (docs, ["is_freezing"], {"overrides": {"temperature_c": 1.0}}),
        (
            marketing,
            ["spend_zscore", "spend_rolling"],
            {"inputs": {"spend": None, "signups": None}},
        ),
        (defaults, ["amount_due"], {"inputs": {"gross_price": 40.0, "tax_rate": 0.1}}),
    ],
    ids=["docs", "docs-override", "marketing", "defaults"],
)
def test_export_execution_matches(impl: Impl, ham: Impl, module, final_vars, kwargs):
    got, want = both(
        impl, ham, lambda lib: lib.build(module).export_execution(final_vars, **kwargs)
    )
    assert isinstance(got, str)
    assert_same_export(got, want, _external(ham, module))


def test_export_execution_format(impl: Impl):
    exported = impl.build(docs).export_execution(["is_freezing"], inputs={"temperature_f": 1.0})
    nodes = export_table(exported)
    assert [n["name"] for n in nodes] == ["is_freezing", "temperature_c", "temperature_f"]
    freezing = nodes[0]
    assert set(freezing) == {
        "name",
        "tags",
        "output_type",
        "required_dependencies",
        "optional_dependencies",
        "source",
        "documentation",
        "version",
    }
    assert freezing["tags"] == {"module": "dags.docs"}
    assert freezing["output_type"] == "bool"
    assert freezing["required_dependencies"] == ["temperature_c"]
    assert freezing["optional_dependencies"] == []
    assert freezing["source"].startswith("def is_freezing(temperature_c: float) -> bool:\n")
    assert freezing["documentation"] == "True at or below 0 C."
    assert isinstance(freezing["version"], str) and len(freezing["version"]) == 64  # sha256 hex
    external = nodes[2]
    assert (external["tags"], external["output_type"], external["documentation"]) == (
        {},
        "float",
        "",
    )


def test_export_execution_with_an_override_stops_at_it(impl: Impl):
    nodes = export_table(
        impl.build(docs).export_execution(["is_freezing"], overrides={"temperature_c": 1.0})
    )
    assert [n["name"] for n in nodes] == ["is_freezing", "temperature_c"]


def test_export_execution_validates_inputs(impl: Impl, ham: Impl):
    got, _ = both_raise(impl, ham, lambda lib: lib.build(docs).export_execution(["is_freezing"]))
    assert isinstance(got, ValueError)
    assert_mentions_node(got, "temperature_f")


# -- has_cycles on an acyclic graph ------------------------------------------------------------
def test_has_cycles_false_for_a_dag(impl: Impl, ham: Impl):
    got, want = both(
        impl,
        ham,
        lambda lib: lib.build(marketing).has_cycles(
            ["spend_zscore", marketing.rolling_cost_per_signup]
        ),
    )
    assert got is want is False
