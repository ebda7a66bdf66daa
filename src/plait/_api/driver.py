"""The :class:`Driver`: a thin facade that builds once, plans per request, runs, and answers
lineage questions by delegating to the core.

``Driver(config, *modules)`` keeps Hamilton's legacy default (a pandas DataFrame result);
drivers made by :class:`plait.driver.Builder` return a dict unless given a result builder.
"""

from __future__ import annotations

import contextlib
import gc
import json
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from plait._api import adapters as door
from plait._api.collect import drop_shadowed_defaults, functions_to_nodes, module_functions
from plait._graph import query
from plait._graph.build import build_graph
from plait._graph.graph import Graph
from plait._model.errors import (
    InputConfigClashError,
    InvalidArgumentError,
    InvalidExecutorException,
    UnknownNodeError,
    did_you_mean,
    warn_user,
)
from plait._model.node import NodeKind
from plait._model.views import HamiltonGraph, HamiltonNode, views_of
from plait._plan.blocks import Block
from plait._plan.plan import Plan, make_plan
from plait._run.loop import run_plan

if TYPE_CHECKING:
    from os import PathLike
    from pathlib import Path

    from plait._viz.render import Digraph

_NO_NAMES: frozenset[str] = frozenset()
#: Plans kept per driver (one per distinct request shape); the oldest is dropped beyond this.
_MAX_PLANS = 256


