"""``@extract_columns``: one node per column of the DataFrame a function returns.

``@extract_columns("a", "b") def df(...) -> pd.DataFrame`` keeps the node ``df`` and adds one
node per column (``a``, ``b``: ``pd.Series``) that reads it from ``df``'s value. pandas, polars
(``DataFrame`` → ``Series``, ``LazyFrame`` → ``Expr``) and geopandas frames are known; the
library is never imported here, only recognised by the annotation's module.

Also the helpers the other splitting decorators (:mod:`plait._modifiers.fields`) share. Reading
the value happens at run time: a missing column is reported then, naming it, the function and
the columns the frame had (Hamilton's exception type, ``InvalidDecoratorException``).
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Dependency, Node
from plait._model.types import resolve_annotations
from plait._modifiers.base import SingleNodeNodeTransformer, where


@dataclass(frozen=True)
class FrameKind:
    """How to read and change one dataframe library's frames."""

    column_type: Any
    names: Callable[[Any], list[str]]
    get: Callable[[Any, str], Any]
    fill: Callable[[Any, str, Any], Any]  # returns the frame with the column added
    rename: Callable[[Any, Sequence[str]], Any]  # returns a frame with these column names


def _pandas_fill(df: Any, column: str, value: Any) -> Any:
    df[column] = value  # in place, as Hamilton does: the frame node shows the column too
    return df


def _polars_fill(df: Any, column: str, value: Any) -> Any:
    import polars as pl

    dtype = pl.Series([value]).dtype  # the dtype polars infers for a column of this value
    return df.with_columns(pl.lit(value, dtype=dtype).alias(column))


def _polars_rename(df: Any, names: Sequence[str]) -> Any:
    current = _lazy_names(df) if _is_lazy(df) else list(df.columns)
    if len(current) != len(names):
        raise ValueError(f"the frame has {len(current)} columns, {len(names)} names were given")
    return df.rename(dict(zip(current, names, strict=True)))


def _lazy_names(df: Any) -> list[str]:
    return list(df.collect_schema().names())


def _is_lazy(df: Any) -> bool:
    return type(df).__name__ == "LazyFrame"


def _lazy_get(df: Any, column: str) -> Any:
    import polars as pl

    if column not in _lazy_names(df):  # pl.col() alone would only fail when used
        raise KeyError(column)
    return pl.col(column)


_PANDAS_OPS = (lambda df: list(df.columns), lambda df, c: df[c], _pandas_fill)
_OPS: dict[str, tuple[Any, ...]] = {
    "pandas": (*_PANDAS_OPS, lambda df, names: df.set_axis(list(names), axis=1)),
    "polars": (lambda df: list(df.columns), lambda df, c: df[c], _polars_fill, _polars_rename),
    "lazy": (_lazy_names, _lazy_get, _polars_fill, _polars_rename),
}
#: (package, frame class) → (column class of that package, operations). Exact classes, as in
#: Hamilton's registry; a frame is recognised by name, so no library is imported to check it.
FRAME_TYPES: dict[tuple[str, str], tuple[str, str]] = {
    ("pandas", "DataFrame"): ("Series", "pandas"),
    ("polars", "DataFrame"): ("Series", "polars"),
    ("polars", "LazyFrame"): ("Expr", "lazy"),
    ("geopandas", "GeoDataFrame"): ("GeoSeries", "pandas"),
}


def frame_kind(annotation: Any) -> FrameKind | None:
    """The :class:`FrameKind` of a dataframe annotation; None if it is not a known frame class."""
    if not isinstance(annotation, type):
        return None
    package = annotation.__module__.partition(".")[0]
    known = FRAME_TYPES.get((package, annotation.__qualname__))
    module = sys.modules.get(package)
    if known is None or getattr(module, annotation.__qualname__, None) is not annotation:
        return None
    column_class, ops = known
    return FrameKind(getattr(module, column_class), *_OPS[ops])


def _known_frames() -> str:
    return ", ".join(f"{pkg}.{cls}" for pkg, cls in FRAME_TYPES)


