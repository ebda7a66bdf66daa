"""The ``graphviz`` side: DOT statements → a ``graphviz.Digraph``, and Hamilton's file rules.

Imports the optional ``graphviz`` package when imported: import this module lazily. The
``Digraph`` returned is a ``graphviz.Digraph`` whose rendering (``render``, ``pipe``, a
notebook's display) raises :class:`GraphvizNotFoundError` with install instructions when the
Graphviz programs are missing; its ``.source`` (the DOT text) never needs them.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Mapping
from typing import Any

import graphviz  # type: ignore[import-untyped]

from plait._model.errors import PlaitError
from plait._viz.dot import Dot

INSTALL = (
    "Install Graphviz: 'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' "
    "(macOS), 'conda install graphviz', or see https://graphviz.org/download/."
)


class GraphvizNotFoundError(PlaitError, graphviz.ExecutableNotFound):  # type: ignore[misc]
    """Rendering needs the Graphviz programs (``dot``), and they are not on ``PATH``.

    Subclasses ``graphviz.ExecutableNotFound`` (a ``RuntimeError``). ``digraph`` is the
    drawing (its ``.source`` is the DOT text); ``dot_path`` is where that text was written,
    if it was.
    """

    def __init__(self, message: str, digraph: Any = None, dot_path: str | None = None) -> None:
        RuntimeError.__init__(self, message)
        self.digraph = digraph
        self.dot_path = dot_path


def _not_found(cause: BaseException, digraph: Any, dot_path: str | None) -> GraphvizNotFoundError:
    saved = f" The DOT source was written to {dot_path}." if dot_path else ""
    return GraphvizNotFoundError(
        f"Rendering the dataflow needs the Graphviz programs, which are not installed or not "
        f"on PATH ({cause}). {INSTALL} The drawing itself does not need them: its "
        f"'.source' attribute is the DOT text.{saved}",
        digraph,
        dot_path,
    )


class Digraph(graphviz.Digraph):  # type: ignore[misc]
    """A ``graphviz.Digraph`` whose rendering explains how to install Graphviz if missing."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """``graphviz.Digraph.pipe``; raises :class:`GraphvizNotFoundError` without Graphviz."""
        try:
            return super().pipe(*args, **kwargs)
        except GraphvizNotFoundError:
            raise
        except graphviz.ExecutableNotFound as exc:
            raise _not_found(exc, self, None) from exc

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """``graphviz.Digraph.render``; raises :class:`GraphvizNotFoundError` without Graphviz."""
        try:
            return super().render(*args, **kwargs)
        except GraphvizNotFoundError:
            raise
        except graphviz.ExecutableNotFound as exc:
            raise _not_found(exc, self, None) from exc


def to_digraph(dot: Dot) -> Digraph:
    """The ``Digraph`` for ``dot`` (statements a user passed as ``body`` come first)."""
    kwargs = dict(dot.kwargs)
    body = [*(kwargs.pop("body", None) or ()), *dot.body]
    return Digraph(**kwargs, body=body)


def save(
    digraph: Digraph,
    output_file_path: str | os.PathLike[str] | None,
    render_kwargs: Mapping[str, Any] | None,
    keep_dot: bool,
) -> None:
    """Write ``digraph`` to a file, by Hamilton's rules; nothing without a path.

    The format is the path's extension (``png`` without one), unless ``render_kwargs`` names
    another; the image is written at the path with that format as its extension. With
    ``keep_dot`` the DOT source is also kept, at the path without its extension. Without
    Graphviz the DOT source is written (``<path>.dot``, or the ``keep_dot`` file) and
    :class:`GraphvizNotFoundError` says so.
    """
    if not output_file_path:
        return
    stem, suffix = os.path.splitext(os.fspath(output_file_path))
    kwargs: dict[str, Any] = {"format": suffix.partition(".")[2] or "png"}
    kwargs.update(render_kwargs or {})
    pathlib.Path(stem).parent.mkdir(parents=True, exist_ok=True)
    try:
        if keep_dot:
            kwargs.setdefault("view", False)
            digraph.render(stem, **kwargs)
        else:
            kwargs.pop("view", None)
            data = digraph.pipe(**kwargs)
            pathlib.Path(f"{stem}.{kwargs['format']}").write_bytes(data)
    except GraphvizNotFoundError as exc:
        dot_path = stem if keep_dot else f"{stem}.dot"
        if not keep_dot:
            pathlib.Path(dot_path).write_text(digraph.source, encoding="utf-8")
        raise _not_found(exc.__cause__ or exc, digraph, dot_path) from exc.__cause__
