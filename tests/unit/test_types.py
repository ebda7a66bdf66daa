"""The type layer: every rule on its own, then side by side with ``hamilton.htypes``."""

# The old spellings (Optional, Union, typing.List) are what these tests are about.
# ruff: noqa: UP006, UP007, UP045

from __future__ import annotations

import collections
import collections.abc as cabc
import inspect
import itertools
import os
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, Optional, Protocol, TypeVar, Union

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plait import htypes
from plait._model import types as pt
from plait._model.errors import GraphError, PlaitError
from plait._model.types import (
    Collect,
    Parallelizable,
    check_input_type,
    check_instance,
    custom_subclass_check,
    make_value_checker,
    resolve_annotations,
    types_match,
)

SRC = Path(__file__).resolve().parents[2] / "src"
T = TypeVar("T")
Bound = TypeVar("Bound", bound=int)


class Base:
    pass


class Sub(Base):
    pass


class Box(Generic[T]):
    pass


class SubBox(Box[T]):
    pass


class Other(Generic[T]):
    pass


class Shape(Protocol):
    def area(self) -> float: ...


class MyList(list):  # type: ignore[type-arg]
    pass


@pytest.fixture(scope="module")
def hamilton_htypes() -> Any:
    pytest.importorskip("hamilton")
    return pytest.importorskip("hamilton.htypes")


# --- types_match / custom_subclass_check ----------------------------------------------------

EDGE_CASES = [
    # (parameter annotation, node type, matches?)
    (int, int, True),
    (float, int, False),
    (int, bool, True),
    (Base, Sub, True),
    (Sub, Base, False),
    (Any, pd.DataFrame, True),
    (int, Any, True),
    (object, str, True),
    (T, T, True),
    (T, int, False),
    (int, T, False),
    (Union[int, str], str, True),
    (Optional[Base], Sub, True),
    (int | None, float, False),
    (list, list[int], True),
    (list[int], list, True),
    (list[int], list[int], True),
    (list[float], list[int], False),  # no variance
    (cabc.Sequence[int], list[int], True),
    (typing.Sequence, list[str], True),
    (cabc.Mapping[str, int], dict[str, int], True),
    (dict[str, int], cabc.Mapping[str, int], False),
    (tuple[int, str], tuple[int, str], True),
    (tuple, tuple[int, str], True),
    (Annotated[pd.Series, int], pd.Series, True),
    (pd.Series, Annotated[pd.Series, int], True),
    (Annotated[pd.Series, float], Annotated[pd.Series, int], True),  # extras are ignored
    (int, Parallelizable[int], True),  # an item of the fan-out reaches the parameter
    (str, Parallelizable[int], False),
    (Collect[int], int, True),  # a branch result reaches the fan-in parameter
    (Collect[Base], Sub, True),
    (Collect[int], str, False),
    (Literal[1], Literal[1], True),
    (Literal[1], Literal[2], False),
    # plait's fixes: a bare generic class is its own origin; a raising issubclass means no
    (Box, Box[int], True),
    (Box, SubBox[int], True),
    (Box, Other, False),
    (SubBox, Box, False),
    (Shape, Base, False),
    (Parallelizable[int], list, False),
    (Union[Parallelizable[int], str], str, True),  # Hamilton crashes on the first member
]


@pytest.mark.parametrize(("param", "node", "expected"), EDGE_CASES)
def test_types_match(param: Any, node: Any, expected: bool) -> None:
    assert types_match(param, node) is expected


def test_custom_subclass_check_reads_requested_then_param() -> None:
    assert custom_subclass_check(bool, int)
    assert not custom_subclass_check(int, bool)
    assert custom_subclass_check(Parallelizable[Sub], Collect[Base])
    assert not custom_subclass_check(Parallelizable[Base], Collect[Sub])
    assert not custom_subclass_check(list[T], list[int])  # only typing.T means "unbound"
    assert custom_subclass_check(typing.List[typing.T], list[int])  # type: ignore[attr-defined]


# --- check_input_type / make_value_checker --------------------------------------------------


def _numbers() -> cabc.Iterator[int]:
    yield from (1, 2)


