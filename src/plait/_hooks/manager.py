"""Register adapters once; keep, per hook, the list of bound methods to call.

:class:`Hooks` is built when a driver is built: each adapter is inspected once, every hook it
implements is checked against its spec (:mod:`plait._hooks.spec`), and the bound methods are
stored per hook name. Calling a hook is then a loop over a short list; a hook nobody implements
is an empty tuple, and the run loop has a separate hook-free path. For the per-node hooks,
:attr:`Hooks.callers` holds callables that all take every keyword of the spec, so the hooked
loop (:mod:`plait._run.hooked`) calls them with direct keyword arguments.

A hook that raises keeps its exception type and traceback and gains a note naming the hook, the
adapter and the node — the fault is the hook's, not the node's.

Imports only ``plait._model`` and ``plait._hooks``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from plait._hooks.spec import NODE_HOOKS, SPECS, HookSpec
from plait._model.errors import HookConflictError, HookSpecError, annotate_hook_failure


class Hooks:
    """Per-hook implementation lists for a set of adapters."""

    def __init__(self, adapters: Iterable[Any] = ()) -> None:
        self.adapters = tuple(dict.fromkeys(adapters, None))  # one instance registers once
        impls: dict[str, list[Callable[..., Any]]] = {name: [] for name in SPECS}
        keys: dict[str, list[frozenset[str] | None]] = {name: [] for name in SPECS}
        for adapter in self.adapters:
            for name, spec in SPECS.items():
                method = implementation(adapter, name)
                if method is not None:
                    keys[name].append(verify(adapter, method, spec))
                    impls[name].append(method)
        self._impls = {name: tuple(methods) for name, methods in impls.items()}
        #: per hook: (method, the keywords it takes, or None for all of them)
        self.bound = {name: tuple(zip(impls[name], keys[name], strict=True)) for name in SPECS}
        #: per hook: callables that all take every keyword of the spec — the method itself, or,
        #: for one taking a subset, a wrapper passing it only those — so the per-node loop calls
        #: each with direct keyword arguments and never builds or filters a dict
        self.callers = {
            name: tuple(m if k is None else _taking_only(m, k) for m, k in self.bound[name])
            for name in SPECS
        }
        if len(self._impls["run_to_execute_node"]) > 1:
            owners = [
                describe(m, "run_to_execute_node") for m in self._impls["run_to_execute_node"]
            ]
            raise HookConflictError(
                f"Several adapters implement run_to_execute_node ({', '.join(owners)}); only "
                "one may decide how nodes execute. Keep one of them."
            )
        self.has_node_hooks = any(self._impls[name] for name in NODE_HOOKS)

    def __bool__(self) -> bool:
        return any(self._impls.values())

    def has(self, name: str) -> bool:
        """Whether any adapter implements hook ``name``."""
        return bool(self._impls[name])

    def impls(self, name: str) -> tuple[Callable[..., Any], ...]:
        """The bound methods implementing hook ``name``."""
        return self._impls[name]

    def call(self, name: str, for_node: str | None = None, /, **kwargs: Any) -> list[Any]:
        """Call every implementation of ``name`` with ``kwargs``; return their results in order.

        ``for_node`` names the node being run, for the note on a hook's exception.
        """
        results = []
        for method, keys in self.bound[name]:
            try:
                if keys is None:
                    results.append(method(**kwargs))
                else:
                    results.append(method(**{k: v for k, v in kwargs.items() if k in keys}))
            except Exception as exc:
                annotate_hook_failure(exc, describe(method, name), for_node)
                raise
        return results

    def any(self, name: str, *args: Any, **kwargs: Any) -> bool:
        """OR of the implementations' answers (permissive checks); False if none."""
        for method in self._impls[name]:
            try:
                if method(*args, **kwargs):
                    return True
            except Exception as exc:
                annotate_hook_failure(exc, describe(method, name), None)
                raise
        return False


def implementation(adapter: Any, name: str) -> Callable[..., Any] | None:
    """The adapter's method for hook ``name``, unless it is only an abstract placeholder."""
    method = getattr(adapter, name, None)
    if method is None or not callable(method):
        return None
    if getattr(method, "__isabstractmethod__", False):
        return None
    return method  # type: ignore[no-any-return]


def verify(adapter: Any, method: Callable[..., Any], spec: HookSpec) -> frozenset[str] | None:
    """Check an implementation against its spec; return the keywords it takes (None: all).

    An implementation may take a subset of the spec's keywords, never an unknown required one.
    """
    try:
        params = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):
        return None
    unknown = [
        p.name
        for p in params
        if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        and p.name not in spec.keywords
        and p.default is p.empty
    ]
    if unknown and not spec.positional:
        raise HookSpecError(
            f"{type(adapter).__qualname__}.{spec.name} requires {unknown}, which the hook does "
            f"not pass. It receives: {sorted(spec.keywords)} (take any subset, plus "
            "**future_kwargs)."
        )
    names = {p.name for p in params}
    if any(p.kind is p.VAR_KEYWORD for p in params) or spec.keywords <= names:
        return None
    return frozenset(names)


def _taking_only(method: Callable[..., Any], keys: frozenset[str]) -> Callable[..., Any]:
    """``method``, callable with every keyword of its spec: passes it only ``keys``."""

    def call(**kwargs: Any) -> Any:
        return method(**{k: v for k, v in kwargs.items() if k in keys})

    call.plait_hook_method = method  # type: ignore[attr-defined]  # for describe()
    return call


def describe(method: Callable[..., Any], name: str) -> str:
    """``Owner.hook`` for a hook's note (``method`` may be a :func:`_taking_only` wrapper)."""
    method = getattr(method, "plait_hook_method", method)
    owner = getattr(method, "__self__", None)
    return f"{type(owner).__qualname__}.{name}" if owner is not None else name


def accepted(keys: frozenset[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The part of ``kwargs`` an implementation takes (``keys`` from :func:`verify`)."""
    return kwargs if keys is None else {k: v for k, v in kwargs.items() if k in keys}
