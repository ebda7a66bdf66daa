"""``@subdag`` and ``@parameterized_subdag``: reuse whole modules as namespaced parts of a graph.

``@subdag(features, inputs={"x": source("raw_x")}, config={"mode": "a"})`` on ``def feats(...)``
resolves every function of ``features`` under the outer config merged with ``config``, prefixes
each node name with the namespace (``feats.<name>``), feeds the subDAG's inputs from ``inputs``
(``source`` = another node, ``value`` = a constant) and adds the decorated function as the
final node ``feats``, whose parameters name subDAG nodes (or, listed in ``external_inputs``,
nodes of the outer graph).

Module crawling is shared with the driver (:mod:`plait._model.crawl`); each inner function is
resolved with :func:`plait._modifiers.resolve.resolve_function`, so inner decorators work.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Collection, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from plait._model.crawl import drop_shadowed_defaults, module_functions
from plait._model.errors import InvalidDecoratorError
from plait._model.node import Dependency, Node
from plait._modifiers.base import NON_FINAL_TAG, NodeCreator, where

NON_FINAL_TAGS: Mapping[str, Any] = {NON_FINAL_TAG: True}


def assign_namespace(node_name: str, namespace: str) -> str:
    """``namespace.node_name``."""
    return f"{namespace}.{node_name}"


def dependency_kind(spec: Any) -> str | None:
    """``"UPSTREAM"`` for ``source(...)``, ``"LITERAL"`` for ``value(...)``, ``"CONFIGURATION"``,
    ``"GROUPED_LIST"``/``"GROUPED_DICT"`` for ``group(...)``; None for anything else.

    Read from ``spec.get_dependency_type()``, Hamilton's protocol for dependency specs.
    """
    get_type = getattr(spec, "get_dependency_type", None)
    if get_type is None or isinstance(spec, type):
        return None
    return str(get_type().name)


def collect_functions(
    load_from: Iterable[types.ModuleType | Callable[..., Any]], who: str
) -> list[Callable[..., Any]]:
    """The functions of modules (crawled as the driver does) and loose functions, in order."""
    out: list[Callable[..., Any]] = []
    for item in load_from:
        if isinstance(item, types.ModuleType):
            out.extend(module_functions(item))
        elif isinstance(item, types.FunctionType):
            out.append(item)
        else:
            raise InvalidDecoratorError(
                f"@{who} takes modules and functions to build from; got "
                f"{type(item).__qualname__}: {item!r}."
            )
    if not out:
        raise InvalidDecoratorError(
            f"@{who} was given no functions to build from: pass modules or functions, e.g. "
            f"@{who}(my_module, ...)."
        )
    return out


def collect_nodes(functions: Iterable[Callable[..., Any]], config: Mapping[str, Any]) -> list[Node]:
    """The nodes ``functions`` define under ``config``, tagged as not final."""
    from plait._modifiers.resolve import resolve_function  # resolve imports the decorator bases

    nodes = drop_shadowed_defaults([n for fn in functions for n in resolve_function(fn, config)])
    return [n.copy_with(tags={**n.tags, **NON_FINAL_TAGS}) for n in nodes]


def rename_inputs(node: Node, names: Mapping[str, str], name: str | None = None) -> Node:
    """``node`` with inputs renamed (``{old: new}``; others kept) and optionally a new name.

    The callable is wrapped so that keyword calls use the new names; positional calls go
    straight through (the order of inputs does not change).
    """
    renamed = {old: new for old, new in names.items() if old != new}
    new_name = node.name if name is None else name
    if not any(d.name in renamed for d in node.inputs):
        return node if name is None else node.evolve(name=new_name)
    back = {renamed[d.name]: d.name for d in node.inputs if d.name in renamed}
    inner = node.callable
    assert inner is not None, node.name

    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = {back.get(k, k): v for k, v in kwargs.items()}
        return inner(*args, **kwargs)

    inputs = tuple(dataclasses.replace(d, name=renamed.get(d.name, d.name)) for d in node.inputs)
    return node.evolve(name=new_name, inputs=inputs, callable=call)


def add_namespace(
    nodes: Collection[Node], namespace: str, extra_names: Iterable[str] = ()
) -> list[Node]:
    """Prefix every node name, and every input that names one of them or ``extra_names``."""
    local = {n.name for n in nodes} | set(extra_names)
    mapping = {name: assign_namespace(name, namespace) for name in local}
    return [rename_inputs(n, mapping, mapping[n.name]) for n in nodes]


def constant_node(name: str, value: Any, tags: Mapping[str, Any] = NON_FINAL_TAGS) -> Node:
    """A node with no inputs that always returns ``value`` (typed ``type(value)``)."""

    def constant() -> Any:
        return value

    return Node(
        name=name,
        type=type(value),
        callable=constant,
        tags=MappingProxyType(dict(tags)),
        positional=True,
    )


def identity_node(name: str, source: str, type_: Any) -> Node:
    """A node that passes on the value of node ``source``."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return args[0] if args else next(iter(kwargs.values()))

    return Node(
        name=name,
        type=type_,
        callable=call,
        inputs=(Dependency(source, type_),),
        tags=MappingProxyType(dict(NON_FINAL_TAGS)),
        positional=True,
    )


