"""Hamilton's async hook classes (``hamilton.lifecycle.base.*Async``), for the async driver.

Subclass one or several and pass an instance to ``async_driver.Builder().with_adapters(...)``.
Each method is ``async def``, keyword-only, and may take a subset of its keywords plus
``**future_kwargs``. Node hooks receive the node itself (``node_``: ``.name``, ``.tags``,
``.type``, ``.callable``, ...) and its keyword arguments; graph hooks receive the read-only
:class:`~plait.graph_types.HamiltonGraph` view.

An adapter with an ``async def ainit(self)`` method is awaited once, by
``AsyncDriver.ainit()`` (which ``await Builder().build()`` calls).
"""

from __future__ import annotations

import abc
from types import ModuleType
from typing import Any

from plait._hooks.lifecycle import LifecycleAdapter


class BasePostGraphConstructAsync(LifecycleAdapter, abc.ABC):
    """Awaited once, by ``ainit()``, after the graph is built."""

    @abc.abstractmethod
    async def post_graph_construct(
        self, *, graph: Any, modules: list[ModuleType], config: dict[str, Any]
    ) -> None:
        """Receives the graph view, the driver's modules and its config."""


class BasePreGraphExecuteAsync(LifecycleAdapter, abc.ABC):
    """Awaited at the start of every ``execute``, before any node runs."""

    @abc.abstractmethod
    async def pre_graph_execute(
        self,
        *,
        run_id: str,
        graph: Any,
        final_vars: list[str],
        inputs: dict[str, Any],
        overrides: dict[str, Any],
    ) -> None:
        """Receives the run's id, the graph view, the requested outputs, inputs and overrides."""


class BasePreNodeExecuteAsync(LifecycleAdapter, abc.ABC):
    """Awaited before each node runs, once its inputs are ready."""

    @abc.abstractmethod
    async def pre_node_execute(
        self, *, run_id: str, node_: Any, kwargs: dict[str, Any], task_id: str | None = None
    ) -> None:
        """Receives the node and the keyword arguments it is about to be called with."""


class BasePostNodeExecuteAsync(LifecycleAdapter, abc.ABC):
    """Awaited after each node, whether it returned or raised."""

    @abc.abstractmethod
    async def post_node_execute(
        self,
        *,
        run_id: str,
        node_: Any,
        kwargs: dict[str, Any],
        success: bool,
        error: BaseException | None,
        result: Any,
        task_id: str | None = None,
    ) -> None:
        """Receives the node's value (``success`` True) or its exception (``success`` False).

        A node cancelled because another node failed is reported with ``success`` False and
        the :class:`asyncio.CancelledError` as ``error``.
        """


class BasePostGraphExecuteAsync(LifecycleAdapter, abc.ABC):
    """Awaited at the end of every ``execute``, whether it succeeded or not."""

    @abc.abstractmethod
    async def post_graph_execute(
        self,
        *,
        run_id: str,
        graph: Any,
        success: bool,
        error: BaseException | None,
        results: Any,
    ) -> None:
        """Receives the result (as the result builder made it), or the error."""
