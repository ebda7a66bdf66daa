"""Hamilton's ``hamilton.lifecycle.base``: the async hook classes of the async driver.

Public shell: re-exports only.
"""

from __future__ import annotations

from plait._hooks.async_lifecycle import (
    BasePostGraphConstructAsync,
    BasePostGraphExecuteAsync,
    BasePostNodeExecuteAsync,
    BasePreGraphExecuteAsync,
    BasePreNodeExecuteAsync,
)

__all__ = [
    "BasePostGraphConstructAsync",
    "BasePostGraphExecuteAsync",
    "BasePostNodeExecuteAsync",
    "BasePreGraphExecuteAsync",
    "BasePreNodeExecuteAsync",
]
