"""``@accept_error_sentinels``: let a node see ``GracefulErrorAdapter``'s sentinels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from plait._hooks.graceful import ERROR_SENTINEL_TAG, INJECTION_ALLOWED
from plait._modifiers.metadata import tag

F = TypeVar("F", bound=Callable[..., Any])


def accept_error_sentinels(func: F) -> F:
    """Mark a function so that ``GracefulErrorAdapter`` calls it even when some inputs are the
    sentinel of a failed upstream node (instead of skipping it).

    Use it for nodes that gather partial results or report failures; compare inputs with the
    sentinel by identity (``value is SENTINEL``), so choose a unique sentinel object.
    """
    mark = tag(**{ERROR_SENTINEL_TAG: INJECTION_ALLOWED}, bypass_reserved_namespaces_=True)
    return cast(F, mark(func))
