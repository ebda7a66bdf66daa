"""A graph, a selection and :class:`Options` → DOT statements (pure; standard library only).

The drawing follows Hamilton's shape: config values as notes, one box per function node,
each node's external inputs gathered into one dashed table box, crow's feet around
Parallelizable/Collect, a legend of what is shown. Node ids are node names, so a user can
still find and restyle a node in the returned ``graphviz.Digraph``.

plait adds two options for large graphs, both off by default: ``group_by_module`` draws each
module as a cluster, and ``collapse_families`` draws the nodes one function expands into
(``@parameterize``, ``@extract_columns``, ...) as one box that lists them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plait._graph.graph import Graph
from plait._model.errors import InvalidArgumentError
from plait._model.node import Node, NodeKind
from plait._model.views import HamiltonNode
from plait._viz import style
from plait._viz.select import OUTPUT, OVERRIDE, PATH, Selection
from plait._viz.syntax import Html, attr_list, edge_stmt, node_stmt, quote

SCHEMA_TAG = "hamilton.internal.schema_output"
_NO_MARKS: frozenset[str] = frozenset()

#: Above this many boxes, Graphviz's layout iterations are capped (unless ``graph_attr`` sets
#: them): uncapped, ``dot`` spends minutes placing a few thousand nodes; capped, seconds.
LARGE = 1000
LAYOUT_BUDGET = {"nslimit": "0.2", "nslimit1": "0.2"}


@dataclass(frozen=True)
class Options:
    """How to draw. Hamilton's keyword arguments, then plait's extensions.

    Attributes
    ----------
    graphviz_kwargs
        Merged into the ``graphviz.Digraph`` arguments (``graph_attr``, ``node_attr`` and
        ``edge_attr`` dicts are updated, not replaced; ``graph_attr["rankdir"]`` wins over
        ``orient``).
    show_legend
        Add a legend of the kinds of boxes shown.
    orient
        Graphviz ``rankdir``: ``"LR"``, ``"TB"``, ``"RL"`` or ``"BT"``.
    hide_inputs
        Leave out the input tables.
    deduplicate_inputs
        Draw one input table per distinct set of inputs, shared by every node that takes it.
    show_schema
        Draw the fields of nodes with ``@schema.output`` as a cluster around the node.
    custom_style_function
        ``f(*, node: HamiltonNode, node_class: str) -> (style, legend_base, legend_name)``:
        extra Graphviz attributes for a function node; a ``legend_name`` adds a legend entry
        drawn as ``legend_base`` with ``style``.
    group_by_module
        (plait) Draw each module's nodes inside a cluster labelled with the module name.
    collapse_families
        (plait) Draw the nodes that share an originating function as one box that names
        the function, counts the nodes and lists them.
    """

    graphviz_kwargs: Mapping[str, Any] = field(default_factory=dict)
    show_legend: bool = True
    orient: str = "LR"
    hide_inputs: bool = False
    deduplicate_inputs: bool = False
    show_schema: bool = True
    custom_style_function: Callable[..., Any] | None = None
    group_by_module: bool = False
    collapse_families: bool = False


@dataclass(frozen=True)
class Dot:
    """What ``graphviz.Digraph(**kwargs, body=body)`` needs: its arguments and statements."""

    kwargs: dict[str, Any]
    body: list[str]


def digraph_kwargs(options: Options, boxes: int = 0) -> dict[str, Any]:
    """Hamilton's ``graphviz.Digraph`` arguments, with ``options.graphviz_kwargs`` merged in
    (and the layout budget for drawings of more than :data:`LARGE` boxes)."""
    kwargs: dict[str, Any] = {
        "comment": "Dependency Graph",
        "graph_attr": {
            "rankdir": options.orient,
            "ranksep": "0.4",
            "compound": "true",
            "concentrate": "true",
            "style": "filled",
        },
        "node_attr": {"fillcolor": "#ffffff"},
        "edge_attr": {},
    }
    if boxes > LARGE:
        kwargs["graph_attr"].update(LAYOUT_BUDGET)
    for key, value in options.graphviz_kwargs.items():
        current = kwargs.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            kwargs[key] = {**current, **value}
        else:
            kwargs[key] = value
    return kwargs


def check_style_function(fn: Callable[..., Any] | None) -> None:
    """A custom style function must take its arguments by keyword only (Hamilton's rule)."""
    if fn is None:
        return
    kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD)
    params = inspect.signature(fn).parameters.values()
    if any(p.default is inspect.Parameter.empty and p.kind not in kinds for p in params):
        raise InvalidArgumentError(
            f"custom_style_function {getattr(fn, '__qualname__', fn)!r} must take keyword-only "
            "arguments: 'def style(*, node: HamiltonNode, node_class: str) -> "
            "tuple[dict, str | None, str | None]'. Add the '*' before its parameters."
        )


