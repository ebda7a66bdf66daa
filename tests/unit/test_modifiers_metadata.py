"""Metadata decorators as pure transforms (function/node in, nodes out) and end to end.

``@tag`` (values, lists, dotted keys, reserved namespaces, ``target_``), ``@tag_outputs``,
``@schema.output``. The misuse table of ``docs/decorators/metadata.md`` is
``dags.mod_meta_misuse.CASES``: one test per row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import plait.function_modifiers as fm
from dags import mod_meta_misuse
from dags.mod_meta_misuse import Misuse, module_of
from plait import driver
from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._modifiers.base import MODIFIERS_ATTR
from plait._modifiers.metadata import SchemaOutput, is_frame_type, tag_problem
from plait._modifiers.resolve import resolve_function
from plait.function_modifiers import extract_columns, schema, tag, tag_outputs

SCHEMA = schema.INTERNAL_SCHEMA_OUTPUT_KEY
ROOT = Path(__file__).parents[2]


def tags_of(fn: Any, config: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """``{node: tags}`` of ``fn``'s nodes, without the ``module`` tag every node has."""
    return {
        n.name: {k: v for k, v in n.tags.items() if k != "module"}
        for n in resolve_function(fn, config or {})
    }


def plain(n: int) -> int:
    return n


# -- @tag as a transform ---------------------------------------------------------------------
def test_tag_decorates_a_node_without_changing_it():
    node = Node.from_fn(plain)
    tagged = tag(owner="kim", kinds=["a", "b"], **{"team.area": "ads"}).decorate_node(node)
    assert tagged.tags == {
        "module": __name__,
        "owner": "kim",
        "kinds": ["a", "b"],
        "team.area": "ads",
    }
    assert node.tags == {"module": __name__}
    assert tagged.name == node.name and tagged.callable is node.callable


def test_applying_only_records_the_decorator():
    def f(n: int) -> int:
        return n

    decorator = tag(owner="kim")
    assert decorator(f) is f
    assert getattr(f, MODIFIERS_ATTR) == [decorator]
    assert f.__name__ == "f" and f(2) == 2


def test_upper_tag_wins_on_a_shared_key():
    @tag(owner="top")
    @tag(owner="bottom", stage="raw")
    def f(n: int) -> int:
        return n

    assert tags_of(f) == {"f": {"owner": "top", "stage": "raw"}}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, {"frame": {}, "a": {"t": "v"}, "b": {"t": "v"}}),
        (..., {"frame": {"t": "v"}, "a": {"t": "v"}, "b": {"t": "v"}}),
        ("a", {"frame": {}, "a": {"t": "v"}, "b": {}}),
        (["frame", "b"], {"frame": {"t": "v"}, "a": {}, "b": {"t": "v"}}),
        (("a",), {"frame": {}, "a": {"t": "v"}, "b": {}}),
    ],
    ids=["None", "Ellipsis", "name", "list", "tuple"],
)
def test_tag_target_on_a_multi_node_function(target: Any, expected: dict):
    @tag(t="v", target_=target)
    @extract_columns("a", "b")
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n], "b": [n]})

    assert tags_of(frame) == expected


def test_tag_target_must_name_nodes():
    @tag(t="v", target_=["a", "zz"])
    @extract_columns("a", "b")
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n], "b": [n]})

    with pytest.raises(InvalidDecoratorError, match=r"target \['zz'\] names no node") as info:
        resolve_function(frame, {})
    assert "function 'test_tag_target_must_name_nodes.<locals>.frame' at" in str(info.value)


def test_tag_target_of_the_wrong_type():
    with pytest.raises(InvalidDecoratorError, match="target must be None"):
        tag(t="v", target_=3)  # type: ignore[arg-type]


def test_reserved_namespace_bypassed():
    @tag(**{"hamilton.owner": "kim", "module": "custom"}, bypass_reserved_namespaces_=True)
    def f(n: int) -> int:
        return n

    (node,) = resolve_function(f, {})
    assert node.tags == {"module": "custom", "hamilton.owner": "kim"}


def test_reserved_namespaces_are_hamiltons():
    assert tag.RESERVED_TAG_NAMESPACES == (
        "hamilton",
        "data_quality",
        "gdpr",
        "ccpa",
        "dag",
        "module",
        "ray_remote",
    )


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("owner", "kim", None),
        ("team.owner", ["a", "b"], None),
        ("_private.x1", "v", None),
        ("", "v", "not identifiers"),
        ("team.", "v", "not identifiers"),
        ("1st", "v", "not identifiers"),
        ("a-b", "v", "not identifiers"),
        (3, "v", "not identifiers"),
        ("gdpr.level", "v", "'gdpr' is a reserved namespace"),
        ("dag", "v", "'dag' is a reserved namespace"),
        ("modules", "v", None),  # only whole first parts are reserved
        ("x", 1.5, "the value is float"),
        ("x", ("a",), "the value is tuple"),
        ("x", None, "the value is NoneType"),
        ("x", [], "the list is empty"),
        ("x", ["a", 1], "not strings"),
        ("x", ["b", "a", "b", "a"], "repeats ['a', 'b']"),
    ],
)
def test_tag_rules(key: Any, value: Any, problem: str | None):
    found = tag_problem(key, value)
    assert found == problem if problem is None else problem in (found or "")


def test_bad_tags_are_all_listed():
    with pytest.raises(InvalidDecoratorError) as info:

        @tag(ok="v", level=3, **{"module.x": "v"})
        def f(n: int) -> int:
            return n

    text = str(info.value)
    assert "level=3 (the value is int" in text and "module.x='v' ('module' is a reserved" in text
    assert "ok=" not in text and "test_modifiers_metadata.py:" in text


