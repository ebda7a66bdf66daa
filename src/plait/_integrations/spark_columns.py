"""``@with_columns``, ``@select`` and ``@require_columns`` on PySpark DataFrames
(``plait.plugins.h_spark``).

.. code-block:: python

    @h_spark.with_columns(map_functions, columns_to_pass=["spend", "signups"])
    def final(raw: DataFrame) -> DataFrame:
        return raw

Every function of the group becomes a node ``final.<name>`` whose value is a Spark DataFrame:
the previous node's frame with one more step. The steps form one chain, in dependency order
(and in the order the functions were given where that is free), so Spark gets one plan of
``withColumn`` calls, not columns extracted and joined back. A function of the group is:

- a **pandas UDF**: its column parameters are ``pd.Series``; it returns
  ``htypes.column[pd.Series, T]`` (``T`` gives the Spark type of the new column);
- a **row UDF**: its column parameters and its return are scalars (``int``, ``float``, ...);
- a **DataFrame function**: it takes the frame (its one DataFrame parameter, or its first
  parameter under ``@require_columns(...)``) and returns a DataFrame, or a ``Column`` that
  becomes the column named after the function.

Columns are the names in ``columns_to_pass`` and the names of the group's functions; every other
parameter is a dependency of the dataflow, bound to its value. A DataFrame parameter named as
``pass_dataframe_as`` takes the frame. The result keeps every column and adds the selected ones
(``mode="append"``), or keeps only the selected ones (``mode="select"``, or ``@select``).

pyspark is imported when a decorator is applied (``plait._integrations.spark``). A decorator
for one library, so it lives with the integrations (which sit above ``plait._modifiers``), not
among the library-free modifiers; imports ``plait._model`` and ``plait._modifiers``.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Dependency, Node
from plait._model.types import resolve_annotations
from plait._modifiers.base import NodeDecorator, NodeInjector, where
from plait._modifiers.step import type_name
from plait._modifiers.subdag import (
    NON_FINAL_TAGS,
    add_namespace,
    assign_namespace,
    check_unique,
    collect_functions,
    collect_nodes,
)
from plait._modifiers.with_columns import frame_parameter

#: Tags ``@require_columns`` puts on a node (Hamilton's names).
TARGET_TAG = "hamilton.spark.target"
COLUMNS_TAG = "hamilton.spark.columns"
#: The node that selects (or drops) columns at the end of the chain.
SELECT_NODE = "_select"
MODES = ("append", "select")


def _spark() -> Any:
    from plait._integrations import spark

    return spark


@dataclasses.dataclass(frozen=True)
class _Step:
    """One function of the group, classified."""

    node: Node
    kind: str  #: "pandas" / "row" (UDFs) or "frame" (a DataFrame function)
    columns: tuple[str, ...]  #: UDF: its column parameters; frame: the columns it reads
    bound: tuple[Dependency, ...]  #: dependencies of the dataflow, bound to their values
    group_deps: tuple[str, ...]  #: the functions of the group whose columns it reads
    uses_base: bool  #: reads the decorated function's frame (its columns or itself)
    target: str = ""  #: frame: the parameter that takes the DataFrame
    return_type: Any = None  #: UDF: the Spark type of its column


@dataclasses.dataclass(frozen=True)
class _Group:
    """What a step's parameters are checked against."""

    columns: frozenset[str]  #: columns_to_pass
    names: frozenset[str]  #: the group's functions
    pass_as: str | None
    where: str  #: ``@with_columns on function 'f' at file:line``