def check_unique(nodes: Iterable[Node], fn: Callable[..., Any], who: str) -> None:
    """Fail if two of the nodes one decorator made share a name."""
    seen: set[str] = set()
    for node in nodes:
        if node.name in seen:
            raise InvalidDecoratorError(
                f"@{who} on {where(fn)} makes two nodes named '{node.name}'. Give the clashing "
                "parts distinct names or namespaces."
            )
        seen.add(node.name)


def resolve_subdag_config(
    outer: Mapping[str, Any], fields: Mapping[str, Any], fn: Callable[..., Any]
) -> dict[str, Any]:
    """The outer config overlaid with the subDAG's ``config=`` (``value``/``configuration``)."""
    merged = dict(outer)
    renames: dict[str, str] = {}
    for key, spec in fields.items():
        kind = dependency_kind(spec)
        if kind == "CONFIGURATION":
            renames[key] = spec.source
        else:
            merged[key] = spec.value if kind == "LITERAL" else spec
    for key, from_key in renames.items():
        if from_key not in merged:
            raise InvalidDecoratorError(
                f"@subdag on {where(fn)}: config key '{key}' reads configuration('{from_key}'), "
                f"which the config does not have (keys: {sorted(merged)}). Add it with "
                "Builder().with_config({...})."
            )
        merged[key] = merged[from_key]
    return merged


class subdag(NodeCreator):
    """Add the nodes of modules/functions as a namespaced subDAG, ending in the decorated function.

    Parameters
    ----------
    *load_from
        Modules (crawled like the driver does) and functions that make up the subDAG.
    inputs
        ``{parameter: source("node") | value(constant)}`` feeding the subDAG's inputs.
    config
        Config for the subDAG only, over the outer config; values may be literals,
        ``value(...)`` or ``configuration("outer_key")``.
    namespace
        Prefix of the subDAG's node names (default: the decorated function's name).
    final_node_name
        Name of the final node (default: the decorated function's name).
    external_inputs
        Parameters of the decorated function that come from the outer graph, not the subDAG.
    """

    def __init__(
        self,
        *load_from: types.ModuleType | Callable[..., Any],
        inputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        namespace: str | None = None,
        final_node_name: str | None = None,
        external_inputs: Collection[str] | None = None,
    ) -> None:
        self.subdag_functions = collect_functions(load_from, self.name)
        self.inputs = dict(inputs or {})
        self.config = dict(config or {})
        self.namespace = namespace
        self.final_node_name = final_node_name
        self.external_inputs = list(external_inputs or [])
        self._check_specs()

    def _check_specs(self) -> None:
        shared = sorted(set(self.inputs) & set(self.config))
        if shared:
            raise InvalidDecoratorError(
                f"@{self.name}: {shared} given both in inputs= and config=. Give each once: "
                "config= if functions read it as config, inputs= if they take it as a parameter."
            )
        bad = {k: v for k, v in self.inputs.items() if dependency_kind(v) not in _INPUT_KINDS}
        if bad:
            raise InvalidDecoratorError(
                f"@{self.name}: inputs= values must be source('node') or value(constant); got "
                f"{bad}. Wrap constants in value(...)."
            )
        bad = {k: v for k, v in self.config.items() if dependency_kind(v) not in _CONFIG_KINDS}
        if bad:
            raise InvalidDecoratorError(
                f"@{self.name}: config= values must be plain values, value(...) or "
                f"configuration('key'); got {bad}. Feed nodes through inputs= instead."
            )

    def validate(self, fn: Callable[..., Any]) -> None:
        params = set(fn.__code__.co_varnames[: _n_params(fn)])
        unknown = [name for name in self.external_inputs if name not in params]
        if unknown:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: external_inputs {unknown} are not parameters of "
                f"the function (it has {sorted(params)}). Remove them or fix the names."
            )

    def required_config(self) -> list[str] | None:
        return None  # the inner functions may read any config key

    def generate_nodes(self, fn: Callable[..., Any], config: dict[str, Any]) -> list[Node]:
        namespace = self.namespace if self.namespace is not None else fn.__name__
        inner_config = resolve_subdag_config(config, self.config, fn)
        inner = collect_nodes(self.subdag_functions, inner_config)
        final = self._final_node(fn, namespace)
        self._check_inputs_used(fn, inner)
        nodes = add_namespace(inner, namespace, [*self.inputs, *self.config])
        nodes += self._input_nodes(nodes, final, namespace)
        nodes += [
            constant_node(assign_namespace(key, namespace), inner_config[key])
            for key in self.config
        ]
        nodes.append(final)
        check_unique(nodes, fn, self.name)
        return nodes

    def _final_node(self, fn: Callable[..., Any], namespace: str) -> Node:
        node = Node.from_fn(fn)
        mapping = {
            d.name: assign_namespace(d.name, namespace)
            for d in node.inputs
            if d.name not in self.external_inputs
        }
        final = rename_inputs(node, mapping, self.final_node_name or fn.__name__)
        return final.evolve(originating_functions=())

    def _input_nodes(self, nodes: list[Node], final: Node, namespace: str) -> list[Node]:
        wanted: dict[str, Any] = {d.name: d.type for d in final.inputs}
        wanted.update((d.name, d.type) for n in nodes for d in n.inputs)
        out = []
        for key, spec in self.inputs.items():
            name = assign_namespace(key, namespace)
            if dependency_kind(spec) == "LITERAL":
                out.append(constant_node(name, spec.value))
            elif name in wanted:
                out.append(identity_node(name, spec.source, wanted[name]))
        return out

    def _check_inputs_used(self, fn: Callable[..., Any], inner: list[Node]) -> None:
        produced = {n.name for n in inner}
        clash = sorted(k for k in self.inputs if k in produced)
        if clash:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: inputs {clash} name nodes the subDAG computes. "
                "inputs= feeds parameters the subDAG does not compute; rename or remove them."
            )
        consumed = {d.name for n in inner for d in n.inputs}
        consumed.update(_parameter_names([*self.subdag_functions, fn]))
        unused = sorted(k for k in self.inputs if k not in consumed)
        if unused:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: inputs {unused} feed no parameter of the "
                f"subDAG's functions. Remove them or fix the names (the subDAG's inputs are "
                f"{sorted(consumed - produced)})."
            )


