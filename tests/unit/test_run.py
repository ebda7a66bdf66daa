"""The run loop (``run_plan``): calls, releases, and how user exceptions come out."""

import sys
import traceback
import types
import weakref

import pytest

from plait._graph import query
from plait._graph.build import build_graph
from plait._model.node import node_from_function
from plait._plan.plan import make_plan
from plait._run.loop import run_plan


def _where(fn):
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def _run(fns, outputs, inputs=None, overrides=None):
    graph = build_graph([node_from_function(f) for f in fns])
    inputs = inputs or {}
    plan = make_plan(graph, tuple(outputs), set(inputs), set(overrides or ()))
    return run_plan(plan, inputs, overrides)


# -- calls -----------------------------------------------------------------------------------


def test_each_call_shape_gets_its_arguments():
    def zero() -> int:
        return 2

    def one(zero: int) -> int:
        return zero * 10

    def many(zero: int, one: int, x: int) -> tuple:
        return (zero, one, x)

    def kw_only(zero: int, *, x: int, scale: int = 1) -> tuple:
        return (zero, x, scale)

    out = _run([zero, one, many, kw_only], ["many", "kw_only", "one"], {"x": 5})
    assert out == {"many": (2, 20, 5), "kw_only": (2, 5, 1), "one": 20}
    assert list(out) == ["many", "kw_only", "one"]  # requested order


def test_optional_parameters_get_the_default_unless_provided():
    def f(x: int, scale: int = 3, *, offset: int = 100) -> int:
        return x * scale + offset

    assert _run([f], ["f"], {"x": 2}) == {"f": 106}
    assert _run([f], ["f"], {"x": 2, "scale": 5}) == {"f": 110}
    assert _run([f], ["f"], {"x": 2, "offset": 0}) == {"f": 6}


def test_a_shared_dependency_runs_once():
    calls = []

    def base(x: int) -> int:
        calls.append("base")
        return x

    def left(base: int) -> int:
        return base + 1

    def right(base: int) -> int:
        return base + 2

    def top(left: int, right: int) -> int:
        return left * right

    assert _run([base, left, right, top], ["top", "left"], {"x": 1}) == {"top": 6, "left": 2}
    assert calls == ["base"]


def test_overrides_short_circuit_and_none_is_a_valid_override():
    def explode(x: int) -> int:
        raise AssertionError("must not run")

    def downstream(explode: int | None) -> str:
        return repr(explode)

    assert _run([explode, downstream], ["downstream"], overrides={"explode": None}) == {
        "downstream": "None"
    }


# -- releases --------------------------------------------------------------------------------


class Box:
    """Weak-referenceable stand-in for a big intermediate value."""


def _release_fns(refs):
    def big() -> Box:
        box = Box()
        refs["big"] = weakref.ref(box)
        return box

    def size(big: Box) -> int:
        return 1

    def big_gone(size: int) -> bool:
        return refs["big"]() is None

    def kept() -> Box:
        box = Box()
        refs["kept"] = weakref.ref(box)
        return box

    return [big, size, big_gone, kept]


def test_an_intermediate_is_released_after_its_last_consumer():
    refs: dict = {}
    out = _run(_release_fns(refs), ["big_gone", "kept"])
    assert out["big_gone"] is True  # released while the run was still going
    assert refs["kept"]() is out["kept"]  # outputs are kept


def test_an_output_is_never_released_even_when_consumed():
    refs: dict = {}
    out = _run(_release_fns(refs), ["big_gone", "big"])
    assert out["big_gone"] is False
    assert isinstance(out["big"], Box)
    assert refs["big"]() is out["big"]


# -- exceptions ------------------------------------------------------------------------------


def lookup(country: str) -> str:
    return {"fr": "FR"}[country]


def greeting(lookup: str) -> str:
    return f"hello {lookup}"


def test_a_user_exception_keeps_its_type_object_and_traceback():
    with pytest.raises(KeyError) as info:
        _run([lookup, greeting], ["greeting"], {"country": "jp"})
    assert info.value.args == ("jp",)
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames[-1].name == "lookup"
    assert frames[-1].filename == __file__


def test_a_user_exception_carries_a_note_naming_node_and_location():
    with pytest.raises(KeyError) as info:
        _run([lookup, greeting], ["greeting"], {"country": "jp"})
    notes = getattr(info.value, "__notes__", [])
    assert len(notes) == 1
    assert "'lookup'" in notes[0]
    assert _where(lookup) in notes[0]


def test_the_note_names_the_failing_node_not_the_first_or_last():
    def ok(x: int) -> int:
        return x

    def fails(ok: int) -> int:
        raise ValueError("bad")

    def later(ok: int) -> int:
        return ok

    with pytest.raises(ValueError, match="bad") as info:
        _run([ok, fails, later], ["later", "fails"], {"x": 1})
    assert info.value.__notes__ == [f"plait: raised by node 'fails' (function at {_where(fails)})"]


def test_keyboard_interrupt_is_not_annotated():
    def interrupted(x: int) -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as info:
        _run([interrupted], ["interrupted"], {"x": 1})
    assert getattr(info.value, "__notes__", []) == []


# -- depth -----------------------------------------------------------------------------------


def _template(p: int) -> int:
    return p + 1


def _chain(depth):
    """``n1(n0) ... n{depth-1}(n{depth-2})``: made by code replacement (fast, no parsing)."""
    fns = []
    code = _template.__code__
    for i in range(1, depth):
        name = f"n{i}"
        extra = {"co_qualname": name} if sys.version_info >= (3, 11) else {}
        fn = types.FunctionType(
            code.replace(co_name=name, co_varnames=(f"n{i - 1}",), **extra), {}, name
        )
        fn.__annotations__ = {f"n{i - 1}": int, "return": int}
        fns.append(fn)
    return fns


@pytest.mark.slow
def test_a_100_000_deep_chain_builds_plans_runs_and_answers_lineage():
    depth = 100_000
    last = f"n{depth - 1}"
    graph = build_graph([node_from_function(f) for f in _chain(depth)])
    plan = make_plan(graph, (last,), {"n0"}, set())
    assert run_plan(plan, {"n0": 0}, None) == {last: depth - 1}
    assert len(query.upstream(graph.nodes, [last])) == depth
    assert len(query.downstream(graph.dependents, ["n0"])) == depth
    assert len(query.path_between(graph.nodes, graph.dependents, "n10", last)) == depth - 10
