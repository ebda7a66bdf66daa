"""The ready-made adapters of ``plait.lifecycle``: PrintLn, PDBDebugger, GracefulErrorAdapter,
FunctionInputOutputTypeChecker, NoEdgeAndInputTypeChecking, SlowDownYouMoveTooFast."""

from __future__ import annotations

import io
import logging
import pdb
import re

import pytest

from dags import lifecycle_flow as flow
from plait import ad_hoc_utils, driver, lifecycle
from plait._hooks.graceful import is_sentinel
from plait._model.errors import GraphError, PlaitError
from plait.htypes import Collect, Parallelizable
from plait.lifecycle import (
    FunctionInputOutputTypeChecker,
    GracefulErrorAdapter,
    NodeTypeCheckError,
    NoEdgeAndInputTypeChecking,
    PDBDebugger,
    PrintLn,
    SlowDownYouMoveTooFast,
    accept_error_sentinels,
)

X = {"x": 1}


def build(*adapters, module=flow):
    return driver.Builder().with_modules(module).with_adapters(*adapters).build()


# -- PrintLn ----------------------------------------------------------------------------------


def test_println_prints_a_line_before_and_after_each_node():
    lines: list[str] = []
    build(PrintLn(print_fn=lines.append)).execute(["doubled"], inputs=X)
    assert [re.sub(r"in [\d.]+(μs|ms|s)\.", "in T.", line) for line in lines] == [
        "Executing node: base.",
        "Finished debugging node: base in T. Status: Success.",
        "Executing node: doubled.",
        "Finished debugging node: doubled in T. Status: Success.",
    ]


def test_println_verbosity_2_shows_inputs_and_result_or_error():
    lines: list[str] = []
    with pytest.raises(flow.Flaky):
        build(PrintLn(verbosity=2, print_fn=lines.append)).execute(["broken"], inputs=X)
    assert lines[0] == "Executing node: base. Inputs: \n{'x': 1}"
    assert lines[1].endswith("Status: Success. Result: \n2\n")
    assert lines[2] == "Executing node: broken. Inputs: \n{'base': 2}"
    assert lines[3].endswith("Status: Failure. Error: \nFlaky('broken at 2')")


@pytest.mark.parametrize(
    "node_filter",
    ["doubled", ["doubled"], lambda name, tags: name.startswith("d")],
    ids=["name", "list", "callable"],
)
def test_println_node_filter_selects_nodes(node_filter):
    lines: list[str] = []
    build(PrintLn(print_fn=lines.append, node_filter=node_filter)).execute(["doubled"], inputs=X)
    assert len(lines) == 2
    assert all("doubled" in line for line in lines)


def test_println_names_a_node_inside_a_task_by_task_and_node():
    lines: list[str] = []
    hook = PrintLn(print_fn=lines.append)
    common = {"node_name": "n", "node_tags": {}, "task_id": "t1"}
    hook.run_before_node_execution(node_kwargs={}, **common)
    hook.run_after_node_execution(result=1, error=None, success=True, **common)
    assert lines[0] == "Executing node: t1:n."
    assert lines[1].startswith("Finished debugging node: t1:n in ")
    assert hook.timer_dict == {}


@pytest.mark.parametrize(
    "kwargs", [{"verbosity": 3}, {"node_filter": 42}], ids=["verbosity", "filter"]
)
def test_println_refuses_bad_arguments_as_value_errors(kwargs):
    with pytest.raises(ValueError) as info:
        PrintLn(**kwargs)
    assert isinstance(info.value, PlaitError)


def test_println_hook_is_an_alias_of_println():
    assert lifecycle.PrintLnHook is PrintLn


def test_lifecycle_default_holds_the_adapters_under_hamiltons_module_name():
    from plait.lifecycle import default

    assert default.PrintLn is PrintLn
    assert default.GracefulErrorAdapter is GracefulErrorAdapter
    assert default.accept_error_sentinels is accept_error_sentinels
    assert default.should_run_node("a", {}, ["a", "b"])
    assert not default.should_run_node("a", {}, "b")