class with_columns(NodeInjector):
    """Compute columns of a PySpark DataFrame with functions; Hamilton's ``h_spark.with_columns``.

    Parameters
    ----------
    load_from
        Modules and functions; each function adds one column (or transforms the frame).
    columns_to_pass
        Columns of the incoming frame the functions take as parameters.
    pass_dataframe_as
        The name under which the functions take the frame itself (a DataFrame parameter).
        At least one of ``columns_to_pass`` and ``pass_dataframe_as`` is needed.
    on_input
        The decorated function's DataFrame parameter (default: its first).
    select
        The functions whose columns end up in the result (default: all).
    namespace
        Prefix of the generated nodes (default: the decorated function's name).
    mode
        ``"append"``: keep the frame's columns and add the selected ones; ``"select"``: keep
        only the selected ones.
    config_required
        Config keys the functions need (None: the whole config).
    """

    def __init__(
        self,
        *load_from: types.ModuleType | Callable[..., Any],
        columns_to_pass: list[str] | None = None,
        pass_dataframe_as: str | None = None,
        on_input: str | None = None,
        select: list[str] | None = None,
        namespace: str | None = None,
        mode: str = "append",
        config_required: list[str] | None = None,
    ) -> None:
        if columns_to_pass is None and pass_dataframe_as is None:
            raise InvalidDecoratorError(
                "@with_columns (h_spark) needs columns_to_pass=[...] (the columns of the "
                "DataFrame that the functions take as parameters) and/or "
                "pass_dataframe_as='name' (the parameter name under which functions take the "
                "DataFrame itself)."
            )
        if mode not in MODES:
            raise InvalidDecoratorError(
                f"@with_columns (h_spark): mode={mode!r}; use 'append' (keep every column, add "
                "the selected ones) or 'select' (keep only the selected ones)."
            )
        for label, names in (("columns_to_pass", columns_to_pass), ("select", select)):
            listed: Any = names  # users may pass a str, which would iterate as letters
            if listed is not None and (
                isinstance(listed, str) or not all(isinstance(n, str) for n in listed)
            ):
                raise InvalidDecoratorError(
                    f"@with_columns (h_spark): {label} takes a list of names; got {names!r}."
                )
        self.subdag_functions = collect_functions(load_from, "with_columns")
        self.initial_schema = list(columns_to_pass) if columns_to_pass is not None else None
        self.dataframe_subdag_param = pass_dataframe_as
        self.target_dataframe = on_input
        self.select = list(select) if select is not None else None
        self.namespace = namespace
        self.mode = mode
        self.config_required = config_required

    @property
    def name(self) -> str:
        return "with_columns"

    def required_config(self) -> list[str] | None:
        return self.config_required

    def _frame_param(self, fn: Callable[..., Any]) -> str:
        return frame_parameter(fn, self.target_dataframe, f"@{self.name}", "Spark DataFrame")

    def validate(self, fn: Callable[..., Any]) -> None:
        spark = _spark()
        param = self._frame_param(fn)
        parameters = inspect.signature(fn).parameters
        if param not in parameters:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: on_input='{param}' is not a parameter; it has "
                f"{list(parameters)}."
            )
        annotation = resolve_annotations(fn).get(param)
        if annotation is not None and not spark.is_dataframe(annotation):
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: parameter '{param}' is annotated "
                f"{type_name(annotation)}, but h_spark.{self.name} works on "
                "pyspark.sql.DataFrame. For pandas or polars frames use the with_columns of "
                "plait.plugins.h_pandas or h_polars."
            )

    def inject_nodes(
        self, params: dict[str, Any], config: dict[str, Any], fn: Callable[..., Any]
    ) -> tuple[list[Node], dict[str, str]]:
        spark = _spark()
        param = self._frame_param(fn)
        if param not in params:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: parameter '{param}' is computed by another "
                "decorator of this function, so columns cannot be added to it."
            )
        nodes = collect_nodes(self.subdag_functions, config)
        check_unique(nodes, fn, self.name)
        group = self._group(nodes, param, fn)
        steps = _in_order([_classify(n, group) for n in nodes], group)
        select = self._checked_select(steps, fn)
        steps = _upstream_of(steps, select)
        frame_type = spark.dataframe_type()
        frame_annotation = params[param] if params[param] is not None else frame_type
        chain: list[Node] = []
        previous = param
        for step in steps:
            chain.append(_chain_node(step, previous, param, frame_annotation, group.where))
            previous = step.node.name
        last = _final_node(self.mode, select, [s.node.name for s in steps], previous, group)
        if last is not None:
            chain.append(last)
            previous = last.name
        namespace = self.namespace if self.namespace is not None else fn.__name__
        return add_namespace(chain, namespace), {param: assign_namespace(previous, namespace)}

    def _group(self, nodes: list[Node], param: str, fn: Callable[..., Any]) -> _Group:
        here = f"@{self.name} on {where(fn)}"
        names = {n.name for n in nodes}
        columns = set(self.initial_schema or ())
        clash = sorted(names & columns)
        if clash:
            raise InvalidDecoratorError(
                f"{here}: {clash} are both in columns_to_pass and functions of the group. A "
                "function adds a column named after itself; rename the function, or replace "
                "the column with a DataFrame function (pass_dataframe_as=...)."
            )
        for reserved in (param, self.dataframe_subdag_param):
            if reserved in names:
                raise InvalidDecoratorError(
                    f"{here}: a function of the group is named '{reserved}', the name of the "
                    "DataFrame itself; rename the function."
                )
        return _Group(frozenset(columns), frozenset(names), self.dataframe_subdag_param, here)

    def _checked_select(self, steps: list[_Step], fn: Callable[..., Any]) -> list[str]:
        names = [s.node.name for s in steps]
        if self.select is None:
            return names
        unknown = [s for s in self.select if s not in names]
        if unknown or not self.select:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: select={self.select} must name functions of "
                f"the group; {unknown or 'nothing'} is not one. The functions: {sorted(names)}."
            )
        return list(self.select)


