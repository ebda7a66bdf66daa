"""Printing: ``rich`` tables for people (``rich`` imported on first use), JSON for programs."""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout (values made JSON-friendly by :func:`jsonable`)."""
    sys.stdout.write(json.dumps(jsonable(data), indent=2) + "\n")


def jsonable(value: Any) -> Any:
    """``value`` as JSON-friendly data.

    Mappings and sequences recurse (keys become strings); pandas objects go through
    ``to_dict()``, arrays and polars series through ``tolist()``/``to_list()``, numpy scalars
    through ``item()``, dates through ``isoformat()``; NaN and infinities become ``null``;
    anything else becomes ``str(value)``.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    for method in ("to_dict", "tolist", "to_list", "item"):
        convert = getattr(value, method, None)
        if callable(convert):
            try:
                return jsonable(convert())
            except (TypeError, ValueError):
                continue
    return str(value)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print ``title`` (a line of its own, never wrapped) and a table of plain-text cells
    (no rich markup is read from them)."""
    try:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text
    except ModuleNotFoundError as exc:
        from plait._cli.errors import CLIError

        raise CLIError(
            f"Printing tables needs '{exc.name}': pip install \"plait[cli]\" (or pass --json)."
        ) from exc

    if title:
        line(title)
    grid = Table(header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))
    Console(highlight=False).print(grid)


def line(text: str) -> None:
    """Print one line of plain text."""
    sys.stdout.write(text + "\n")


def relative(file: str) -> str:
    """``file`` relative to the current folder when it is inside it, else as given."""
    with contextlib.suppress(ValueError, OSError):
        return os.fspath(Path(file).resolve().relative_to(Path.cwd().resolve()))
    return file


def tags_text(tags: Mapping[str, Any]) -> str:
    """``owner=finance, pii=true`` (the ``module`` tag, shown in its own column, left out)."""
    return ", ".join(f"{k}={v}" for k, v in sorted(tags.items()) if k != "module")
