"""``PDBDebugger``: stop in ``pdb`` before, inside, or after chosen nodes.

Imports only the standard library and ``plait._hooks``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, ClassVar

from plait._hooks.builtins import NodeFilter, check_node_filter, selects, short_repr
from plait._hooks.lifecycle import NodeExecutionHook, NodeExecutionMethod

_log = logging.getLogger("plait.lifecycle")


def _describe(title: str, fields: dict[str, Any]) -> str:
    shown = "\n".join(f" - {name}: {short_repr(value)}" for name, value in fields.items())
    return f"{title}\n{shown}"


def _stop_here(frame: Any) -> None:
    """Open ``pdb`` in ``frame`` (imported here: ``pdb`` is not cheap to import)."""
    import pdb

    pdb.Pdb().set_trace(frame)


class PDBDebugger(NodeExecutionHook, NodeExecutionMethod):
    """Open a ``pdb`` session at chosen nodes.

    Parameters
    ----------
    node_filter
        Which nodes (a name, a list of names, or ``(node_name, node_tags) -> bool``).
    before
        Stop before the node runs, in a frame whose locals are ``node_name``, ``node_tags``,
        ``node_kwargs``, ``node_return_type`` and ``task_id``.
    during
        Run the node under ``pdb.runcall``: the session starts at the function's first line.
        While it runs, :attr:`CONTEXT` holds the node's name, tags, callable and inputs.
    after
        Stop after the node ran (also when it failed); the locals add ``result``, ``error``
        and ``success``.

    Each stop is announced with a WARNING on the ``plait.lifecycle`` logger listing what the
    frame holds. Type ``c`` to continue the run.
    """

    #: The node being run under ``during=True`` (read it from the debugger prompt).
    CONTEXT: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        node_filter: NodeFilter,
        before: bool = False,
        during: bool = False,
        after: bool = False,
    ) -> None:
        check_node_filter(node_filter)
        self.node_filter = node_filter
        self.run_before = before
        self.run_during = during
        self.run_after = after

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        task_id: str | None,
        **future_kwargs: Any,
    ) -> Any:
        """Call the node, under ``pdb.runcall`` if selected with ``during=True``."""
        if not (self.run_during and selects(node_name, node_tags, self.node_filter)):
            return node_callable(**node_kwargs)
        context = {
            "node_name": node_name,
            "node_tags": node_tags,
            "node_callable": node_callable,
            "node_kwargs": node_kwargs,
            "task_id": task_id,
            "future_kwargs": future_kwargs,
        }
        PDBDebugger.CONTEXT = context
        shown = {**context, "node_kwargs": ", ".join(node_kwargs)}
        _log.warning(
            _describe(f"pdb: stepping into node '{node_name}'. PDBDebugger.CONTEXT holds:", shown)
        )
        import pdb

        out = pdb.Pdb().runcall(node_callable, **node_kwargs)
        _log.info("pdb: node '%s' finished.", node_name)
        return out

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: Any,
        task_id: str | None,
        **future_kwargs: Any,
    ) -> None:
        """Stop before a selected node (``before=True``)."""
        if self.run_before and selects(node_name, node_tags, self.node_filter):
            fields = {
                "node_name": node_name,
                "node_tags": node_tags,
                "node_kwargs": ", ".join(node_kwargs),
                "node_return_type": node_return_type,
                "task_id": task_id,
            }
            _log.warning(_describe(f"pdb: before node '{node_name}'. Locals:", fields))
            _stop_here(sys._getframe())

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        node_return_type: Any,
        result: Any,
        error: Exception | None,
        success: bool,
        task_id: str | None,
        **future_kwargs: Any,
    ) -> None:
        """Stop after a selected node (``after=True``), whether it succeeded or not."""
        if self.run_after and selects(node_name, node_tags, self.node_filter):
            fields = {
                "node_name": node_name,
                "node_tags": node_tags,
                "node_kwargs": ", ".join(node_kwargs),
                "node_return_type": node_return_type,
                "result": result,
                "error": error,
                "success": success,
                "task_id": task_id,
            }
            _log.warning(_describe(f"pdb: after node '{node_name}'. Locals:", fields))
            _stop_here(sys._getframe())
