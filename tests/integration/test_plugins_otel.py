"""``plugins.h_opentelemetry.OpenTelemetryTracer`` with the real SDK: a span per run, a span per
node inside it, attributes, and ERROR status on failure."""

from __future__ import annotations

import json
import sys

import pytest
from opentelemetry.trace import StatusCode

from dags import lifecycle_flow as flow
from plait import driver
from plait.plugins import h_opentelemetry

X = {"x": 1}


def build(*adapters):
    return driver.Builder().with_modules(flow).with_adapters(*adapters).build()


def test_one_span_per_node_inside_one_span_per_run(traced):
    tracer, exporter = traced
    build(h_opentelemetry.OpenTelemetryTracer(tracer=tracer)).execute(["doubled"], inputs=X)
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert len(spans) == 3
    (run_name,) = set(spans) - {"base", "doubled"}
    run = spans[run_name]
    assert run.parent is None
    for name in ("base", "doubled"):
        assert spans[name].parent.span_id == run.context.span_id
        assert spans[name].context.trace_id == run.context.trace_id
        assert spans[name].status.status_code is StatusCode.OK
    assert run.status.status_code is StatusCode.OK
    assert run.attributes["final_vars"] == ("doubled",)
    assert run.attributes["inputs"] == ("x",)
    assert run.attributes["overrides"] == ()
    assert run.attributes["execution_path"] == ("base", "doubled")
    assert len(run.attributes["graph_version"]) == 64
    node = spans["doubled"].attributes
    assert node["type"] == "<class 'int'>"
    assert json.loads(node["tags"]) == {"module": "dags.lifecycle_flow"}
    assert len(node["node_version"]) == 64


def test_a_failed_node_and_its_run_get_error_status(traced):
    tracer, exporter = traced
    with pytest.raises(flow.Flaky):
        build(h_opentelemetry.OpenTelemetryTracer(tracer=tracer)).execute(["broken"], inputs=X)
    spans = {s.name: s for s in exporter.get_finished_spans()}
    broken = spans.pop("broken")
    assert broken.status.status_code is StatusCode.ERROR
    assert broken.status.description == "broken at 2"
    assert [e.name for e in broken.events] == ["exception"]
    assert spans.pop("base").status.status_code is StatusCode.OK
    (run,) = spans.values()
    assert run.status.status_code is StatusCode.ERROR


def test_a_run_nests_under_the_callers_span(traced):
    tracer, exporter = traced
    dr = build(h_opentelemetry.OpenTelemetryTracer(tracer=tracer))
    with tracer.start_as_current_span("request") as outer:
        dr.execute(["base"], inputs=X)
    spans = {s.name: s for s in exporter.get_finished_spans()}
    run = next(s for n, s in spans.items() if n not in ("request", "base"))
    assert run.parent.span_id == outer.get_span_context().span_id


def test_the_tracer_name_picks_a_tracer_from_the_global_provider():
    tracer = h_opentelemetry.OpenTelemetryTracer(tracer_name="mine")
    assert tracer.tracer is not None
    with pytest.raises(ValueError, match="not both"):
        h_opentelemetry.OpenTelemetryTracer(tracer_name="mine", tracer=tracer.tracer)


def test_a_missing_library_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)
    with pytest.raises(ImportError, match=r'pip install "plait\[opentelemetry\]"'):
        h_opentelemetry.OpenTelemetryTracer()
