"""STYLE.md §3 as tests over ``ast``: layers import downward only, shells only re-export, and
modules and functions stay within the size caps."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PLAIT = SRC / "plait"

#: What each core package may import of plait (STYLE §3 rule 1: _model ← _hooks ← _graph ←
#: _plan ← _run). ``_hooks`` does not exist yet; it is allowed where STYLE puts it.
CORE_ALLOWED = {
    "_model": {"_model"},
    "_hooks": {"_model", "_hooks"},
    "_graph": {"_model", "_hooks", "_graph"},
    "_plan": {"_model", "_hooks", "_graph", "_plan"},
    "_run": {"_model", "_hooks", "_graph", "_plan", "_run"},
}
#: Third-party libraries the core must not import when it is imported.
HEAVY = {"pandas", "numpy"}

MAX_MODULE_LINES = 600
MAX_FUNCTION_CODE_LINES = 60


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> Iterator[tuple[int, str, bool]]:
    """``(line, imported module, runs at import time)`` for every import in ``path``.

    Imports inside functions or under ``if TYPE_CHECKING:`` do not run at import time.
    ``from a import b`` yields ``a.b`` (b may be a module).
    """
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST, at_import: bool) -> Iterator[tuple[int, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, at_import
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    yield child.lineno, f"{base}.{alias.name}", at_import
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), False)
                for stmt in child.orelse:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), at_import)
            else:
                yield from visit(child, at_import)

    yield from visit(ast.parse(path.read_text(), str(path)), True)


def _core_violations(package: str) -> list[str]:
    allowed = CORE_ALLOWED[package]
    found = []
    for path in sorted((PLAIT / package).rglob("*.py")):
        where = path.relative_to(SRC)
        for line, target, at_import in _imports(path):
            top = target.split(".")[0]
            if top == "plait":
                layer = target.split(".")[1] if "." in target else "plait"
                if layer not in allowed:
                    found.append(f"{where}:{line} imports {target}")
            elif top in HEAVY and at_import:
                found.append(f"{where}:{line} imports {target} at import time")
    return found


@pytest.mark.parametrize(
    "package", [p for p in sorted(CORE_ALLOWED) if p != "_hooks" or (PLAIT / p).is_dir()]
)
def test_the_core_imports_only_downward(package):
    assert (PLAIT / package).is_dir(), f"plait.{package} is missing"
    violations = _core_violations(package)
    assert not violations, (
        f"plait.{package} may import only {sorted(CORE_ALLOWED[package])} of plait, and no "
        f"{sorted(HEAVY)} at import time:\n  " + "\n  ".join(violations)
    )


def test_the_import_scanner_sees_every_kind_of_import(tmp_path, monkeypatch):
    fake = tmp_path / "plait" / "_graph"
    fake.mkdir(parents=True)
    (fake / "mod.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "import numpy\n"
        "from ..  import driver\n"
        "from .._api.driver import Driver\n"
        "if TYPE_CHECKING:\n"
        "    import pandas\n"
        "    from plait._plan import plan\n"
        "def f():\n"
        "    import pandas\n"
        "    from plait._model import node\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PLAIT", tmp_path / "plait")
    assert _core_violations("_graph") == [
        "plait/_graph/mod.py:2 imports numpy at import time",
        "plait/_graph/mod.py:3 imports plait.driver",
        "plait/_graph/mod.py:4 imports plait._api.driver.Driver",
        "plait/_graph/mod.py:7 imports plait._plan.plan",
    ]


# -- shells ----------------------------------------------------------------------------------


def _shells() -> list[Path]:
    """Public modules: no ``_``-prefixed part, except the package ``__init__`` files; the
    top-level ``plait/__init__.py`` (version + lazy attribute access) is not a shell."""
    shells = []
    for path in sorted(PLAIT.rglob("*.py")):
        parts = path.relative_to(PLAIT).parts
        if parts == ("__init__.py",):
            continue
        private_dir = any(p.startswith("_") for p in parts[:-1])
        private_file = path.stem.startswith("_") and path.stem != "__init__"
        if not private_dir and not private_file:
            shells.append(path)
    return shells


def test_there_are_shells():
    names = {str(p.relative_to(PLAIT)) for p in _shells()}
    assert {"driver.py", "graph_types.py", "ad_hoc_utils.py", "settings.py"} <= names
    assert "lifecycle/__init__.py" in names


def test_shells_only_re_export():
    offenders = []
    for path in _shells():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                kind = type(node).__name__
                label = getattr(node, "name", "lambda")
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {kind} {label}")
    assert not offenders, (
        "Public shells hold imports, __all__ and constants only; move these into a private "
        "module and re-export them:\n  " + "\n  ".join(offenders)
    )


# -- sizes -----------------------------------------------------------------------------------


def _code_lines(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    assert fn.end_lineno is not None
    lines = fn.end_lineno - fn.lineno + 1
    first = fn.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        assert first.end_lineno is not None
        lines -= first.end_lineno - first.lineno + 1
    return lines


def test_code_lines_exclude_the_docstring():
    fn = ast.parse('def f():\n    """One.\n\n    Two.\n    """\n    a = 1\n    return a\n').body[0]
    assert isinstance(fn, ast.FunctionDef)
    assert _code_lines(fn) == 3


def test_no_module_is_over_the_line_cap():
    sizes = sorted(
        ((len(p.read_text().splitlines()), str(p.relative_to(SRC))) for p in PLAIT.rglob("*.py")),
        reverse=True,
    )
    over = [f"{name}: {n} lines" for n, name in sizes if n > MAX_MODULE_LINES]
    assert not over, f"Modules over {MAX_MODULE_LINES} lines (split them):\n  " + "\n  ".join(over)


def test_no_function_is_over_the_code_line_cap():
    sizes = []
    for path in PLAIT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                where = f"{path.relative_to(SRC)}:{node.lineno} {node.name}"
                sizes.append((_code_lines(node), where))
    sizes.sort(reverse=True)
    over = [f"{where}: {n} code lines" for n, where in sizes if n > MAX_FUNCTION_CODE_LINES]
    assert not over, (
        f"Functions over {MAX_FUNCTION_CODE_LINES} code lines (docstring excluded), worst "
        "first:\n  " + "\n  ".join(over[:10])
    )
