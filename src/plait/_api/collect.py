"""Modules (or loose functions) → nodes.

A module contributes the public functions *defined* in it (or in its submodules): functions it
merely imports and ``_``-prefixed functions are not nodes. Functions are taken in name order,
as Hamilton does. A function that carries decorators is handed to the modifier resolver
(``plait._modifiers``), imported only when such a function is met; an undecorated function
becomes exactly one node with no decorator machinery involved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from plait._model.crawl import MODIFIERS_ATTR, drop_shadowed_defaults, module_functions
from plait._model.node import Dependency, Node, node_from_function


def functions_to_nodes(
    functions: Iterable[Callable[..., Any]], config: Mapping[str, Any]
) -> Iterator[Node]:
    """Every node the functions define, decorated ones resolved against ``config``."""
    resolver = None
    module_tags: dict[str, Mapping[str, Any]] = {}  # one read-only tag mapping per module
    shared: dict[str, Dependency] = {}  # consumers of one input share its Dependency object
    for fn in functions:
        if getattr(fn, MODIFIERS_ATTR, None) is None:
            tags = module_tags.get(fn.__module__)
            if tags is None:
                tags = module_tags[fn.__module__] = MappingProxyType({"module": fn.__module__})
            yield node_from_function(fn, tags=tags, shared=shared)
            continue
        if resolver is None:
            resolver = _modifier_resolver()
        yield from resolver(fn, config)


def _modifier_resolver() -> Callable[[Callable[..., Any], Mapping[str, Any]], list[Node]]:
    from plait._modifiers.resolve import resolve_function

    return resolve_function


__all__ = ["drop_shadowed_defaults", "functions_to_nodes", "module_functions"]
