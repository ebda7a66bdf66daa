"""The built-in plugins under dynamic execution: progress bars count tasks and items, the logging
adapter logs each task, the tracer opens a span per task with its nodes' spans inside - with the
real tqdm, rich, logging and OpenTelemetry SDK, on the local, thread and process executors."""

from __future__ import annotations

import io
import logging
import pickle
import re
from typing import Any

import pytest
from opentelemetry.trace import StatusCode
from rich.console import Console

from dags import lifecycle_flow as flow
from dags import mod_parallel_basic as basic
from dags import mod_parallel_failing as failing
from plait import driver
from plait.execution import executors
from plait.plugins import h_logging, h_opentelemetry, h_rich, h_tqdm

INPUTS = {"n": 3, "offset": 1}
REPORT = {"report": "v10,v20,v30"}
ITEMS = [f"expand-item.{i}.block-item" for i in range(3)]
LOGGER = "plait.plugins.h_logging"


def dynamic(*adapters: Any, module: Any = basic, remote: Any = None) -> Any:
    builder = driver.Builder().with_modules(module).with_adapters(*adapters)
    builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
    return builder.with_remote_executor(remote or executors.SynchronousLocalTaskExecutor()).build()


REMOTES = {
    "local": lambda: None,
    "threads": lambda: executors.MultiThreadingExecutor(2),
    "processes": lambda: executors.MultiProcessingExecutor(2),
}


# -- progress bars ----------------------------------------------------------------------------


def _final(out: io.StringIO) -> str:
    return out.getvalue().rsplit("\r", 1)[-1]


@pytest.mark.parametrize("remote", list(REMOTES))
def test_tqdm_counts_tasks_and_items_with_the_right_total(remote):
    out = io.StringIO()
    bar = h_tqdm.ProgressBar(desc="flow", file=out, ascii=True, mininterval=0)
    assert dynamic(bar, remote=REMOTES[remote]()).execute(["report"], inputs=INPUTS) == REPORT
    # n, offset, scale, expand-item, collect-item and the 3 items
    assert (bar.progress_bar.n, bar.progress_bar.total) == (8, 8)
    final = _final(out)
    assert "flow -> Execution Complete!" in final
    assert "100%" in final
    assert "8/8" in final
    assert "tasks/s" in final
    assert "flow -> block-item  :" in out.getvalue()  # items show their block, padded
    assert "flow -> expand-item :" in out.getvalue()


def test_tqdm_total_grows_when_the_items_are_known():
    out = io.StringIO()
    bar = h_tqdm.ProgressBar(desc="flow", file=out, ascii=True, mininterval=0)
    dynamic(bar).execute(["report"], inputs={"n": 0, "offset": 1})
    assert (bar.progress_bar.n, bar.progress_bar.total) == (5, 5)  # no items
    assert re.search(r"/5 ", out.getvalue())


def test_tqdm_without_dynamic_execution_still_counts_nodes():
    out = io.StringIO()
    bar = h_tqdm.ProgressBar(desc="flow", file=out, ascii=True, mininterval=0)
    dr = driver.Builder().with_modules(basic).with_adapters(bar).build()
    assert dr.execute(["scale"]) == {"scale": 10}
    assert "funcs" in _final(out)
    assert "1/1" in _final(out)


def _console(out: io.StringIO) -> Console:
    return Console(file=out, force_terminal=True, width=100, color_system=None)


@pytest.mark.parametrize("remote", list(REMOTES))
def test_rich_counts_tasks_and_adds_a_line_per_block(remote):
    out = io.StringIO()
    bar = h_rich.RichProgressBar(collect_desc="Items:", console=_console(out))
    dr = dynamic(bar, remote=REMOTES[remote]())
    for _ in range(2):  # a second run starts afresh
        assert dr.execute(["report"], inputs=INPUTS) == REPORT
        lines = [(t.description, t.completed, t.total) for t in bar._progress.tasks]
        assert lines == [("Running:", 5, 5), ("Items:", 3, 3)]
    assert "Items:" in out.getvalue()
    assert "100%" in out.getvalue()


