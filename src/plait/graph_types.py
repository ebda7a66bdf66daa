"""Read-only views of a built graph: ``HamiltonGraph`` and ``HamiltonNode`` (Hamilton's names)."""

from plait._model.views import HamiltonGraph, HamiltonNode, hash_source_code

__all__ = ["HamiltonGraph", "HamiltonNode", "hash_source_code"]
