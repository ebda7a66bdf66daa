"""The :class:`AsyncDriver` and its :class:`Builder`: the sync driver's graph and plans, run by
the async loop (:mod:`plait._run.aloop`), so ``async def`` nodes run concurrently.

The driver *is* a :class:`~plait._api.driver.Driver` (building, planning, lineage and
visualization are inherited); only running differs. Adapters go through the same door
(:func:`plait._api.adapters.convert`): result builders, the public ``run_*`` hooks and node
methods work as in the sync driver. Adapters implementing Hamilton's async hook names
(``pre_node_execute`` ...) are kept aside in :class:`~plait._hooks.aio.AsyncHooks` and awaited.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from plait._api.adapters import _has, _is_hook_adapter
from plait._api.builder import Builder as SyncBuilder
from plait._api.driver import Driver
from plait._hooks.aio import AsyncHooks, is_async_adapter
from plait._hooks.manager import Hooks
from plait._model.errors import InvalidArgumentError
from plait._model.views import HamiltonGraph
from plait._plan.plan import Plan
from plait._run.aloop import arun_plan, hooked_launch


class AsyncDriver(Driver):
    """A driver whose ``execute`` is a coroutine; ``async def`` nodes run concurrently.

    Each node starts as soon as its inputs are ready. Sync nodes run too, in the event loop
    (keep them short, or make them ``async def`` and offload blocking work yourself).

    Parameters
    ----------
    config
        Configuration values (they shape the graph and satisfy parameters of the same name).
    *modules
        Modules whose functions (sync or ``async def``) define the nodes.
    result_builder
        Builds the result of :meth:`execute`; without one (and without one in ``adapters``)
        the result is a pandas DataFrame, as in Hamilton. ``Builder`` defaults to a dict.
    adapters
        Async hooks (``plait.lifecycle.base.*Async``), and anything the sync driver accepts:
        result builders, ``plait.lifecycle`` hooks and methods.
    allow_module_overrides
        Let a later module redefine a node an earlier module defined.

    Call ``await dr.ainit()`` once before the first run (``await Builder().build()`` does).
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None,
        *modules: ModuleType,
        result_builder: Any = None,
        adapters: Sequence[Any] | None = None,
        allow_module_overrides: bool = False,
        _functions: Sequence[Callable[..., Any]] = (),
        _legacy_default: bool = True,
    ) -> None:
        given = [*(adapters or ()), *([result_builder] if result_builder is not None else [])]
        self._ahooks = AsyncHooks(a for a in given if is_async_adapter(a))
        super().__init__(
            config,
            *modules,
            adapter=[a for a in given if _for_sync_door(a)],
            allow_module_overrides=allow_module_overrides,
            _functions=_functions,
            _legacy_default=_legacy_default,
        )
        self._given_adapters = tuple(given)
        self.initialized = False

    async def ainit(self) -> AsyncDriver:
        """Await the construction hooks and every adapter's ``ainit()``; once (idempotent)."""
        if self.initialized:
            return self
        if self._ahooks.has("post_graph_construct"):
            await self._ahooks.acall(
                "post_graph_construct",
                None,
                graph=HamiltonGraph.from_graph(self.graph),
                modules=list(self.graph_modules),
                config=dict(self.config),
            )
        for adapter in self._given_adapters:
            init = getattr(adapter, "ainit", None)
            if callable(init):
                await init()
        self.initialized = True
        return self

    async def execute(  # the coroutine is Hamilton's API: ``await dr.execute(...)``
        self,
        final_vars: Sequence[Any],
        overrides: Mapping[str, Any] | None = None,
        display_graph: bool = False,
        inputs: Mapping[str, Any] | None = None,
    ) -> Any:
        """Compute ``final_vars`` concurrently; return them through the result builder."""
        return await self._arun(final_vars, overrides, display_graph, inputs, build=True)

    async def raw_execute(  # type: ignore[override]  # a coroutine, as in Hamilton
        self,
        final_vars: Sequence[Any],
        overrides: Mapping[str, Any] | None = None,
        display_graph: bool = False,
        inputs: Mapping[str, Any] | None = None,
        _fn_graph: Any = None,
    ) -> dict[str, Any]:
        """Compute ``final_vars`` concurrently; return ``{name: value}`` (no result builder)."""
        outputs: dict[str, Any] = await self._arun(
            final_vars, overrides, display_graph, inputs, build=False
        )
        return outputs

    async def _arun(
        self,
        final_vars: Sequence[Any],
        overrides: Mapping[str, Any] | None,
        display_graph: bool,
        inputs: Mapping[str, Any] | None,
        build: bool,
    ) -> Any:
        if display_graph:
            raise InvalidArgumentError(
                "display_graph=True is not supported by the async driver (as in Hamilton); "
                "draw the run with dr.visualize_execution(...) instead."
            )
        inputs = inputs if inputs is not None else {}
        plan = self._plan_for(final_vars, inputs, overrides)
        plan.check_inputs(inputs)
        result = self._door.result if build else None
        if self._door.hooks or self._ahooks:
            run = _HookedRun(self.graph, self._door.hooks, self._ahooks)
            return await run.execute(plan, inputs, overrides, result)
        outputs = await arun_plan(plan, inputs, overrides)
        return outputs if result is None else result(outputs)