class select(with_columns):
    """``@with_columns(..., mode="select")``: the result has only the ``output_cols`` columns
    (default: every function's column), in that order. Hamilton's ``h_spark.select``."""

    def __init__(
        self,
        *load_from: types.ModuleType | Callable[..., Any],
        columns_to_pass: list[str] | None = None,
        pass_dataframe_as: str | None = None,
        output_cols: list[str] | None = None,
        namespace: str | None = None,
        config_required: list[str] | None = None,
    ) -> None:
        super().__init__(
            *load_from,
            columns_to_pass=columns_to_pass,
            pass_dataframe_as=pass_dataframe_as,
            select=output_cols,
            namespace=namespace,
            mode="select",
            config_required=config_required,
        )

    @property
    def name(self) -> str:
        return "select"


class require_columns(NodeDecorator):
    """Mark a DataFrame function of a ``with_columns`` group: its first parameter takes the
    frame, and it reads ``columns`` from it. Outside a group it changes nothing but tags.

    .. code-block:: python

        @h_spark.require_columns("spend", "signups")
        def spend_per_signup(df: DataFrame) -> Column:
            return df["spend"] / df["signups"]
    """

    def __init__(self, *columns: str) -> None:
        super().__init__(target=None)
        if not columns or not all(isinstance(c, str) for c in columns):
            raise InvalidDecoratorError(
                f"@require_columns takes the names of the columns the function reads, e.g. "
                f"@require_columns('spend', 'signups'); got {columns!r}."
            )
        self._columns = tuple(columns)

    def validate(self, fn: Callable[..., Any]) -> None:
        _dataframe_first(fn)

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> list[Node]:
        tags = {**node.tags, TARGET_TAG: _dataframe_first(fn), COLUMNS_TAG: list(self._columns)}
        return [node.evolve(tags=MappingProxyType(tags))]

    def decorate_node(self, node: Node) -> Node:
        """Tag ``node`` (the frame parameter is its first input)."""
        target = node.inputs[0].name if node.inputs else ""
        tags = {**node.tags, TARGET_TAG: target, COLUMNS_TAG: list(self._columns)}
        return node.evolve(tags=MappingProxyType(tags))


def _dataframe_first(fn: Callable[..., Any]) -> str:
    """The name of ``fn``'s first parameter, which must be annotated a Spark DataFrame."""
    names = list(inspect.signature(fn).parameters)
    annotation = resolve_annotations(fn).get(names[0]) if names else None
    if annotation is None or not _spark().is_dataframe(annotation):
        found = f"'{names[0]}' is annotated {type_name(annotation)}" if names else "it has none"
        raise InvalidDecoratorError(
            f"@require_columns on {where(fn)}: the first parameter must be the Spark "
            f"DataFrame, annotated pyspark.sql.DataFrame; {found}."
        )
    return names[0]


# -- classifying the group's functions ---------------------------------------------------------


