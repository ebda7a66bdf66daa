"""The hook system: specs, registration (``_hooks/manager.py``), the hooked run loop and the
driver's calls (graph hooks, validators, construction and edge hooks)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plait import base, driver, graph_types, lifecycle
from plait._api import driver as driver_impl
from plait._hooks.manager import Hooks
from plait._hooks.spec import NODE_HOOKS, SPECS, TASK_HOOKS
from plait._model.errors import (
    EdgeTypeMismatchError,
    HookConflictError,
    HookSpecError,
    InputTypeError,
    StaticValidationError,
)
from plait.function_modifiers import tag

SRC = Path(__file__).resolve().parents[2] / "src"


def _where(fn: Any) -> str:
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


# -- the flow every test runs: x -> doubled -> total -> fragile (raises when fail=True) --------


def doubled(x: int) -> int:
    return x * 2


@tag(team="growth")
def total(doubled: int, y: int = 1) -> int:
    return doubled + y


def fragile(total: int, fail: bool) -> int:
    if fail:
        raise KeyError("fragile failed on purpose")
    return total + 1


def as_text(x: int) -> str:
    return str(x)


def shout(as_text: int) -> str:  # annotated int, fed a str: an edge the type rules reject
    return f"{as_text}!"


@pytest.fixture
def flow(make_module):
    module = make_module(doubled, total, fragile)
    module.total.__dict__.update(total.__dict__)  # the copy keeps the @tag
    return module


def build(module: Any, *adapters: Any, config: dict[str, Any] | None = None) -> Any:
    return (
        driver.Builder()
        .with_modules(module)
        .with_config(config or {})
        .with_adapters(*adapters)
        .build()
    )


class Recorder(lifecycle.NodeExecutionHook, lifecycle.GraphExecutionHook):
    """Records every node and graph hook call as ``(label, hook, kwargs)`` into ``log``."""

    def __init__(self, log: list[tuple[str, str, dict[str, Any]]], label: str = "rec") -> None:
        self.log, self.label = log, label

    def _add(self, hook: str, kwargs: dict[str, Any]) -> None:
        self.log.append((self.label, hook, kwargs))

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        self._add("before", future_kwargs)

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        self._add("after", future_kwargs)

    def run_before_graph_execution(self, **future_kwargs: Any) -> None:
        self._add("before_graph", future_kwargs)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        self._add("after_graph", future_kwargs)


def calls(log: list[tuple[str, str, dict[str, Any]]], hook: str) -> list[dict[str, Any]]:
    return [kwargs for _, name, kwargs in log if name == hook]


# -- specs: the public classes declare exactly the keywords the dispatcher passes -------------

#: Hamilton's public hook classes (plait.lifecycle also exports built-in adapters, which may
#: take any subset of the keywords)
HOOK_CLASSES = [
    lifecycle.NodeExecutionHook,
    lifecycle.GraphExecutionHook,
    lifecycle.NodeExecutionMethod,
    lifecycle.StaticValidator,
    lifecycle.GraphConstructionHook,
    lifecycle.EdgeConnectionHook,
    lifecycle.TaskExecutionHook,
    lifecycle.TaskSubmissionHook,
    lifecycle.TaskReturnHook,
    lifecycle.TaskGroupingHook,
]
SPEC_METHODS = [(cls, name) for cls in HOOK_CLASSES for name in SPECS if name in vars(cls)]


def _declared_keywords(fn: Any) -> set[str]:
    params = list(inspect.signature(fn).parameters.values())[1:]  # drop self
    return {p.name for p in params if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}


@pytest.mark.parametrize(("cls", "name"), SPEC_METHODS, ids=lambda x: getattr(x, "__name__", x))
def test_each_public_hook_method_declares_the_keywords_of_its_spec(cls: type, name: str):
    fn = vars(cls)[name]
    assert _declared_keywords(fn) == set(SPECS[name].keywords)
    assert any(p.kind is p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values()), (
        "room for keywords a later version passes"
    )


def test_every_spec_has_a_public_class_that_declares_it():
    declared = {name for _, name in SPEC_METHODS}
    assert declared == set(SPECS)


class EveryHook:
    """Duck-typed (no base class): implements every spec and records what each receives."""

    def __init__(self) -> None:
        self.seen: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {}

    def _add(self, hook: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.seen.setdefault(hook, []).append((args, kwargs))

    def run_after_graph_construction(self, **kw: Any) -> None:
        self._add("run_after_graph_construction", (), kw)

    def run_to_validate_node(self, **kw: Any) -> tuple[bool, str | None]:
        self._add("run_to_validate_node", (), kw)
        return True, None

    def run_to_validate_graph(self, **kw: Any) -> tuple[bool, str | None]:
        self._add("run_to_validate_graph", (), kw)
        return True, None

    def check_edge_types_match(self, *args: Any, **kw: Any) -> bool:
        self._add("check_edge_types_match", args, kw)
        return True

    def validate_input(self, *args: Any, **kw: Any) -> bool:
        self._add("validate_input", args, kw)
        return True

    def run_before_graph_execution(self, **kw: Any) -> None:
        self._add("run_before_graph_execution", (), kw)

    def run_after_graph_execution(self, **kw: Any) -> None:
        self._add("run_after_graph_execution", (), kw)

    def run_before_node_execution(self, **kw: Any) -> None:
        self._add("run_before_node_execution", (), kw)

    def run_after_node_execution(self, **kw: Any) -> None:
        self._add("run_after_node_execution", (), kw)

    def run_to_execute_node(self, **kw: Any) -> Any:
        self._add("run_to_execute_node", (), kw)
        return kw["node_callable"](**kw["node_kwargs"])


def test_every_hook_is_called_with_exactly_its_spec_keywords(make_module):
    hook = EveryHook()
    dr = build(make_module(doubled, total, as_text, shout), hook)
    assert dr.execute(["total", "shout"], inputs={"x": 1}) == {"total": 3, "shout": "1!"}
    # task hooks: only with dynamic execution (tests/unit/test_tasks.py)
    assert set(hook.seen) == set(SPECS) - set(TASK_HOOKS)
    for name, spec in SPECS.items():
        for args, kwargs in hook.seen.get(name, []):
            if spec.positional:  # Hamilton passes (type_from, type_to) positionally
                assert (len(args), kwargs) == (2, {}), name
            else:
                assert (args, set(kwargs)) == ((), set(spec.keywords)), name


def test_edge_and_input_checks_get_the_values_hamilton_passes(make_module):
    hook = EveryHook()
    build(make_module(as_text, shout), hook).execute(["shout"], inputs={"x": 7})
    assert hook.seen["check_edge_types_match"] == [((int, str), {})]  # (parameter, producer)
    assert hook.seen["validate_input"] == [((), {"node_type": int, "input_value": 7})]


# -- registration: subsets of keywords, unknown keywords, abstract placeholders ---------------


class OnlyNames:
    """Takes a subset of the keywords, and no ``**future_kwargs``."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def run_before_node_execution(self, node_name: str) -> None:
        self.seen.append(("before", node_name))

    def run_after_node_execution(self, *, node_name: str, result: Any, spare: int = 5) -> None:
        self.seen.append(("after", (node_name, result, spare)))


