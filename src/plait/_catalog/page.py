"""The catalog's data, stylesheet and script → one self-contained HTML file.

The page loads nothing: the data sits in a ``<script type="application/json">`` element (see
:func:`plait._catalog.data.to_json` for its escaping), the CSS and JavaScript inline. A
Content-Security-Policy allows only that stylesheet and that script (by their SHA-256) and
no network at all, so even text that slipped through as markup could neither run nor fetch.
The script builds the page with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path

from plait._catalog.data import catalog_data, to_json
from plait._graph.graph import Graph

_SLOT = re.compile(r"@@(CSP|TITLE|CSS|DATA|JS)@@")


@cache
def _resource(name: str) -> str:
    return resources.files("plait._catalog").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_page(data_json: str, title: str) -> str:
    """The HTML page around ``data_json`` (the output of :func:`~plait._catalog.data.to_json`).

    Filled in one pass, so text inside the data can never be taken for a slot.
    """
    css, js = _resource("catalog.css"), _resource("catalog.js")
    csp = (
        f"default-src 'none'; img-src data:; style-src {_sha256(css)}; "
        f"script-src {_sha256(js)}; base-uri 'none'; form-action 'none'"
    )
    slots = {
        "CSP": csp,
        "TITLE": html.escape(title),
        "CSS": css,
        "DATA": data_json,
        "JS": js,
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _resource("template.html"))


def write_catalog(
    graph: Graph,
    path: str | os.PathLike[str],
    title: str = "plait catalog",
    *,
    root: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the HTML catalog of ``graph`` to ``path``; return the path written.

    Parameters
    ----------
    graph
        A built graph (``dr.graph``).
    path
        Where to write the page (parent directories are created).
    title
        The page's title and heading.
    root
        Source file paths under this directory are shown relative to it (default: the
        current working directory).
    """
    page = render_page(to_json(catalog_data(graph, title=title, root=root)), title)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