class Driver:
    """Build a dataflow from modules and execute it.

    Parameters
    ----------
    config
        Configuration values: they shape the graph (decorators read them) and satisfy
        parameters of the same name.
    *modules
        Modules whose functions define the nodes.
    adapter
        A result builder / legacy graph adapter, or a list of them. Without one the result is
        a pandas DataFrame (Hamilton's legacy default).
    allow_module_overrides
        Let a later module redefine a node an earlier module defined.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None,
        *modules: ModuleType,
        adapter: Any = None,
        allow_module_overrides: bool = False,
        _functions: Sequence[Callable[..., Any]] = (),
        _legacy_default: bool = True,
        _dynamic: bool = False,
        _executor: Any = None,
        _grouping: Any = None,
    ) -> None:
        adapters = adapter if isinstance(adapter, (list, tuple)) else [adapter]
        self.config: dict[str, Any] = dict(config or {})
        self.graph_modules: tuple[ModuleType, ...] = modules
        self._door = door.convert(
            [a for a in adapters if a is not None], legacy_default=_legacy_default
        )
        self.adapter = self._door.adapters[0] if len(self._door.adapters) == 1 else None
        with _gc_paused():  # building allocates many small objects and frees none
            functions = [f for m in modules for f in module_functions(m)] + list(_functions)
            nodes = drop_shadowed_defaults(list(functions_to_nodes(functions, self.config)))
            self._fn_names = _function_names(nodes)
            self.graph: Graph = build_graph(
                door.wrap_nodes(nodes, self._door.node_wrapper),
                self.config,
                allow_overrides=allow_module_overrides,
                edge_check=self._door.edge_check,
            )
        self._plans: dict[tuple[Any, ...], Plan] = {}
        self._dynamic = _dynamic
        self._executor = _executor
        self._grouping = _grouping  # dynamic execution's grouping strategy (task hooks)
        if callable(getattr(_executor, "finalize", None)):  # release its pool with the driver
            _hold(_executor)
            weakref.finalize(self, _let_go, _executor)
        if self._door.hooks:
            from plait._api.lifecycle_calls import after_build

            after_build(self.graph, self._door.hooks, self.config)

    # -- execution -------------------------------------------------------------------------

    def execute(
        self,
        final_vars: Sequence[str | Callable[..., Any] | HamiltonNode],
        overrides: Mapping[str, Any] | None = None,
        display_graph: bool = False,
        inputs: Mapping[str, Any] | None = None,
    ) -> Any:
        """Compute ``final_vars`` and return them through the result builder.

        ``final_vars`` may be node names, the functions that define them, or variables from
        :meth:`list_available_variables`. Only what they need runs, each node once.
        """
        if self._door.hooks:
            return self._run_hooked(final_vars, overrides, display_graph, inputs, build=True)
        outputs = self.raw_execute(final_vars, overrides, display_graph, inputs)
        result = self._door.result
        return outputs if result is None else result(outputs)

    def raw_execute(
        self,
        final_vars: Sequence[Any],
        overrides: Mapping[str, Any] | None = None,
        display_graph: bool = False,
        inputs: Mapping[str, Any] | None = None,
        _fn_graph: Any = None,
    ) -> dict[str, Any]:
        """Compute ``final_vars`` and return ``{name: value}`` (no result builder)."""
        if self._door.hooks:
            return self._run_hooked(final_vars, overrides, display_graph, inputs, build=False)  # type: ignore[no-any-return]
        if display_graph:
            _warn_display_graph()
        inputs = inputs if inputs is not None else {}
        plan = self._plan_for(final_vars, inputs, overrides)
        if plan.input_checks:
            plan.check_inputs(inputs)
        return run_plan(plan, inputs, overrides, self._executor)

    def _run_hooked(
        self,
        final_vars: Sequence[Any],
        overrides: Mapping[str, Any] | None,
        display_graph: bool,
        inputs: Mapping[str, Any] | None,
        build: bool,
    ) -> Any:
        from plait._api.lifecycle_calls import run_with_hooks

        if display_graph:
            _warn_display_graph()
        given = inputs if inputs is not None else {}

        def checked_plan() -> Plan:
            plan = self._plan_for(final_vars, given, overrides)
            plan.check_inputs(given)
            return plan

        result = self._door.result if build else None
        return run_with_hooks(
            self.graph,
            self._door.hooks,
            (final_vars, checked_plan),
            given,
            overrides,
            result,
            (self._executor, self._grouping if self._dynamic else None),
        )

    def _plan_for(
        self, final_vars: Sequence[Any], inputs: Mapping[str, Any], overrides: Any
    ) -> Plan:
        override_names = frozenset(overrides) if overrides else _NO_NAMES
        key = (tuple(final_vars), frozenset(inputs), override_names)
        try:
            plan = self._plans.get(key)
        except TypeError:  # an unhashable request (e.g. a variable view): use names
            key = (tuple(self._output_name(v) for v in final_vars), key[1], override_names)
            plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= _MAX_PLANS:  # bounded: drop the oldest request's plan
                del self._plans[next(iter(self._plans))]
            plan = self._plans[key] = self._make_plan(key[0], key[1], key[2])
        return plan

    def _make_plan(
        self, final_vars: Sequence[Any], inputs: frozenset[str], overrides: frozenset[str]
    ) -> Plan:
        clash = sorted(inputs & self.config.keys())
        if clash:
            raise InputConfigClashError(
                f"Input(s) {clash} are also in the driver's config; a value can come from "
                "one place only. Drop them from inputs= or from the config."
            )
        outputs = tuple(self._output_name(v) for v in final_vars)
        plan = make_plan(self.graph, outputs, inputs, overrides, self._door.checker_factory)
        if not self._dynamic:
            _refuse_blocks(plan)
        return plan

    def _output_name(self, var: Any) -> str:
        if isinstance(var, str):
            return var
        if isinstance(var, HamiltonNode):
            return var.name
        if callable(var):
            name = self._fn_names.get(var)
            if name is None:
                qualname = getattr(var, "__qualname__", var)
                raise UnknownNodeError(
                    f"Function {getattr(var, '__module__', '?')}.{qualname}"
                    " is not part of this driver's modules. Request it by node name, or "
                    "build the driver with its module."
                )
            return name
        raise UnknownNodeError(
            f"Cannot request {var!r} ({type(var).__qualname__}): pass a node name, a function "
            "of the driver's modules, or a variable from list_available_variables()."
        )

    def validate_execution(
        self,
        final_vars: Sequence[Any],
        overrides: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
    ) -> None:
        """Raise the error :meth:`execute` would raise before running anything; else None."""
        inputs = inputs if inputs is not None else {}
        plan = self._plan_for(final_vars, inputs, overrides)
        plan.check_inputs(inputs)

    def export_execution(
        self,
        final_vars: Sequence[Any],
        inputs: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> str:
        """JSON description (``{"nodes": [...]}``, sorted by name) of what a run would touch."""
        self.validate_execution(final_vars, overrides, inputs)
        plan = self._plan_for(final_vars, inputs if inputs is not None else {}, overrides)
        names = sorted(n for n in plan.nodes if n in self.graph.nodes)
        nodes = [HamiltonNode.from_node(self.graph.nodes[n]).as_dict() for n in names]
        return json.dumps({"nodes": nodes})

    # -- lineage ---------------------------------------------------------------------------

    def list_available_variables(
        self, *, tag_filter: Mapping[str, str | list[str] | None] | None = None
    ) -> list[HamiltonNode]:
        """Every node (functions, then inputs), optionally only those matching ``tag_filter``.

        ``{"owner": "x"}`` matches the value; ``{"owner": ["x", "y"]}`` any of them;
        ``{"owner": None}`` any node with the tag; several keys must all match.
        """
        nodes = self.graph.nodes.values()
        if tag_filter:
            _check_tag_filter(tag_filter)
            nodes = [n for n in nodes if _tags_match(n.tags, tag_filter)]  # type: ignore[assignment]
        return views_of(nodes)

    def what_is_upstream_of(self, *node_names: str) -> list[HamiltonNode]:
        """The named nodes and everything they depend on."""
        self._known(node_names)
        return self._views(query.upstream(self.graph.nodes, node_names))

    def what_is_downstream_of(self, *node_names: str) -> list[HamiltonNode]:
        """The named nodes and everything that depends on them."""
        self._known(node_names)
        return self._views(query.downstream(self.graph.dependents, node_names))

    def what_is_the_path_between(
        self, upstream_node_name: str, downstream_node_name: str
    ) -> list[HamiltonNode]:
        """Nodes on paths from one node to the other, both included; [] if none."""
        self._known((upstream_node_name, downstream_node_name))
        g = self.graph
        return self._views(
            query.path_between(g.nodes, g.dependents, upstream_node_name, downstream_node_name)
        )

    def has_cycles(self, final_vars: Sequence[Any], _fn_graph: Any = None) -> bool:
        """True if computing ``final_vars`` would meet a cycle."""
        names = [self._output_name(v) for v in final_vars]
        self._known(names)
        needed = set(query.upstream(self.graph.nodes, names))
        return any(needed.intersection(c) for c in self.graph.cycles)

    def _known(self, names: Iterable[str]) -> None:
        unknown = [n for n in names if n not in self.graph.nodes]
        if unknown:
            hint = did_you_mean(unknown[0], self.graph.nodes)
            raise UnknownNodeError(
                f"Unknown node(s) {', '.join(repr(u) for u in unknown)}.{hint} "
                "dr.list_available_variables() lists the nodes."
            )

    def _views(self, names: Iterable[str]) -> list[HamiltonNode]:
        return views_of(self.graph.nodes[n] for n in names)

    def get_hamilton_graph(self) -> HamiltonGraph:
        """A read-only view of the whole graph."""
        return HamiltonGraph.from_graph(self.graph)

    # -- graphviz views (Hamilton's signatures; see docs/visualization.md) -----------------
    # Each returns a graphviz.Digraph, written to output_file_path if given. plait adds
    # group_by_module, collapse_families and tag_filter (keyword-only) for large graphs.

    def display_all_functions(
        self,
        output_file_path: str | None = None,
        render_kwargs: dict[str, Any] | None = None,
        graphviz_kwargs: dict[str, Any] | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable[..., Any] | None = None,
        keep_dot: bool = False,
        *,
        group_by_module: bool = False,
        collapse_families: bool = False,
        tag_filter: Mapping[str, Any] | None = None,
    ) -> Digraph:
        """Draw every node: config values, functions, and the inputs they take."""
        from plait._api import visualize

        return visualize.display_all(self, locals())

    def display_upstream_of(
        self,
        *node_names: str,
        output_file_path: str | None = None,
        render_kwargs: dict[str, Any] | None = None,
        graphviz_kwargs: dict[str, Any] | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable[..., Any] | None = None,
        keep_dot: bool = False,
        group_by_module: bool = False,
        collapse_families: bool = False,
        tag_filter: Mapping[str, Any] | None = None,
    ) -> Digraph:
        """Draw the named nodes and everything they depend on."""
        from plait._api import visualize

        return visualize.display_upstream(self, node_names, locals())

    def display_downstream_of(
        self,
        *node_names: str,
        output_file_path: str | None = None,
        render_kwargs: dict[str, Any] | None = None,
        graphviz_kwargs: dict[str, Any] | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable[..., Any] | None = None,
        keep_dot: bool = False,
        group_by_module: bool = False,
        collapse_families: bool = False,
        tag_filter: Mapping[str, Any] | None = None,
    ) -> Digraph:
        """Draw the named nodes, what depends on them, and the direct inputs of those."""
        from plait._api import visualize

        return visualize.display_downstream(self, node_names, locals())

    def visualize_execution(
        self,
        final_vars: Sequence[str | Callable[..., Any] | HamiltonNode],
        output_file_path: str | None = None,
        render_kwargs: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
        graphviz_kwargs: dict[str, Any] | None = None,
        overrides: dict[str, Any] | None = None,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable[..., Any] | None = None,
        bypass_validation: bool = False,
        keep_dot: bool = False,
        *,
        group_by_module: bool = False,
        collapse_families: bool = False,
        tag_filter: Mapping[str, Any] | None = None,
    ) -> Digraph:
        """Draw what computing ``final_vars`` runs (outputs highlighted), after validating
        the request as ``execute`` would (``bypass_validation=True`` skips that)."""
        from plait._api import visualize

        return visualize.execution(self, final_vars, locals())

    def visualize_path_between(
        self,
        upstream_node_name: str,
        downstream_node_name: str,
        output_file_path: str | None = None,
        render_kwargs: dict[str, Any] | None = None,
        graphviz_kwargs: dict[str, Any] | None = None,
        strict_path_visualization: bool = False,
        show_legend: bool = True,
        orient: str = "LR",
        hide_inputs: bool = False,
        deduplicate_inputs: bool = False,
        show_schema: bool = True,
        custom_style_function: Callable[..., Any] | None = None,
        keep_dot: bool = False,
        *,
        group_by_module: bool = False,
        collapse_families: bool = False,
        tag_filter: Mapping[str, Any] | None = None,
    ) -> Digraph:
        """Draw the paths from one node to another in red (with the inputs of the nodes on
        them, unless ``strict_path_visualization``)."""
        from plait._api import visualize

        return visualize.path_between(self, upstream_node_name, downstream_node_name, locals())

    # -- catalog (see docs/catalog.md) ------------------------------------------------------

    def catalog(
        self,
        path: str | PathLike[str],
        title: str = "plait catalog",
        *,
        root: str | PathLike[str] | None = None,
    ) -> Path:
        """Write one self-contained HTML page listing every node (type, tags, module,
        ``file:line``, docstring, source, lineage), searchable offline; return its path.

        Source paths under ``root`` (default: the current directory) are shown relative to it.
        """
        from plait._catalog import write_catalog

        return write_catalog(self.graph, path, title, root=root)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (nothing built here is garbage); restore after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: id(executor) -> one entry per live driver using it (list append/pop are atomic)
_EXECUTOR_USERS: dict[int, list[None]] = {}


def _hold(executor: Any) -> None:
    _EXECUTOR_USERS.setdefault(id(executor), []).append(None)


def _let_go(executor: Any) -> None:
    """A driver using ``executor`` was garbage-collected: release the executor's pool once no
    other driver uses it (one executor may serve several drivers). Its non-blocking
    ``release`` if it has one: this runs wherever the collector ran, even inside another
    pool's ``submit``, where waiting for workers could deadlock."""
    users = _EXECUTOR_USERS.get(id(executor))
    if users:
        users.pop()
        if users:
            return
        _EXECUTOR_USERS.pop(id(executor), None)
    release = getattr(executor, "release", None)
    (release if callable(release) else executor.finalize)()


