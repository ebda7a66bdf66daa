"""The :class:`Builder`: collect modules, functions, config and adapters, then ``build()``."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

from plait._api.driver import Driver
from plait._model.errors import GraphError


class Builder:
    """Fluent construction of a :class:`~plait.driver.Driver`.

    Every ``with_*`` method returns the builder. The built driver returns a dict of outputs
    unless a result builder is given with :meth:`with_adapters`.

    Examples
    --------
    >>> from plait import driver, ad_hoc_utils
    >>> def a(x: int) -> int:
    ...     return x + 1
    >>> dr = driver.Builder().with_functions(a).build()
    >>> dr.execute(["a"], inputs={"x": 1})
    {'a': 2}
    """

    def __init__(self) -> None:
        self.modules: list[types.ModuleType] = []
        self.functions: list[Callable[..., Any]] = []
        self.config: dict[str, Any] = {}
        self.adapters: list[Any] = []
        self._allow_module_overrides = False

    def with_modules(self, *modules: types.ModuleType) -> Builder:
        """Add modules whose functions define nodes (appended to earlier ones)."""
        for module in modules:
            if not isinstance(module, types.ModuleType):
                raise GraphError(
                    f"with_modules() takes modules, got {type(module).__qualname__}: {module!r}. "
                    "For functions, use with_functions()."
                )
        self.modules.extend(modules)
        return self

    def with_functions(self, *functions: Callable[..., Any]) -> Builder:
        """Add loose functions as nodes, without writing a module (a plait extension)."""
        for fn in functions:
            if not isinstance(fn, types.FunctionType) or fn.__name__ == "<lambda>":
                raise GraphError(
                    f"with_functions() takes plain functions, got {type(fn).__qualname__}: "
                    f"{fn!r}. Define it with 'def' (lambdas and callables have no usable name)."
                )
        self.functions.extend(functions)
        return self

    def with_config(self, config: Mapping[str, Any]) -> Builder:
        """Merge ``config`` into the configuration (later keys win)."""
        self.config.update(config)
        return self

    def with_adapters(self, *adapters: Any) -> Builder:
        """Add adapters: a result builder (``base.DictResult()``, ...) or a legacy adapter."""
        self.adapters.extend(adapters)
        return self

    def with_adapter(self, adapter: Any) -> Builder:
        """Add one adapter (legacy spelling of :meth:`with_adapters`)."""
        return self.with_adapters(adapter)

    def allow_module_overrides(self) -> Builder:
        """Let a later module redefine a node an earlier module defined."""
        self._allow_module_overrides = True
        return self

    def copy(self) -> Builder:
        """An independent builder with the same settings."""
        other = Builder()
        other.modules = list(self.modules)
        other.functions = list(self.functions)
        other.config = dict(self.config)
        other.adapters = list(self.adapters)
        other._allow_module_overrides = self._allow_module_overrides
        return other

    def build(self) -> Driver:
        """Build the graph and return the driver (errors in the functions surface here)."""
        return Driver(
            self.config,
            *self.modules,
            adapter=list(self.adapters),
            allow_module_overrides=self._allow_module_overrides,
            _functions=tuple(self.functions),
            _legacy_default=False,
        )
