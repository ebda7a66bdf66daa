"""Metadata decorators (``@tag``, ``@tag_outputs``, ``@schema.output``): plait against Hamilton
on the same module.

``tests/dags/mod_meta_tags.py`` is written against plait and ported to Hamilton by
``harness.load_dag``. Both libraries build it; the variables they list (tags included), the
values they compute and what ``list_available_variables(tag_filter=...)`` selects must agree.
Deviations (``docs/decorators/metadata.md``) are pinned by tests below; the misuse table is
``dags.mod_meta_misuse.CASES``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dags import mod_meta_misuse
from dags.mod_meta_misuse import Misuse, module_of

from .harness import Impl, assert_same, both, both_raise, load_dag

SCHEMA = "hamilton.internal.schema_output"


def build(lib: Impl) -> Any:
    return lib.build(load_dag(lib, "mod_meta_tags"))


def table(dr: Any) -> dict[str, dict[str, Any]]:
    """``list_available_variables`` as comparable rows (a missing docstring is ``""``; an
    input's originating functions, its first consumer's in Hamilton, are left out)."""
    return {
        v.name: {
            "type": v.type,
            "tags": dict(v.tags),
            "external": v.is_external_input,
            "required": set(v.required_dependencies),
            "doc": v.documentation or "",
            "functions": None
            if v.is_external_input
            else [f.__name__ for f in v.originating_functions or ()],
        }
        for v in dr.list_available_variables()
    }


def test_same_variables(impl: Impl, ham: Impl):
    got, want = both(impl, ham, lambda lib: table(build(lib)))
    assert sorted(got) == sorted(want)
    for name, row in want.items():
        assert got[name] == row, name


def test_same_values(impl: Impl, ham: Impl):
    def run(lib: Impl) -> dict[str, Any]:
        dr = build(lib)
        outputs = sorted(v.name for v in dr.list_available_variables() if not v.is_external_input)
        out = dr.execute(outputs, inputs={"n": 2})
        return {
            k: v.to_dict(as_series=False) if hasattr(v, "schema") else v for k, v in out.items()
        }

    got, want = both(impl, ham, run)
    assert_same(got, want)


def test_pinned_tags(impl: Impl):
    """The tags spelled out, so both libraries are checked against the documentation."""
    tags = {
        v.name: {k: t for k, t in v.tags.items() if k != "module"}
        for v in build(impl).list_available_variables()
    }
    assert tags["spend"] == {
        "owner": "growth",
        "channels": ["search", "social"],
        "team.area": "ads",
        "team.lead": "kim",
    }
    assert tags["revenue"] == {"owner": "finance", "stage": "raw"}
    assert tags["margin"] == {"data_quality.reviewed": "yes"}
    assert tags["frame"] == {"scope_all": "yes", "listed": ["x", "y"]}
    assert tags["clicks"] == {"scope": "final", "scope_all": "yes", "only": "clicks"}
    assert tags["views"] == {"scope": "final", "scope_all": "yes", "listed": ["x", "y"]}
    assert tags["left"] == {"side": "left", "kinds": ["a", "b"]}
    assert tags["right"] == {} and tags["pair"] == {"whole": "yes"}
    assert tags["scores"] == {SCHEMA: "id=int,score=float"}
    assert tags["names"] == {SCHEMA: "name=str", "stage": "clean"}
    assert tags["words"] == {SCHEMA: "word=str"} and tags["word"] == {"stage": "nlp"}
    assert tags["untagged"] == {} and tags["n"] == {}
    modules = {v.name: v.tags.get("module") for v in build(impl).list_available_variables()}
    assert modules["margin"] == "accounts" and modules["spend"] == "dags.mod_meta_tags"


FILTERS = [
    ({"owner": "growth"}, ["spend"]),
    ({"channels": "social"}, ["spend"]),
    ({"channels": ["tv", "search"]}, ["spend"]),
    ({"team.area": None}, ["spend"]),
    ({"listed": "y", "scope_all": "yes"}, ["frame", "views"]),
    ({"scope": None}, ["clicks", "views"]),
    ({"kinds": ["b"]}, ["left"]),
    ({SCHEMA: None}, ["names", "scores", "words"]),
    ({"module": "accounts"}, ["margin"]),
    ({"stage": ["raw", "nlp"]}, ["revenue", "word"]),
    ({"owner": "nobody"}, []),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[str(q) for q, _ in FILTERS])
def test_tag_filter(impl: Impl, ham: Impl, query: dict, expected: list[str]):
    def run(lib: Impl) -> list[str]:
        return sorted(v.name for v in build(lib).list_available_variables(tag_filter=query))

    got, want = both(impl, ham, run)
    assert got == want == expected


# -- misuse ----------------------------------------------------------------------------------
def commit(lib: Impl, case: Misuse) -> Any:
    fm = lib.module("function_modifiers")
    return lib.build(module_of(case.make(fm)), config=case.config)


RAISES = [c for c in mod_meta_misuse.CASES if c.hamilton == "raises"]
DEVIATES = [c for c in mod_meta_misuse.CASES if c.hamilton != "raises"]


@pytest.mark.parametrize("case", RAISES, ids=lambda c: c.id)
def test_misuse_raises_like_hamilton(impl: Impl, ham: Impl, case: Misuse):
    got, _want = both_raise(impl, ham, lambda lib: commit(lib, case))
    if impl.is_plait:
        assert type(got).__module__.startswith("plait."), type(got)


@pytest.mark.parametrize("case", DEVIATES, ids=lambda c: c.id)
def test_misuse_hamilton_accepts(impl: Impl, case: Misuse):
    """Hamilton silently accepts these; plait refuses, naming the function's file:line."""
    if impl.is_plait:
        with pytest.raises(ValueError, match=r"mod_meta_misuse\.py:\d+"):
            commit(impl, case)
    else:
        assert case.hamilton == "silent"
        commit(impl, case)


# -- deviations, pinned ----------------------------------------------------------------------
def test_schema_output_above_tag(impl: Impl):
    """Hamilton refuses ``@schema.output`` written above another tag-like decorator (only one
    decorator of that kind may follow it); plait allows either order."""
    fm = impl.module("function_modifiers")

    def make() -> Any:
        @fm.schema.output(("a", "int"))
        @fm.tag(owner="kim")
        def frame(n: int) -> pd.DataFrame:
            return pd.DataFrame({"a": [n]})

        return frame

    if impl.is_hamilton:
        with pytest.raises(ValueError, match="Only one allowed"):
            make()
    else:
        dr = impl.build(module_of([make()]))
        (var,) = [v for v in dr.list_available_variables() if v.name == "frame"]
        assert var.tags[SCHEMA] == "a=int" and var.tags["owner"] == "kim"


def test_tag_outputs_reserved_key(impl: Impl):
    """Hamilton's ``@tag_outputs`` does not check its tags: it can even replace ``module``."""
    fm = impl.module("function_modifiers")

    def make() -> Any:
        @fm.tag_outputs(f={"module": "mine"})
        def f(x: int) -> int:
            return x

        return f

    if impl.is_plait:
        with pytest.raises(ValueError, match="'module' is a reserved namespace"):
            make()
    else:
        dr = impl.build(module_of([make()]))
        assert [v.tags["module"] for v in dr.list_available_variables() if v.name == "f"] == [
            "mine"
        ]
