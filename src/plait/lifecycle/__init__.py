"""Hamilton's ``hamilton.lifecycle``: hook classes and result builders to subclass.

Public shell: re-exports only (one list; each engineer adds their names here).
"""

from __future__ import annotations

from plait._api.results import GraphAdapter, LegacyResultMixin, ResultBuilder

__all__ = [
    "GraphAdapter",
    "LegacyResultMixin",
    "ResultBuilder",
]
