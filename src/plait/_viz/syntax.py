"""DOT syntax: ids and values quoted when needed, attribute lists, node and edge statements.

Standard library only. Statements come without indentation or newline; the caller adds both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?)")
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


class Html(str):
    """An HTML-like label: written between ``<`` and ``>``, never quoted."""

    __slots__ = ()


def quote(text: str) -> str:
    """A DOT id or value: bare if it is a plain id, else double-quoted (HTML kept as is).

    A backslash is replaced (DOT has no escape for it), so every name gives a valid id.
    """
    if isinstance(text, Html):
        return f"<{text}>"
    if _ID.fullmatch(text) and text.lower() not in _KEYWORDS:
        return text
    escaped = text.replace("\\", "\u29f5").replace('"', '\\"')
    return f'"{escaped}"'


def attr_list(attrs: Mapping[str, Any]) -> str:
    """`` [label=... a=b ...]`` (label first, then sorted), or nothing for no attributes."""
    if not attrs:
        return ""
    keys = sorted(attrs, key=lambda k: (k != "label", k))
    pairs = (f"{quote(k)}={_value(attrs[k])}" for k in keys)
    return f" [{' '.join(pairs)}]"


def _value(value: Any) -> str:
    return quote(value if isinstance(value, str) else str(value))


def node_stmt(name: str, label: str | None, attrs: Mapping[str, Any]) -> str:
    """A node statement (no indentation, no newline)."""
    full = attrs if label is None else {"label": label, **attrs}
    return f"{quote(name)}{attr_list(full)}"


def edge_stmt(tail: str, head: str, attrs: Mapping[str, Any]) -> str:
    """An edge statement. Ids are quoted whole, so a ``:`` in a name is not a port."""
    return f"{quote(tail)} -> {quote(head)}{attr_list(attrs)}"
