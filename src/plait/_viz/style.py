"""Hamilton's visual conventions: shapes and colours per kind of node, and the HTML labels.

A *kind* is what a box is (``function``, ``input``, ``config``, ``materializer``, and plait's
``family``); a *modifier* changes a kind's look (``output``, ``override``, ``expand``,
``collect``, ``field``, ``cluster``). Both names double as legend entries. Graphviz wants every
attribute value as a string.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from plait._model.node import Node
from plait._model.types import get_type_as_string

FONT = "Helvetica"
PATH_COLOR = "red"
MAX_TEXT = 80  # longer type strings and config values are cut, then "[...]"

KINDS: Mapping[str, Mapping[str, str]] = {
    "config": {"shape": "note", "style": "filled", "fontname": FONT},
    "input": {"shape": "rectangle", "margin": "0.15", "style": "filled,dashed", "fontname": FONT},
    "materializer": {
        "shape": "cylinder",
        "style": "filled",
        "margin": "0.15,0.1",
        "fontname": FONT,
    },
    "function": {
        "shape": "rectangle",
        "margin": "0.15",
        "style": "rounded,filled",
        "fillcolor": "#b4d8e4",
        "fontname": FONT,
    },
}

MODIFIERS: Mapping[str, Mapping[str, str]] = {
    "output": {"fillcolor": "#FFC857"},
    "collect": {"peripheries": "2", "color": "#EA5556"},
    "expand": {"peripheries": "2", "color": "#56E39F"},
    "override": {"style": "filled,diagonals"},
    "materializer": {"shape": "cylinder"},
    "field": {"fillcolor": "#c8dae0", "fontname": "Courier"},
    "cluster": {"fillcolor": "#ffffff", "color": "#649fb3", "style": "rounded,filled,dashed"},
    "family": {"shape": "box3d", "style": "filled"},  # plait: a collapsed decorator family
}

#: Legend order (Hamilton's, with plait's ``family`` after ``function``).
LEGEND_ORDER = (
    "config",
    "input",
    "function",
    "family",
    "cluster",
    "field",
    "output",
    "materializer",
    "override",
    "expand",
    "collect",
)

LEGEND_GRAPH = {"label": "Legend", "rank": "same", "fontname": "helvetica", "fillcolor": "#ffffff"}
MODULE_GRAPH = {
    "style": "rounded,filled",
    "color": "#649fb3",
    "fillcolor": "#f4f9fb",
    "fontname": FONT,
    "labeljust": "l",
}
SCHEMA_GRAPH = {  # label="": a schema cluster inside a module cluster must not inherit its label
    "label": "",
    "color": "#649fb3",
    "style": "rounded,filled,dashed",
    "fillcolor": "#ffffff",
}


def look(kind: str, *modifiers: str) -> dict[str, str]:
    """The attributes of a ``kind`` (``function`` if unknown) with ``modifiers`` applied."""
    attrs = dict(KINDS.get(kind, KINDS["function"]))
    for modifier in modifiers:
        attrs.update(MODIFIERS.get(modifier, {}))
    return attrs


def legend_look(entry: str) -> dict[str, str]:
    """How a legend entry is drawn: a kind, or the function look with a modifier."""
    return look(entry) if entry in KINDS else look("function", entry)


def edge_look(from_expand: bool, to_collect: bool) -> dict[str, str]:
    """Crow's feet where a Parallelizable fans out and where a Collect fans in."""
    attrs: dict[str, str] = {}
    if from_expand:
        attrs.update(dir="both", arrowhead="crow", arrowtail="none")
    if to_collect:
        attrs.update(dir="both", arrowtail="crow")
    return attrs


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "[...]"


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def display_name(node: Node) -> str:
    """The ``display_name`` tag (first item if a list), else the node name."""
    shown = node.tags.get("display_name")
    if isinstance(shown, list):
        shown = shown[0] if shown else None
    return str(shown) if shown else node.name


def type_text(type_: Any) -> str:
    """A short type name for labels."""
    return get_type_as_string(type_) or ""


def box_label(name: str, type_string: str) -> str:
    """The HTML label of a box: the name in bold, the type (or value) in italics."""
    return f"<b>{_esc(name)}</b><br /><br /><i>{_esc(_cut(type_string))}</i>"


def input_table(rows: Iterable[Node]) -> str:
    """The HTML label of an input box: one ``name | type`` row per input."""
    cells = "".join(
        f"<tr><td>{_esc(display_name(n))}</td><td>{_esc(type_text(n.type))}</td></tr>" for n in rows
    )
    return f'<table border="0">{cells}</table>'


def family_label(title: str, members: list[str]) -> str:
    """The HTML label of a collapsed family: its function, how many nodes, which ones."""
    listed = _cut(", ".join(members))
    return (
        f"<b>{_esc(title)}</b><br /><br /><i>{len(members)} nodes</i><br />"
        f'<font point-size="10">{_esc(listed)}</font>'
    )


def schema_fields(schema: str) -> list[str]:
    """``"a:int,b:str"`` → one padded text per field (a space after each colon)."""
    fields = []
    for raw in schema.split(","):
        text = raw.strip()
        head, colon, tail = text.partition(":")
        if colon and not tail.startswith(" "):
            text = f"{head}: {tail}"
        fields.append(text)
    width = max(len(f) for f in fields)
    return [f.ljust(width) for f in fields]
