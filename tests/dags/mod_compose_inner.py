"""A small feature module reused as a subDAG by ``mod_compose_subdag`` (decorators included).

Written against plait; ``tests/compat/harness.load_dag`` ports it to Hamilton.
"""

from plait.function_modifiers import config


def doubled(x: int) -> int:
    """Twice the input."""
    return x * 2


def shifted(doubled: int, offset: int) -> int:
    return doubled + offset


@config.when(mode="plus")
def scored__plus(shifted: int) -> int:
    return shifted + 1000


@config.when(mode="times")
def scored__times(shifted: int) -> int:
    return shifted * 1000


def with_outer(outer_base: int) -> int:
    """Reads a node of the outer graph (not namespaced)."""
    return outer_base + 1