INPUT_CASES = [
    (int, 1, True),
    (int, True, True),
    (float, 1, False),
    (Any, object(), True),
    (object, None, True),
    (T, "anything", True),
    (Bound, "anything", True),  # Hamilton does not look at the bound
    (inspect.Parameter.empty, 1, True),
    (Optional[int], None, True),
    (Union[int, str], 1.5, False),
    (int | str, "a", True),
    (Literal["a", 1], "a", True),
    (Literal["a", 1], "b", False),
    (Literal["a"], np.array([1, 2]), False),  # Hamilton raises on the ambiguous comparison
    (list[int], ["a"], True),  # the exact origin type is enough, as in Hamilton
    (list[int], ("a",), False),  # other sequences: the first item is checked
    (list[int], (1,), True),
    (cabc.Sequence[str], "abc", True),
    (cabc.Sequence[int], [], True),
    (set[int], {"a"}, True),  # the exact origin type again
    (set[int], frozenset({"a"}), False),
    (cabc.Iterable[int], pd.Series([1, 2]), True),
    (cabc.Iterable[int], np.array(5), False),  # Hamilton raises: 0-d arrays do not iterate
    (dict[str, int], {"a": "not checked"}, True),
    (Annotated[pd.Series, int], pd.Series(["x"]), True),
    (Annotated[pd.Series, int], pd.DataFrame(), False),
    (Parallelizable[int], [1], False),
    (Collect[int], [1], False),
    (Box[int], Box(), True),
    (Box, SubBox(), True),  # fixed: Hamilton takes only the exact class
    # fixed: Hamilton rejects these values of the right type
    (cabc.Mapping[str, int], {"a": 1}, True),
    (cabc.Mapping[str, int], {1: "a"}, False),
    (dict[str, int], collections.OrderedDict(a=1), True),
    (tuple[int, int], (1, 2), True),
    (tuple[int, ...], ("a",), False),
    (cabc.Collection[int], [1], True),
    (cabc.Collection[int], ["a"], False),
    (cabc.Callable[[int], str], len, True),
    (Annotated[int, "unit"], True, True),
    (Annotated[Any, "unit"], None, True),
    (Union[T, set[int]], np.array(5), True),  # Hamilton crashes on a later member
]


@pytest.mark.parametrize(("annotation", "value", "expected"), INPUT_CASES)
def test_check_input_type(annotation: Any, value: Any, expected: bool) -> None:
    assert check_input_type(annotation, value) is expected
    checker = make_value_checker(annotation)
    assert (True if checker is None else checker(value)) is expected


def test_an_iterator_is_never_consumed() -> None:
    numbers = _numbers()
    assert check_input_type(cabc.Iterable[str], numbers)
    assert make_value_checker(cabc.Iterable[str])(numbers)  # type: ignore[misc]
    assert list(numbers) == [1, 2]


@pytest.mark.parametrize(
    "annotation",
    [Any, object, T, Bound, inspect.Parameter.empty, Optional[Any], Union[int, object],
     Annotated[Any, "x"]],
)  # fmt: skip
def test_make_value_checker_is_none_when_everything_passes(annotation: Any) -> None:
    assert make_value_checker(annotation) is None


def test_make_value_checker_fast_paths_and_cache() -> None:
    for annotation in (int, pd.Series, Union[int, str], Optional[Base]):
        checker = make_value_checker(annotation)
        assert checker is make_value_checker(annotation)  # cached
        assert inspect.isfunction(checker)  # one isinstance, not the general rule chain
    unhashable = Annotated[pd.Series, {"unit": "m"}]
    checker = make_value_checker(unhashable)
    assert checker is not None and checker(pd.Series([1.0])) and not checker(1)


# --- small helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [(int, "int"), (list[int], "list"), (typing.List[int], "List"), (Optional[int], "Optional"),
     (int | str, "int | str"), (Annotated[pd.Series, int], "Series"), (Parallelizable[int],
     "Parallelizable"), (None, "None"), (cabc.Sequence[int], "Sequence")],
)  # fmt: skip
def test_get_type_as_string(annotation: Any, expected: str) -> None:
    assert htypes.get_type_as_string(annotation) == expected


