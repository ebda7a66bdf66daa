"""Hooks of the async driver: Hamilton's ``async def`` hook names, verified once, awaited in turn.

Hamilton's async hooks (``hamilton.lifecycle.base.BasePreNodeExecuteAsync`` and its siblings)
use the internal hook names (``pre_node_execute``, ``post_graph_execute``, ...) rather than
the public ``run_*`` names of :mod:`plait._hooks.spec`, and they receive the node itself
(``node_``) instead of its name and tags. :data:`ASYNC_SPECS` lists them in the same shape as
the sync specs, and :class:`AsyncHooks` treats them as :class:`~plait._hooks.manager.Hooks`
treats the sync ones: each implementation is checked against its spec when the driver is
built (same rule: a subset of the keywords, plus ``**future_kwargs``), the bound methods are
kept per hook, and a failing hook's exception gets the hook's note.

Calls are awaited one after the other, in registration order (Hamilton gathers them; a fixed
order keeps failures and side effects reproducible). An implementation written with plain
``def`` is called without awaiting, so Hamilton's sync ``BasePreNodeExecute``-style classes
work here too.

Imports only ``plait._model`` and ``plait._hooks``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from plait._hooks.manager import accepted, describe, implementation, verify
from plait._hooks.spec import HookSpec
from plait._model.errors import annotate_hook_failure


def _spec(name: str, keywords: str) -> HookSpec:
    return HookSpec(name, frozenset(keywords.split()))


ASYNC_SPECS: dict[str, HookSpec] = {
    s.name: s
    for s in (
        _spec("post_graph_construct", "graph modules config"),
        _spec("pre_graph_execute", "run_id graph final_vars inputs overrides"),
        _spec("post_graph_execute", "run_id graph success error results"),
        _spec("pre_node_execute", "run_id node_ kwargs task_id"),
        _spec("post_node_execute", "run_id node_ kwargs success error result task_id"),
    )
}

#: Hooks that run around every node: their presence selects the hooked node call.
ASYNC_NODE_HOOKS = ("pre_node_execute", "post_node_execute")


def is_async_adapter(adapter: Any) -> bool:
    """Whether ``adapter`` implements one of Hamilton's async hook names."""
    return any(implementation(adapter, name) is not None for name in ASYNC_SPECS)


class AsyncHooks:
    """Per-hook implementation lists for the adapters that implement async hook names."""

    def __init__(self, adapters: Iterable[Any] = ()) -> None:
        self.adapters = tuple(adapters)
        impls: dict[str, list[Callable[..., Any]]] = {name: [] for name in ASYNC_SPECS}
        self._keys: dict[Any, frozenset[str] | None] = {}
        for adapter in self.adapters:
            for name, spec in ASYNC_SPECS.items():
                method = implementation(adapter, name)
                if method is not None:
                    self._keys[(id(adapter), name)] = verify(adapter, method, spec)
                    impls[name].append(method)
        self._impls = {name: tuple(methods) for name, methods in impls.items()}
        self.has_node_hooks = any(self._impls[name] for name in ASYNC_NODE_HOOKS)

    def __bool__(self) -> bool:
        return any(self._impls.values())

    def has(self, name: str) -> bool:
        """Whether any adapter implements hook ``name``."""
        return bool(self._impls[name])

    async def acall(self, name: str, for_node: str | None = None, /, **kwargs: Any) -> None:
        """Call (and await, if it returns an awaitable) every implementation of ``name``.

        ``for_node`` names the node being run, for the note on a hook's exception.
        """
        for method in self._impls[name]:
            try:
                owner = getattr(method, "__self__", None)
                outcome = method(**accepted(self._keys.get((id(owner), name)), kwargs))
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception as exc:
                annotate_hook_failure(exc, describe(method, name), for_node)
                raise
