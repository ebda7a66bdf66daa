"""One Parallelizable block: a 3-node chain per item, fed by a value computed once outside the
block (``scale``) and by an input (``offset``), closed by one Collect.

Written against plait; the compat suite runs it through Hamilton by swapping the import name.
Inputs: ``n`` (int, number of items), ``offset`` (int).
"""

from plait.htypes import Collect, Parallelizable


def scale() -> int:
    """Computed once, outside the block; every item reads it."""
    return 10


def item(n: int) -> Parallelizable[int]:
    """The items 0, 1, ..., n-1."""
    yield from range(n)


def shifted(item: int, offset: int) -> int:
    return item + offset


def scaled(shifted: int, scale: int) -> int:
    return shifted * scale


def labelled(scaled: int) -> str:
    return f"v{scaled}"


def report(labelled: Collect[str]) -> str:
    """The per-item labels, in yield order."""
    return ",".join(labelled)