def test_an_implementation_may_take_a_subset_of_the_keywords(flow):
    hook = OnlyNames()
    assert build(flow, hook).execute(["total"], inputs={"x": 1}) == {"total": 3}
    assert hook.seen == [
        ("before", "doubled"),
        ("after", ("doubled", 2, 5)),
        ("before", "total"),
        ("after", ("total", 3, 5)),
    ]


class NeedsBanana(lifecycle.NodeExecutionHook):
    def run_before_node_execution(self, *, node_name: str, banana: str, **kw: Any) -> None:
        pass

    def run_after_node_execution(self, **kw: Any) -> None:
        pass


def test_an_implementation_requiring_an_unknown_keyword_fails_at_build(flow):
    builder = driver.Builder().with_modules(flow).with_adapters(NeedsBanana())
    with pytest.raises(HookSpecError) as info:
        builder.build()
    assert isinstance(info.value, TypeError)
    text = str(info.value)
    for needle in ("NeedsBanana.run_before_node_execution", "banana", "node_kwargs"):
        assert needle in text


def test_an_unknown_keyword_with_a_default_is_allowed(flow):
    class Extra(lifecycle.GraphExecutionHook):
        got: list[Any] = []

        def run_before_graph_execution(self, *, final_vars: list[str], extra: int = 3) -> None:
            self.got.append((final_vars, extra))

        def run_after_graph_execution(self, **kw: Any) -> None:
            pass

    build(flow, Extra()).execute(["doubled"], inputs={"x": 1})
    assert Extra.got == [(["doubled"], 3)]