def build(graph: Graph, selection: Selection, options: Options) -> Dot:
    """The DOT statements that draw ``selection`` of ``graph``."""
    check_style_function(options.custom_style_function)
    drawer = _Drawer(graph, selection, options)
    body = drawer.draw()
    return Dot(digraph_kwargs(options, drawer.size), [line + "\n" for line in body])


@dataclass
class _Box:
    """One drawn box: a function node, or (collapsed) the family of one function."""

    id: str
    members: list[Node]
    module: str | None


def _family_key(node: Node) -> Any:
    return node.originating_functions[0] if node.originating_functions else node.name


def _module(node: Node) -> str | None:
    module = node.tags.get("module")
    return module if isinstance(module, str) else None


def _boxes(graph: Graph, names: Iterable[str], collapse: bool) -> list[_Box]:
    """The boxes to draw for the function nodes among ``names``, in order."""
    funcs = [graph.nodes[n] for n in names if not graph.nodes[n].is_external]
    if not collapse:
        return [_Box(n.name, [n], _module(n)) for n in funcs]
    families: dict[Any, list[Node]] = {}
    for n in funcs:
        families.setdefault(_family_key(n), []).append(n)
    out: list[_Box] = []
    for key, members in families.items():
        first = members[0]
        if len(members) == 1:
            out.append(_Box(first.name, members, _module(first)))
            continue
        title = getattr(key, "__qualname__", first.name)
        out.append(_Box(f"_family_{_module(first) or ''}.{title}", members, _module(first)))
    return out


def _indent(lines: Iterable[str], depth: int) -> list[str]:
    return ["\t" * depth + line for line in lines]


def _materializer(node: Node) -> str | None:
    """The loader/saver class name of a materializer node (tags set by ``plait`` I/O)."""
    tags = node.tags
    if tags.get("hamilton.data_saver"):
        return str(tags.get("hamilton.data_saver.classname", ""))
    loads = "load_data." in node.name or tags.get("hamilton.data_loader.source") == "loader"
    if tags.get("hamilton.data_loader") and loads:
        return str(tags.get("hamilton.data_loader.classname", ""))
    return None


