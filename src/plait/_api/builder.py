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
        self._execution_manager: Any = None
        self._grouping_strategy: Any = None

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
        self._require_unset("with_local_executor", local=True, manager=True)
        self._local_executor = local_executor
        return self

    def with_remote_executor(self, remote_executor: Any) -> Builder:
        """Executor for the items of Parallelizable blocks (default: inline, in order)."""
        self._require_dynamic("with_remote_executor")
        self._require_unset("with_remote_executor", remote=True, manager=True)
        from plait._run.managers import check_executor

        if remote_executor is not None:
            check_executor(remote_executor, "with_remote_executor()")
        self._remote_executor = remote_executor
        return self

    def with_execution_manager(self, execution_manager: Any) -> Builder:
        """Choose the executor of each block's items with an execution manager
        (``executors.DefaultExecutionManager(local_executor=, remote_executor=)`` or a subclass
        of ``executors.ExecutionManager``), instead of with_local/remote_executor."""
        self._require_dynamic("with_execution_manager")
        self._require_unset("with_execution_manager", local=True, remote=True, manager=True)
        if not callable(getattr(execution_manager, "get_executor_for_task", None)):
            raise InvalidArgumentError(
                f"with_execution_manager() got {execution_manager!r}, which is not an execution "
                "manager: use executors.DefaultExecutionManager(local_executor=..., "
                "remote_executor=...) or subclass executors.ExecutionManager and implement "
                "get_executor_for_task(task)."
            )
        self._execution_manager = execution_manager
        return self

    def with_grouping_strategy(self, grouping_strategy: Any) -> Builder:
        """How nodes outside blocks are grouped into tasks for task hooks (a strategy of
        ``plait.execution.grouping``; see docs/parallel.md)."""
        from plait._plan.tasks import STRATEGIES

        self._require_dynamic("with_grouping_strategy")
        if self._grouping_strategy is not None:
            raise InvalidArgumentError(
                f"A grouping strategy is already set ({self._grouping_strategy!r}); set it once."
            )
        if not isinstance(grouping_strategy, STRATEGIES):
            names = ", ".join(f"grouping.{s.__name__}()" for s in STRATEGIES)
            raise InvalidArgumentError(
                f"with_grouping_strategy() got {grouping_strategy!r}; plait supports {names} "
                "(from plait.execution import grouping). Custom strategies (group_nodes) are "
                "not supported: plait decides where nodes run itself (see docs/parallel.md)."
            )
        self._grouping_strategy = grouping_strategy
        return self

    def _require_unset(
        self, method: str, *, local: bool = False, remote: bool = False, manager: bool = False
    ) -> None:
        """Refuse setting an executor twice, or mixing executors with an execution manager."""
        clash = [
            name
            for name, wanted, value in (
                ("with_local_executor()", local, self._local_executor),
                ("with_remote_executor()", remote, self._remote_executor),
                ("with_execution_manager()", manager, self._execution_manager),
            )
            if wanted and value is not None
        ]
        if not clash:
            return
        if clash == [f"{method}()"]:
            raise InvalidArgumentError(f"{method}(): already set by an earlier call; set it once.")
        raise InvalidArgumentError(
            f"{method}() cannot be combined with {clash[0]}: an execution manager holds both "
            "executors. Use executors.DefaultExecutionManager(local_executor=..., "
            "remote_executor=...) alone, or with_local_executor()/with_remote_executor() alone."
        )

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
        other._execution_manager = self._execution_manager
        other._grouping_strategy = self._grouping_strategy
        return other

    def build(self) -> Driver:
        """Build the graph and return the driver (errors in the functions surface here)."""
        grouping = executor = None
        if self._remote_executor is not None or self._execution_manager is not None:
            from plait._run.managers import submitter

            executor = submitter(self._remote_executor, self._execution_manager)
        if self._dynamic:
            from plait._plan.tasks import GroupByRepeatableBlocks

            grouping = self._grouping_strategy or GroupByRepeatableBlocks()
        return Driver(
            self.config,
            *self.modules,
            adapter=list(self.adapters),
            allow_module_overrides=self._allow_module_overrides,
            _functions=tuple(self.functions),
            _legacy_default=False,
            _dynamic=self._dynamic,
            _executor=executor,
            _grouping=grouping,
        )