_INPUT_KINDS = frozenset({"UPSTREAM", "LITERAL"})
_CONFIG_KINDS = frozenset({None, "LITERAL", "CONFIGURATION"})


def _n_params(fn: Callable[..., Any]) -> int:
    code = fn.__code__
    return int(code.co_argcount + code.co_kwonlyargcount)


def _parameter_names(functions: Iterable[Callable[..., Any]]) -> set[str]:
    """Every parameter name of the raw functions (whatever the config selects)."""
    return {p for fn in functions for p in fn.__code__.co_varnames[: _n_params(fn)]}


class parameterized_subdag(NodeCreator):
    """Several ``@subdag``s from one function: one per keyword, named (and namespaced) by it.

    ``@parameterized_subdag(mod, inputs={...}, p1={"inputs": {...}}, p2={"config": {...}})``
    builds subDAGs ``p1`` and ``p2``; each one's ``inputs``/``config`` are merged over the shared
    ones, and its ``external_inputs`` (if given) replace the shared list.
    """

    def __init__(
        self,
        *load_from: types.ModuleType | Callable[..., Any],
        inputs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        external_inputs: Collection[str] | None = None,
        **parameterization: Mapping[str, Any],
    ) -> None:
        self.load_from = load_from
        self.inputs = dict(inputs or {})
        self.config = dict(config or {})
        self.external_inputs = list(external_inputs or [])
        self.parameterization = parameterization
        self.subdags = self._gather_subdags()

    def _gather_subdags(self) -> list[subdag]:
        if not self.parameterization:
            raise InvalidDecoratorError(
                f"@{self.name} needs at least one parameterization, e.g. "
                "name={'inputs': {...}, 'config': {...}}."
            )
        out = []
        for key, params in self.parameterization.items():
            if not isinstance(params, Mapping):
                raise InvalidDecoratorError(
                    f"@{self.name}: parameterization '{key}' must be a dict like "
                    f"{{'inputs': {{...}}, 'config': {{...}}}}; got {params!r}."
                )
            unknown = sorted(set(params) - {"inputs", "config", "external_inputs"})
            if unknown:
                raise InvalidDecoratorError(
                    f"@{self.name}: parameterization '{key}' has unknown key(s) {unknown}; "
                    "allowed: 'inputs', 'config', 'external_inputs'."
                )
            out.append(
                subdag(
                    *self.load_from,
                    inputs={**self.inputs, **params.get("inputs", {})},
                    config={**self.config, **params.get("config", {})},
                    external_inputs=params.get("external_inputs", self.external_inputs),
                    namespace=key,
                    final_node_name=key,
                )
            )
        return out

    def validate(self, fn: Callable[..., Any]) -> None:
        for sub in self.subdags:
            sub.validate(fn)

    def required_config(self) -> list[str] | None:
        return None

    def generate_nodes(self, fn: Callable[..., Any], config: dict[str, Any]) -> list[Node]:
        return [n for sub in self.subdags for n in sub.generate_nodes(fn, config)]
