"""Several Collects of one block, and the Parallelizable node collected directly.

Hamilton runs one Collect of a block per request; plait runs the block once for all of them.
Written against plait (the compat suite ports it to Hamilton). Input: ``n`` (int).
"""

from plait.htypes import Collect, Parallelizable


def item(n: int) -> Parallelizable[int]:
    yield from range(n)


def doubled(item: int) -> int:
    return 2 * item


def tripled(item: int) -> int:
    return 3 * item


def sum_doubled(doubled: Collect[int]) -> int:
    return sum(doubled)


def max_tripled(tripled: Collect[int]) -> int:
    return max(tripled, default=-1)


def items_seen(item: Collect[int]) -> list[int]:
    """The items themselves, collected without any node in between."""
    return list(item)
