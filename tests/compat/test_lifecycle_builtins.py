"""The ready-made adapters against Hamilton's on the same module: PrintLn's lines,
GracefulErrorAdapter's results, the type checker's error types, LoggingAdapter's records,
the tqdm bar and the OpenTelemetry spans; under dynamic execution, the logging adapter's
records per task, the spans per task and the rich display's lines."""

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

from .harness import Impl, assert_same, both, both_raise, load_dag

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


# -- under dynamic execution (task hooks) -----------------------------------------------------

DYNAMIC = {
    "block": ("mod_parallel_basic", ["report"], {"n": 3, "offset": 1}, {"scale": 10}),
    "failing item": ("mod_parallel_failing", ["checked_total"], {"n": 3, "fail_at": 1}, None),
}


def run_dynamic(lib: Impl, adapter: Any, case: str) -> Any:
    """A run of ``DYNAMIC[case]`` with ``adapter``, items on the synchronous executor."""
    name, outputs, inputs, overrides = DYNAMIC[case]
    builder = lib.builder().with_modules(load_dag(lib, name)).with_adapters(adapter)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    executors = lib.module("execution.executors")
    builder = builder.with_remote_executor(executors.SynchronousLocalTaskExecutor())
    with contextlib.suppress(ValueError):
        return builder.build().execute(outputs, inputs=inputs, overrides=overrides)


def _dynamic_log_shape(lib: Impl, caplog: pytest.LogCaptureFixture, case: str) -> dict:
    """Per prefix (the run, or a task): its records' ``(level, has traceback)`` in order. The
    order between tasks is Hamilton's own (see test_task_hooks.py), and the words differ."""
    name = f"{lib.name}.plugins.h_logging"
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger=name)
    run_dynamic(lib, lib.module("plugins.h_logging").LoggingAdapter(), case)
    shape: dict[str, list[tuple[str, bool]]] = {}
    for record in caplog.records:
        if record.name == name:
            prefix = re.sub(r"Graph run '[^']+'", "<run>", record.getMessage().split(" - ")[0])
            shape.setdefault(prefix, []).append((record.levelname, record.exc_info is not None))
    return shape


@pytest.mark.parametrize("case", list(DYNAMIC))
def test_logging_adapter_logs_the_same_records_per_task(impl, ham, caplog, case):
    got, want = both(impl, ham, lambda lib: _dynamic_log_shape(lib, caplog, case))
    assert got == want
    assert "Task 'expand-item.0.block-item'" in want


def _dynamic_spans(lib: Impl, case: str) -> list[tuple]:
    """``(name, parent's name, status, attributes)`` per span; a task's attributes with their
    values (names, sorted: Hamilton lists a task's nodes in an order of its own)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = lib.module("plugins.h_opentelemetry").OpenTelemetryTracer(
        tracer=provider.get_tracer("compat")
    )
    run_dynamic(lib, tracer, case)
    spans = exporter.get_finished_spans()
    named = {s.context.span_id: ("<run>" if s.parent is None else s.name) for s in spans}
    provider.shutdown()
    shape = []
    for s in spans:
        attributes: Any = sorted(s.attributes)
        if "nodes" in s.attributes:
            attributes = {k: sorted(v) for k, v in s.attributes.items()}  # type: ignore[arg-type]
        parent = named.get(s.parent.span_id) if s.parent else None
        shape.append((named[s.context.span_id], parent, s.status.status_code.name, attributes))
    return sorted(shape, key=repr)


@pytest.mark.parametrize("case", list(DYNAMIC))
def test_opentelemetry_spans_per_task_have_the_same_shape(impl, ham, case):
    got, want = both(impl, ham, lambda lib: _dynamic_spans(lib, case))
    assert got == want
    assert ("item", "expand-item", "OK", ["node_version", "tags", "type"]) in want


def _rich_lines(lib: Impl) -> list[tuple[str, bool, float | None]]:
    """The display's lines after the run: description, finished, and (for a block) the total."""
    from rich.console import Console

    console = Console(file=io.StringIO(), force_terminal=True, width=80, color_system=None)
    bar = lib.module("plugins.h_rich").RichProgressBar(collect_desc="Items:", console=console)
    run_dynamic(lib, bar, "block")
    return [
        (t.description, t.finished, t.total if t.description == "Items:" else None)
        for t in bar._progress.tasks
    ]


def test_rich_shows_the_same_lines_under_dynamic_execution(impl: Impl, ham: Impl):
    """Both end with the run's line and one line per block, all complete. (The run's line
    counts 5 tasks on plait, 6 on Hamilton, whose total includes the block's template task and
    whose count includes the Collect task twice: see docs/lifecycle.md.)"""
    got, want = both(impl, ham, _rich_lines)
    assert got == want == [("Running:", True, None), ("Items:", True, 3)]