def test_parallelizable_and_collect_helpers() -> None:
    assert htypes.is_parallelizable_type(Parallelizable[int])
    assert not htypes.is_parallelizable_type(Parallelizable)
    assert not htypes.is_parallelizable_type(list[int])
    assert htypes.is_collect_type(Collect[str]) and not htypes.is_collect_type(Parallelizable[str])
    assert pt.element_type(Parallelizable[Base]) is Base
    assert pt.element_type(Collect[int]) is int
    with pytest.raises(ValueError, match="not Parallelizable"):
        pt.element_type(list[int])


def test_column_and_validate_type_annotation() -> None:
    assert htypes.column is Annotated
    assert htypes.get_type_information(htypes.column[pd.Series, int]) == (pd.Series, [int])
    assert htypes.get_type_information(int) == (int, [])
    assert htypes.validate_type_annotation(htypes.column[pd.Series, bool])
    assert htypes.validate_type_annotation(list[int])
    bad = [
        htypes.column[np.ndarray, int],
        htypes.column[list[int], int],
        htypes.column[pd.Series, int, "extra"],
        htypes.column[pd.Series, list[int]],
    ]
    for annotation in bad:
        with pytest.raises(htypes.InvalidTypeException):
            htypes.validate_type_annotation(annotation)
    assert issubclass(htypes.InvalidTypeException, PlaitError)
    pl = pytest.importorskip("polars")
    assert htypes.validate_type_annotation(htypes.column[pl.Series, float])


@pytest.mark.parametrize(
    ("value", "annotation", "expected"),
    [({"a": 1}, dict[str, int], True), ({"a": "b"}, dict[str, int], False), ([1, "a"],
     list[int], False), ((1, "a"), tuple[int, str], True), ((1, 2), tuple[int, str], False),
     ((1, 2), tuple[int, ...], True), ({"a"}, cabc.Iterable[int], False), (range(3),
     cabc.Sequence[int], True), ("x", T, True), ("x", Literal["x"], True), (None, Optional[int],
     True), ([1], Parallelizable[int], True), (1, Annotated[int, "m"], True), (1, str, False)],
)  # fmt: skip
def test_check_instance(value: Any, annotation: Any, expected: bool) -> None:
    assert check_instance(value, annotation) is expected


# --- resolve_annotations ---------------------------------------------------------------------


def _define(source: str, name: str = "f") -> Any:
    namespace: dict[str, Any] = {"__name__": "user_module"}
    exec(compile(source, "user_module.py", "exec", dont_inherit=True), namespace)
    return namespace[name]


def test_resolve_annotations_reads_objects_directly() -> None:
    fn = _define("import typing\ndef f(a: int, b: list[int], c: typing.Any = 0) -> None: ...")
    resolved = resolve_annotations(fn)
    assert resolved == {"a": int, "b": list[int], "c": Any, "return": type(None)}
    resolved["a"] = str
    assert fn.__annotations__["a"] is int  # a copy


def test_resolve_annotations_evaluates_strings() -> None:
    fn = _define(
        "from __future__ import annotations\nimport typing\nclass Row: ...\n"
        "def f(a: Row, b: typing.Annotated[int, 'm'], c: list['Row']) -> dict[str, Row]: ..."
    )
    row = fn.__globals__["Row"]
    assert resolve_annotations(fn) == {
        "a": row,
        "b": Annotated[int, "m"],
        "c": list[row],
        "return": dict[str, row],
    }
    assert pt._has_forward_ref(Literal["text"]) is False


def test_parallelizable_and_collect_annotate_user_functions() -> None:
    fan_out = _define(
        "from plait.htypes import Parallelizable\n"
        "def f(n: int) -> Parallelizable[int]:\n    yield from range(n)"
    )
    fan_in = _define("from plait.htypes import Collect\ndef f(x: Collect[int]) -> int: ...")
    out = resolve_annotations(fan_out)["return"]
    assert htypes.is_parallelizable_type(out) and pt.element_type(out) is int
    assert list(fan_out(2)) == [0, 1]
    assert htypes.is_collect_type(resolve_annotations(fan_in)["x"])
    assert types_match(resolve_annotations(fan_in)["x"], int)


