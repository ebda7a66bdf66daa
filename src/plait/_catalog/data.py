"""A built graph → the catalog's data: plain dicts, lists and strings, ready for JSON.

One record per node (sorted by name), edges as indices into that list, the distinct tags and
modules for the page's filters, and each defining function's source text once (several nodes
made by one function share it). Nothing here runs user code: sources come from the files the
functions were loaded from (``linecache``), docstrings and tags from the frozen nodes.

Standard library only; imports ``plait._model`` and ``plait._graph``.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import json
import linecache
import os
import textwrap
import tokenize
from collections.abc import Callable, Mapping
from typing import Any

from plait._graph.graph import Graph
from plait._model.node import Node, NodeKind
from plait._model.types import get_type_as_string

#: A tag value as the page sees it: a string, or a list of strings.
TagValue = str | list[str]

_KINDS = {
    NodeKind.FUNCTION: "function",
    NodeKind.EXPAND: "expand",
    NodeKind.COLLECT: "collect",
}


def catalog_data(
    graph: Graph, *, title: str = "plait catalog", root: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Describe every node of ``graph`` for the catalog page.

    Parameters
    ----------
    graph
        A built graph (``dr.graph``).
    title
        Shown as the page's heading.
    root
        File paths under this directory are shown relative to it (default: the current
        working directory); others stay absolute.

    Returns
    -------
    dict
        ``{"title", "nodes", "sources", "tags", "modules"}``. Each node is ``{"name", "type",
        "kind", "module", "tags", "doc", "function", "file", "line", "source", "up",
        "down"}``: ``up`` and ``down`` are indices of its direct inputs and dependents,
        ``source`` an index into ``sources`` (or None), ``kind`` one of ``function``,
        ``expand``, ``collect``, ``input``, ``config``.
    """
    names = sorted(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    sources = _Sources(os.fspath(root) if root is not None else os.getcwd())
    nodes = []
    for name in names:
        node = graph.nodes[name]
        record = _node_record(node, graph, sources)
        record["up"] = _indices((d.name for d in node.inputs), index)
        record["down"] = _indices(graph.dependents.get(name, ()), index)
        nodes.append(record)
    return {
        "title": title,
        "nodes": nodes,
        "sources": sources.texts,
        "tags": _tag_index(nodes),
        "modules": sorted({n["module"] for n in nodes if n["module"]}),
    }


def to_json(data: Mapping[str, Any]) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, so writing them as ``\\u003c``,
    ``\\u003e`` and ``\\u0026`` keeps the JSON equal while no ``</script>`` or ``<!--`` can end
    or change the element. Non-ASCII is escaped too, so the text is plain ASCII.
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _indices(names: Any, index: Mapping[str, int]) -> list[int]:
    seen = dict.fromkeys(index[n] for n in names if n in index)
    return list(seen)


def _node_record(node: Node, graph: Graph, sources: _Sources) -> dict[str, Any]:
    external = node.kind is NodeKind.EXTERNAL
    origin = node.get_origin()
    fn = node.originating_functions[0] if node.originating_functions else None
    if external:
        kind = "config" if node.name in graph.config else "input"
    else:
        kind = _KINDS.get(node.kind, "function")
    module = node.tags.get("module")
    if not isinstance(module, str) or not module:
        module = None if external or fn is None else getattr(fn, "__module__", None)
    return {
        "name": node.name,
        "type": type_name(node.type),
        "kind": kind,
        "module": module,
        "tags": {str(k): _tag_value(v) for k, v in node.tags.items()},
        "doc": inspect.cleandoc(node.documentation or ""),
        "function": origin.qualname if origin is not None else None,
        "file": sources.path(origin.file) if origin is not None else None,
        "line": origin.line if origin is not None and origin.line > 0 else None,
        "source": None if external else sources.add(fn, origin),
    }


def type_name(type_: Any) -> str:
    """A readable type: a class' name (``Series``, ``int``), else the annotation as written
    without ``typing.`` (``list[int]``, ``Optional[str]``)."""
    if isinstance(type_, type):
        return get_type_as_string(type_) or repr(type_)
    text = repr(type_)
    return text.replace("typing.", "").replace("collections.abc.", "")


def _tag_value(value: Any) -> TagValue:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value]
    return str(value)


def _tag_index(nodes: list[dict[str, Any]]) -> dict[str, list[str]]:
    """``{tag key: sorted distinct values}`` over all nodes (list values count each item)."""
    found: dict[str, set[str]] = {}
    for node in nodes:
        for key, value in node["tags"].items():
            values = found.setdefault(key, set())
            values.update(value if isinstance(value, list) else [value])
    return {key: sorted(found[key]) for key in sorted(found)}


class _Sources:
    """Source texts, each stored once, read from the files the functions came from."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self.texts: list[str] = []
        self._by_place: dict[tuple[str, int], int | None] = {}
        self._paths: dict[str, str] = {}
        self._ends: dict[str, dict[int, int]] = {}

    def path(self, file: str) -> str:
        """``file`` relative to the root when it lies under it, else unchanged."""
        shown = self._paths.get(file)
        if shown is None:
            shown = self._paths[file] = _relative(file, self.root)
        return shown

    def add(self, fn: Callable[..., Any] | None, origin: Any) -> int | None:
        """Index of the source text of ``fn`` (else of the block at ``origin``), or None."""
        place = _place(fn) or ((origin.file, origin.line) if origin is not None else None)
        if place is None or place[1] <= 0:
            return None
        if place not in self._by_place:
            text = self._block_at(*place)
            self._by_place[place] = None if text is None else len(self.texts)
            if text is not None:
                self.texts.append(text)
        return self._by_place[place]

    def _block_at(self, file: str, line: int) -> str | None:
        """The function (with its decorators) that starts at ``file:line``, dedented."""
        lines = linecache.getlines(file)
        if not lines or line > len(lines):
            return None
        ends = self._ends.get(file)
        if ends is None:  # one parse per file, not one per node
            ends = self._ends[file] = _function_ends("".join(lines))
        end = ends.get(line)
        if end is not None:
            block = lines[line - 1 : end]
        else:  # not a def the parser saw (a lambda): read one block from the line
            try:
                block = inspect.getblock(lines[line - 1 :])
            except (IndentationError, SyntaxError, tokenize.TokenError):
                return None
        text = "".join(block)
        if block and block[0][:1] in (" ", "\t"):  # a method or a nested function
            text = textwrap.dedent(text)
        return text.rstrip() or None


def _relative(file: str, root: str) -> str:
    if not os.path.isabs(file):
        return file
    try:
        if os.path.commonpath([root, file]) == root:
            return os.path.relpath(file, root)
    except ValueError:  # different drives (Windows)
        pass
    return file


def _place(fn: Callable[..., Any] | None) -> tuple[str, int] | None:
    if fn is None:
        return None
    with contextlib.suppress(ValueError):  # a __wrapped__ cycle
        fn = inspect.unwrap(fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    return code.co_filename, code.co_firstlineno


#: The fields of a statement that hold statements (``handlers`` and ``cases`` hold objects
#: that have a ``body``).
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _function_ends(source: str) -> dict[int, int]:
    """``{first line: last line}`` of every function in ``source``; a function's first line is
    that of its first decorator, as in ``co_firstlineno``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    ends = {}
    stack: list[Any] = list(tree.body)
    while stack:  # statements only: a def is a statement, and expressions are most of a tree
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            ends[first] = node.end_lineno
        for block in _BLOCKS:
            stack.extend(getattr(node, block, ()))
    return ends
