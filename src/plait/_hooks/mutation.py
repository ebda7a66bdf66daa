"""``MutationGuard``: catch nodes that change their inputs in place.

A node's inputs are other nodes' outputs, shared with every other node that reads them; a node
that modifies one (``df["x"] = ...``, ``items.append(...)``) silently changes what the others
see, depending on execution order. The guard fingerprints each input before the node runs and
again after (:mod:`plait._hooks.fingerprint`), and fails or warns naming the node and input.

Imports only the standard library, ``plait._model`` and ``plait._hooks``.
"""

from __future__ import annotations

from typing import Any

from plait._hooks.builtins import NodeFilter, check_node_filter, selects
from plait._hooks.fingerprint import ATOMIC, fingerprint
from plait._hooks.lifecycle import GraphExecutionHook, NodeExecutionHook
from plait._model.errors import InvalidArgumentError, PlaitError, warn_user


class MutationError(PlaitError, ValueError):
    """A node changed one of its inputs in place (``MutationGuard(mode="fail")``)."""

    blames_node = True  #: the hook reports the node's fault (see ``annotate_hook_failure``)


class MutationWarning(UserWarning):
    """A node changed one of its inputs in place (``MutationGuard(mode="warn")``)."""


_MODES = ("fail", "warn")


class MutationGuard(NodeExecutionHook, GraphExecutionHook):
    """Fail (or warn) when a node modifies one of its inputs in place.

    Parameters
    ----------
    mode
        ``"fail"``: raise :class:`MutationError` after the node ran; ``"warn"``: issue a
        :class:`MutationWarning` and go on.
    node_filter
        Which nodes to watch (a name, a list of names, or ``(node_name, node_tags) -> bool``);
        all by default.
    max_items
        How many items of nested lists/dicts/sets are walked per input before a container is
        hashed whole through ``pickle`` (see :func:`plait._hooks.fingerprint.fingerprint`).

    Notes
    -----
    Each watched input is fingerprinted twice per node call: pandas, numpy and polars values
    are hashed in C (roughly the cost of one pass over the data); other objects are walked or
    pickled. Immutable values (numbers, strings, None) cost nothing. A node that raised is not
    checked (its own error is the one to see). Objects that cannot be pickled are compared by
    identity only, so changes inside them are not detected.
    """

    def __init__(
        self, mode: str = "fail", node_filter: NodeFilter = None, max_items: int = 10_000
    ) -> None:
        if mode not in _MODES:
            raise InvalidArgumentError(
                f"MutationGuard: mode must be 'fail' or 'warn', got {mode!r}."
            )
        check_node_filter(node_filter)
        self.mode = mode
        self.node_filter = node_filter
        self.max_items = max_items
        self._before: dict[tuple[str, str | None, str], dict[str, bytes]] = {}
        self._where: dict[str, str | None] = {}

    def run_before_graph_execution(self, *, graph: Any = None, **future_kwargs: Any) -> None:
        """Remember where each node is defined, for the messages."""
        if graph is not None:
            self._where = {n.name: n.location for n in graph.nodes}

    def run_after_graph_execution(self, *, run_id: str = "", **future_kwargs: Any) -> None:
        """Forget the fingerprints of nodes that never finished (a failed run)."""
        for key in [k for k in self._before if k[0] == run_id]:
            del self._before[key]

    def run_before_node_execution(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_kwargs: dict[str, Any],
        task_id: str | None = None,
        run_id: str = "",
        **future_kwargs: Any,
    ) -> None:
        """Fingerprint the node's inputs."""
        if not selects(node_name, node_tags, self.node_filter):
            return
        self._before[(run_id, task_id, node_name)] = {
            name: fingerprint(value, self.max_items)
            for name, value in node_kwargs.items()
            if type(value) not in ATOMIC
        }

    def run_after_node_execution(
        self,
        *,
        node_name: str,
        node_kwargs: dict[str, Any],
        success: bool,
        task_id: str | None = None,
        run_id: str = "",
        **future_kwargs: Any,
    ) -> None:
        """Fingerprint the inputs again; fail or warn if any changed."""
        before = self._before.pop((run_id, task_id, node_name), None)
        if not before or not success:
            return
        changed = [
            name
            for name, digest in before.items()
            if fingerprint(node_kwargs[name], self.max_items) != digest
        ]
        if changed:
            self._report(node_name, {name: node_kwargs[name] for name in changed})

    def _report(self, node_name: str, changed: dict[str, Any]) -> None:
        where = self._where.get(node_name)
        what = ", ".join(f"'{name}' ({type(v).__name__})" for name, v in changed.items())
        first = next(iter(changed))
        message = (
            f"Node '{node_name}'{f' ({where})' if where else ''} changed its input(s) {what} "
            "in place. Other nodes share these values, so their results would depend on the "
            f"order nodes run in. Work on a copy ({first} = {first}.copy()) or build a new value."
        )
        if self.mode == "fail":
            raise MutationError(message)
        warn_user(message, MutationWarning)
