"""One decorated function + the config → its nodes, phases in a fixed order.

``resolve → create → inject → expand → transform → decorate``. Only functions that carry
decorators come here (undecorated ones become one node directly), so graph build stays linear
and cheap for plain code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from plait._model.errors import InvalidDecoratorError, PlaitError, annotate_node_failure
from plait._model.node import Node, Origin, node_from_function
from plait._modifiers.base import (
    MODIFIERS_ATTR,
    PHASES,
    NodeTransformLifecycle,
    filter_config,
    where,
)


def modifiers_by_phase(
    fn: Callable[..., Any], config: Mapping[str, Any]
) -> dict[str, list[NodeTransformLifecycle]]:
    """The function's decorators grouped by phase (dynamic ones resolved against ``config``)."""
    grouped: dict[str, list[NodeTransformLifecycle]] = {phase: [] for phase in PHASES}
    resolved = []  # decorators made by @resolve run after the written ones of their phase
    for decorator in getattr(fn, MODIFIERS_ATTR, ()):
        if decorator.get_lifecycle_name() == "dynamic":
            resolved.append(decorator.resolve(dict(config), fn))
        else:
            grouped.setdefault(decorator.get_lifecycle_name(), []).append(decorator)
    for decorator in resolved:
        grouped.setdefault(decorator.get_lifecycle_name(), []).append(decorator)
    return grouped


def resolve_function(fn: Callable[..., Any], config: Mapping[str, Any]) -> list[Node]:
    """All nodes ``fn`` defines under ``config``; [] if a resolver (``@config.when``) drops it.

    Errors from a decorator carry a note naming the decorated function and its ``file:line``.
    """
    try:
        return _resolve(fn, dict(config))
    except PlaitError:
        raise
    except Exception as exc:
        origin = Origin.of(fn)
        annotate_node_failure(exc, fn.__name__, f"{origin} (while applying its decorators)")
        raise


def _resolve(original: Callable[..., Any], config: dict[str, Any]) -> list[Node]:
    phases = modifiers_by_phase(original, config)
    fn: Callable[..., Any] | None = original
    for resolver in phases["resolve"]:
        fn = resolver.resolve(fn, filter_config(config, resolver))  # type: ignore[attr-defined]
        if fn is None:
            return []
    assert fn is not None
    creators = phases["create"]
    if len(creators) > 1:
        raise InvalidDecoratorError(
            f"{where(original)} carries {len(creators)} node-creating decorators "
            f"({', '.join('@' + c.name for c in creators)}); only one may apply."
        )
    if creators:
        nodes = list(creators[0].generate_nodes(fn, filter_config(config, creators[0])))  # type: ignore[attr-defined]
    else:
        nodes = [node_from_function(fn, tags=_config_tags(fn))]
    expanders = phases["expand"]
    if len(expanders) > 1:
        raise InvalidDecoratorError(
            f"{where(original)} carries {len(expanders)} expanding decorators "
            f"({', '.join('@' + e.name for e in expanders)}); only one may apply."
        )
    for phase in ("inject", "expand", "transform", "decorate"):
        for modifier in phases[phase]:
            nodes = list(modifier.transform_dag(nodes, filter_config(config, modifier), fn))  # type: ignore[attr-defined]
    return [_with_origin(n, fn) for n in nodes]


def _config_tags(fn: Callable[..., Any]) -> dict[str, Any]:
    """The module tag, plus the tags ``@config.*`` records on the function it resolved to."""
    tags: dict[str, Any] = {"module": fn.__module__}
    config_used = getattr(fn, "__config_decorated__", None)
    if config_used is not None:
        tags["hamilton.config"] = ",".join(config_used)
    if getattr(fn, "__plait_config_default__", False):
        tags["plait.config_default"] = "true"
    return tags


def _with_origin(node: Node, fn: Callable[..., Any]) -> Node:
    """Record the user's function as the (last) originating function and the node's origin."""
    originating = node.originating_functions
    if not originating or originating[-1] is not fn:
        originating = (*originating, fn)
    if node.origin is not None and originating is node.originating_functions:
        return node
    return node.evolve(originating_functions=originating, origin=node.origin or Origin.of(fn))
