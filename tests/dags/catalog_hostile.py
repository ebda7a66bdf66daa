"""Markup where text belongs (catalog escaping tests): docstrings, tags and, via
``hostile_graph``, node names that try to end the page's ``<script>`` or run code."""

from plait._graph.build import build_graph
from plait._graph.graph import Graph
from plait._model.node import Dependency, node_from_function
from plait.function_modifiers import tag

#: A node name and an input name no function could have (decorators can make such names).
HOSTILE_NAME = "</script><img src=x onerror=alert(1)>"
HOSTILE_INPUT = "<!--<script>alert(2)</script>"


HOSTILE_TAG = "</script><script>alert(3)</script>"


@tag(pii="true", note=HOSTILE_TAG)
def harmless(raw: str) -> str:
    """Docstring with </script><img src=x onerror=alert(4)> and <!-- a comment & more."""
    return raw


def consumer(harmless: str) -> str:
    """Uses it."""
    return harmless


def hostile_graph() -> Graph:
    """``harmless`` → a node named :data:`HOSTILE_NAME`, which also needs
    :data:`HOSTILE_INPUT`."""
    tags = {"module": "<i>mod</i>", "pii": "true", "note": HOSTILE_TAG}
    first = node_from_function(harmless, tags=tags)
    second = node_from_function(consumer, tags={"module": __name__})
    second = second.evolve(
        name=HOSTILE_NAME,
        inputs=(*second.inputs, Dependency(HOSTILE_INPUT, str)),
        positional=False,
    )
    return build_graph([first, second])
