"""Lifecycle hooks: the same user hook classes (``tests/dags/hooks_user.py``) run through
Hamilton and plait on the same flow (``tests/dags/hooks_flow.py``); what the hooks see must
be the same.

Where plait deliberately differs (it follows Hamilton's documentation rather than an
accident of its implementation), the test states both behaviours, as in
``test_differences.py``. Known plait bugs are strict xfails whose reason starts with "BUG".
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from dags import bad_edge_type

from .harness import Impl, assert_mentions, both, both_raise, builtin_base, load_dag, where

OK_INPUTS = {"x": 1, "fail": False}
FAIL_INPUTS = {"x": 1, "fail": True}


def user(lib: Impl) -> Any:
    """The user's hook classes as ``lib`` sees them."""
    return load_dag(lib, "hooks_user")


def flow(lib: Impl) -> Any:
    return load_dag(lib, "hooks_flow")


def plait_bug(request: pytest.FixtureRequest, impl: Impl, reason: str) -> None:
    """Mark the plait run of this test a strict xfail: a known plait bug."""
    if impl.is_plait:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def run_flow(lib: Impl, hooks: list[Any], inputs: dict[str, Any], **kw: Any) -> Any:
    """Execute ``fragile`` with ``hooks``; return ``(outcome, events of each hook)``."""
    dr = lib.build(flow(lib), adapters=hooks)
    try:
        outcome: Any = ("ok", dr.execute(["fragile"], inputs=inputs, **kw))
    except Exception as exc:
        outcome = ("raised", type(exc).__name__, str(exc))
    return outcome, [h.events for h in hooks]


# -- the public classes: Hamilton's names and keywords ----------------------------------------

HOOK_CLASSES = [
    "NodeExecutionHook",
    "GraphExecutionHook",
    "NodeExecutionMethod",
    "StaticValidator",
    "GraphConstructionHook",
    "EdgeConnectionHook",
    "TaskExecutionHook",
    "TaskSubmissionHook",
    "TaskReturnHook",
    "TaskGroupingHook",
]
#: methods a user implements (Hamilton's bridge methods, ``pre_*``/``post_*``/``do_*``, are
#: internals a user must not override, so they are not part of the comparison)
USER_METHOD_PREFIXES = ("run_", "check_", "validate_input")


def _user_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if name.startswith(USER_METHOD_PREFIXES)
    }


def _keywords(sig: inspect.Signature) -> set[str]:
    return {
        p.name for p in sig.parameters.values() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }


@pytest.mark.parametrize("name", HOOK_CLASSES)
def test_hook_classes_have_hamiltons_methods(impl: Impl, ham: Impl, name: str):
    def run(lib: Impl) -> set[str]:
        return set(_user_methods(getattr(lib.module("lifecycle"), name)))

    got, want = both(impl, ham, run)
    assert got == want


@pytest.mark.parametrize(
    "name",
    [n for n in HOOK_CLASSES if not n.startswith("Task")],  # tasks: dynamic execution
)
def test_hook_methods_declare_hamiltons_keywords(impl: Impl, ham: Impl, name: str):
    def run(lib: Impl) -> dict[str, set[str]]:
        methods = _user_methods(getattr(lib.module("lifecycle"), name))
        return {method: _keywords(sig) for method, sig in methods.items()}

    got, want = both(impl, ham, run)
    assert got == want


# -- node hooks: the same events, in the same order --------------------------------------------


@pytest.mark.parametrize("inputs", [OK_INPUTS, FAIL_INPUTS], ids=["succeeds", "fails"])
def test_node_and_graph_hooks_see_the_same_run(impl: Impl, ham: Impl, inputs: dict[str, Any]):
    def run(lib: Impl) -> Any:
        hooks = user(lib)
        return run_flow(lib, [hooks.NodeRecorder("a"), hooks.GraphRecorder()], inputs)

    got, want = both(impl, ham, run)
    assert got == want
    outcome, (nodes, graph) = got
    assert [(e[1], e[2]) for e in nodes][-2:] == [("before", "fragile"), ("after", "fragile")]
    if inputs["fail"]:
        assert outcome == ("raised", "ValueError", "fragile failed on purpose")
        assert nodes[-1][6:9] == (None, ("ValueError", "fragile failed on purpose"), False)
        assert graph[-1][2:] == (False, ("ValueError", "fragile failed on purpose"), None)
    else:
        assert outcome == ("ok", {"fragile": 4})
        assert graph[-1][2:] == (True, None, {"fragile": 4})


