"""``GracefulErrorAdapter``: a node that raises a chosen error yields a sentinel instead, and
every node downstream of a sentinel is skipped (yields the sentinel too) unless it asked to see
sentinels (``@accept_error_sentinels``, in ``plait._modifiers.sentinels``).

Imports only the standard library and ``plait._hooks``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plait._hooks.lifecycle import NodeExecutionMethod

#: The tag ``@accept_error_sentinels`` sets (Hamilton's key and value, so tags read the same).
ERROR_SENTINEL_TAG = "hamilton.error_sentinel"
INJECTION_ALLOWED = "injection is requested"


def is_sentinel(value: Any, sentinel: Any) -> bool:
    """``value`` is the sentinel: the same object, or an equal one of exactly its type."""
    if value is sentinel:
        return True
    if type(value) is not type(sentinel):
        return False
    try:
        return bool(value == sentinel)
    except Exception:  # an == that does not answer a bool (arrays, frames) is not a match
        return False


class GracefulErrorAdapter(NodeExecutionMethod):
    """Keep running when nodes fail with ``error_to_catch``: a failed node's value is
    ``sentinel_value``, and nodes that receive a sentinel are not called (their value is the
    sentinel too), so a failure prunes its downstream branch instead of stopping the run.

    Parameters
    ----------
    error_to_catch
        The exception class (or tuple of classes) that counts as a graceful failure; anything
        else propagates as usual.
    sentinel_value
        What a failed or skipped node yields (None by default: pick a unique object if a node
        may legitimately return None).
    try_all_parallel
        For a ``Parallelizable`` node: keep the items produced before the failure and add one
        sentinel (True), or replace them all by one sentinel (False).
    allow_injection
        Honour ``@accept_error_sentinels``: such a node is called with the sentinel among its
        inputs instead of being skipped.

    Examples
    --------
    >>> adapter = GracefulErrorAdapter(ZeroDivisionError, sentinel_value="failed")
    >>> call = dict(node_tags={}, is_expand=False, is_collect=False)
    >>> adapter.run_to_execute_node(node_callable=lambda x: 1 / x, node_kwargs={"x": 0}, **call)
    'failed'
    >>> adapter.run_to_execute_node(node_callable=len, node_kwargs={"obj": "failed"}, **call)
    'failed'
    """

    def __init__(
        self,
        error_to_catch: type[Exception] | tuple[type[Exception], ...],
        sentinel_value: Any = None,
        try_all_parallel: bool = True,
        allow_injection: bool = True,
    ) -> None:
        self.error_to_catch = error_to_catch
        self.sentinel_value = sentinel_value
        self.try_all_parallel = try_all_parallel
        self.allow_injection = allow_injection

    def _accepts_sentinels(self, node_tags: dict[str, Any]) -> bool:
        return self.allow_injection and node_tags.get(ERROR_SENTINEL_TAG) == INJECTION_ALLOWED

    def run_to_execute_node(
        self,
        *,
        node_callable: Any,
        node_kwargs: dict[str, Any],
        node_tags: dict[str, Any],
        is_expand: bool = False,
        **future_kwargs: Any,
    ) -> Any:
        """The node's value; the sentinel if it raised ``error_to_catch`` or got a sentinel."""
        sentinel = self.sentinel_value
        if not self._accepts_sentinels(node_tags) and any(
            is_sentinel(v, sentinel) for v in node_kwargs.values()
        ):
            return [sentinel] if is_expand else sentinel
        try:
            out = node_callable(**node_kwargs)
        except self.error_to_catch:
            return [sentinel] if is_expand else sentinel
        return self._drain(out) if is_expand else out

    def _drain(self, items: Iterable[Any]) -> list[Any]:
        """A Parallelizable node's items, up to a failure (see ``try_all_parallel``)."""
        got: list[Any] = []
        try:
            for item in items:
                got.append(item)
        except self.error_to_catch:
            got = [*got, self.sentinel_value] if self.try_all_parallel else [self.sentinel_value]
        return got
