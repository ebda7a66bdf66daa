"""The :class:`Builder`: collect modules, functions, config and adapters, then ``build()``."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

from plait._api.driver import Driver
from plait._model.errors import GraphError, InvalidArgumentError


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
        self._dynamic = False
        self._local_executor: Any = None
        self._remote_executor: Any = None

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

    def enable_dynamic_execution(self, *, allow_experimental_mode: bool = False) -> Builder:
        """Allow ``Parallelizable[T]``/``Collect[T]`` blocks (Hamilton's switch and flag)."""
        if not allow_experimental_mode:
            raise InvalidArgumentError(
                "Dynamic execution is opt-in, as in Hamilton: call "
                "enable_dynamic_execution(allow_experimental_mode=True)."
            )
        self._dynamic = True
        return self

    def with_local_executor(self, local_executor: Any) -> Builder:
        """Executor for nodes outside Parallelizable blocks (plait runs those inline)."""
        self._require_dynamic("with_local_executor")
        self._local_executor = local_executor
        return self

    def with_remote_executor(self, remote_executor: Any) -> Builder:
        """Executor for the items of Parallelizable blocks (default: inline, in order)."""
        self._require_dynamic("with_remote_executor")
        if self._remote_executor is not None:
            raise InvalidArgumentError("A remote executor is already set; set it once.")
        self._remote_executor = remote_executor
        return self

    def _require_dynamic(self, method: str) -> None:
        if not self._dynamic:
            raise InvalidArgumentError(
                f"{method}() needs dynamic execution: call "
                "enable_dynamic_execution(allow_experimental_mode=True) first."
            )

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
        other._dynamic = self._dynamic
        other._local_executor = self._local_executor
        other._remote_executor = self._remote_executor
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
            _dynamic=self._dynamic,
            _executor=_as_submitter(self._remote_executor),
        )


def _as_submitter(executor: Any) -> Any:
    """None (inline) for the synchronous executor; the executor itself otherwise."""
    if executor is None:
        return None
    from plait._run.executors import SynchronousLocalTaskExecutor

    if isinstance(executor, SynchronousLocalTaskExecutor):
        return None
    if not callable(getattr(executor, "submit", None)):
        raise InvalidArgumentError(
            f"{executor!r} is not an executor: it needs submit(fn, *args) returning a future "
            "(plait.execution.executors has MultiThreadingExecutor and MultiProcessingExecutor)."
        )
    return executor
