"""A small async dataflow: ``async def`` nodes (I/O-shaped, with short sleeps) mixed with sync
ones, one node that fails, and one that is slow (for cancellation)."""

import asyncio


async def user(user_id: int) -> dict:
    """Fetches a user record."""
    await asyncio.sleep(0.01)
    return {"id": user_id, "name": f"user-{user_id}"}


async def orders(user_id: int, limit: int = 3) -> list:
    """Fetches the user's latest order amounts."""
    await asyncio.sleep(0.01)
    return [10.0 * (i + 1) + user_id for i in range(limit)]


def order_total(orders: list) -> float:
    """Sum of the amounts (a sync node between async ones)."""
    return sum(orders)


async def summary(user: dict, order_total: float) -> str:
    """Combines both branches."""
    await asyncio.sleep(0)
    return f"{user['name']} spent {order_total:.1f}"


async def profile_lookup(user: dict) -> str:
    """Looks a profile up by name; nobody has one, so it raises KeyError."""
    await asyncio.sleep(0.01)
    return {}[user["name"]]


def checked_total(order_total: float) -> float:
    """A sync node that rejects totals over 1000."""
    if order_total > 1000:
        raise ValueError(f"order total {order_total} is over the limit")
    return order_total


async def slow_report(user_id: int) -> str:
    """Takes a while (10 s): a run that fails elsewhere cancels it."""
    await asyncio.sleep(10)
    return "done"