def test_several_hooks_run_in_registration_order(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        hooks = user(lib)
        log: list[Any] = []
        first, second = hooks.NodeRecorder("first"), hooks.NodeRecorder("second")
        first.events = second.events = log  # one shared log
        run_flow(lib, [first, second], OK_INPUTS)
        return [(e[0], e[1], e[2]) for e in log]

    got, want = both(impl, ham, run)
    assert got == want
    assert got[:4] == [
        ("first", "before", "doubled"),
        ("second", "before", "doubled"),
        ("first", "after", "doubled"),
        ("second", "after", "doubled"),
    ]


def test_a_failing_hook_propagates_and_reaches_the_after_graph_hook(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        hooks = user(lib)
        lifecycle = lib.module("lifecycle")

        class Broken(lifecycle.NodeExecutionHook):
            events: list[Any] = []

            def run_before_node_execution(self, *, node_name: str, **kw: Any) -> None:
                if node_name == "total":
                    raise RuntimeError("the hook broke")

            def run_after_node_execution(self, **kw: Any) -> None:
                pass

        recorder, graph = hooks.NodeRecorder(), hooks.GraphRecorder()
        outcome, _ = run_flow(lib, [Broken(), recorder, graph], OK_INPUTS)
        return outcome, [(e[1], e[2]) for e in recorder.events], graph.events[-1][2:4]

    got, want = both(impl, ham, run)
    assert got == want
    assert got[0] == ("raised", "RuntimeError", "the hook broke")


def test_run_to_execute_node_sees_the_same_and_may_swallow_errors(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        hooks = user(lib)
        method, recorder = hooks.Fallback(), hooks.NodeRecorder()
        outcome, _ = run_flow(lib, [recorder, method], FAIL_INPUTS)
        return outcome, method.events, recorder.events

    got, want = both(impl, ham, run)
    assert got == want
    assert got[0] == ("ok", {"fragile": -1})


# -- graph hooks ----------------------------------------------------------------------------


def test_graph_hooks_get_the_built_result_and_raw_execute_gets_the_dict(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        graph = user(lib).GraphRecorder()
        dr = lib.build(flow(lib), adapters=[graph, lib.base.DictResult()])
        built = dr.execute(["total", "doubled"], inputs={"x": 2})
        raw = dr.raw_execute(["total"], inputs={"x": 2})
        return built, raw, graph.events

    got, want = both(impl, ham, run)
    assert got == want
    assert [e[0] for e in got[2]] == ["before_graph", "after_graph"] * 2


def test_execution_path_with_overrides(impl: Impl):
    """Hamilton's ``execution_path`` also lists overridden nodes, which do not run; plait
    lists the nodes that run (what Hamilton's docstring promises)."""
    graph = user(impl).GraphRecorder()
    dr = impl.build(flow(impl), adapters=[graph])
    dr.execute(["fragile"], inputs=OK_INPUTS, overrides={"doubled": 10})
    path = graph.events[0][6]
    assert path == (["doubled", "fragile", "total"] if impl.is_hamilton else ["fragile", "total"])


def test_overrides_and_inputs_not_given(impl: Impl):
    """Hamilton hands the graph hook ``overrides=None`` when none were given; plait an empty
    dict, as the hook's annotation (``dict[str, Any]``) says."""
    seen: list[Any] = []
    lifecycle = impl.module("lifecycle")

    class Peek(lifecycle.GraphExecutionHook):
        def run_before_graph_execution(self, *, overrides: Any, **kw: Any) -> None:
            seen.append(overrides)

        def run_after_graph_execution(self, **kw: Any) -> None:
            pass

    impl.build(flow(impl), adapters=[Peek()]).execute(["doubled"], inputs={"x": 1})
    assert seen == ([None] if impl.is_hamilton else [{}])


@pytest.mark.parametrize(
    "inputs", [{}, {"x": "one"}], ids=["missing input", "input of the wrong type"]
)
def test_an_input_error_is_reported_to_the_graph_hooks(
    impl: Impl, ham: Impl, inputs: dict[str, Any], request: pytest.FixtureRequest
):

    def run(lib: Impl) -> Any:
        graph = user(lib).GraphRecorder()
        dr = lib.build(flow(lib), adapters=[graph])
        with pytest.raises(ValueError):
            dr.execute(["total"], inputs=inputs)
        return [(e[0], e[2] if e[0] == "after_graph" else None) for e in graph.events]

    got, want = both(impl, ham, run)
    assert got == want == [("before_graph", None), ("after_graph", False)]


def test_the_same_adapter_passed_twice_runs_once(
    impl: Impl, ham: Impl, request: pytest.FixtureRequest
):

    def run(lib: Impl) -> Any:
        hooks = user(lib)
        recorder, method = hooks.NodeRecorder(), hooks.Fallback()
        dr = lib.build(flow(lib), adapters=[recorder, method, recorder, method])
        return dr.execute(["doubled"], inputs={"x": 1}), [e[1] for e in recorder.events]

    got, want = both(impl, ham, run)
    assert got == want == ({"doubled": 2}, ["before", "after"])


def test_two_node_execution_methods_are_refused_with_hamiltons_builtin_type(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        hooks = user(lib)
        return lib.build(flow(lib), adapters=[hooks.Fallback(), hooks.Fallback()])

    both_raise(impl, ham, run)


# -- build-time hooks ---------------------------------------------------------------------------


def test_static_validator_failures(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        return lib.build(flow(lib), adapters=[user(lib).NoTotals()])

    got, want = both_raise(impl, ham, run)
    assert builtin_base(type(want)) is Exception  # Hamilton's ValidationException
    assert_mentions(got, "total", "total is not allowed here")
    if impl.is_plait:  # every failure at once, with the function's file:line
        assert_mentions(got, where(flow(impl).total), "the graph has more than three nodes")


def test_graph_construction_hook(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        hook = user(lib).ConstructionRecorder()
        lib.build(flow(lib), config={"y": 5}, adapters=[hook])
        return hook.events

    got, want = both(impl, ham, run)
    assert got == want == [(["doubled", "fail", "fragile", "total", "x", "y"], {"y": 5})]


def test_an_edge_hook_accepts_an_edge_the_type_rules_reject(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        hook = user(lib).Lenient()
        dr = lib.build(bad_edge_type, adapters=[hook])
        result = dr.execute(["row_count"], inputs={"rows": [1, 2]})
        # Hamilton asks about every edge; plait only when its rules reject one
        return result, [e for e in hook.events if e[0] == "edge" and e[1] is not e[2]]

    got, want = both(impl, ham, run)
    assert got == want == ({"row_count": 2}, [("edge", str, int)])


def test_an_edge_hook_that_says_no_does_not_reject_more(impl: Impl, ham: Impl):
    def run(lib: Impl) -> Any:
        try:
            lib.build(bad_edge_type, adapters=[user(lib).Lenient(edges=False)])
        except ValueError:
            return "rejected"
        return "built"

    got, want = both(impl, ham, run)
    assert got == want == "rejected"


@pytest.mark.parametrize(
    ("answer", "value", "accepted"),
    [(False, 1, False), (True, "one", True)],
    ids=["rejects a good value", "accepts a bad value"],
)
def test_validate_input_replaces_the_input_type_check(
    impl: Impl, ham: Impl, answer: bool, value: Any, accepted: bool
):
    def run(lib: Impl) -> Any:
        hook = user(lib).Lenient(values=answer)
        dr = lib.build(flow(lib), adapters=[hook])
        try:
            out = dr.execute(["doubled"], inputs={"x": value})
        except ValueError:
            out = "rejected"
        return out, [e for e in hook.events if e[0] == "input"]

    got, want = both(impl, ham, run)
    assert got == want
    assert (got[0] != "rejected") is accepted
