"""Progress bars: ``plugins.h_tqdm.ProgressBar`` and ``plugins.h_rich.RichProgressBar`` count
the nodes of each run; a missing library names the extra to install."""

from __future__ import annotations

import io
import sys

import pytest
from rich.console import Console

from dags import lifecycle_flow as flow
from plait import driver
from plait.plugins import h_rich, h_tqdm

X = {"x": 1}


def build(*adapters):
    return driver.Builder().with_modules(flow).with_adapters(*adapters).build()


def test_tqdm_counts_the_nodes_and_ends_complete():
    out = io.StringIO()
    bar = h_tqdm.ProgressBar(desc="flow", file=out, ascii=True, mininterval=0)
    assert build(bar).execute(["summary", "doubled"], inputs={"x": 1}, overrides={"broken": 5}) == {
        "summary": {"doubled": 4, "after_broken": 6},
        "doubled": 4,
    }
    text = out.getvalue()
    final = text.rsplit("\r", 1)[-1]
    assert "flow -> Execution Complete!" in final
    assert "4/4" in final  # base, doubled, after_broken, summary (broken is overridden)
    assert "funcs" in final
    assert "flow -> after_broken:" in text  # node names are shown while they run
    assert "flow -> base        :" in text  # padded to the longest name


def test_tqdm_pads_and_cuts_node_names_to_one_width():
    out = io.StringIO()
    bar = h_tqdm.ProgressBar(desc="d", max_node_name_width=6, file=out, mininterval=0)
    build(bar).execute(["doubled"], inputs=X)
    text = out.getvalue()
    assert "d -> base  :" in text
    assert "d -> dou...:" in text
    assert "d -> Execution Complete!:" in text


def test_tqdm_closes_the_bar_when_a_node_fails():
    out = io.StringIO()
    bar = h_tqdm.ProgressBar(file=out, ascii=True)
    with pytest.raises(flow.Flaky):
        build(bar).execute(["broken"], inputs=X)
    assert bar.progress_bar.disable or bar.progress_bar.n == 1
    assert "Execution Complete!" in out.getvalue()


def _console(out: io.StringIO) -> Console:
    return Console(file=out, force_terminal=True, width=100, color_system=None)


def test_rich_counts_the_nodes_of_each_run():
    out = io.StringIO()
    bar = h_rich.RichProgressBar(run_desc="Flow:", console=_console(out))
    dr = build(bar)
    assert dr.execute(["doubled"], inputs=X) == {"doubled": 4}
    assert "Flow:" in out.getvalue()
    assert "100%" in out.getvalue()
    (task,) = bar._progress.tasks
    assert (task.completed, task.total) == (2, 2)
    dr.execute(["summary"], inputs=X, overrides={"broken": 1})
    (task,) = bar._progress.tasks  # one task per run, not one more per run
    assert (task.completed, task.total) == (4, 4)


def test_rich_stops_when_a_node_fails():
    bar = h_rich.RichProgressBar(console=_console(io.StringIO()))
    with pytest.raises(flow.Flaky):
        build(bar).execute(["broken"], inputs=X)
    assert not bar._progress.live.is_started
    (task,) = bar._progress.tasks
    assert task.description == "Running:"


@pytest.mark.parametrize(
    ("module", "make", "extra"),
    [
        ("tqdm", lambda: h_tqdm.ProgressBar(), "tqdm"),
        ("rich.progress", lambda: h_rich.RichProgressBar(), "rich"),
    ],
    ids=["tqdm", "rich"],
)
def test_a_missing_library_names_the_extra(monkeypatch, module, make, extra):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf'pip install "plait\[{extra}\]"'):
        make()
