"""Nodes in, a :class:`~plait._graph.graph.Graph` out: names wired, edge types checked.

Linear in nodes + edges. Each parameter either names another node (its annotation must accept
that node's type, by Hamilton's rules) or becomes an external input node. Several consumers of
one external input must agree on its type; the tightest compatible annotation wins. Cycles do
not stop the build: they are reported with a warning and recorded on the graph, and planning
refuses any output that depends on one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from plait._graph.graph import Graph
from plait._graph.query import find_cycles, not_peeled
from plait._model.errors import DuplicateNodeError, EdgeTypeMismatchError, warn_user
from plait._model.node import Node, NodeKind, external_node
from plait._model.types import types_match


class CycleWarning(UserWarning):
    """The graph has a cycle; outputs that depend on it cannot be computed."""


def build_graph(
    nodes: Iterable[Node],
    config: Mapping[str, Any] | None = None,
    *,
    allow_overrides: bool = False,
    edge_check: Callable[[Any, Any], bool] = types_match,
) -> Graph:
    """Wire ``nodes`` into a graph.

    Parameters
    ----------
    nodes
        Function nodes, in crawl order.
    config
        Configuration: a function whose name is a config key is replaced by the config value.
    allow_overrides
        Let a later node replace an earlier one of the same name instead of failing.
    edge_check
        ``edge_check(param_type, node_type)``: may a parameter annotated ``param_type`` take the
        output of a node of ``node_type``? Hamilton's rules by default.

    Raises
    ------
    DuplicateNodeError
        Two nodes share a name and ``allow_overrides`` is false.
    EdgeTypeMismatchError
        A parameter's annotation does not accept the type of the node feeding it.
    """
    config = MappingProxyType(dict(config or {}))
    by_name = _index(nodes, config, allow_overrides)
    externals: dict[str, Node] = {}
    dependents: dict[str, list[str]] = {}
    match_cache: dict[tuple[int, int], bool] = {}
    waiting: dict[str, int] = {}  # node -> how many of its inputs are other function nodes
    for node in list(by_name.values()):
        internal = 0
        for dep in node.inputs:
            producer = by_name.get(dep.name)
            if producer is not None:
                internal += 1
                if dep.type is not producer.type and not _match(
                    dep.type, producer.type, match_cache, edge_check
                ):
                    raise _edge_error(node, dep.name, dep.type, producer)
            else:
                externals[dep.name] = _merge_external(externals.get(dep.name), dep, node)
            dependents.setdefault(dep.name, []).append(node.name)
        waiting[node.name] = internal
    for key in config:  # every config key is an input (Hamilton lists them, typed Any)
        if key not in by_name and key not in externals:
            externals[key] = Node(name=key, type=Any, kind=NodeKind.EXTERNAL)
    all_nodes = {**by_name, **externals}
    frozen_dependents = {name: tuple(users) for name, users in dependents.items()}
    on_cycles = not_peeled(waiting, dependents)
    cycles = find_cycles({n: all_nodes[n] for n in on_cycles}) if on_cycles else []
    if cycles:
        shown = "; ".join(" -> ".join(c) for c in cycles[:3])
        warn_user(
            f"The graph has {len(cycles)} cycle(s): {shown}. Outputs that depend on a cycle "
            "cannot be computed; the rest of the graph still runs.",
            CycleWarning,
        )
    return Graph(
        nodes=MappingProxyType(all_nodes),
        dependents=MappingProxyType(frozen_dependents),
        config=config,
        cycles=tuple(tuple(c) for c in cycles),
    )


def _index(
    nodes: Iterable[Node], config: Mapping[str, Any], allow_overrides: bool
) -> dict[str, Node]:
    by_name: dict[str, Node] = {}
    for node in nodes:
        if node.name in config:
            continue  # a config value replaces the function of the same name (as in Hamilton)
        previous = by_name.get(node.name)
        if previous is not None and not allow_overrides:
            raise DuplicateNodeError(
                f"Node '{node.name}' is defined twice: by {previous.where()} and by "
                f"{node.where()}. Rename one, or let the later module win with "
                "Builder().allow_module_overrides() (Driver(..., allow_module_overrides=True))."
            )
        if previous is not None:
            del by_name[node.name]  # the override takes the later position
        by_name[node.name] = node
    return by_name


def _match(
    param_type: Any,
    node_type: Any,
    cache: dict[tuple[int, int], bool],
    edge_check: Callable[[Any, Any], bool],
) -> bool:
    key = (id(param_type), id(node_type))
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = edge_check(param_type, node_type)
    return hit


def _merge_external(current: Node | None, dep: Any, consumer: Node) -> Node:
    """An external input seen from one more consumer: keep the tightest compatible type."""
    if current is None:
        return external_node(dep.name, dep.type, consumer)
    if dep.type is current.type or types_match(dep.type, current.type):
        return current
    if types_match(current.type, dep.type):
        return Node(
            name=current.name,
            type=dep.type,
            kind=NodeKind.EXTERNAL,
            origin=current.origin,
            originating_functions=current.originating_functions + consumer.originating_functions,
        )
    raise EdgeTypeMismatchError(
        f"Input '{dep.name}' is needed with incompatible types: {_type_name(dep.type)} by "
        f"{consumer.where()}, and {_type_name(current.type)} by {current.where()}. Make the "
        "annotations agree (one may be a Union that contains the other)."
    )


def _edge_error(consumer: Node, param: str, param_type: Any, producer: Node) -> Exception:
    return EdgeTypeMismatchError(
        f"Type mismatch on edge '{param}': {consumer.where()} takes '{param}: "
        f"{_type_name(param_type)}', but {producer.where()} returns "
        f"{_type_name(producer.type)}. Change one annotation so the parameter accepts "
        "what the function returns."
    )


def _type_name(t: Any) -> str:
    if isinstance(t, type) and not getattr(t, "__args__", None):
        return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
    return repr(t)
