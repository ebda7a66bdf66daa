"""The ready-made adapters against Hamilton's on the same module: PrintLn's lines,
GracefulErrorAdapter's results, the type checker's error types, LoggingAdapter's records,
the tqdm bar and the OpenTelemetry spans."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from dags import lifecycle_flow as flow

from .harness import Impl, assert_same, both, both_raise

X = {"x": 1}


def lifecycle(lib: Impl) -> Any:
    return lib.module("lifecycle")


def run_with(lib: Impl, adapter: Any, outputs: list[str], **kwargs: Any) -> Any:
    return lib.build(flow, adapters=[adapter]).execute(outputs, inputs=X, **kwargs)


# -- PrintLn ----------------------------------------------------------------------------------


def _println_lines(lib: Impl, verbosity: int, outputs: list[str]) -> list[str]:
    lines: list[str] = []
    adapter = lifecycle(lib).PrintLn(verbosity=verbosity, print_fn=lines.append)
    with contextlib.suppress(flow.Flaky):
        run_with(lib, adapter, outputs)
    return [re.sub(r" in [\d.]+(μs|ms|s)\. ", " in <time>. ", line) for line in lines]


@pytest.mark.parametrize("verbosity", [1, 2])
@pytest.mark.parametrize("outputs", [["summary"], ["doubled", "broken"]], ids=["ok", "fails"])
def test_println_prints_the_same_lines(impl: Impl, ham: Impl, verbosity: int, outputs):
    got, want = both(impl, ham, lambda lib: _println_lines(lib, verbosity, outputs))
    assert got == want
    assert want[0].startswith("Executing node: base.")


# -- GracefulErrorAdapter ---------------------------------------------------------------------

EVERYTHING = ["base", "doubled", "broken", "after_broken", "optional_broken", "summary"]


def test_graceful_errors_give_the_same_results(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        adapter = lifecycle(lib).GracefulErrorAdapter(error_to_catch=flow.Flaky)
        return run_with(lib, adapter, EVERYTHING)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert want["doubled"] == 4
    assert want["summary"] is None


def test_graceful_errors_with_a_sentinel_and_injection(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        lc = lifecycle(lib)

        def gather(doubled: int, broken: int) -> str:
            return f"{doubled}/{'failed' if broken == 'FAILED' else broken}"

        def skipped(broken: int) -> str:
            return "ran"

        module = lib.ad_hoc_utils.create_temporary_module(
            flow.base, flow.broken, flow.doubled, lc.accept_error_sentinels(gather), skipped
        )
        adapter = lc.GracefulErrorAdapter(error_to_catch=flow.Flaky, sentinel_value="FAILED")
        dr = lib.build(module, adapters=[adapter])
        return dr.execute(["gather", "skipped"], inputs=X)

    got, want = both(impl, ham, run)
    assert_same(got, want)
    assert want == {"gather": "4/failed", "skipped": "FAILED"}


def test_graceful_errors_let_other_errors_through(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        adapter = lifecycle(lib).GracefulErrorAdapter(error_to_catch=flow.Flaky)
        return lib.build(flow, adapters=[adapter]).execute(["lookup"], inputs={"x": 2})

    got, want = both_raise(impl, ham, run)
    assert type(got) is type(want) is KeyError


# -- FunctionInputOutputTypeChecker -----------------------------------------------------------


@pytest.mark.parametrize(
    ("outputs", "kwargs"),
    [(["mistyped"], {}), (["items"], {}), (["shout"], {"check_output": False})],
    ids=["output", "container-item", "input"],
)
def test_type_checker_raises_the_same_builtin_type(impl: Impl, ham: Impl, outputs, kwargs):
    def run(lib: Impl) -> Any:
        return run_with(lib, lifecycle(lib).FunctionInputOutputTypeChecker(**kwargs), outputs)

    got, want = both_raise(impl, ham, run)
    assert type(want) is TypeError
    assert outputs[0] in str(got)


def test_type_checker_passes_a_well_typed_run(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        return run_with(lib, lifecycle(lib).FunctionInputOutputTypeChecker(), ["doubled"])

    got, want = both(impl, ham, run)
    assert got == want == {"doubled": 4}


def test_no_edge_and_input_type_checking_accepts_a_wrong_input_type(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        adapter = lifecycle(lib).NoEdgeAndInputTypeChecking()
        return lib.build(flow, adapters=[adapter]).execute(["base"], inputs={"x": 1.5})

    got, want = both(impl, ham, run)
    assert got == want == {"base": 2.5}


# -- LoggingAdapter ---------------------------------------------------------------------------


def _log_shape(lib: Impl, caplog: pytest.LogCaptureFixture, outputs: list[str]) -> list[tuple]:
    """``(level, prefix, has traceback)`` per record; the words after the prefix differ."""
    name = f"{lib.name}.plugins.h_logging"
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger=name)
    adapter = lib.module("plugins.h_logging").LoggingAdapter()
    with contextlib.suppress(flow.Flaky):
        run_with(lib, adapter, outputs, overrides={"doubled": 3})
    shape = []
    for record in caplog.records:
        if record.name != name:
            continue
        prefix = record.getMessage().split(" - ")[0]
        prefix = re.sub(r"Graph run '[^']+'", "Graph run '<id>'", prefix)
        shape.append((record.levelname, prefix, record.exc_info is not None))
    return shape


@pytest.mark.parametrize("outputs", [["summary"], ["after_broken"]], ids=["ok", "fails"])
def test_logging_adapter_logs_the_same_records(impl, ham, caplog, outputs):
    got, want = both(impl, ham, lambda lib: _log_shape(lib, caplog, outputs))
    assert got == want
    assert want[0] == ("INFO", "Graph run '<id>'", False)


# -- progress bar and spans -------------------------------------------------------------------


def _tqdm_final(lib: Impl) -> str:
    out = io.StringIO()
    bar = lib.module("plugins.h_tqdm").ProgressBar(desc="flow", file=out, ascii=True)
    run_with(lib, bar, ["doubled"])  # (with overrides, Hamilton's total counts them: 4/5)
    final = out.getvalue().rsplit("\r", 1)[-1]
    description, rest = final.split(":", 1)
    counts = re.findall(r"\d+%|\d+/\d+", rest.split("[")[0])  # not the timings
    return f"{description}: {' '.join(counts)}"


def test_tqdm_ends_on_the_same_line(impl: Impl, ham: Impl):
    got, want = both(impl, ham, _tqdm_final)
    assert got == want
    assert want == "flow -> Execution Complete!: 100% 2/2"


def _spans(lib: Impl, outputs: list[str]) -> list[tuple]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = lib.module("plugins.h_opentelemetry").OpenTelemetryTracer(
        tracer=provider.get_tracer("compat")
    )
    with contextlib.suppress(flow.Flaky):
        run_with(lib, tracer, outputs)
    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans}
    named = {s.context.span_id: ("<run>" if s.parent is None else s.name) for s in spans}
    provider.shutdown()
    return [
        (
            named[s.context.span_id],
            named[s.parent.span_id] if s.parent and s.parent.span_id in by_id else None,
            s.status.status_code.name,
            sorted(s.attributes),
        )
        for s in spans
    ]


@pytest.mark.parametrize("outputs", [["doubled"], ["broken"]], ids=["ok", "fails"])
def test_opentelemetry_spans_have_the_same_shape(impl: Impl, ham: Impl, outputs):
    got, want = both(impl, ham, lambda lib: _spans(lib, outputs))
    assert got == want
    assert want[-1][:2] == ("<run>", None)
