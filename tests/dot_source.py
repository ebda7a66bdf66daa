"""Read back the DOT text that ``graphviz.Digraph.source`` holds (one statement per line, as
both plait and Hamilton write it) into nodes, edges and clusters, for tests to compare."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BARE = re.compile(r"[^\s\[\]=;{}]+")


@dataclass
class Dot:
    """Node id → attributes, (tail, head) → attributes, cluster name → node ids in it."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    clusters: dict[str, list[str]] = field(default_factory=dict)
    cluster_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    graph_attrs: dict[str, str] = field(default_factory=dict)

    def legend(self) -> list[str]:
        """Legend entries, by label (Hamilton names legend nodes by the entry itself)."""
        names = self.clusters.get("cluster__legend", [])
        return [self.nodes[n].get("label", n) for n in names]

    def drawn(self) -> set[str]:
        """Node ids outside the legend."""
        return set(self.nodes) - set(self.clusters.get("cluster__legend", []))


def _token(text: str, at: int) -> tuple[str, int]:
    """One id or value starting at ``at``: bare, "quoted" or <html>; and where it ends."""
    if text[at] == '"':
        end = at + 1
        while text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        return text[at + 1 : end].replace('\\"', '"'), end + 1
    if text[at] == "<":
        depth, end = 0, at
        while True:
            depth += {"<": 1, ">": -1}.get(text[end], 0)
            end += 1
            if depth == 0:
                return text[at:end], end
    match = _BARE.match(text, at)
    assert match, f"no DOT id at {text[at:]!r}"
    return match.group(), match.end()


def _attrs(text: str, at: int) -> dict[str, str]:
    out: dict[str, str] = {}
    if at >= len(text) or text[at] != "[":
        return out
    at += 1
    while text[at] != "]":
        if text[at] == " ":
            at += 1
            continue
        key, at = _token(text, at)
        assert text[at] == "=", text
        out[key], at = _token(text, at + 1)
    return out


def parse(source: str) -> Dot:
    """Parse DOT text written one statement per line."""
    dot, stack = Dot(), []
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("//") or line.startswith("digraph"):
            continue
        if line == "}":
            if stack:
                stack.pop()
        elif line.startswith("subgraph "):
            name, _ = _token(line, len("subgraph "))
            stack.append(name)
            dot.clusters.setdefault(name, [])
        elif line.startswith(("graph [", "node [", "edge [")):
            if line.startswith("graph"):
                attrs = _attrs(line, line.index("["))
                if stack:
                    dot.cluster_attrs[stack[-1]] = attrs
                else:
                    dot.graph_attrs.update(attrs)
        else:
            _statement(dot, stack, line)
    return dot


def _statement(dot: Dot, stack: list[str], line: str) -> None:
    first, at = _token(line, 0)
    if line[at:].startswith("="):  # ``key=value ...``: attributes of the enclosing graph
        return
    if line[at:].startswith(" -> "):
        second, at = _token(line, at + 4)
        dot.edges[(first, second)] = _attrs(line, at + 1)
        return
    dot.nodes.setdefault(first, {}).update(_attrs(line, at + 1))
    if stack:
        dot.clusters[stack[-1]].append(first)
