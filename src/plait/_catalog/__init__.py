"""The HTML catalog: one self-contained page listing every node of a dataflow (a plug-in:
imports ``plait._model`` and ``plait._graph`` only).

``data`` turns a built graph into plain JSON-ready data (nodes, edges, tags, modules, sources);
``page`` embeds that data, the stylesheet and the script (``catalog.css``, ``catalog.js``,
shipped beside this file) into one HTML file that needs no server and no network. Only
``plait._api`` imports this package, lazily.
"""

from __future__ import annotations

from plait._catalog.page import write_catalog

__all__ = ["write_catalog"]
