"""Run dataflows with ``async def`` nodes: ``AsyncDriver`` and its ``Builder``.

Hamilton-compatible surface (``hamilton.async_driver``); the implementation lives in
``plait._api.async_driver``.
"""

from plait._api.async_driver import AsyncDriver, Builder

__all__ = ["AsyncDriver", "Builder"]
