"""A shop's dashboard built from slow services: ``async def`` nodes that wait on I/O (simulated
with ``asyncio.sleep``), and sync nodes that compute from what they fetched.

Input: ``shop_id``. ``latency`` (seconds per call) is optional.
"""

import asyncio


async def stock(shop_id: int, latency: float = 0.2) -> dict:
    """Units in stock per product, from the warehouse service."""
    await asyncio.sleep(latency)
    return {"tea": 12, "coffee": 0, "cocoa": 5}


async def prices(shop_id: int, latency: float = 0.2) -> dict:
    """Current price per product, from the pricing service."""
    await asyncio.sleep(latency)
    return {"tea": 4.5, "coffee": 7.0, "cocoa": 3.0}


async def reviews(shop_id: int, latency: float = 0.2) -> list:
    """Star ratings, from the reviews service."""
    await asyncio.sleep(latency)
    return [5, 4, 4, 3, 5]


def stock_value(stock: dict, prices: dict) -> float:
    """What the stock on the shelves is worth (a sync node between async ones)."""
    return sum(units * prices[product] for product, units in stock.items())


def rating(reviews: list) -> float:
    """Mean star rating."""
    return sum(reviews) / len(reviews)


async def sold_out(stock: dict, latency: float = 0.2) -> list:
    """Products to reorder; asks the supplier service which of them it can deliver."""
    await asyncio.sleep(latency)
    return sorted(product for product, units in stock.items() if units == 0)


async def supplier_quote(sold_out: list) -> float:
    """A quote for the sold-out products; the supplier knows no coffee (raises KeyError)."""
    catalogue = {"tea": 3.0, "cocoa": 2.0}
    await asyncio.sleep(0)
    return sum(catalogue[product] for product in sold_out)


async def sales_history(shop_id: int, latency: float = 0.2) -> list:
    """A year of daily sales, from the (slow) archive service: ten times the usual latency."""
    await asyncio.sleep(10 * latency)
    return [0.0] * 365
