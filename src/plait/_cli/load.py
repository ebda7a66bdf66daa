"""Command-line arguments → modules, inputs and config.

A MODULE argument is a path to a ``.py`` file (anything ending in ``.py`` or holding a path
separator) or an importable module name. A file inside a package (its folder has an
``__init__.py``) is imported under its dotted name with the package's parent on ``sys.path``,
so its relative imports work; a lone file is imported under its stem with its folder on
``sys.path`` (as ``python file.py`` would). A module name is imported with the current folder
on ``sys.path`` (as ``python -m`` would).

Values given as ``key=value`` are Python literals (``ast.literal_eval``); see
:func:`parse_input` for the one exception, inputs annotated ``str``.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import json
import os
import sys
import types
import typing
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plait._cli.errors import CLIError

if TYPE_CHECKING:
    from plait.driver import Driver, Variable


@dataclass(frozen=True)
class ModuleRef:
    """Where to import one MODULE argument from.

    ``name`` is the dotted import name; ``root`` the folder put first on ``sys.path``;
    ``file`` the file the user named, if they named one.
    """

    arg: str
    name: str
    root: Path
    file: Path | None = None


def resolve(arg: str) -> ModuleRef:
    """The :class:`ModuleRef` for a MODULE argument (nothing is imported)."""
    if arg.endswith(".py") or os.sep in arg or "/" in arg:
        path = Path(arg).resolve()
        if not path.is_file():
            raise CLIError(f"No such file: '{arg}' (give a .py file or an importable module).")
        return _file_ref(arg, path)
    if not all(part.isidentifier() for part in arg.split(".")):
        raise CLIError(f"'{arg}' is neither a .py file nor a module name.")
    return ModuleRef(arg, arg, Path.cwd())


def _file_ref(arg: str, path: Path) -> ModuleRef:
    parts = [] if path.name == "__init__.py" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.name.isidentifier():
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts or not all(p.isidentifier() for p in parts):
        raise CLIError(f"Cannot import '{arg}': '{path.stem}' is not a valid module name.")
    return ModuleRef(arg, ".".join(parts), folder, path)


def import_modules(args: Iterable[str]) -> list[types.ModuleType]:
    """Import every MODULE argument, in order."""
    return [import_ref(resolve(arg)) for arg in args]


def import_ref(ref: ModuleRef) -> types.ModuleType:
    """Import one module; every failure becomes one :class:`CLIError` line."""
    root = str(ref.root)
    if root not in sys.path:
        sys.path.insert(0, root)
    try:
        module = importlib.import_module(ref.name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if ref.name == missing or ref.name.startswith(missing + "."):
            raise CLIError(
                f"No module named '{ref.name}' (give a .py file or an importable module)."
            ) from exc
        raise CLIError(f"Importing '{ref.arg}' failed: {describe(exc)}") from exc
    except Exception as exc:  # the user's module raised while being imported
        raise CLIError(f"Importing '{ref.arg}' failed: {describe(exc)}") from exc
    loaded = getattr(module, "__file__", None)
    if ref.file is not None and (loaded is None or Path(loaded).resolve() != ref.file):
        raise CLIError(
            f"'{ref.arg}' would be imported as '{ref.name}', but a module of that name is "
            f"already loaded from {loaded}. Rename the file."
        )
    return module


def import_root(module: types.ModuleType) -> Path:
    """The folder that must be on ``sys.path`` to import ``module`` by its name."""
    file = getattr(module, "__file__", None)
    if file is None:
        raise CLIError(f"Module '{module.__name__}' has no file.")
    path = Path(file).resolve()
    base = path.parent if path.name == "__init__.py" else path
    return base.parents[module.__name__.count(".")]


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line, with any notes plait added."""
    text = f"{type(exc).__name__}: {exc}"
    notes = [str(n).removeprefix("plait: ") for n in getattr(exc, "__notes__", ())]
    if notes:
        text += "; " + "; ".join(notes)
    return text


# -- key=value -----------------------------------------------------------------------------


