"""Pure, iterative queries over a graph: ancestors, descendants, paths, cycles.

No recursion anywhere, so a 100,000-deep chain is as easy as a wide graph. Functions take the
name → node mapping (and, for downstream walks, the dependents mapping) so they work on a
:class:`~plait._graph.graph.Graph` or on the plain dicts seen while building one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from plait._model.node import Node

_WHITE, _GRAY, _BLACK = 0, 1, 2


def find_cycles(nodes: Mapping[str, Node], limit: int = 10) -> list[list[str]]:
    """Return up to ``limit`` cycles, each as names ``[a, b, ..., a]`` in dependency order.

    ``a -> b`` means ``b`` takes ``a`` as an input. A depth-first search over ``nodes``; the
    graph build first narrows ``nodes`` to what :func:`not_peeled` leaves.
    """
    color: dict[str, int] = {}
    cycles: list[list[str]] = []
    for start in nodes:
        if color.get(start, _WHITE) != _WHITE:
            continue
        _dfs_cycles(nodes, start, color, cycles, limit)
        if len(cycles) >= limit:
            break
    return cycles


def not_peeled(waiting: dict[str, int], dependents: Mapping[str, Sequence[str]]) -> list[str]:
    """Nodes left after repeatedly removing those with no remaining inputs (Kahn's peeling,
    linear): empty for an acyclic graph, else the cycles and what they feed.

    ``waiting`` (consumed) counts each node's inputs that can be on a cycle (other function
    nodes); ``dependents`` maps a name to the nodes that take it as an input.
    """
    ready = [name for name, count in waiting.items() if not count]
    while ready:
        for user in dependents.get(ready.pop(), ()):
            left = waiting[user] - 1
            waiting[user] = left
            if not left:
                ready.append(user)
    return [name for name, count in waiting.items() if count]


def _dfs_cycles(
    nodes: Mapping[str, Node],
    start: str,
    color: dict[str, int],
    cycles: list[list[str]],
    limit: int,
) -> None:
    path: list[str] = [start]
    stack = [iter(_input_names(nodes, start))]
    color[start] = _GRAY
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            color[path.pop()] = _BLACK
            continue
        state = color.get(nxt, _WHITE)
        if state == _GRAY and len(cycles) < limit:
            loop = path[path.index(nxt) :]
            cycles.append(_ordered(loop))
        elif state == _WHITE:
            color[nxt] = _GRAY
            path.append(nxt)
            stack.append(iter(_input_names(nodes, nxt)))


def _ordered(loop: list[str]) -> list[str]:
    """``loop`` walks consumer → input; report it input → consumer, closed."""
    forward = loop[::-1]
    return [*forward, forward[0]]


def _input_names(nodes: Mapping[str, Node], name: str) -> list[str]:
    node = nodes.get(name)
    if node is None:
        return []
    return [d.name for d in node.inputs if d.name in nodes]


def walk(starts: Iterable[str], neighbours: Callable[[str], Iterable[str]]) -> list[str]:
    """Every name reachable from ``starts`` (included), in discovery order."""
    seen: dict[str, None] = {}
    stack = list(starts)
    for s in stack:
        seen[s] = None
    while stack:
        name = stack.pop()
        for nxt in neighbours(name):
            if nxt not in seen:
                seen[nxt] = None
                stack.append(nxt)
    return list(seen)


def upstream(nodes: Mapping[str, Node], names: Iterable[str]) -> list[str]:
    """The named nodes and everything they depend on."""
    return walk(names, lambda n: _input_names(nodes, n))


def downstream(dependents: Mapping[str, tuple[str, ...]], names: Iterable[str]) -> list[str]:
    """The named nodes and everything that depends on them."""
    return walk(names, lambda n: dependents.get(n, ()))


def path_between(
    nodes: Mapping[str, Node],
    dependents: Mapping[str, tuple[str, ...]],
    source: str,
    target: str,
) -> list[str]:
    """Nodes on any path from ``source`` to ``target``, both included; empty if none."""
    below = set(downstream(dependents, [source]))
    if target not in below:
        return []
    return [n for n in upstream(nodes, [target]) if n in below]
