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


def _identity_result(outputs: dict[str, Any]) -> Any:
    return outputs


def convert(adapters: Sequence[Any], *, legacy_default: bool) -> Door:
    """Read ``adapters`` once. ``legacy_default``: no result builder means a DataFrame."""
    from plait._api import results

    result: ResultFn | None = None
    edge_check: Callable[[Any, Any], bool] = types_match
    checker_factory: Callable[[Any], Callable[[Any], bool] | None] = make_value_checker
    wrapper = None
    for adapter in adapters:
        if not _has(adapter, "build_result"):
            raise UnsupportedAdapterError(
                f"Adapter {adapter!r} has no build_result(): plait currently accepts result "
                "builders (base.DictResult(), base.PandasDataFrameResult(), ...) and "
                "base.SimplePythonGraphAdapter. Lifecycle hooks arrive in a later release."
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
    return Door(result, edge_check, checker_factory, wrapper, tuple(adapters))


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

            return dataclasses.replace(node, callable=call, positional=False)

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