# -- SlowDownYouMoveTooFast -------------------------------------------------------------------


def test_slow_down_sleeps_before_each_node_never_negative(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("plait._hooks.builtins.time.sleep", slept.append)
    assert build(SlowDownYouMoveTooFast(-5.0, 0.0)).execute(["doubled"], inputs=X) == {"doubled": 4}
    assert slept == [0.0, 0.0]


# -- FunctionInputOutputTypeChecker -----------------------------------------------------------


def test_type_checker_fails_a_node_whose_result_does_not_match_its_annotation():
    with pytest.raises(TypeError) as info:
        build(FunctionInputOutputTypeChecker()).execute(["mistyped"], inputs=X)
    assert isinstance(info.value, NodeTypeCheckError)
    assert str(info.value).startswith("Node 'mistyped' returned int, but is annotated -> str.")


def test_a_type_check_error_blames_the_node_not_the_hook():
    with pytest.raises(NodeTypeCheckError) as info:
        build(FunctionInputOutputTypeChecker()).execute(["mistyped"], inputs=X)
    assert info.value.__notes__ == [
        "plait: hook FunctionInputOutputTypeChecker.run_after_node_execution rejected node "
        "'mistyped'"
    ]


def test_type_checker_looks_inside_containers():
    with pytest.raises(NodeTypeCheckError, match=r"annotated -> list\[int\]"):
        build(FunctionInputOutputTypeChecker()).execute(["items"], inputs=X)


def test_type_checker_checks_inputs():
    checker = FunctionInputOutputTypeChecker(check_output=False)
    with pytest.raises(NodeTypeCheckError, match="parameter 'mistyped', annotated str"):
        build(checker).execute(["shout"], inputs=X)


def test_type_checker_can_be_told_to_skip_both_sides():
    checker = FunctionInputOutputTypeChecker(check_input=False, check_output=False)
    assert build(checker).execute(["shout"], inputs=X) == {"shout": "2!"}


def test_type_checker_passes_well_typed_nodes_and_leaves_failures_alone():
    checker = FunctionInputOutputTypeChecker()
    assert build(checker).execute(["doubled"], inputs=X) == {"doubled": 4}
    with pytest.raises(flow.Flaky):  # the node's own error, not a type error about None
        build(checker).execute(["broken"], inputs=X)


# -- NoEdgeAndInputTypeChecking -----------------------------------------------------------------


def words() -> str:
    return "ab"


def word_count(words: int) -> int:
    return len(words)  # type: ignore[arg-type]


def test_no_edge_and_input_type_checking_accepts_any_edge_and_input():
    module = ad_hoc_utils.create_temporary_module(words, word_count)
    with pytest.raises(GraphError):
        build(module=module)
    dr = build(NoEdgeAndInputTypeChecking(), module=module)
    assert dr.execute(["word_count"]) == {"word_count": 2}
    assert build(NoEdgeAndInputTypeChecking()).execute(["base"], inputs={"x": 1.5}) == {"base": 2.5}


# -- GracefulErrorAdapter ---------------------------------------------------------------------

EVERYTHING = ["base", "doubled", "broken", "after_broken", "optional_broken", "summary"]


def test_graceful_errors_prune_the_failed_branch():
    dr = build(GracefulErrorAdapter(error_to_catch=flow.Flaky))
    assert dr.execute(EVERYTHING, inputs=X) == {
        "base": 2,
        "doubled": 4,
        "broken": None,
        "after_broken": None,
        "optional_broken": None,
        "summary": None,
    }


def test_graceful_errors_use_the_given_sentinel():
    failed = object()
    dr = build(GracefulErrorAdapter(error_to_catch=flow.Flaky, sentinel_value=failed))
    out = dr.execute(["doubled", "summary"], inputs=X)
    assert out["doubled"] == 4
    assert out["summary"] is failed


def test_graceful_errors_let_other_errors_through():
    dr = build(GracefulErrorAdapter(error_to_catch=flow.Flaky))
    with pytest.raises(KeyError):
        dr.execute(["lookup"], inputs={"x": 2})
    dr = build(GracefulErrorAdapter(error_to_catch=(flow.Flaky, KeyError)))
    assert dr.execute(["lookup"], inputs={"x": 2}) == {"lookup": None}


FAILED = "FAILED"


def source() -> int:
    raise flow.Flaky("no data")


def report(source: int) -> str:
    return "partial" if source == FAILED else "full"


def test_accept_error_sentinels_lets_a_node_see_the_sentinel():
    module = ad_hoc_utils.create_temporary_module(source, accept_error_sentinels(report))
    adapter = GracefulErrorAdapter(error_to_catch=flow.Flaky, sentinel_value=FAILED)
    assert build(adapter, module=module).execute(["report"]) == {"report": "partial"}
    adapter = GracefulErrorAdapter(flow.Flaky, sentinel_value=FAILED, allow_injection=False)
    assert build(adapter, module=module).execute(["report"]) == {"report": FAILED}
    node = build(module=module).list_available_variables(
        tag_filter={"hamilton.error_sentinel": None}
    )
    assert [n.name for n in node] == ["report"]


def _items(fail_at: int):
    for i in range(5):
        if i == fail_at:
            raise flow.Flaky(i)
        yield i


@pytest.mark.parametrize(
    ("try_all_parallel", "expected"), [(True, [0, 1, 2, None]), (False, [None])]
)
def test_graceful_errors_on_a_parallelizable_node_keep_or_drop_the_items(
    try_all_parallel, expected
):
    adapter = GracefulErrorAdapter(flow.Flaky, try_all_parallel=try_all_parallel)
    out = adapter.run_to_execute_node(
        node_callable=_items, node_kwargs={"fail_at": 3}, node_tags={}, is_expand=True
    )
    assert out == expected


def test_graceful_errors_on_a_parallelizable_node_that_fails_at_once_or_gets_a_sentinel():
    adapter = GracefulErrorAdapter(flow.Flaky, sentinel_value=FAILED)

    def fails_at_once(n: int):
        raise flow.Flaky(n)

    call = {"node_tags": {}, "is_expand": True}
    assert adapter.run_to_execute_node(
        node_callable=fails_at_once, node_kwargs={"n": 1}, **call
    ) == [FAILED]
    assert adapter.run_to_execute_node(
        node_callable=_items, node_kwargs={"fail_at": FAILED}, **call
    ) == [FAILED]
    assert adapter.run_to_execute_node(
        node_callable=_items, node_kwargs={"fail_at": 9}, **call
    ) == [0, 1, 2, 3, 4]


def start_point() -> Parallelizable[int]:
    yield from _items(fail_at=3)


def inner(start_point: int) -> int:
    return start_point


def gather(inner: Collect[int]) -> list:
    return list(inner)


@pytest.mark.parametrize(
    ("try_all_parallel", "expected"), [(True, [0, 1, 2, None]), (False, [None])]
)
def test_graceful_errors_in_a_dynamic_run(try_all_parallel, expected):
    module = ad_hoc_utils.create_temporary_module(start_point, inner, gather)
    adapter = GracefulErrorAdapter(flow.Flaky, try_all_parallel=try_all_parallel)
    dr = (
        driver.Builder()
        .with_modules(module)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_adapters(adapter)
        .build()
    )
    assert dr.execute(["gather"]) == {"gather": expected}


class _NoBoolEq:
    def __eq__(self, other):
        raise ValueError("ambiguous")

    __hash__ = object.__hash__


def test_a_sentinel_is_the_same_object_or_an_equal_value_of_the_same_type():
    marker = _NoBoolEq()
    assert is_sentinel(marker, marker)
    assert not is_sentinel(_NoBoolEq(), marker)  # == raised: not a sentinel
    assert is_sentinel("x", "x")
    assert not is_sentinel(0, 0.0)  # equal, but another type (Hamilton's rule)
    assert not is_sentinel(0, None)


# -- PDBDebugger -------------------------------------------------------------------------------


@pytest.fixture
def debugger_session(monkeypatch):
    """Replace ``pdb.Pdb`` with one reading ``commands`` and writing into ``out``."""
    session = {"commands": "c\n", "out": io.StringIO(), "opened": 0}

    class ScriptedPdb(pdb.Pdb):
        def __init__(self, *args, **kwargs):
            session["opened"] += 1
            kwargs.update(stdin=io.StringIO(session["commands"]), stdout=session["out"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pdb, "Pdb", ScriptedPdb)
    yield session
    monkeypatch.undo()


def test_pdb_before_stops_with_the_node_in_the_locals(debugger_session, caplog):
    debugger_session["commands"] = "p node_name, node_kwargs\nc\n"
    with caplog.at_level(logging.WARNING, logger="plait.lifecycle"):
        out = build(PDBDebugger("doubled", before=True)).execute(["doubled"], inputs=X)
    assert out == {"doubled": 4}
    assert debugger_session["opened"] == 1
    assert "('doubled', {'base': 2})" in debugger_session["out"].getvalue()
    assert "pdb: before node 'doubled'" in caplog.text
    assert " - node_kwargs: base" in caplog.text


def test_pdb_during_steps_into_the_function(debugger_session):
    debugger_session["commands"] = "p base * 100\nc\n"
    out = build(PDBDebugger(["doubled"], during=True)).execute(["doubled"], inputs=X)
    assert out == {"doubled": 4}
    text = debugger_session["out"].getvalue()
    assert "lifecycle_flow.py" in text
    assert "200" in text
    assert PDBDebugger.CONTEXT["node_name"] == "doubled"
    assert PDBDebugger.CONTEXT["node_kwargs"] == {"base": 2}


def test_pdb_after_sees_the_result_or_the_error(debugger_session):
    debugger_session["commands"] = "p result, success\nc\n"
    build(PDBDebugger(lambda name, tags: name == "doubled", after=True)).execute(
        ["doubled"], inputs=X
    )
    assert "(4, True)" in debugger_session["out"].getvalue()
    debugger_session["commands"] = "p error\nc\n"
    with pytest.raises(flow.Flaky):
        build(PDBDebugger("broken", after=True)).execute(["broken"], inputs=X)
    assert "Flaky('broken at 2')" in debugger_session["out"].getvalue()


def test_pdb_does_nothing_for_unselected_nodes_or_modes(debugger_session):
    dr = build(PDBDebugger("base", before=False, during=False, after=False))
    assert dr.execute(["doubled"], inputs=X) == {"doubled": 4}
    dr = build(PDBDebugger("nothing", before=True, during=True, after=True))
    assert dr.execute(["doubled"], inputs=X) == {"doubled": 4}
    assert debugger_session["opened"] == 0


def test_an_error_drawing_parallelizable_items_names_the_node_with_hooks_too():
    from plait.lifecycle import NodeExecutionHook

    def items(n: int) -> Parallelizable[int]:
        yield 1
        raise KeyError("draw failed")

    def total(items: Collect[int]) -> int:
        return sum(items)

    class Quiet(NodeExecutionHook):
        def run_before_node_execution(self, **kwargs: object) -> None:
            pass

        def run_after_node_execution(self, **kwargs: object) -> None:
            pass

    module = ad_hoc_utils.create_temporary_module(items, total)
    dr = (
        driver.Builder()
        .with_modules(module)
        .with_adapters(Quiet())
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )
    with pytest.raises(KeyError) as info:
        dr.execute(["total"], inputs={"n": 2})
    assert any("node 'items'" in note for note in info.value.__notes__)
