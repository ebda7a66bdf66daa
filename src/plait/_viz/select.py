"""Which nodes a view shows, and how each is marked (output, override, on a path).

Every function here is a pure query over a built :class:`~plait._graph.graph.Graph`; names come
back in the graph's order (functions first, then inputs), so drawings are deterministic.
External inputs are part of a selection: the drawing shows them in their consumers' input
tables, never as boxes of their own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from plait._graph import query
from plait._graph.graph import Graph

OUTPUT, OVERRIDE, PATH = "output", "override", "path"

_NO_MARKS: Mapping[str, frozenset[str]] = MappingProxyType({})


@dataclass(frozen=True)
class Selection:
    """The nodes to draw (graph order) and their marks (``OUTPUT``, ``OVERRIDE``, ``PATH``)."""

    names: tuple[str, ...]
    marks: Mapping[str, frozenset[str]] = field(default_factory=lambda: _NO_MARKS)


def _in_graph_order(graph: Graph, chosen: Iterable[str]) -> tuple[str, ...]:
    wanted = set(chosen)
    return tuple(name for name in graph.nodes if name in wanted)


def _with_inputs(graph: Graph, names: Iterable[str]) -> set[str]:
    """``names`` and the direct inputs of each (Hamilton adds parents so no box floats free)."""
    shown = set(names)
    for name in list(shown):
        shown.update(d.name for d in graph.nodes[name].inputs if d.name in graph.nodes)
    return shown


def everything(graph: Graph) -> Selection:
    """Every node of the graph."""
    return Selection(tuple(graph.nodes))


def upstream_of(graph: Graph, names: Collection[str]) -> Selection:
    """The named nodes and everything they depend on (optional inputs included)."""
    return Selection(_in_graph_order(graph, query.upstream(graph.nodes, names)))


def downstream_of(graph: Graph, names: Collection[str]) -> Selection:
    """The named nodes, everything that depends on them, and the direct inputs of those."""
    below = query.downstream(graph.dependents, names)
    return Selection(_in_graph_order(graph, _with_inputs(graph, below)))


def path_between(graph: Graph, upstream: str, downstream: str, strict: bool) -> Selection:
    """Nodes on any path from ``upstream`` to ``downstream`` (marked ``PATH``), plus their
    direct inputs unless ``strict``. Empty when there is no path."""
    on_path = query.path_between(graph.nodes, graph.dependents, upstream, downstream)
    shown = set(on_path) if strict else _with_inputs(graph, on_path)
    marks = {name: frozenset({PATH}) for name in on_path}
    return Selection(_in_graph_order(graph, shown), MappingProxyType(marks))


def execution(
    graph: Graph,
    outputs: Collection[str],
    inputs: Collection[str] | None,
    overrides: Collection[str],
) -> Selection:
    """What computing ``outputs`` touches, by Hamilton's rules.

    An overridden node is shown but not what feeds it. Without ``inputs`` every dependency
    counts (a compile-time view); with them, an optional input that is neither provided nor
    in the config is left out, as the run would leave it out.
    """
    nodes, config = graph.nodes, graph.config
    compile_time, provided = inputs is None, inputs or ()

    def feeds(name: str) -> list[str]:
        if name in overrides:
            return []
        found = []
        for dep in nodes[name].inputs:
            producer = nodes.get(dep.name)
            if producer is None:
                continue
            skipped = not compile_time and not dep.required and producer.is_external
            if skipped and dep.name not in provided and dep.name not in config:
                continue
            found.append(dep.name)
        return found

    shown = query.walk([o for o in outputs if o in nodes], feeds)
    marks = {name: {OUTPUT} for name in outputs}
    for name in overrides:
        if name in nodes and name in shown:
            marks.setdefault(name, set()).add(OVERRIDE)
    frozen = {name: frozenset(m) for name, m in marks.items()}
    return Selection(_in_graph_order(graph, shown), MappingProxyType(frozen))


def only(graph: Graph, selection: Selection, keep: Collection[str]) -> Selection:
    """The function nodes of ``selection`` that are in ``keep``, with the inputs they take."""
    shown = set(selection.names)
    kept = [n for n in selection.names if n in keep and not graph.nodes[n].is_external]
    inputs = {
        d.name
        for name in kept
        for d in graph.nodes[name].inputs
        if d.name in shown and graph.nodes[d.name].is_external
    }
    return Selection(_in_graph_order(graph, [*kept, *inputs]), selection.marks)
