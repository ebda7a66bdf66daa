"""The error classes: each is a ``PlaitError`` and the builtin Hamilton raised; notes; hints."""

import ast
from pathlib import Path

import pytest

from plait._model import errors
from plait._model.errors import annotate_node_failure, did_you_mean

SRC = Path(__file__).resolve().parents[2] / "src" / "plait"


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (errors.GraphError, (ValueError,)),
        (errors.DuplicateNodeError, (errors.GraphError, ValueError)),
        (errors.EdgeTypeMismatchError, (errors.GraphError, ValueError)),
        (errors.CycleError, (errors.GraphError, ValueError)),
        (errors.InvalidTypeError, (TypeError,)),
        (errors.UnknownNodeError, (ValueError,)),
        (errors.MissingInputError, (ValueError,)),
        (errors.InputTypeError, (ValueError,)),
        (errors.InvalidDecoratorError, (ValueError,)),
        (errors.InvalidConfigError, (ValueError,)),
        (errors.ResultBuildError, (ValueError,)),
        (errors.ResultTypeError, (errors.ResultBuildError, TypeError, ValueError)),
        (errors.InvalidResultBuilderError, (TypeError,)),
    ],
)
def test_each_error_is_a_plait_error_and_the_builtin_hamilton_raised(cls, bases):
    assert issubclass(cls, errors.PlaitError)
    for base in bases:
        assert issubclass(cls, base), f"{cls.__name__} is not a {base.__name__}"


def test_errors_that_are_not_type_errors():
    assert not issubclass(errors.MissingInputError, TypeError)
    assert not issubclass(errors.InputTypeError, TypeError)  # Hamilton raised ValueError
    assert not issubclass(errors.GraphError, TypeError)


def test_cycle_error_carries_the_cycle():
    err = errors.CycleError("a cycle", ["a", "b", "a"])
    assert err.cycle == ["a", "b", "a"]
    assert str(err) == "a cycle"


def test_annotate_node_failure_adds_one_note_per_call():
    exc = KeyError("k")
    annotate_node_failure(exc, "lookup", "mod.py:3")
    assert exc.__notes__ == ["plait: raised by node 'lookup' (function at mod.py:3)"]
    annotate_node_failure(exc, "outer", "mod.py:9")
    assert len(exc.__notes__) == 2
    assert exc.args == ("k",)


def test_did_you_mean_suggests_close_names_only():
    assert did_you_mean("revenu", ["revenue", "cost"]) == " Did you mean 'revenue'?"
    assert did_you_mean("x", ["revenue", "cost"]) == ""
    hint = did_you_mean("cost_a", ["cost_b", "cost_c", "cost_d", "cost_e"], limit=2)
    assert hint.count("'cost_") == 2
    assert " or " in hint


def _error_classes_outside_errors_py():
    names = {
        node.name
        for node in ast.walk(ast.parse((SRC / "_model" / "errors.py").read_text()))
        if isinstance(node, ast.ClassDef)
    }
    found = []
    core = [
        p for d in ("_model", "_graph", "_plan", "_run", "_api") for p in (SRC / d).rglob("*.py")
    ]
    for path in sorted(core):
        if path == SRC / "_model" / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                if bases & names:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    return found


def test_every_core_error_class_lives_in_errors_py():
    # integrations and decorator families keep their own error classes beside their code
    assert _error_classes_outside_errors_py() == []
