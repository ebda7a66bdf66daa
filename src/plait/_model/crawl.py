"""Which functions of a module define nodes (shared by the driver and ``@subdag``).

A module contributes the public functions *defined* in it (or in its submodules): functions it
merely imports and ``_``-prefixed functions are not nodes. Functions come in name order, as in
Hamilton. A ``_`` function that carries decorators is a mistake and is reported.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from plait._model.errors import GraphError, InvalidDecoratorError
from plait._model.node import Node, Origin

#: Attribute a decorator sets on a function to ask for resolution (see ``plait._modifiers``).
MODIFIERS_ATTR = "__plait_modifiers__"
#: Tag on the nodes of ``@config.default`` variants (see ``plait._modifiers.configuration``).
DEFAULT_TAG = "plait.config_default"


def module_functions(module: types.ModuleType) -> list[Callable[..., Any]]:
    """The functions of ``module`` that define nodes, in name order."""
    if not isinstance(module, types.ModuleType):
        raise GraphError(
            f"Expected a module, got {type(module).__qualname__}: {module!r}. Pass modules to "
            "Builder().with_modules(...), or functions to Builder().with_functions(...)."
        )
    prefix = module.__name__
    dotted = prefix + "."
    found: list[Callable[..., Any]] = []
    for _attr, value in sorted(vars(module).items()):
        if not isinstance(value, types.FunctionType):
            continue
        owner = getattr(value, "__module__", None) or ""
        if owner != prefix and not owner.startswith(dotted):
            continue
        if not value.__name__.startswith("_"):
            found.append(value)
        elif getattr(value, MODIFIERS_ATTR, None):
            raise _private_decorated(value)
    return found


def _private_decorated(fn: Callable[..., Any]) -> Exception:
    names = ", ".join("@" + d.name for d in getattr(fn, MODIFIERS_ATTR))
    return InvalidDecoratorError(
        f"{Origin.of(fn).describe()} starts with '_', so it is a helper and never a node, but it "
        f"carries {names}. Drop the decorators, or rename it without the leading '_'."
    )


def drop_shadowed_defaults(nodes: list[Node]) -> list[Node]:
    """Remove ``@config.default`` variants shadowed by a selected variant.

    A default variant is dropped as a whole (every node its function made) as soon as any of
    its node names is defined by another, selected variant.
    """
    chosen = {n.name for n in nodes if DEFAULT_TAG not in n.tags}
    shadowed = {_variant(n) for n in nodes if DEFAULT_TAG in n.tags and n.name in chosen}
    return [n for n in nodes if DEFAULT_TAG not in n.tags or _variant(n) not in shadowed]


def _variant(node: Node) -> Any:
    """The user function a node came from (the last originating function)."""
    return node.originating_functions[-1] if node.originating_functions else node.name