def test_resolve_annotations_names_the_unresolvable_annotation() -> None:
    fn = _define("\n\ndef f(a: int, b: 'Missing') -> int: ...")
    with pytest.raises(GraphError, match=r"parameter 'b'.*'Missing'.*'f' \(user_module.py:3\)"):
        resolve_annotations(fn)
    fn = _define("import typing\ndef f(a: 'int') -> typing.List['Gone']: ...")
    with pytest.raises(GraphError, match="return annotation") as info:
        resolve_annotations(fn)
    assert isinstance(info.value, ValueError)


# --- side by side with hamilton.htypes -------------------------------------------------------


def _pool(ns: Any) -> list[Any]:
    """Annotations without bare generic classes (there plait deliberately differs)."""
    Pz, Co = ns.Parallelizable, ns.Collect
    return [
        int, float, str, bool, object, Any, type(None), list, dict, tuple, set, list[int],
        list[str], typing.List[int], typing.List, dict[str, int], typing.Dict[str, Any],
        tuple[int, ...], tuple[int, str], typing.Tuple, set[int], frozenset[int], Optional[int],
        Union[int, str], int | str, Optional[list[int]], cabc.Sequence[int], typing.Sequence,
        cabc.Mapping[str, int], cabc.Iterable[int], cabc.Iterable, cabc.Collection[int], Base,
        Sub, Box[int], SubBox[int], MyList, T, Literal[1, "a"], pd.Series, pd.DataFrame,
        np.ndarray, Annotated[pd.Series, int], Annotated[pd.Series, float], Annotated[int, "m"],
        Annotated[Any, "m"], Annotated[list, "m"], Annotated[cabc.Sequence[int], "m"], Pz[int],
        Pz[str], Pz[Base], Co[int], Co[Base], typing.Callable, typing.Callable[[int], str],
        cabc.Callable, type[int], Optional[Any], cabc.Iterable[cabc.Sequence[int]],
        list[Optional[int]], list[list[int]],
    ]  # fmt: skip


def _values() -> list[Any]:
    return [
        1, True, 1.5, "a", "", None, [], [1], ["a"], [[1]], (1, 2), ("a", 1), (), {1}, {"a"},
        frozenset({1}), {"a": 1}, {}, collections.OrderedDict(a=1), Base(), Sub(), Box(),
        SubBox(), MyList(["a"]), pd.Series([1, 2]), pd.Series(["x"]), pd.DataFrame({"a": [1]}),
        np.array([1, 2]), np.array(5), range(3), b"ab", len, object(), int,
    ]  # fmt: skip