def test_rich_stops_when_an_item_fails():
    bar = h_rich.RichProgressBar(console=_console(io.StringIO()))
    with pytest.raises(ValueError, match="item 1 is not allowed"):
        dynamic(bar, module=failing).execute(["checked_total"], inputs={"n": 3, "fail_at": 1})
    assert not bar._progress.live.is_started
    lines = [(t.description, t.completed, t.total) for t in bar._progress.tasks]
    assert lines == [("Running:", 3, 4), ("Collecting:", 1, 3)]  # only what succeeded


def test_a_bar_sent_to_a_worker_process_is_inert():
    bar = h_tqdm.ProgressBar(file=io.StringIO())
    copy = pickle.loads(pickle.dumps(bar))
    assert copy.progress_bar is None
    copy.run_before_node_execution(node_name="x")  # does nothing, does not fail
    rich_copy = pickle.loads(pickle.dumps(h_rich.RichProgressBar(console=_console(io.StringIO()))))
    rich_copy.run_after_node_execution()
    rich_copy.run_after_graph_execution()


# -- logging ----------------------------------------------------------------------------------


def _task_lines(caplog: pytest.LogCaptureFixture, task: str) -> list[tuple[str, str]]:
    prefix = f"Task '{task}' - "
    return [
        (r.levelname, r.getMessage()[len(prefix) :])
        for r in caplog.records
        if r.name == LOGGER and r.getMessage().startswith(prefix)
    ]