def _refuse_blocks(plan: Plan) -> None:
    """Parallelizable/Collect nodes need dynamic execution (as in Hamilton)."""
    blocks = [
        n
        for n in plan.step_nodes
        if isinstance(n, Block) or n.kind in (NodeKind.EXPAND, NodeKind.COLLECT)
    ]
    blocks = [n.expand if isinstance(n, Block) else n for n in blocks]
    if blocks:
        shown = ", ".join(f"'{n.name}' ({n.where()})" for n in blocks[:3])
        raise InvalidExecutorException(
            f"The requested outputs need Parallelizable/Collect nodes ({shown}), which this "
            "driver cannot run: it was built without dynamic execution. Build it with "
            "Builder().enable_dynamic_execution(allow_experimental_mode=True), or request "
            "outputs outside the block."
        )


def _function_names(nodes: Iterable[Any]) -> dict[Callable[..., Any], str]:
    """Function → the node it defines, for functions that define exactly one node."""
    names: dict[Callable[..., Any], str] = {}
    many: set[Callable[..., Any]] = set()
    for node in nodes:
        for fn in node.originating_functions:
            for f in (fn, getattr(fn, "__plait_original__", None)):
                if f is None:
                    continue
                if f in names and names[f] != node.name:
                    many.add(f)
                names[f] = node.name
    for fn in many:
        del names[fn]
    return names


def _check_tag_filter(tag_filter: Mapping[str, Any]) -> None:
    for key, value in tag_filter.items():
        ok = value is None or isinstance(value, str) or (isinstance(value, list) and value)
        if not ok:
            raise InvalidArgumentError(
                f"tag_filter[{key!r}] = {value!r}: a tag query value must be a string, a "
                "non-empty list of strings, or None (any value)."
            )


def _tags_match(tags: Mapping[str, Any], query_: Mapping[str, Any]) -> bool:
    for key, wanted in query_.items():
        if key not in tags:
            return False
        if wanted is None:
            continue
        have = tags[key] if isinstance(tags[key], list) else [tags[key]]
        wanted = wanted if isinstance(wanted, list) else [wanted]
        if not set(have).intersection(wanted):
            return False
    return True


def _warn_display_graph() -> None:
    warn_user(
        "display_graph=True is deprecated (as in Hamilton) and ignored; use "
        "dr.visualize_execution(...) instead.",
        DeprecationWarning,
    )