def test_a_duck_typed_adapter_without_a_base_class_is_a_hook(flow):
    log: list[Any] = []

    class Duck:
        def run_before_graph_execution(self, *, final_vars: list[str], **kw: Any) -> None:
            log.append(("graph", final_vars))

        def run_after_node_execution(self, *, node_name: str, result: Any, **kw: Any) -> None:
            log.append((node_name, result))

    assert build(flow, Duck()).execute(["total"], inputs={"x": 2}) == {"total": 5}
    assert log == [("graph", ["total"]), ("doubled", 4), ("total", 5)]


def test_abstract_placeholders_are_not_registered_or_called(flow):
    class BeforeOnly(lifecycle.NodeExecutionHook):
        def run_before_node_execution(self, *, node_name: str, **kw: Any) -> None:
            self.names.append(node_name)

    BeforeOnly.__abstractmethods__ = frozenset()  # instantiable with one placeholder left
    hook = BeforeOnly()
    hook.names = []  # type: ignore[attr-defined]

    def placeholder(**kw: Any) -> None:
        raise AssertionError("an abstract placeholder was called")

    placeholder.__isabstractmethod__ = True  # type: ignore[attr-defined]
    duck = type("Duck", (), {"run_before_graph_execution": staticmethod(placeholder)})()
    hooks = Hooks([hook, duck])
    assert hooks.has("run_before_node_execution")
    assert not hooks.has("run_after_node_execution")
    assert not hooks.has("run_before_graph_execution")
    assert build(flow, hook).execute(["total"], inputs={"x": 1}) == {"total": 3}
    assert hook.names == ["doubled", "total"]  # type: ignore[attr-defined]


def test_an_adapter_that_implements_nothing_is_refused(flow):
    with pytest.raises(ValueError, match="neither a result builder"):
        build(flow, object())


def test_hooks_run_in_the_order_they_were_registered(flow):
    log: list[Any] = []
    hooks = [Recorder(log, label) for label in ("a", "b", "c")]
    build(flow, *hooks).execute(["doubled"], inputs={"x": 1})
    assert [(label, hook) for label, hook, _ in log] == [
        (label, hook)
        for hook in ("before_graph", "before", "after", "after_graph")
        for label in ("a", "b", "c")
    ]


def test_node_hooks_select_the_hooked_loop_and_graph_hooks_do_not():
    assert Hooks([Recorder([])]).has_node_hooks
    assert Hooks([OnlyNames()]).has_node_hooks
    assert not Hooks([lifecycle.StaticValidator()]).has_node_hooks
    assert set(NODE_HOOKS) <= set(SPECS)
    assert not Hooks()


# -- node hooks around each node ---------------------------------------------------------------


def test_before_and_after_hooks_see_the_node_its_inputs_and_its_result(flow):
    log: list[Any] = []
    build(flow, Recorder(log)).execute(["total"], inputs={"x": 4}, overrides=None)
    before, after = calls(log, "before"), calls(log, "after")
    assert [c["node_name"] for c in before] == ["doubled", "total"]
    first, second = before
    assert first["node_kwargs"] == {"x": 4}
    assert first["node_input_types"] == {"x": int}
    assert second["node_kwargs"] == {"doubled": 8}  # the default of y is not passed
    assert second["node_input_types"] == {"doubled": int, "y": int}
    assert second["node_tags"]["team"] == "growth"
    assert second["node_return_type"] is int
    assert (second["task_id"], after[1]["task_id"]) == (None, None)
    assert [(c["result"], c["success"], c["error"]) for c in after] == [
        (8, True, None),
        (9, True, None),
    ]