def type_name(annotation: Any) -> str:
    """``int``, ``pandas.DataFrame``-style names for messages (generics as written)."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        module = annotation.__module__
        package = module.partition(".")[0]
        if module == "builtins":
            return annotation.__qualname__
        shown = (
            package
            if getattr(sys.modules.get(package), annotation.__qualname__, None) is annotation
            else module
        )
        return f"{shown}.{annotation.__qualname__}"
    return repr(annotation)


def require_frame(annotation: Any, fn: Callable[..., Any], who: str) -> FrameKind:
    """The :class:`FrameKind` of ``annotation``; raises naming ``fn`` if it is not a frame."""
    kind = frame_kind(annotation)
    if kind is None:
        raise InvalidDecoratorError(
            f"@{who} on {where(fn)}: it returns {type_name(annotation)}, not a dataframe type "
            f"plait can split into columns ({_known_frames()}). Annotate the return type as one "
            "of these."
        )
    return kind


def part_node(parent: Node, name: str, type_: Any, doc: str, read: Callable[[Any], Any]) -> Node:
    """A node computing ``read(value of parent)``, callable positionally or by keyword."""
    source_name = parent.name

    def extract(*args: Any, **kwargs: Any) -> Any:
        return read(args[0] if args else kwargs[source_name])

    return Node(
        name=name,
        type=type_,
        callable=extract,
        inputs=(Dependency(source_name, parent.type),),
        tags=parent.tags,
        documentation=doc,
        origin=parent.origin,
        originating_functions=parent.originating_functions,
        positional=True,
    )


def with_post(node: Node, post: Callable[[Any], Any]) -> Node:
    """``node`` whose value is passed through ``post`` (awaited first for async functions)."""
    inner = node.callable
    assert inner is not None
    if inspect.iscoroutinefunction(inner):

        async def acall(*args: Any, **kwargs: Any) -> Any:
            return post(await inner(*args, **kwargs))

        return node.evolve(callable=acall)

    def call(*args: Any, **kwargs: Any) -> Any:
        return post(inner(*args, **kwargs))

    return node.evolve(callable=call)


def check_part_names(names: list[str], node: Node, fn: Callable[..., Any], who: str) -> None:
    """Raise naming ``fn`` if a part would be named like the function's own node."""
    if node.name in names:
        raise InvalidDecoratorError(
            f"@{who} on {where(fn)}: '{node.name}' is both the function's own node and one it "
            "extracts; two nodes cannot share a name. Rename the column/field or the function."
        )


def column_specs(
    columns: Sequence[Any], fn: Callable[..., Any], who: str
) -> list[tuple[str, str | None]]:
    """``[(column, doc or None)]`` from ``"a"`` / ``("a", "doc")`` items, validated."""
    if not columns:
        raise InvalidDecoratorError(
            f'@{who} on {where(fn)} names no columns. List them: @{who}("a", "b").'
        )
    if isinstance(columns[0], list):
        raise InvalidDecoratorError(
            f"@{who} on {where(fn)} got a list; pass the columns as separate arguments "
            f"(@{who}(*names))."
        )
    specs: list[tuple[str, str | None]] = []
    for item in columns:
        if isinstance(item, str):
            specs.append((item, None))
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
            specs.append((item[0], item[1]))
        else:
            raise InvalidDecoratorError(
                f"@{who} on {where(fn)}: {item!r} is not a column; give a name or a "
                "(name, documentation) pair of strings."
            )
    check_unique([name for name, _ in specs], fn, who, "column")
    return specs


def check_unique(names: Collection[str], fn: Callable[..., Any], who: str, what: str) -> None:
    """Raise naming ``fn`` if a name repeats (each becomes a node)."""
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise InvalidDecoratorError(
            f"@{who} on {where(fn)} names the {what}(s) {repeated} more than once; each becomes "
            "a node, and node names are unique. List each once."
        )


class extract_columns(SingleNodeNodeTransformer):  # lowercase: Hamilton's public name
    """One node per column of the DataFrame a function returns, plus the frame itself.

    ``@extract_columns("a", ("b", "doc of b"), fill_with=0)``: each column becomes a node of the
    frame library's column type; ``fill_with`` creates columns the frame lacks (else a missing
    column fails when its node runs).
    """

    def __init__(self, *columns: str | tuple[str, str], fill_with: Any = None) -> None:
        super().__init__()
        self.columns = columns
        self.fill_with = fill_with

    @staticmethod
    def validate_return_type(fn: Callable[..., Any]) -> None:
        """Raise unless ``fn`` is annotated to return a known dataframe type."""
        require_frame(resolve_annotations(fn).get("return"), fn, "extract_columns")

    def validate(self, fn: Callable[..., Any]) -> None:
        column_specs(self.columns, fn, self.name)
        require_frame(resolve_annotations(fn).get("return"), fn, self.name)

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        kind = require_frame(node.type, fn, self.name)
        specs = column_specs(self.columns, fn, self.name)
        check_part_names([c for c, _ in specs], node, fn, self.name)
        out = [node if self.fill_with is None else self._filling(node, kind, specs)]
        for column, doc in specs:
            read = _column_reader(kind, column, node, fn)
            out.append(part_node(node, column, kind.column_type, doc or node.documentation, read))
        return out

    def _filling(self, node: Node, kind: FrameKind, specs: list[tuple[str, str | None]]) -> Node:
        wanted, fill_with = [c for c, _ in specs], self.fill_with

        def fill(df: Any) -> Any:
            present = set(kind.names(df))
            for column in wanted:
                if column not in present:
                    df = kind.fill(df, column, fill_with)
            return df

        return with_post(node, fill)


def _column_reader(
    kind: FrameKind, column: str, node: Node, fn: Callable[..., Any]
) -> Callable[[Any], Any]:
    get, names = kind.get, kind.names

    def read(df: Any) -> Any:
        try:  # no membership test first: listing the columns per extraction is O(columns)
            return get(df, column)
        except Exception:
            present = names(df)
            if column in present:
                raise
        raise InvalidDecoratorError(
            f"@extract_columns: column '{column}' is not in the frame that {where(fn)} "
            f"returned for node '{node.name}'; it has {present}. Return that column, or "
            "pass fill_with= to @extract_columns to create it."
        )

    return read