class _Drawer:
    """Builds the statements; collects legend entries and per-module groups as it goes."""

    def __init__(self, graph: Graph, selection: Selection, options: Options) -> None:
        self.graph = graph
        self.marks = selection.marks
        self.opt = options
        self.shown = frozenset(selection.names)
        self.boxes = _boxes(graph, selection.names, options.collapse_families)
        self.box_of = {n.name: b.id for b in self.boxes for n in b.members}
        self.legend: set[str] = set()
        self.custom_legend: dict[str, dict[str, str]] = {}
        self.groups: dict[str | None, list[str]] = {None: []}
        self.edges: set[tuple[str, str]] = set()
        self.size = 0  # boxes drawn, input tables included

    def draw(self) -> list[str]:
        body = self._config()
        for box in self.boxes:
            self._group(box.module).extend(self._box(box))
        edges = [line for box in self.boxes for line in self._edges_into(box)]
        edges += self._tables()
        body += self._clusters() + _indent(edges, 1)
        if self.opt.show_legend:
            body += _indent(self._legend(), 1)
        return body

    def _group(self, module: str | None) -> list[str]:
        key = module if self.opt.group_by_module else None
        return self.groups.setdefault(key, [])

    def _config(self) -> list[str]:
        look = style.look("config")
        lines = [
            node_stmt(key, Html(style.box_label(key, str(value))), look)
            for key, value in self.graph.config.items()
        ]
        if lines:
            self.legend.add("config")
        return _indent(lines, 1)

    def _box(self, box: _Box) -> list[str]:
        if len(box.members) > 1:
            label, attrs = self._family_look(box)
        else:
            label, attrs = self._node_look(box.members[0])
        lines = [node_stmt(box.id, Html(label), attrs)]
        self.size += 1
        schema = box.members[0].tags.get(SCHEMA_TAG)
        if schema and self.opt.show_schema and len(box.members) == 1:
            lines += self._schema(box.id, attrs, str(schema))
        return lines

    def _node_look(self, node: Node) -> tuple[str, dict[str, str]]:
        name, type_string = style.display_name(node), style.type_text(node.type)
        config_key = node.tags.get("hamilton.config")
        if config_key:
            self.legend.add("config")
            name = f"{node.name}: {config_key}"
        modifiers = self._kind_modifiers([node])
        saved = _materializer(node)
        if saved is not None:
            type_string = saved
            modifiers.append("materializer")
        attrs = style.look("function", *modifiers)
        self.legend.update(modifiers)
        if not self._custom_style(node, attrs):
            self.legend.add("function")
        self._mark(attrs, self.marks.get(node.name, _NO_MARKS))
        return style.box_label(name, type_string), attrs

    def _family_look(self, box: _Box) -> tuple[str, dict[str, str]]:
        modifiers = ["family", *self._kind_modifiers(box.members)]
        attrs = style.look("function", *modifiers)
        self.legend.update(modifiers)
        marks = frozenset().union(*(self.marks.get(n.name, _NO_MARKS) for n in box.members))
        self._mark(attrs, marks)
        first = box.members[0]
        title = getattr(_family_key(first), "__qualname__", first.name)
        return style.family_label(title, [n.name for n in box.members]), attrs

    @staticmethod
    def _kind_modifiers(nodes: list[Node]) -> list[str]:
        kinds = {n.kind for n in nodes}
        expand = ["expand"] if NodeKind.EXPAND in kinds else []
        return expand + (["collect"] if NodeKind.COLLECT in kinds else [])

    def _custom_style(self, node: Node, attrs: dict[str, str]) -> bool:
        """Apply the custom style function; True if it named its own legend entry."""
        fn = self.opt.custom_style_function
        if fn is None:
            return False
        custom, base, legend_name = fn(node=HamiltonNode.from_node(node), node_class="function")
        custom = {k: str(v) for k, v in (custom or {}).items()}
        attrs.update(custom)
        if legend_name:
            self.custom_legend[str(legend_name)] = {**style.look(str(base)), **custom}
        return bool(legend_name)

    def _mark(self, attrs: dict[str, str], marks: frozenset[str]) -> None:
        for mark in (OUTPUT, OVERRIDE):
            if mark in marks:
                attrs.update(style.MODIFIERS[mark])
                self.legend.add(mark)
        if PATH in marks:
            attrs.setdefault("color", style.PATH_COLOR)

    def _schema(self, node_id: str, attrs: dict[str, str], schema: str) -> list[str]:
        self.legend.update(("cluster", "field"))
        cluster = {**style.SCHEMA_GRAPH, "margin": "10", "fontname": attrs["fontname"]}
        field_look = {**attrs, **style.MODIFIERS["field"], "fontsize": "10"}
        fields = [
            node_stmt(f"{node_id}:{text}", text, field_look) for text in style.schema_fields(schema)
        ]
        inner = [f"graph{attr_list(cluster)}", *fields, quote(node_id)]
        return [f"subgraph {quote('cluster_' + node_id)} {{", *_indent(inner, 1), "}"]

    def _edges_into(self, box: _Box) -> list[str]:
        lines = []
        for node in box.members:
            for dep in node.inputs:
                if dep.name not in self.shown:
                    continue
                producer = self.graph.nodes[dep.name]
                if producer.is_external:
                    continue
                tail = self.box_of[dep.name]
                if tail == box.id or (tail, box.id) in self.edges:
                    continue
                self.edges.add((tail, box.id))
                attrs = style.edge_look(
                    producer.kind is NodeKind.EXPAND, node.kind is NodeKind.COLLECT
                )
                if PATH in self.marks.get(dep.name, ()) and PATH in self.marks.get(node.name, ()):
                    attrs["color"] = style.PATH_COLOR
                lines.append(edge_stmt(tail, box.id, attrs))
        return lines

    def _inputs_of(self, box: _Box) -> dict[str, Node]:
        rows: dict[str, Node] = {}
        for node in box.members:
            for dep in node.inputs:
                producer = self.graph.nodes[dep.name]
                if producer.is_external and dep.name in self.shown:
                    rows.setdefault(dep.name, producer)
        return rows

    def _tables(self) -> list[str]:
        if self.opt.hide_inputs:
            return []
        edges: list[str] = []
        known: dict[frozenset[str], str] = {}
        look = style.look("input")
        for box in self.boxes:
            rows = self._inputs_of(box)
            if not rows:
                continue
            table = known.get(frozenset(rows))
            if table is None:
                table = f"_{box.id}_inputs"
                label = Html(style.input_table(rows.values()))
                self._group(box.module).append(node_stmt(table, label, look))
                self.legend.add("input")
                self.size += 1
                if self.opt.deduplicate_inputs:
                    known[frozenset(rows)] = table
            edges.append(edge_stmt(table, box.id, {}))
        return edges

    def _clusters(self) -> list[str]:
        lines = _indent(self.groups[None], 1)
        for module, group in self.groups.items():
            if module is None:
                continue
            head = f"graph{attr_list({'label': module, **style.MODULE_GRAPH})}"
            lines.append(f"\tsubgraph {quote('cluster__module:' + module)} {{")
            lines += _indent([head, *group], 2)
            lines.append("\t}")
        return lines

    def _legend(self) -> list[str]:
        entries = [e for e in style.LEGEND_ORDER if e in self.legend]
        lines = [node_stmt(f"_legend_{e}", e, style.legend_look(e)) for e in entries]
        lines += [
            node_stmt(f"_legend_{name}", name, attrs) for name, attrs in self.custom_legend.items()
        ]
        head = f"graph{attr_list(style.LEGEND_GRAPH)}"
        return ["subgraph cluster__legend {", *_indent([head, *lines], 1), "}"]