def test_one_run_id_for_every_hook_of_a_run_and_a_new_one_per_run(flow):
    log: list[Any] = []
    dr = build(flow, Recorder(log))
    dr.execute(["total"], inputs={"x": 1})
    dr.execute(["total"], inputs={"x": 1})
    ids = [kwargs["run_id"] for _, _, kwargs in log]
    assert len(ids) == 12 and len(set(ids[:6])) == len(set(ids[6:])) == 1 and ids[0] != ids[6]


def test_a_failing_node_reaches_the_after_hooks_then_propagates_unchanged(flow):
    log: list[Any] = []
    dr = build(flow, Recorder(log))
    with pytest.raises(KeyError) as info:
        dr.execute(["fragile"], inputs={"x": 1, "fail": True})
    error = info.value
    assert type(error) is KeyError and error.args == ("fragile failed on purpose",)
    assert error.__notes__ == [  # type: ignore[attr-defined]
        f"plait: raised by node 'fragile' (function at {_where(fragile)})"
    ]
    assert info.traceback[-1].name == "fragile"  # the user's frame is the innermost
    last = calls(log, "after")[-1]
    assert (last["node_name"], last["success"], last["result"]) == ("fragile", False, None)
    assert last["error"] is error
    end = calls(log, "after_graph")[0]
    assert (end["success"], end["error"], end["results"]) == (False, error, None)


class Broken(lifecycle.NodeExecutionHook):
    """Raises in ``where`` ("before" or "after") for node ``node``."""

    def __init__(self, where: str, node: str) -> None:
        self.where, self.node = where, node

    def run_before_node_execution(self, *, node_name: str, **kw: Any) -> None:
        if self.where == "before" and node_name == self.node:
            raise RuntimeError("the hook broke")

    def run_after_node_execution(self, *, node_name: str, **kw: Any) -> None:
        if self.where == "after" and node_name == self.node:
            raise RuntimeError("the hook broke")


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_failing_hook_propagates_with_a_note_blaming_the_hook(flow, where: str):
    log: list[Any] = []
    dr = build(flow, Broken(where, "total"), Recorder(log))
    with pytest.raises(RuntimeError, match="the hook broke") as info:
        dr.execute(["total"], inputs={"x": 1})
    notes = info.value.__notes__  # type: ignore[attr-defined]
    assert notes == [
        f"plait: raised by hook Broken.run_{where}_node_execution while running node 'total'; "
        "the fault is in the hook, not in the node"
    ]
    assert not any("raised by node" in n for n in notes)
    started = [c["node_name"] for c in calls(log, "before")]  # Recorder comes after Broken
    assert started == (["doubled"] if where == "before" else ["doubled", "total"])
    assert [c["node_name"] for c in calls(log, "after")] == ["doubled"]
    assert calls(log, "after_graph")[0]["error"] is info.value


def test_an_after_hook_failing_on_a_failed_node_keeps_the_node_error_as_context(flow):
    dr = build(flow, Broken("after", "fragile"))
    with pytest.raises(RuntimeError) as info:
        dr.execute(["fragile"], inputs={"x": 1, "fail": True})
    assert "Broken.run_after_node_execution" in info.value.__notes__[0]  # type: ignore[attr-defined]
    assert isinstance(info.value.__context__, KeyError)


