"""``plugins.h_logging``: the adapter's records (levels, context prefixes) and ``get_logger``
inside node functions."""

from __future__ import annotations

import logging

import pytest

from dags import lifecycle_flow as flow
from plait import ad_hoc_utils, driver
from plait.plugins import h_logging

X = {"x": 1}


def build(*adapters, module=flow):
    return driver.Builder().with_modules(module).with_adapters(*adapters).build()


def _records(caplog, name="plait.plugins.h_logging"):
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == name]


def test_a_run_logs_its_start_nodes_and_end(caplog):
    caplog.set_level(logging.DEBUG)
    build(h_logging.LoggingAdapter()).execute(["doubled"], inputs=X, overrides={"base": 5})
    (run_id,) = {m.split("'")[1] for _, m in _records(caplog) if m.startswith("Graph run")}
    assert _records(caplog) == [
        ("INFO", f"Graph run '{run_id}' - Execution started"),
        ("INFO", f"Graph run '{run_id}' - Inputs: 'x'"),
        ("INFO", f"Graph run '{run_id}' - Overrides: 'base'"),
        ("DEBUG", "Node 'doubled' - Started, dependencies: 'base'"),
        ("INFO", "Node 'doubled' - Finished [OK]"),
        ("INFO", f"Graph run '{run_id}' - Execution finished [OK]"),
    ]


def test_a_failed_node_is_logged_with_its_traceback(caplog):
    caplog.set_level(logging.INFO)
    with pytest.raises(flow.Flaky):
        build(h_logging.LoggingAdapter("my.flow")).execute(["broken"], inputs=X)
    records = [r for r in caplog.records if r.name == "my.flow"]
    failed = next(r for r in records if r.levelname == "ERROR")
    assert failed.getMessage() == "Node 'broken' - Failed"
    assert failed.exc_info[0] is flow.Flaky
    assert records[-1].levelname == "ERROR"
    assert records[-1].getMessage().endswith("- Execution failed")


def node_without_inputs() -> int:
    h_logging.get_logger("user.code").info("computing")
    return 1


def test_get_logger_prefixes_user_lines_with_the_node(caplog):
    caplog.set_level(logging.DEBUG)
    module = ad_hoc_utils.create_temporary_module(node_without_inputs)
    logger = logging.getLogger("adapter")
    build(h_logging.LoggingAdapter(logger), module=module).execute(["node_without_inputs"])
    assert _records(caplog, "user.code") == [("INFO", "Node 'node_without_inputs' - computing")]
    assert ("DEBUG", "Node 'node_without_inputs' - Started, no dependencies") in _records(
        caplog, "adapter"
    )


def test_context_prefixes():
    context = h_logging.LogContext
    assert context().prefix() == ""
    assert context(graph="g").prefix() == "Graph run 'g' - "
    assert context(graph="g", node="n").prefix() == "Node 'n' - "
    assert context(graph="g", task="t", node="n").prefix() == "Task 't' - "
    assert context(task="t", node="n").prefix(with_node=True) == "Task 't' - Node 'n' - "


def test_skip_context_drops_the_prefix(caplog):
    caplog.set_level(logging.INFO)
    h_logging.get_logger("plain").info("hello", extra={"skip_context": True})
    assert _records(caplog, "plain") == [("INFO", "hello")]
