"""Price paths for a handful of scenarios: one Parallelizable branch per scenario, each a
CPU-bound pure-Python simulation; the branches are collected into a summary."""

import random

from plait.htypes import Collect, Parallelizable


def scenario(n_scenarios: int) -> Parallelizable[int]:
    """One branch per scenario (its random seed)."""
    yield from range(n_scenarios)


def final_price(scenario: int, start_price: float, n_steps: int) -> float:
    """Walk the price through ``n_steps`` random daily moves (pure Python: holds the GIL)."""
    if n_steps < 1:
        raise ValueError(f"n_steps must be at least 1, got {n_steps}")
    rng = random.Random(scenario)
    price = start_price
    for _ in range(n_steps):
        price *= 1.0 + rng.gauss(0.0, 0.0005)
    return round(price, 2)


def prices(final_price: Collect[float]) -> list[float]:
    """The final price of every scenario, in scenario order."""
    return list(final_price)


def price_range(prices: list[float]) -> tuple[float, float]:
    """Lowest and highest final price."""
    return min(prices), max(prices)