def test_a_failing_graph_hook_is_blamed_without_a_node(flow):
    class Gate(lifecycle.GraphExecutionHook):
        def run_before_graph_execution(self, **kw: Any) -> None:
            raise PermissionError("not today")

        def run_after_graph_execution(self, **kw: Any) -> None:
            pass

    with pytest.raises(PermissionError) as info:
        build(flow, Gate()).execute(["doubled"], inputs={"x": 1})
    (note,) = info.value.__notes__  # type: ignore[attr-defined]
    assert note.startswith("plait: raised by hook ")
    assert note.endswith(
        "Gate.run_before_graph_execution; the fault is in the hook, not in the node"
    )


# -- run_to_execute_node ------------------------------------------------------------------------


class TimesTen(lifecycle.NodeExecutionMethod):
    """Runs the node, multiplies ints by ten; a KeyError becomes -1 (swallowed)."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def run_to_execute_node(
        self, *, node_callable: Any, node_kwargs: dict[str, Any], **kw: Any
    ) -> Any:
        self.seen.append(kw)
        try:
            return node_callable(**node_kwargs) * 10
        except KeyError:
            return -1


def test_run_to_execute_node_decides_the_node_value(flow):
    method = TimesTen()
    assert build(flow, method).execute(["total"], inputs={"x": 1}) == {"total": 210}
    assert [s["node_name"] for s in method.seen] == ["doubled", "total"]
    assert method.seen[1]["node_tags"]["team"] == "growth"
    assert {(s["is_expand"], s["is_collect"], s["task_id"]) for s in method.seen} == {
        (False, False, None)
    }


def test_run_to_execute_node_may_swallow_a_node_error(flow):
    log: list[Any] = []
    out = build(flow, Recorder(log), TimesTen()).execute(["fragile"], inputs={"x": 0, "fail": True})
    assert out == {"fragile": -1}
    assert [(c["node_name"], c["result"], c["success"]) for c in calls(log, "after")] == [
        ("doubled", 0, True),
        ("total", 10, True),
        ("fragile", -1, True),
    ]


def test_only_one_adapter_may_implement_run_to_execute_node(flow):
    class Other(TimesTen):
        pass

    # a ValueError, as Hamilton raises for this conflict
    with pytest.raises(ValueError, match="run_to_execute_node") as info:
        build(flow, TimesTen(), Other())
    assert isinstance(info.value, HookConflictError)
    assert "TimesTen" in str(info.value) and "Other" in str(info.value)


def test_the_two_execute_methods_are_named_by_class_and_method(flow):
    class Other(TimesTen):
        pass

    with pytest.raises(HookConflictError) as info:
        build(flow, TimesTen(), Other())
    text = str(info.value)
    assert "TimesTen.run_to_execute_node" in text
    assert "Other.run_to_execute_node" in text


# -- graph hooks --------------------------------------------------------------------------------


def test_graph_hooks_see_the_request_and_the_execution_path(flow):
    log: list[Any] = []
    dr = build(flow, Recorder(log))
    dr.execute(["fragile"], inputs={"x": 1, "fail": False}, overrides={"doubled": 10})
    (start,) = calls(log, "before_graph")
    assert start["final_vars"] == ["fragile"]
    assert start["inputs"] == {"x": 1, "fail": False}
    assert start["overrides"] == {"doubled": 10}
    assert start["execution_path"] == ["total", "fragile"]  # no inputs, no overridden nodes
    assert isinstance(start["graph"], graph_types.HamiltonGraph)
    assert start["graph"]["total"].tags["team"] == "growth"


def test_after_graph_gets_the_built_result_from_execute_and_the_dict_from_raw_execute(flow):
    class Pairs(lifecycle.ResultBuilder):
        def build_result(self, **outputs: Any) -> Any:
            return sorted(outputs.items())

    log: list[Any] = []
    dr = build(flow, Recorder(log), Pairs())
    assert dr.execute(["total", "doubled"], inputs={"x": 1}) == [("doubled", 2), ("total", 3)]
    assert dr.raw_execute(["total"], inputs={"x": 1}) == {"total": 3}
    built, raw = calls(log, "after_graph")
    assert (built["results"], built["success"], built["error"]) == (
        [("doubled", 2), ("total", 3)],
        True,
        None,
    )
    assert raw["results"] == {"total": 3}


def test_a_failing_result_builder_is_reported_to_the_after_graph_hook(flow):
    class Refuses(lifecycle.ResultBuilder):
        def build_result(self, **outputs: Any) -> Any:
            raise OverflowError("too big")

    log: list[Any] = []
    with pytest.raises(OverflowError):
        build(flow, Refuses(), Recorder(log)).execute(["doubled"], inputs={"x": 1})
    (end,) = calls(log, "after_graph")
    assert (end["success"], type(end["error"]), end["results"]) == (False, OverflowError, None)


# -- result builders and hooks together ---------------------------------------------------------


def test_hooks_and_a_result_builder_in_one_with_adapters_call(flow):
    log: list[Any] = []
    dr = build(flow, Recorder(log, "a"), base.DictResult(), Recorder(log, "b"))
    assert dr.execute(["total"], inputs={"x": 1}) == {"total": 3}
    assert [label for label, hook, _ in log if hook == "before"] == ["a", "b", "a", "b"]


def test_one_class_can_be_both_a_result_builder_and_a_hook(flow):
    class Both(lifecycle.ResultBuilder, lifecycle.NodeExecutionHook):
        names: list[str] = []

        def build_result(self, **outputs: Any) -> Any:
            return ("built", outputs)

        def run_before_node_execution(self, *, node_name: str, **kw: Any) -> None:
            self.names.append(node_name)

        def run_after_node_execution(self, **kw: Any) -> None:
            pass

    assert build(flow, Both()).execute(["total"], inputs={"x": 1}) == ("built", {"total": 3})
    assert Both.names == ["doubled", "total"]


# -- build-time hooks: static validators, construction, edges --------------------------------


class NoTotals(lifecycle.StaticValidator):
    def run_to_validate_node(self, *, node: Any, **kw: Any) -> tuple[bool, str | None]:
        ok = not node.name.startswith(("total", "doubled"))
        return ok, None if ok else f"{node.name} is forbidden"

    def run_to_validate_graph(self, graph: Any, **kw: Any) -> tuple[bool, str | None]:
        return len(graph.nodes) < 3, "the graph is too big"


def test_static_validators_report_every_node_and_graph_failure_at_once(flow):
    with pytest.raises(StaticValidationError) as info:
        build(flow, NoTotals())
    assert isinstance(info.value, ValueError)
    text = str(info.value)
    assert text.startswith("3 static validation failure(s)")
    for fn in (doubled, total):
        assert f"node '{fn.__name__}' (function '{fn.__name__}' at {_where(fn)})" in text
        assert f"{fn.__name__} is forbidden" in text
    assert "graph: the graph is too big" in text


def test_a_validator_implementing_one_method_keeps_the_other_default(flow):
    class NodesOnly(lifecycle.StaticValidator):
        seen: list[str] = []

        def run_to_validate_node(self, *, node: Any, **kw: Any) -> tuple[bool, str | None]:
            self.seen.append(node.name)
            return True, None

    build(flow, NodesOnly())
    assert sorted(NodesOnly.seen) == ["doubled", "fail", "fragile", "total", "x", "y"]


def test_graph_construction_hook_gets_a_graph_view_and_the_config_once(flow):
    seen: list[Any] = []

    class Watch(lifecycle.GraphConstructionHook):
        def run_after_graph_construction(self, *, graph: Any, config: Any, **kw: Any) -> None:
            seen.append((graph, config))

    dr = build(flow, Watch(), config={"y": 5})
    dr.execute(["total"], inputs={"x": 1})
    ((graph, config),) = seen
    assert isinstance(graph, graph_types.HamiltonGraph)
    assert sorted(n.name for n in graph.nodes) == ["doubled", "fail", "fragile", "total", "x", "y"]
    assert config == {"y": 5}


class Edges(lifecycle.EdgeConnectionHook):
    """Answers ``edge`` for every edge question and ``value`` for every input value."""

    def __init__(self, edge: bool = True, value: bool = True) -> None:
        self.edge, self.value = edge, value

    def check_edge_types_match(self, type_from: type, type_to: type, **kwargs: Any) -> bool:
        return self.edge

    def validate_input(self, node_type: type, input_value: Any, **kwargs: Any) -> bool:
        return self.value


def test_an_edge_hook_can_accept_an_edge_the_type_rules_reject(make_module):
    module = make_module(as_text, shout)
    with pytest.raises(EdgeTypeMismatchError):
        build(module)
    with pytest.raises(EdgeTypeMismatchError):
        build(module, Edges(edge=False))
    assert build(module, Edges()).execute(["shout"], inputs={"x": 3}) == {"shout": "3!"}


def test_an_edge_hook_cannot_reject_an_edge_the_rules_accept(flow):
    dr = build(flow, Edges(edge=False))
    assert dr.execute(["total"], inputs={"x": 1}) == {"total": 3}


def test_validate_input_replaces_the_input_type_check(flow):
    with pytest.raises(InputTypeError):
        build(flow, Edges(value=False)).execute(["doubled"], inputs={"x": 1})
    assert build(flow, Edges(value=True)).execute(["doubled"], inputs={"x": "ab"}) == {
        "doubled": "abab"
    }
    with pytest.raises(InputTypeError, match="in config"):
        build(flow, Edges(value=False), config={"x": 1}).execute(["doubled"])


def test_a_none_input_is_accepted_whatever_validate_input_says(flow):
    dr = build(flow, Edges(value=False))
    assert dr.execute(["fragile"], inputs={"fail": None}, overrides={"total": 5}) == {"fragile": 6}


# -- plans and imports --------------------------------------------------------------------------


def test_plans_are_still_cached_with_hooks(flow, monkeypatch):
    made: list[Any] = []
    make = driver_impl.make_plan

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(make(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(driver_impl, "make_plan", counting)
    log: list[Any] = []
    dr = build(flow, Recorder(log))
    assert dr.execute(["total"], inputs={"x": 1}) == {"total": 3}
    assert dr.execute(["total"], inputs={"x": 2}) == {"total": 5}
    assert len(made) == 1
    assert len(calls(log, "before")) == 4


_IMPORTS = """
import sys, types
from plait import driver, lifecycle
m = types.ModuleType("m")
exec("def a(x: int) -> int:\\n    return x + 1\\n", m.__dict__)
adapters = {adapters}
dr = driver.Builder().with_modules(m).with_adapters(*adapters).build()
assert dr.execute(["a"], inputs={{"x": 1}}) == {{"a": 2}}
print(sorted({{"plait._api.lifecycle_calls", "plait._run.hooked"}} & set(sys.modules)))
"""


def _hook_modules_loaded(adapters: str) -> str:
    code = _IMPORTS.format(adapters=adapters)
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_driver_without_hooks_never_imports_the_hook_machinery():
    assert _hook_modules_loaded("[]") == "[]"
    hooked = "[type('H', (), {'run_before_node_execution': lambda self, **kw: None})()]"
    assert _hook_modules_loaded(hooked) == "['plait._api.lifecycle_calls', 'plait._run.hooked']"


# -- one function behind two hooks ---------------------------------------------------------------


class SharedRecorder:
    """One function serves both node hooks; it lacks ``node_input_types`` (so before-calls must
    be filtered) but takes every keyword of the after-hook. Whether an implementation takes
    every keyword is known per (function, hook), not per function."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def _record(
        self,
        *,
        node_name: str,
        node_tags: Any,
        node_kwargs: Any,
        node_return_type: Any,
        task_id: Any,
        run_id: str,
        result: Any = None,
        error: Any = None,
        success: bool = True,
    ) -> None:
        self.names.append(node_name)

    run_before_node_execution = _record
    run_after_node_execution = _record


def test_one_function_may_implement_two_hooks_with_different_keywords(flow):
    hook = SharedRecorder()
    build(flow, hook).execute(["doubled"], inputs={"x": 1})
    assert hook.names == ["doubled", "doubled"]