def test_the_logging_adapter_logs_each_task(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    assert dynamic(h_logging.LoggingAdapter()).execute(["report"], inputs=INPUTS) == REPORT
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert re.fullmatch(r"Graph run '.+' - Dynamic execution in 6 tasks: .*", messages[2])
    assert _task_lines(caplog, "n") == [("DEBUG", "Submitted"), ("DEBUG", "Returned [OK]")]
    assert _task_lines(caplog, "expand-item") == [
        ("DEBUG", "Submitted"),
        ("DEBUG", "Started, nodes: 'item'"),
        ("DEBUG", "Node 'item' - Started, dependencies: 'n'"),
        ("DEBUG", "Node 'item' - Finished [OK]"),
        ("DEBUG", "Finished [OK]"),
        ("INFO", "Returned [OK]"),
    ]
    assert _task_lines(caplog, ITEMS[2]) == [
        ("DEBUG", "Submitted, an item of task 'expand-item'"),
        ("DEBUG", "Started, nodes: 'shifted', 'scaled', 'labelled'"),
        ("DEBUG", "Node 'shifted' - Started, dependencies: 'item', 'offset'"),
        ("DEBUG", "Node 'shifted' - Finished [OK]"),
        ("DEBUG", "Node 'scaled' - Started, dependencies: 'shifted', 'scale'"),
        ("DEBUG", "Node 'scaled' - Finished [OK]"),
        ("DEBUG", "Node 'labelled' - Started, dependencies: 'scaled'"),
        ("DEBUG", "Node 'labelled' - Finished [OK]"),
        ("DEBUG", "Finished [OK]"),
        ("INFO", "Returned [OK]"),
    ]


def test_an_overridden_node_task_logs_only_its_submission_and_return(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    dynamic(h_logging.LoggingAdapter()).execute(["report"], inputs=INPUTS, overrides={"scale": 2})
    assert _task_lines(caplog, "scale") == [("DEBUG", "Submitted"), ("DEBUG", "Returned [OK]")]


@pytest.mark.parametrize("remote", ["local", "threads"])
def test_a_failed_item_logs_its_traceback_once(caplog, remote):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    dr = dynamic(h_logging.LoggingAdapter(), module=failing, remote=REMOTES[remote]())
    with pytest.raises(ValueError, match="item 1 is not allowed"):
        dr.execute(["checked_total"], inputs={"n": 3, "fail_at": 1})
    errors = [r for r in caplog.records if r.name == LOGGER and r.levelname == "ERROR"]
    assert [r.getMessage().split(" - ", 1)[-1] for r in errors[:2]] == [
        "Node 'checked' - Failed",
        "Failed",
    ]
    assert errors[0].getMessage().startswith(f"Task '{ITEMS[1]}' - ")
    assert [r.exc_info is not None for r in errors] == [True, False, False]  # node, task, run


def test_a_failure_in_a_worker_process_is_logged_when_its_task_returns(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    remote = executors.MultiProcessingExecutor(2)
    dr = dynamic(h_logging.LoggingAdapter(), module=failing, remote=remote)
    with pytest.raises(ValueError, match="item 1 is not allowed"):
        dr.execute(["checked_total"], inputs={"n": 3, "fail_at": 1})
    (returned,) = [
        r for r in caplog.records if r.name == LOGGER and r.getMessage().endswith("Returned failed")
    ]
    assert returned.getMessage().startswith(f"Task '{ITEMS[1]}' - ")
    assert returned.exc_info is not None  # the worker's lines stay in the worker


def test_without_dynamic_execution_the_logging_adapter_logs_no_tasks(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    driver.Builder().with_modules(flow).with_adapters(h_logging.LoggingAdapter()).build().execute(
        ["doubled"], inputs={"x": 1}
    )
    assert not [r for r in caplog.records if "Task" in r.getMessage()]


# -- OpenTelemetry ----------------------------------------------------------------------------


@pytest.mark.parametrize("remote", ["local", "threads"])
def test_a_span_per_task_with_its_nodes_spans_inside(traced, remote):
    tracer, exporter = traced
    adapter = h_opentelemetry.OpenTelemetryTracer(tracer=tracer)
    assert dynamic(adapter, remote=REMOTES[remote]()).execute(["report"], inputs=INPUTS) == REPORT
    spans = exporter.get_finished_spans()
    (run,) = [s for s in spans if s.parent is None]
    by_id = {s.context.span_id: s for s in spans}
    tasks = {s.name: s for s in spans if s.parent and s.parent.span_id == run.context.span_id}
    assert sorted(tasks) == sorted(["n", "offset", "scale", "expand-item", "collect-item", *ITEMS])
    assert all(s.context.trace_id == run.context.trace_id for s in spans)  # one trace
    nested = sorted(
        (by_id[s.parent.span_id].name, s.name)
        for s in spans
        if s.parent and s.parent.span_id != run.context.span_id
    )
    assert nested == sorted(
        [("collect-item", "report"), ("expand-item", "item"), ("scale", "scale")]
        + [(task, node) for task in ITEMS for node in ("shifted", "scaled", "labelled")]
    )
    item = tasks[ITEMS[2]]
    assert item.attributes["nodes"] == ("shifted", "scaled", "labelled")
    assert item.attributes["inputs"] == ("offset", "scale", "item")
    assert item.attributes["overrides"] == ()
    assert item.status.status_code is StatusCode.OK


def test_a_failed_item_marks_its_task_span_and_the_run_span(traced):
    tracer, exporter = traced
    dr = dynamic(h_opentelemetry.OpenTelemetryTracer(tracer=tracer), module=failing)
    with pytest.raises(ValueError):
        dr.execute(["checked_total"], inputs={"n": 3, "fail_at": 1})
    status = {s.name: s.status.status_code for s in exporter.get_finished_spans()}
    assert status[ITEMS[1]] is StatusCode.ERROR
    assert status[ITEMS[0]] is StatusCode.OK
    assert list(status.values()).count(StatusCode.ERROR) == 3  # node, task, run


def test_the_tracer_travels_to_worker_processes():
    tracer = h_opentelemetry.OpenTelemetryTracer()  # the global (no-op) provider
    dr = dynamic(tracer, remote=executors.MultiProcessingExecutor(2))
    assert dr.execute(["report"], inputs=INPUTS) == REPORT
    assert tracer._runs == {}  # the run's context is dropped at the end