def split_pairs(pairs: Iterable[str], option: str) -> dict[str, str]:
    """``["a=1", "b=x"]`` → ``{"a": "1", "b": "x"}``; the last of a repeated key wins."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CLIError(f"{option} '{pair}': expected key=value.", status=2)
        out[key.strip()] = value
    return out


def read_json_object(path: str, option: str) -> dict[str, Any]:
    """The JSON object in ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CLIError(f"{option} {path}: cannot read it ({exc.strerror}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CLIError(f"{option} {path}: not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise CLIError(f"{option} {path}: expected a JSON object, got {type(data).__name__}.")
    return data


def _literal(text: str) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _str_kind(annotation: Any) -> str:
    """``"text"`` for ``str`` (or ``str | None``), ``"either"`` for other unions holding
    ``str``, else ``"literal"``."""
    if annotation is str:
        return "text"
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = set(typing.get_args(annotation))
        if str in members:
            return "text" if members <= {str, type(None)} else "either"
    return "literal"


def parse_input(name: str, text: str, annotation: Any) -> Any:
    """An input's value from its command-line text, by the input's annotation.

    * ``str`` (or ``str | None``): the text itself: ``city=Paris`` and ``code=007`` are the
      strings ``"Paris"`` and ``"007"``; a quoted literal (``city='"Paris"'``) is unquoted.
    * a union holding ``str`` (``int | str``): a Python literal if the text is one, else
      the text.
    * anything else: a Python literal (``3``, ``2.5``, ``[1, 2]``, ``{'a': 1}``, ``None``,
      ``'text'``); text that is not one is an error, never silently a string.
    """
    kind = _str_kind(annotation)
    ok, value = _literal(text)
    if kind == "text":
        return value if ok and isinstance(value, str) else text
    if ok or kind == "either":
        return value if ok else text
    raise CLIError(
        f"--inputs {name}={text}: not a Python literal, and '{name}' is "
        f"{type_label(annotation)}, not str. Write numbers as 3 or 2.5, lists as [1, 2], "
        "strings quoted: 'text'."
    )


def parse_config(text: str) -> Any:
    """A config value: a Python literal if the text is one, else the text (config values have
    no annotation to go by, and are most often strings)."""
    ok, value = _literal(text)
    return value if ok else text


def inputs_from(
    pairs: Iterable[str], file: str | None, types_: Mapping[str, Any]
) -> dict[str, Any]:
    """Inputs from ``--inputs-file`` then ``--inputs`` (which win), checked against the
    graph's node names (``types_``: name → annotation)."""
    values = read_json_object(file, "--inputs-file") if file else {}
    _check_known(values, types_, "--inputs-file")
    given = split_pairs(pairs, "--inputs")
    _check_known(given, types_, "--inputs")
    values.update({k: parse_input(k, text, types_[k]) for k, text in given.items()})
    return values


def config_from(pairs: Iterable[str], file: str | None) -> dict[str, Any]:
    """Config from ``--config-file`` then ``--config`` (which win)."""
    values = read_json_object(file, "--config-file") if file else {}
    values.update({k: parse_config(v) for k, v in split_pairs(pairs, "--config").items()})
    return values


def _check_known(values: Mapping[str, Any], known: Collection[str], option: str) -> None:
    unknown = [k for k in values if k not in known]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(known), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise CLIError(f"{option}: no node named '{unknown[0]}' in the dataflow.{hint}")


def names_list(text: str | None) -> list[str]:
    """``"a, b"`` → ``["a", "b"]``."""
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def type_label(annotation: Any) -> str:
    """``int``, ``list[int]``, ``Optional[str]``, ``Series``: short, module paths dropped."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__qualname__
    import re

    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", repr(annotation))


def build_driver(modules: Iterable[types.ModuleType], config: Mapping[str, Any]) -> Driver:
    """A driver over ``modules`` (dynamic execution on, so Parallelizable blocks run too)."""
    from plait import driver

    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    return builder.with_modules(*modules).with_config(config).build()


def node_kind(node: Variable, config: Mapping[str, Any]) -> str:
    """``function``, ``input``, or ``config`` (an input the config provides)."""
    if not node.is_external_input:
        return "function"
    return "config" if node.name in config else "input"
