"""The harness itself: each side really runs its own library, and comparisons are strict."""

from __future__ import annotations

import pandas as pd
import pytest

from dags import failing, marketing

from .harness import HAMILTON, Impl, assert_same, builtin_base, where


@pytest.mark.parametrize("sub", ["driver", "base", "ad_hoc_utils"])
def test_each_side_imports_its_own_library(impl: Impl, sub: str):
    module = impl.module(sub)
    assert module.__name__ == f"{impl.name}.{sub}"


def test_each_side_builds_its_own_driver(impl: Impl):
    dr = impl.build(marketing)
    assert type(dr).__module__.split(".")[0] == impl.name
    legacy = impl.legacy(marketing)
    assert type(legacy).__module__.split(".")[0] == impl.name


def test_reference_is_hamilton(ham: Impl):
    assert ham.name == HAMILTON
    assert ham.driver.__name__ == "hamilton.driver"


def test_builtin_base():
    class Custom(KeyError):
        pass

    assert builtin_base(Custom) is KeyError
    assert builtin_base(ValueError) is ValueError


def test_where_points_at_the_def_line():
    assert where(failing.country_code) == "failing.py:4"


@pytest.mark.parametrize(
    ("got", "want"),
    [
        (pd.Series([1, 2]), pd.Series([1.0, 2.0])),  # dtype
        (pd.DataFrame({"b": [1], "a": [2]}), pd.DataFrame({"a": [2], "b": [1]})),  # column order
        ({"b": 1, "a": 2}, {"a": 2, "b": 1}),  # key order
        ({"a": 1}, {"a": 1.0}),  # int is not float
        ({"a": True}, {"a": 1}),  # bool is not int
    ],
    ids=["dtype", "column-order", "key-order", "int-float", "bool-int"],
)
def test_assert_same_is_strict(got, want):
    with pytest.raises(AssertionError):
        assert_same(got, want)