# -- @tag_outputs ----------------------------------------------------------------------------
def test_tag_outputs_tags_each_output():
    @tag_outputs(a={"side": "left"}, frame={"whole": "yes", "kinds": ["x", "y"]})
    @extract_columns("a", "b")
    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"a": [n], "b": [n]})

    assert tags_of(frame) == {
        "frame": {"whole": "yes", "kinds": ["x", "y"]},
        "a": {"side": "left"},
        "b": {},
    }


def test_tag_outputs_as_a_node_transform():
    decorator = tag_outputs(plain={"k": "v"}, other={"k": "w"})
    assert decorator.decorate_node(Node.from_fn(plain)).tags["k"] == "v"
    with pytest.raises(InvalidDecoratorError, match=r"\['other'\] name no node"):
        decorator.transform_dag([Node.from_fn(plain)], {}, plain)


def test_tag_outputs_checks_inner_keys():
    with pytest.raises(InvalidDecoratorError, match="output 'plain'"):
        tag_outputs(plain={1: "v"})(plain)  # type: ignore[dict-item]


# -- @schema.output --------------------------------------------------------------------------
class MyFrame(pd.DataFrame):
    pass


@pytest.mark.parametrize(
    ("annotation", "ok"),
    [
        (pd.DataFrame, True),
        (MyFrame, True),
        (pl.DataFrame, True),
        (pl.LazyFrame, True),
        (pd.Series, False),
        (dict, False),
        (int, False),
        (Any, False),
        (list[int], False),
    ],
)
def test_frame_types(annotation: Any, ok: bool):
    assert is_frame_type(annotation) is ok


def test_schema_output_records_a_tag():
    @schema.output(("id", "int"), ("score", "float"))
    def scores(n: int) -> pd.DataFrame:
        return pd.DataFrame({"id": [n], "score": [0.5]})

    assert tags_of(scores) == {"scores": {SCHEMA: "id=int,score=float"}}
    (decorator,) = getattr(scores, MODIFIERS_ATTR)
    assert isinstance(decorator, SchemaOutput) and isinstance(decorator, tag)
    assert decorator.name == "schema.output"


def test_schema_output_target_and_tag_in_either_order():
    @tag(stage="nlp")
    @schema.output(("word", "str"), target_="words")
    @extract_columns("word")
    def words(n: int) -> pd.DataFrame:
        return pd.DataFrame({"word": ["w"] * n})

    @schema.output(("name", "str"))
    @tag(stage="clean")
    def names(n: int) -> pl.DataFrame:
        return pl.DataFrame({"name": ["a"] * n})

    assert tags_of(words) == {"words": {SCHEMA: "word=str"}, "word": {"stage": "nlp"}}
    assert tags_of(names) == {"names": {"stage": "clean", SCHEMA: "name=str"}}


def test_schema_output_without_fields():
    @schema.output()
    def empty(n: int) -> pd.DataFrame:
        return pd.DataFrame()

    assert tags_of(empty) == {"empty": {SCHEMA: ""}}


# -- end to end ------------------------------------------------------------------------------
def test_end_to_end_tags_values_and_tag_filter():
    from dags import mod_meta_tags

    dr = driver.Builder().with_modules(mod_meta_tags).build()
    out = dr.execute(["margin", "clicks", "left", "words"], inputs={"n": 2})
    assert out["margin"] == 40 and out["clicks"].tolist() == [2, 4]
    assert out["left"].tolist() == [2] and list(out["words"].columns) == ["word"]

    def select(**query: Any) -> list[str]:
        return sorted(v.name for v in dr.list_available_variables(tag_filter=query))

    assert select(owner="growth") == ["spend"]
    assert select(channels=["tv", "social"]) == ["spend"]
    assert select(scope=None, only="clicks") == ["clicks"]
    assert select(**{SCHEMA: None}) == ["names", "scores", "words"]
    assert select(module="accounts") == ["margin"]


# -- the misuse table ------------------------------------------------------------------------
ERRORS = {"InvalidDecoratorError": InvalidDecoratorError}


def commit(case: Misuse) -> tuple[str, Exception]:
    """Commit the misuse with plait: the phase that raised, and the error."""
    phase = "decorate"
    try:
        functions = case.make(fm)
        phase = "build"
        driver.Builder().with_modules(module_of(functions)).with_config(case.config).build()
    except Exception as exc:
        return phase, exc
    pytest.fail(f"{case.id}: no error")


@pytest.mark.parametrize("case", mod_meta_misuse.CASES, ids=lambda c: c.id)
def test_misuse_fails_early_and_names_the_function(case: Misuse):
    phase, error = commit(case)
    assert isinstance(error, ERRORS[case.error]), f"{type(error).__name__}: {error}"
    assert phase == case.when, f"{case.id}: raised at {phase}, documented {case.when}"
    text = "\n".join([str(error), *getattr(error, "__notes__", ())])
    for needle in case.needles:
        assert needle in text, f"{case.id}: {needle!r} not in {text!r}"
    for line in case.lines():
        assert f"{Path(mod_meta_misuse.__file__).name}:{line}" in text, text


def test_every_misuse_row_is_documented():
    text = (ROOT / "docs" / "decorators" / "metadata.md").read_text()
    missing = [c.id for c in mod_meta_misuse.CASES if f"`{c.id}`" not in text]
    assert not missing, f"rows missing from metadata.md: {missing}"


def test_docs_page_shows_the_example_and_its_real_output():
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_docs", ROOT / "docs/tools/check_docs.py")
    assert spec is not None and spec.loader is not None
    check_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_docs)
    page = ROOT / "docs" / "decorators" / "metadata.md"
    script = ROOT / "docs" / "examples" / "decorators_metadata.py"
    assert check_docs.check(page, script, check_docs._sources()) == []
