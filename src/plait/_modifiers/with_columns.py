"""``@with_columns``: compute columns with small functions and append them to a DataFrame.

.. code-block:: python

    @with_columns(ratio, scaled, columns_to_pass=["a", "b"], select=["ratio", "scaled"])
    def final(raw: pd.DataFrame) -> pd.DataFrame:
        return raw

Before ``final`` runs, the columns ``a`` and ``b`` of ``raw`` become nodes ``final.a`` and
``final.b``; the functions (modules or loose functions, as for ``@subdag``) run namespaced
(``final.ratio``...), and ``final._append`` returns ``raw`` with the selected columns added or
replaced; ``final`` receives that frame. With ``on_input="raw"`` instead of
``columns_to_pass``, the functions take the frame itself and extract what they need.

One class per DataFrame library (pandas, polars), as Hamilton's ``plugins.h_pandas`` and
``plugins.h_polars``; the library is imported when the decorator is used.
"""

from __future__ import annotations

import abc
import inspect
import types
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Dependency, Node
from plait._model.types import resolve_annotations, types_match
from plait._modifiers.base import NodeInjector, where
from plait._modifiers.step import UnsupportedDecoratorError, type_name
from plait._modifiers.subdag import (
    add_namespace,
    assign_namespace,
    check_unique,
    collect_functions,
    collect_nodes,
)

MERGE_NODE = "_append"


class with_columns_base(NodeInjector, abc.ABC):
    """``@with_columns`` for one DataFrame library; subclasses say which types and how to append."""

    def __init__(
        self,
        *load_from: types.ModuleType | Callable[..., Any],
        columns_to_pass: list[str] | None = None,
        pass_dataframe_as: str | None = None,
        on_input: str | None = None,
        select: list[str] | None = None,
        namespace: str | None = None,
        config_required: list[str] | None = None,
    ) -> None:
        if pass_dataframe_as is not None:
            raise UnsupportedDecoratorError(
                f"@with_columns ({self.library}): pass_dataframe_as is not supported (nor in "
                f"Hamilton); use on_input='{pass_dataframe_as}' and take the frame as a parameter."
            )
        if (columns_to_pass is None) == (on_input is None):
            raise InvalidDecoratorError(
                "@with_columns needs exactly one of columns_to_pass=[...] (we extract those "
                "columns for the functions) or on_input='param' (the functions take the "
                "DataFrame and extract columns themselves)."
            )
        self.subdag_functions = collect_functions(load_from, self.name)
        self.initial_schema = list(columns_to_pass) if columns_to_pass is not None else None
        self.target_dataframe = on_input
        self.select = list(select) if select is not None else None
        self.namespace = namespace
        self.config_required = config_required

    library: str = ""

    @property
    def name(self) -> str:
        return "with_columns"

    @abc.abstractmethod
    def frame_types(self) -> tuple[type, type]:
        """``(DataFrame type, column type)`` of the library (imported here, on use)."""

    @abc.abstractmethod
    def append_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        """``df`` with ``columns`` added (or replaced)."""

    def required_config(self) -> list[str] | None:
        return self.config_required

    def _frame_param(self, fn: Callable[..., Any]) -> str:
        return frame_parameter(fn, self.target_dataframe, "@with_columns", "DataFrame")

    def validate(self, fn: Callable[..., Any]) -> None:
        param = self._frame_param(fn)
        annotations = resolve_annotations(fn)
        if param not in inspect.signature(fn).parameters:
            raise InvalidDecoratorError(
                f"@with_columns on {where(fn)}: on_input='{param}' is not a parameter; it has "
                f"{list(inspect.signature(fn).parameters)}."
            )
        frame_type, _ = self.frame_types()
        annotation = annotations.get(param)
        if annotation is not None and not types_match(annotation, frame_type):
            raise InvalidDecoratorError(
                f"@with_columns on {where(fn)}: parameter '{param}' is annotated "
                f"{type_name(annotation)}, but this with_columns works on "
                f"{type_name(frame_type)}. Use the with_columns of plait.plugins.h_<library>."
            )

    def inject_nodes(
        self, params: dict[str, Any], config: dict[str, Any], fn: Callable[..., Any]
    ) -> tuple[list[Node], dict[str, str]]:
        param = self._frame_param(fn)
        if param not in params:
            raise InvalidDecoratorError(
                f"@with_columns on {where(fn)}: parameter '{param}' is computed by another "
                "decorator of this function, so columns cannot be appended to it."
            )
        frame_type, column_type = self.frame_types()
        initial = self._column_nodes(fn, param, params[param], column_type)
        generated = [*initial, *collect_nodes(self.subdag_functions, config)]
        _check_no_clash(generated, len(initial), fn)
        select = self.select
        if select is None:
            select = [n.name for n in generated if n.type == column_type]
        pruned = _upstream_of(generated, select, fn)
        _check_selected_types(pruned, select, column_type, fn)
        merge = self._merge_node(param, select, frame_type, column_type)
        namespace = self.namespace if self.namespace is not None else fn.__name__
        nodes = add_namespace([*pruned, merge], namespace)
        return nodes, {param: assign_namespace(MERGE_NODE, namespace)}

    def _column_nodes(
        self, fn: Callable[..., Any], param: str, frame_annotation: Any, column_type: type
    ) -> list[Node]:
        if self.initial_schema is None:
            return []
        return [
            Node(
                name=column,
                type=column_type,
                callable=_column_getter(column, param, fn),
                inputs=(Dependency(param, frame_annotation),),
                positional=True,
            )
            for column in self.initial_schema
        ]

    def _merge_node(
        self, param: str, select: list[str], frame_type: type, column_type: type
    ) -> Node:
        names = tuple(select)
        append = self.append_columns

        def merge(*args: Any, **kwargs: Any) -> Any:
            values = args or tuple(kwargs[n] for n in (*names, param))
            return append(values[-1], dict(zip(names, values[:-1], strict=True)))

        inputs = (*(Dependency(n, column_type) for n in names), Dependency(param, frame_type))
        return Node(
            name=MERGE_NODE, type=frame_type, callable=merge, inputs=inputs, positional=True
        )


