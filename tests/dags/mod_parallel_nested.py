"""Nested blocks: each item of ``outer`` opens a block of ``inner`` items.

``inner_total`` collects the inner block once per outer item; ``grand_total`` collects those.
Written against plait (the compat suite ports it to Hamilton). Input: ``n`` (int).
"""

from plait.htypes import Collect, Parallelizable


def outer(n: int) -> Parallelizable[int]:
    """0, 1, ..., n-1."""
    yield from range(n)


def inner(outer: int) -> Parallelizable[int]:
    """For outer item i: 0, 10, ..., 10*i (i + 1 items)."""
    for j in range(outer + 1):
        yield 10 * j


def bumped(inner: int) -> int:
    return inner + 1


def inner_total(bumped: Collect[int]) -> int:
    return sum(bumped)


def grand_total(inner_total: Collect[int]) -> int:
    return sum(inner_total)