def _classify(node: Node, group: _Group) -> _Step:
    spark = _spark()
    if TARGET_TAG in node.tags:
        columns = tuple(node.tags[COLUMNS_TAG])
        return _frame_step(node, str(node.tags[TARGET_TAG]), columns, group, declared=True)
    frames = [d.name for d in node.inputs if spark.is_dataframe(d.type)]
    if len(frames) > 1:
        raise InvalidDecoratorError(
            f"{group.where}: {node.where()} takes several DataFrames "
            f"{frames}; mark the one it transforms by making it the first parameter and adding "
            "@h_spark.require_columns(...) with the columns it reads."
        )
    if not frames:
        return _udf_step(node, group)
    target = frames[0]
    if target in group.columns or target in group.names or target == group.pass_as:
        columns = (target,) if target != group.pass_as else ()
        return _frame_step(node, target, columns, group, declared=False)
    raise InvalidDecoratorError(
        f"{group.where}: {node.where()} takes the DataFrame "
        f"'{target}', which is neither pass_dataframe_as ({group.pass_as!r}), a column of "
        "columns_to_pass nor a function of the group. Rename the parameter, or set "
        f"pass_dataframe_as='{target}'."
    )


def _frame_step(
    node: Node, target: str, columns: tuple[str, ...], group: _Group, declared: bool
) -> _Step:
    known = group.columns | group.names
    unknown = [c for c in columns if c not in known]
    if declared and unknown and group.pass_as is None:
        raise InvalidDecoratorError(
            f"{group.where}: {node.where()} requires columns "
            f"{unknown}, which are neither in columns_to_pass ({sorted(group.columns)}) nor "
            "made by a function of the group. Add them to columns_to_pass."
        )
    bound = []
    for dep in node.inputs:
        if dep.name == target:
            continue
        if dep.name in known:
            raise InvalidDecoratorError(
                f"{group.where}: DataFrame {node.where()} takes the "
                f"column '{dep.name}' as a parameter; it reads columns from the frame instead: "
                f"list '{dep.name}' in @h_spark.require_columns(...) and drop the parameter."
            )
        bound.append(dep)
    group_deps = tuple(c for c in columns if c in group.names)
    uses_base = target == group.pass_as or any(c not in group.names for c in columns)
    return _Step(node, "frame", columns, tuple(bound), group_deps, uses_base, target=target)


def _udf_step(node: Node, group: _Group) -> _Step:
    spark = _spark()
    known = group.columns | group.names
    columns = [d for d in node.inputs if d.name in known]
    bound = [d for d in node.inputs if d.name not in known]
    here = f"{group.where}: {node.where()}"
    series = [d.name for d in columns if spark.is_series(d.type)]
    if series and len(series) != len(columns):
        raise InvalidDecoratorError(
            f"{here} mixes pd.Series columns {series} with scalar columns "
            f"{[d.name for d in columns if d.name not in series]}. Annotate all its column "
            "parameters pd.Series (a pandas UDF) or all scalars (a row UDF)."
        )
    stray = [d.name for d in bound if spark.is_series(d.type)]
    if stray:
        raise InvalidDecoratorError(
            f"{here}: parameters {stray} are pd.Series but not columns: neither in "
            f"columns_to_pass ({sorted(group.columns)}) nor made by a function of the group. "
            "Add them to columns_to_pass."
        )
    return_type = spark.udf_spark_type(node.type, bool(series), here)
    names = tuple(d.name for d in columns)
    return _Step(
        node,
        "pandas" if series else "row",
        names,
        tuple(bound),
        tuple(n for n in names if n in group.names),
        any(n not in group.names for n in names),
        return_type=return_type,
    )


def _in_order(steps: list[_Step], group: _Group) -> list[_Step]:
    """Dependencies first; otherwise in the order the functions were given."""
    done: set[str] = set()
    ordered: list[_Step] = []
    pending = list(steps)
    while pending:
        ready = next((s for s in pending if done.issuperset(s.group_deps)), None)
        if ready is None:
            raise InvalidDecoratorError(
                f"{group.where}: the functions {sorted(s.node.name for s in pending)} read "
                "each other's columns in a cycle; break the cycle."
            )
        pending.remove(ready)
        ordered.append(ready)
        done.add(ready.node.name)
    return ordered


def _upstream_of(steps: list[_Step], select: Sequence[str]) -> list[_Step]:
    by_name = {s.node.name: s for s in steps}
    keep: set[str] = set()
    stack = list(select)
    while stack:
        name = stack.pop()
        if name not in keep:
            keep.add(name)
            stack.extend(by_name[name].group_deps)
    return [s for s in steps if s.node.name in keep]


