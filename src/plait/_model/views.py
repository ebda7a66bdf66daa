"""Read-only views of nodes and graphs for users, hooks and error messages.

:class:`HamiltonNode` and :class:`HamiltonGraph` keep Hamilton's names and fields so code
written against ``hamilton.graph_types`` works unchanged. They copy what they show; changing a
view never changes the graph.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from plait._model.node import Node, NodeKind


def _strip_docs_and_comments(source: str) -> str:
    """Source with comments and docstrings removed (they do not change behaviour)."""
    tree = ast.parse(source)
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or not fn.body:
            continue
        first = fn.body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            fn.body = fn.body[1:]
    return ast.unparse(tree)


def hash_source_code(source: str | Callable[..., Any], strip: bool = False) -> str:
    """SHA-256 of a function's source (or of a source string).

    With ``strip=True`` docstrings and comments are ignored, so editing them keeps the hash.
    """
    text = source if isinstance(source, str) else inspect.getsource(source)
    text = text.strip()
    if strip:
        with contextlib.suppress(SyntaxError):
            text = _strip_docs_and_comments(text)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class HamiltonNode:
    """What users see of a node: name, type, tags, dependencies, docs and origin."""

    name: str
    type: Any
    tags: dict[str, str | list[str]]
    is_external_input: bool
    originating_functions: tuple[Callable[..., Any], ...] | None
    documentation: str | None
    required_dependencies: set[str]
    optional_dependencies: set[str]
    optional_dependencies_default_values: dict[str, Any]

    @staticmethod
    def from_node(node: Node) -> HamiltonNode:
        """The view of one internal node."""
        return HamiltonNode(
            name=node.name,
            type=node.type,
            tags=dict(node.tags),
            is_external_input=node.kind is NodeKind.EXTERNAL,
            originating_functions=node.originating_functions or None,
            documentation=node.documentation,
            required_dependencies={d.name for d in node.inputs if d.required},
            optional_dependencies={d.name for d in node.inputs if not d.required},
            optional_dependencies_default_values={
                d.name: d.default for d in node.inputs if not d.required
            },
        )

    @functools.cached_property
    def version(self) -> str | None:
        """Hash of the originating function's source, docstrings and comments ignored."""
        if not self.originating_functions:
            return self.name if self.is_external_input else None
        try:
            return hash_source_code(self.originating_functions[0], strip=True)
        except (OSError, TypeError):
            return None

    @property
    def location(self) -> str | None:
        """``file:line`` of the function that defines (or first needs) this node."""
        if not self.originating_functions:
            return None
        code = getattr(self.originating_functions[0], "__code__", None)
        return None if code is None else f"{code.co_filename}:{code.co_firstlineno}"

    def as_dict(self, include_optional_dependencies_default_values: bool = False) -> dict[str, Any]:
        """A JSON-friendly dict (default values only on request: they may not serialise)."""
        from plait._model.types import get_type_as_string

        source = None
        if self.originating_functions:
            try:
                source = inspect.getsource(self.originating_functions[0])
            except (OSError, TypeError):
                source = None
        out: dict[str, Any] = {
            "name": self.name,
            "tags": self.tags,
            "output_type": get_type_as_string(self.type) or "",
            "required_dependencies": sorted(self.required_dependencies),
            "optional_dependencies": sorted(self.optional_dependencies),
            "source": source,
            "documentation": self.documentation,
            "version": self.version,
        }
        if include_optional_dependencies_default_values:
            out["optional_dependencies_default_values"] = self.optional_dependencies_default_values
        return out

    def __repr__(self) -> str:
        from plait._model.types import get_type_as_string

        return f'Node("{self.name}": {get_type_as_string(self.type)})'


@dataclass
class HamiltonGraph:
    """What users see of a graph: its nodes (views), looked up by name with ``graph[name]``."""

    nodes: list[HamiltonNode]

    @staticmethod
    def from_graph(graph: Any) -> HamiltonGraph:
        """The view of a built graph (anything with a ``nodes`` mapping of internal nodes)."""
        return HamiltonGraph(nodes=views_of(graph.nodes.values()))

    @functools.cached_property
    def version(self) -> str:
        """Hash of the sorted node versions: changes when any node's code changes."""
        versions = sorted(n.version for n in self.nodes if n.version is not None)
        return hashlib.sha256(str(versions).encode()).hexdigest()

    @functools.cached_property
    def _by_name(self) -> Mapping[str, HamiltonNode]:
        return {n.name: n for n in self.nodes}

    def __getitem__(self, name: str) -> HamiltonNode:
        return self._by_name[name]

    def filter_nodes(self, filter: Callable[[HamiltonNode], bool]) -> list[HamiltonNode]:
        """The nodes for which ``filter(node)`` is True."""
        return [n for n in self.nodes if filter(n) is True]


def views_of(nodes: Iterable[Node]) -> list[HamiltonNode]:
    """Views of many nodes, in order."""
    return [HamiltonNode.from_node(n) for n in nodes]