def _call(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as exc:  # Hamilton raises in some corners
        return exc


def _fix_allowed(annotation: Any, value: Any) -> bool:
    """plait accepts what Hamilton rejects only for instances of the annotation's class."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return any(_fix_allowed(member, value) for member in typing.get_args(annotation))
    annotated = typing.get_origin(annotation) is Annotated
    base = typing.get_args(annotation)[0] if annotated else annotation
    if base is Any:
        return True
    cls = typing.get_origin(base) or base
    try:
        return isinstance(cls, type) and isinstance(value, cls)
    except TypeError:
        return False


def _assert_edge_agrees(h: Any, param: tuple[Any, Any], node: tuple[Any, Any]) -> None:
    expected = _call(h.types_match, param[0], node[0])
    got = types_match(param[1], node[1])
    if isinstance(expected, Exception):  # Hamilton crashes (non-runtime Protocol): plait answers
        assert isinstance(got, bool), (param[1], node[1])
    else:
        assert got == expected, (param[1], node[1], expected)


def _assert_input_agrees(
    h: Any, annotation: tuple[Any, Any], value: Any, *, fixes_nested: bool = False
) -> None:
    """Equal answers, except that plait accepts some values Hamilton rejects (documented)."""
    expected = _call(h.check_input_type, annotation[0], value)
    got = check_input_type(annotation[1], value)
    if isinstance(expected, Exception):  # Hamilton crashes (e.g. iterating a 0-d array)
        assert isinstance(got, bool), (annotation[1], value)
    elif got != expected:
        assert got is True, (annotation[1], value)
        assert fixes_nested or _fix_allowed(annotation[1], value), (annotation[1], value)
    checker = make_value_checker(annotation[1])
    assert (True if checker is None else checker(value)) is got, (annotation[1], value)


def test_types_match_agrees_with_hamilton(hamilton_htypes: Any) -> None:
    pairs = list(zip(_pool(hamilton_htypes), _pool(pt), strict=True))
    for param, node in itertools.product(pairs, repeat=2):
        _assert_edge_agrees(hamilton_htypes, param, node)
        assert pt.get_type_as_string(param[1]) == hamilton_htypes.get_type_as_string(param[0])


def test_check_input_type_agrees_with_hamilton(hamilton_htypes: Any) -> None:
    for annotation in zip(_pool(hamilton_htypes), _pool(pt), strict=True):
        for value in _values():
            _assert_input_agrees(hamilton_htypes, annotation, value)


def test_make_value_checker_is_none_only_when_everything_passes() -> None:
    for annotation in _pool(pt):
        if make_value_checker(annotation) is None:
            assert all(check_input_type(annotation, value) for value in _values()), annotation


LEAVES = [int, float, str, bool, object, Any, type(None), Base, Sub, pd.Series, pd.DataFrame,
          np.ndarray, T]  # fmt: skip
ONE_ARG = ["list", "set", "tuple...", "Optional", "Sequence", "Iterable", "Parallelizable",
           "Collect", "Annotated"]  # fmt: skip
TWO_ARGS = ["dict", "tuple", "Union", "Mapping"]

recipes = st.recursive(
    st.sampled_from(LEAVES).map(lambda leaf: ("leaf", leaf)),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(ONE_ARG), inner),
        st.tuples(st.sampled_from(TWO_ARGS), inner, inner),
    ),
    max_leaves=4,
)


def _render(recipe: tuple[Any, ...], ns: Any) -> Any:
    kind, *parts = recipe
    if kind == "leaf":
        return parts[0]
    args = [_render(part, ns) for part in parts]
    build: dict[str, Any] = {
        "list": lambda a: list[a],
        "set": lambda a: set[a],
        "tuple...": lambda a: tuple[a, ...],
        "Optional": lambda a: Optional[a],
        "Sequence": lambda a: cabc.Sequence[a],
        "Iterable": lambda a: cabc.Iterable[a],
        "Parallelizable": lambda a: ns.Parallelizable[a],
        "Collect": lambda a: ns.Collect[a],
        "Annotated": lambda a: Annotated[a, "meta"],
        "dict": lambda a, b: dict[a, b],
        "tuple": lambda a, b: tuple[a, b],
        "Union": lambda a, b: Union[a, b],
        "Mapping": lambda a, b: cabc.Mapping[a, b],
    }
    return build[kind](*args)


@settings(max_examples=120, deadline=None)
@given(param=recipes, node=recipes)
def test_nested_annotations_agree_with_hamilton(param: Any, node: Any) -> None:
    h = pytest.importorskip("hamilton.htypes")
    p_param, p_node = _render(param, pt), _render(node, pt)
    h_param, h_node = _render(param, h), _render(node, h)
    _assert_edge_agrees(h, (h_param, p_param), (h_node, p_node))
    _assert_edge_agrees(h, (h_node, p_node), (h_param, p_param))
    # Where a container's item type has a fix, the container inherits it.
    fixes_nested = any(kind in repr(param) for kind in ("tuple", "Mapping", "Annotated", "dict"))
    for value in _values():
        _assert_input_agrees(h, (h_param, p_param), value, fixes_nested=fixes_nested)


# --- the public shell ------------------------------------------------------------------------


def test_htypes_exports_hamiltons_names(hamilton_htypes: Any) -> None:
    plait_only = {"is_collect_type"}
    assert {n for n in dir(htypes) if not n.startswith("_")} >= set(htypes.__all__)
    assert [n for n in htypes.__all__ if not hasattr(hamilton_htypes, n)] == sorted(plait_only)


def test_importing_htypes_stays_light() -> None:
    code = (
        "import sys, plait.htypes; "
        "print(sorted({'pandas', 'numpy', 'typing_inspect'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert out.stdout.strip() == "[]"