def frame_parameter(fn: Callable[..., Any], target: str | None, who: str, frame: str) -> str:
    """The parameter of ``fn`` that takes the frame: ``target`` (``on_input=``), else the first.

    ``who`` (``"@with_columns"``) and ``frame`` (``"DataFrame"``) word the error for a function
    without parameters.
    """
    if target is not None:
        return target
    names = list(inspect.signature(fn).parameters)
    if not names:
        raise InvalidDecoratorError(
            f"{who} on {where(fn)}: the function has no parameters; its first parameter (or "
            f"the one named by on_input=) must be the {frame}."
        )
    return names[0]


def _column_getter(column: str, param: str, fn: Callable[..., Any]) -> Callable[[Any], Any]:
    def get_column(df: Any) -> Any:
        if column not in df:
            raise InvalidDecoratorError(
                f"@with_columns on {where(fn)}: column '{column}' (from columns_to_pass) is "
                f"not in the DataFrame '{param}'; it has {list(df.columns)}. Fix "
                "columns_to_pass or the upstream frame."
            )
        return df[column]

    return get_column


def _check_no_clash(generated: list[Node], n_columns: int, fn: Callable[..., Any]) -> None:
    columns = {n.name for n in generated[:n_columns]}
    clash = sorted(n.name for n in generated[n_columns:] if n.name in columns)
    if clash:
        raise InvalidDecoratorError(
            f"@with_columns on {where(fn)}: {clash} are both passed in columns_to_pass and "
            "computed by a function. With columns_to_pass, functions may only add new columns; "
            "to replace a column, use on_input= and extract it in the function."
        )
    check_unique(generated, fn, "with_columns")


def _upstream_of(nodes: list[Node], select: Iterable[str], fn: Callable[..., Any]) -> list[Node]:
    """The nodes ``select`` needs, in their original order (all nodes if nothing is missing)."""
    by_name = {n.name: n for n in nodes}
    missing = [s for s in select if s not in by_name]
    if missing:
        raise InvalidDecoratorError(
            f"@with_columns on {where(fn)}: select={missing} names no column the functions "
            f"produce; they produce {sorted(by_name)}. Fix select= or add the function."
        )
    keep: set[str] = set()
    stack = list(select)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(d.name for d in by_name[name].inputs if d.name in by_name)
    return [n for n in nodes if n.name in keep]


def _check_selected_types(
    nodes: Collection[Node], select: list[str], column_type: type, fn: Callable[..., Any]
) -> None:
    wrong = [
        f"{n.name} -> {type_name(n.type)}"
        for n in nodes
        if n.name in select and not types_match(column_type, n.type)
    ]
    if wrong:
        raise InvalidDecoratorError(
            f"@with_columns on {where(fn)}: selected {wrong}, which are not columns "
            f"({type_name(column_type)}). Select only functions that return "
            f"{type_name(column_type)}."
        )


class pandas_with_columns(with_columns_base):
    """``@with_columns`` for pandas (``plait.plugins.h_pandas.with_columns``): ``df.assign``."""

    library = "pandas"

    def frame_types(self) -> tuple[type, type]:
        import pandas as pd

        return pd.DataFrame, pd.Series

    def append_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        return df.assign(**columns)


class polars_with_columns(with_columns_base):
    """``@with_columns`` for polars (``plait.plugins.h_polars.with_columns``)."""

    library = "polars"

    def frame_types(self) -> tuple[type, type]:
        import polars as pl

        return pl.DataFrame, pl.Series

    def append_columns(self, df: Any, columns: Mapping[str, Any]) -> Any:
        return df.with_columns(**columns)