class _HookedRun:
    """One run wrapped by the graph hooks (sync ones called, then async ones awaited)."""

    def __init__(self, graph: Any, hooks: Hooks, ahooks: AsyncHooks) -> None:
        self.hooks, self.ahooks = hooks, ahooks
        self.run_id = str(uuid.uuid4())
        graph_hooks = ("run_before_graph_execution", "run_after_graph_execution")
        wants_view = any(hooks.has(h) for h in graph_hooks) or any(
            ahooks.has(h) for h in ("pre_graph_execute", "post_graph_execute")
        )
        self.view = HamiltonGraph.from_graph(graph) if wants_view else None

    async def execute(
        self,
        plan: Plan,
        inputs: Mapping[str, Any],
        overrides: Mapping[str, Any] | None,
        build: Callable[[dict[str, Any]], Any] | None,
    ) -> Any:
        await self._before(plan, dict(inputs), dict(overrides or {}))
        hooks, ahooks = self.hooks, self.ahooks
        node_hooks = hooks.has_node_hooks or ahooks.has_node_hooks
        launch = hooked_launch(hooks, ahooks, self.run_id) if node_hooks else None
        try:
            results = await arun_plan(plan, inputs, overrides, launch)
            if build is not None:
                results = build(results)
        except (Exception, asyncio.CancelledError) as error:
            await self._after(success=False, error=error, results=None)
            raise
        await self._after(success=True, error=None, results=results)
        return results

    async def _before(self, plan: Plan, inputs: dict[str, Any], overrides: dict[str, Any]) -> None:
        common = {
            "graph": self.view,
            "final_vars": list(plan.outputs),
            "inputs": inputs,
            "overrides": overrides,
            "run_id": self.run_id,
        }
        path = [n.name for n in plan.step_nodes]
        self.hooks.call("run_before_graph_execution", None, execution_path=path, **common)
        await self.ahooks.acall("pre_graph_execute", None, **common)

    async def _after(self, **outcome: Any) -> None:
        common = {"graph": self.view, "run_id": self.run_id, **outcome}
        self.hooks.call("run_after_graph_execution", None, **common)
        await self.ahooks.acall("post_graph_execute", None, **common)


def _for_sync_door(adapter: Any) -> bool:
    """Whether the sync door takes ``adapter``: all but adapters with only async hooks."""
    return (
        not is_async_adapter(adapter) or _is_hook_adapter(adapter) or _has(adapter, "build_result")
    )


class Builder(SyncBuilder):
    """Fluent construction of an :class:`AsyncDriver`; ``await Builder()...build()``.

    Same methods as :class:`plait.driver.Builder`, except dynamic execution (Parallelizable
    blocks) and materializers, which the async driver does not support (as in Hamilton).
    Without a result builder the driver returns a dict.
    """

    def enable_dynamic_execution(self, *, allow_experimental_mode: bool = False) -> Builder:
        """Not supported by the async driver: raises."""
        raise _unsupported("enable_dynamic_execution")

    def with_materializers(self, *materializers: Any) -> Builder:
        """Not supported by the async driver: raises."""
        raise _unsupported("with_materializers")

    def copy(self) -> Builder:
        """An independent builder with the same settings."""
        other = Builder()
        vars(other).update(vars(super().copy()))
        return other

    def build_without_init(self) -> AsyncDriver:
        """The driver, without awaiting :meth:`AsyncDriver.ainit` (call it yourself)."""
        return AsyncDriver(
            self.config,
            *self.modules,
            adapters=list(self.adapters),
            allow_module_overrides=self._allow_module_overrides,
            _functions=tuple(self.functions),
            _legacy_default=False,
        )

    async def build(self) -> AsyncDriver:  # type: ignore[override]  # a coroutine, as in Hamilton
        """Build the driver and await its :meth:`~AsyncDriver.ainit`."""
        return await self.build_without_init().ainit()


def _unsupported(method: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        f"Builder().{method}() is not supported by the async driver (as in Hamilton). Use "
        f"plait.driver.Builder for it, or run async code inside sync nodes yourself."
    )