# -- the chain ---------------------------------------------------------------------------------


def _chain_node(step: _Step, previous: str, param: str, frame_annotation: Any, here: str) -> Node:
    """The step as a node: the previous frame (and, for lineage, what it reads) in, a frame out."""
    frame_type = _spark().dataframe_type()
    deps: dict[str, Dependency] = {previous: Dependency(previous, frame_type)}
    for name in step.group_deps:
        deps.setdefault(name, Dependency(name, frame_type))
    if step.uses_base:
        deps.setdefault(param, Dependency(param, frame_annotation))
    for dep in step.bound:
        deps.setdefault(dep.name, dep)
    apply = _run_frame_step if step.kind == "frame" else _run_udf_step
    bound_names = [d.name for d in step.bound]

    def run(**kwargs: Any) -> Any:
        bound = {n: kwargs[n] for n in bound_names if n in kwargs}
        return apply(step, _checked_frame(kwargs[previous], step, here), bound, here)

    return step.node.evolve(
        type=frame_type, callable=run, inputs=tuple(deps.values()), positional=False
    )


def _checked_frame(df: Any, step: _Step, here: str) -> Any:
    spark = _spark()
    if not isinstance(df, spark.dataframe_type()):
        raise InvalidDecoratorError(
            f"{here}: the DataFrame reaching function '{step.node.name}' is a "
            f"{spark.type_name(df)}, not a pyspark.sql.DataFrame. Pass a Spark DataFrame (e.g. "
            "spark.createDataFrame(pandas_df)), or use h_pandas.with_columns for pandas."
        )
    # A function of the group need not make a column named after itself when it returns a
    # DataFrame: a frame function's check leaves those names to Spark.
    checked = step.columns
    if step.kind == "frame":
        checked = tuple(c for c in checked if c not in step.group_deps)
    missing = spark.missing_columns(df, checked)
    if missing:
        raise InvalidDecoratorError(
            f"{here}: {step.node.where()} reads columns "
            f"{missing}, which the DataFrame does not have; it has {list(df.columns)}. Fix "
            "columns_to_pass / @require_columns, or the DataFrame upstream."
        )
    return df


def _run_udf_step(step: _Step, df: Any, bound: Mapping[str, Any], here: str) -> Any:
    spark = _spark()
    assert step.node.callable is not None
    call = spark.UdfCall(step.node.callable, step.columns, bound)
    return spark.add_udf_column(
        df,
        step.node.name,
        call,
        vectorized=step.kind == "pandas",
        return_type=step.return_type,
    )


def _run_frame_step(step: _Step, df: Any, bound: Mapping[str, Any], here: str) -> Any:
    spark = _spark()
    assert step.node.callable is not None
    out = step.node.callable(**{step.target: df}, **bound)
    if spark.is_column(out):
        return df.withColumn(step.node.name, out)
    if isinstance(out, spark.dataframe_type()):
        return out
    raise InvalidDecoratorError(
        f"{here}: DataFrame {step.node.where()} returned a "
        f"{spark.type_name(out)}; it must return a pyspark DataFrame, or a Column that becomes "
        f"the column '{step.node.name}'."
    )


def _final_node(
    mode: str, select: list[str], chain: list[str], last: str, group: _Group
) -> Node | None:
    """``_select``: keep only ``select`` (mode "select"), or drop the unselected columns."""
    if mode == "select":
        keep = list(select)

        def finish(df: Any) -> Any:
            missing = _spark().missing_columns(df, keep)
            if missing:
                raise InvalidDecoratorError(
                    f"{group.where}: select={keep}, but the DataFrame has no columns "
                    f"{missing} (a DataFrame function need not add a column named after "
                    f"itself); it has {list(df.columns)}. Select only columns that exist."
                )
            return df.select(*keep)

    else:
        drop = [name for name in chain if name not in select]
        if not drop:
            return None

        def finish(df: Any) -> Any:
            return df.drop(*drop)

    frame_type = _spark().dataframe_type()
    return Node(
        name=SELECT_NODE,
        type=frame_type,
        callable=finish,
        inputs=(Dependency(last, frame_type),),
        tags=MappingProxyType(dict(NON_FINAL_TAGS)),
        positional=True,
    )
