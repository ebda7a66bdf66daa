"""A small flow for the lifecycle-hook compat tests.

``x`` → ``doubled`` → ``total`` (tagged; ``y`` is optional) → ``fragile``, which raises a
``ValueError`` when the input ``fail`` is true.
"""

from plait.function_modifiers import tag


def doubled(x: int) -> int:
    """Twice the input."""
    return x * 2


@tag(team="growth")
def total(doubled: int, y: int = 1) -> int:
    """Doubled plus an optional offset."""
    return doubled + y


def fragile(total: int, fail: bool) -> int:
    """One more than ``total``; raises on request."""
    if fail:
        raise ValueError("fragile failed on purpose")
    return total + 1
