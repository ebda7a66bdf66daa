"""The driver's door: Hamilton-style adapters converted once into what the core understands.

The core takes a result function, an edge-type predicate, an input-checker factory and plain
node callables. Legacy shapes (``base.SimplePythonGraphAdapter`` and subclasses that override
``execute_node`` / ``check_input_type`` / ``check_node_type_equivalence``, result builders,
``ResultMixin`` classes) are translated here and never travel inward.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from plait._hooks.manager import Hooks, implementation
from plait._hooks.spec import SPECS
from plait._model.errors import UnsupportedAdapterError
from plait._model.node import Node, NodeKind
from plait._model.types import make_value_checker, types_match

ResultFn = Callable[[dict[str, Any]], Any]


@dataclasses.dataclass(frozen=True)
class Door:
    """Everything the driver took from its adapters."""

    result: ResultFn | None
    edge_check: Callable[[Any, Any], bool]
    checker_factory: Callable[[Any], Callable[[Any], bool] | None]
    node_wrapper: Callable[[Node], Node] | None
    adapters: tuple[Any, ...]
    hooks: Hooks


def _identity_result(outputs: dict[str, Any]) -> Any:
    return outputs


def convert(adapters: Sequence[Any], *, legacy_default: bool) -> Door:
    """Read ``adapters`` once. ``legacy_default``: no result builder means a DataFrame."""
    from plait._api import results

    result: ResultFn | None = None
    edge_check: Callable[[Any, Any], bool] = types_match
    checker_factory: Callable[[Any], Callable[[Any], bool] | None] = make_value_checker
    wrapper = None
    hook_adapters = [a for a in adapters if _is_hook_adapter(a)]
    for adapter in adapters:
        if not _has(adapter, "build_result"):
            if adapter in hook_adapters:
                continue
            raise UnsupportedAdapterError(
                f"Adapter {adapter!r} is neither a result builder (build_result) nor a "
                "lifecycle hook (see plait.lifecycle: NodeExecutionHook, GraphExecutionHook, "
                "NodeExecutionMethod, StaticValidator, ...). Subclass one of those."
            )
        if result is not None:
            raise UnsupportedAdapterError(
                f"More than one result builder given (the second is {adapter!r}). Pass one."
            )
        result = results.to_result_function(adapter)
        edge_check, checker_factory, wrapper = _legacy_overrides(
            adapter, edge_check, checker_factory
        )
    if result is None and legacy_default:
        result = results.to_result_function(results.PandasDataFrameResult())
    hooks = Hooks(hook_adapters)
    edge_check, checker_factory = _hook_checks(hooks, edge_check, checker_factory)
    return Door(result, edge_check, checker_factory, wrapper, tuple(adapters), hooks)


def _is_hook_adapter(adapter: Any) -> bool:
    return any(implementation(adapter, name) is not None for name in SPECS)


def _hook_checks(
    hooks: Hooks,
    edge_check: Callable[[Any, Any], bool],
    checker_factory: Callable[[Any], Callable[[Any], bool] | None],
) -> tuple[Callable[[Any, Any], bool], Callable[[Any], Callable[[Any], bool] | None]]:
    """EdgeConnectionHook: edges are OR-ed with the rules; input checks are replaced (Hamilton)."""
    if hooks.has("check_edge_types_match"):
        base_edge = edge_check

        def edge_check(param_type: Any, node_type: Any) -> bool:
            if base_edge(param_type, node_type):
                return True
            return hooks.any("check_edge_types_match", param_type, node_type)

    if hooks.has("validate_input"):

        def checker_factory(node_type: Any) -> Callable[[Any], bool]:
            def check(value: Any) -> bool:
                return hooks.any("validate_input", node_type=node_type, input_value=value)

            return check

    return edge_check, checker_factory


def _has(obj: Any, name: str) -> bool:
    return callable(getattr(obj, name, None))


def _legacy_overrides(
    adapter: Any,
    edge_check: Callable[[Any, Any], bool],
    checker_factory: Callable[[Any], Callable[[Any], bool] | None],
) -> tuple[Any, Any, Any]:
    """Honour the three legacy adapter methods a subclass may override."""
    from plait._api.results import SimplePythonGraphAdapter

    if not isinstance(adapter, SimplePythonGraphAdapter):
        return edge_check, checker_factory, None
    cls = type(adapter)
    base = SimplePythonGraphAdapter
    if cls.check_node_type_equivalence is not base.check_node_type_equivalence:

        def edge_check(param_type: Any, node_type: Any) -> bool:
            # Hamilton ORs the adapter's answer with its own rule; the producer's type comes first.
            if types_match(param_type, node_type):
                return True
            return bool(adapter.check_node_type_equivalence(node_type, param_type))

    if cls.check_input_type is not base.check_input_type:

        def checker_factory(node_type: Any) -> Callable[[Any], bool]:
            return lambda value: bool(adapter.check_input_type(node_type, value))

    wrapper = None
    if cls.execute_node is not base.execute_node:

        def wrapper(node: Node) -> Node:
            def call(**kwargs: Any) -> Any:
                return adapter.execute_node(node, kwargs)

            return node.evolve(callable=call, positional=False)

    return edge_check, checker_factory, wrapper


def wrap_nodes(nodes: Iterable[Node], wrapper: Callable[[Node], Node] | None) -> Iterable[Node]:
    """Apply a legacy ``execute_node`` wrapper to every function node."""
    if wrapper is None:
        return nodes
    return [wrapper(n) if n.kind is NodeKind.FUNCTION else n for n in nodes]


__all__ = [
    "Door",
    "ResultFn",
    "UnsupportedAdapterError",
    "_identity_result",
    "convert",
    "wrap_nodes",
]
