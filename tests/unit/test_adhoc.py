"""``ad_hoc_utils``: temporary modules from functions, from source text, from a file."""

import inspect
import sys
import typing
import uuid

import pytest

from plait import ad_hoc_utils, driver
from plait._model.errors import GraphError


@pytest.fixture
def fresh_names():
    """Unique module names, removed from ``sys.modules`` after the test."""
    names: list[str] = []

    def new() -> str:
        names.append(f"plait_adhoc_{uuid.uuid4().hex}")
        return names[-1]

    yield new
    for name in names:
        sys.modules.pop(name, None)


def a(x: int) -> int:
    return x + 1


def b(a: int) -> int:
    return a * 2


def _helper(x: int) -> int:
    return x


# -- create_temporary_module -----------------------------------------------------------------


def test_a_temporary_module_holds_copies_of_the_functions(fresh_names):
    name = fresh_names()
    module = ad_hoc_utils.create_temporary_module(a, b, module_name=name)
    assert sys.modules[name] is module
    assert module.a is not a
    assert module.a.__module__ == name
    assert a.__module__ == __name__  # the caller's function is untouched
    assert module.a.__code__ is a.__code__
    assert driver.Builder().with_modules(module).build().execute(["b"], inputs={"x": 1}) == {"b": 4}


def test_temporary_modules_get_unique_names():
    first = ad_hoc_utils.create_temporary_module(a)
    second = ad_hoc_utils.create_temporary_module(a)
    try:
        assert first.__name__ != second.__name__
    finally:
        sys.modules.pop(first.__name__, None)
        sys.modules.pop(second.__name__, None)


def test_duplicate_function_names_are_rejected(fresh_names):
    name = fresh_names()
    with pytest.raises(ValueError, match="Two functions are named 'a'") as info:
        ad_hoc_utils.create_temporary_module(a, a, module_name=name)
    assert isinstance(info.value, GraphError)
    assert name not in sys.modules


def test_underscore_functions_are_rejected(fresh_names):
    name = fresh_names()
    with pytest.raises(ValueError, match="'_helper' starts with '_'"):
        ad_hoc_utils.create_temporary_module(a, _helper, module_name=name)
    assert name not in sys.modules


def test_an_existing_module_name_is_rejected():
    with pytest.raises(ValueError, match="'json' already exists"):
        ad_hoc_utils.create_temporary_module(a, module_name="json")
    assert sys.modules["json"].__name__ == "json"


def test_only_plain_functions_go_into_a_temporary_module(fresh_names):
    # (not ``print``: ray.init replaces builtins.print with a Python function)
    with pytest.raises(GraphError, match="plain functions"):
        ad_hoc_utils.create_temporary_module(len, module_name=fresh_names())


# -- module_from_source ----------------------------------------------------------------------

SOURCE = '''
import typing


def numbers(n: int) -> list[int]:
    """The first n numbers."""
    return list(range(n))


def total(numbers: list[int], bonus: typing.Optional[int] = None) -> int:
    return sum(numbers) + (bonus or 0)


def table(total: int, numbers: list[int]) -> dict[str, int]:
    return {"total": total, "count": len(numbers)}
'''

FUTURE_SOURCE = "from __future__ import annotations\n" + SOURCE
STRING_SOURCE = (
    SOURCE.replace("-> list[int]", '-> "list[int]"')
    .replace("numbers: list[int], bonus", 'numbers: "list[int]", bonus')
    .replace("-> dict[str, int]", "-> 'dict[str, int]'")
)


def _shape(module):
    """Every node's name, type, and inputs (name, type, required) as the driver sees them."""
    dr = driver.Builder().with_modules(module).build()
    return {
        v.name: (v.type, sorted(v.required_dependencies), sorted(v.optional_dependencies))
        for v in dr.list_available_variables()
    }, {name: dr.graph.nodes[name].inputs for name in dr.graph.nodes}


@pytest.mark.parametrize("source", [SOURCE, FUTURE_SOURCE, STRING_SOURCE])
def test_module_from_source_builds_and_runs(source, fresh_names):
    module = ad_hoc_utils.module_from_source(source, module_name=fresh_names())
    dr = driver.Builder().with_modules(module).build()
    assert dr.execute(["table"], inputs={"n": 4}) == {"table": {"total": 6, "count": 4}}
    assert dr.execute(["total"], inputs={"n": 4, "bonus": 10}) == {"total": 16}


def test_future_annotations_and_string_annotations_build_the_same_graph(fresh_names):
    plain = _shape(ad_hoc_utils.module_from_source(SOURCE, module_name=fresh_names()))
    future = _shape(ad_hoc_utils.module_from_source(FUTURE_SOURCE, module_name=fresh_names()))
    strings = _shape(ad_hoc_utils.module_from_source(STRING_SOURCE, module_name=fresh_names()))
    assert plain == future == strings
    assert plain[0]["numbers"][0] == list[int]
    assert plain[0]["bonus"][0] == typing.Optional[int]  # noqa: UP045 - as the source spells it


def test_the_future_import_of_the_caller_does_not_leak_into_the_source(fresh_names):
    # plait/_api/adhoc.py itself uses ``from __future__ import annotations``: it must not leak.
    module = ad_hoc_utils.module_from_source(SOURCE, module_name=fresh_names())
    assert module.numbers.__annotations__["return"] == list[int]
    future = ad_hoc_utils.module_from_source(FUTURE_SOURCE, module_name=fresh_names())
    assert future.numbers.__annotations__["return"] == "list[int]"


def test_source_of_a_module_from_source_is_readable(fresh_names):
    module = ad_hoc_utils.module_from_source(SOURCE, module_name=fresh_names())
    assert inspect.getsource(module.numbers).startswith("def numbers(n: int)")
    assert module.__name__ in sys.modules


def test_module_from_source_registers_a_fresh_name_by_default():
    module = ad_hoc_utils.module_from_source("def f(x: int) -> int:\n    return x\n")
    try:
        assert sys.modules[module.__name__] is module
        assert module.f.__module__ == module.__name__
    finally:
        sys.modules.pop(module.__name__, None)


# -- create_module (from a file) -------------------------------------------------------------


def test_create_module_imports_a_temporary_file(fresh_names):
    module = ad_hoc_utils.create_module(SOURCE, module_name=fresh_names())
    assert module.__file__.endswith(".py")
    assert inspect.getsource(module.total).startswith("def total(")
    dr = driver.Builder().with_modules(module).build()
    assert dr.execute(["total"], inputs={"n": 3}) == {"total": 3}
