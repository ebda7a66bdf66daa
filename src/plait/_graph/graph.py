"""The frozen graph: nodes by name, and who depends on whom.

A :class:`Graph` is built once by :func:`plait._graph.build.build_graph` and never mutated.
Function nodes come first (in crawl order), then the external inputs they need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from plait._model.node import Node


@dataclass(frozen=True, eq=False)
class Graph:
    """A built dataflow.

    Attributes
    ----------
    nodes
        Every node by name: functions first, then external inputs.
    dependents
        For each node name, the names of the nodes that take it as an input.
    config
        The configuration the graph was built with (its values also satisfy inputs).
    cycles
        Cycles found at build (each a list of node names, first repeated at the end); the
        graph still builds, and outputs that do not depend on a cycle still run.
    """

    nodes: Mapping[str, Node]
    dependents: Mapping[str, tuple[str, ...]]
    config: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    cycles: tuple[tuple[str, ...], ...] = ()

    def __contains__(self, name: object) -> bool:
        return name in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def get_nodes(self) -> list[Node]:
        """All nodes, functions first, then external inputs."""
        return list(self.nodes.values())
