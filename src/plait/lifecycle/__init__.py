"""Hamilton's ``hamilton.lifecycle``: hook classes and result builders to subclass.

Public shell: re-exports only (one list; each engineer adds their names here).
"""

from __future__ import annotations

from plait._api.results import GraphAdapter, LegacyResultMixin, ResultBuilder
from plait._hooks.lifecycle import (
    EdgeConnectionHook,
    GraphConstructionHook,
    GraphExecutionHook,
    LifecycleAdapter,
    NodeExecutionHook,
    NodeExecutionMethod,
    StaticValidator,
    TaskExecutionHook,
    TaskGroupingHook,
    TaskReturnHook,
    TaskSubmissionHook,
)

__all__ = [
    "EdgeConnectionHook",
    "GraphAdapter",
    "GraphConstructionHook",
    "GraphExecutionHook",
    "LegacyResultMixin",
    "LifecycleAdapter",
    "NodeExecutionHook",
    "NodeExecutionMethod",
    "ResultBuilder",
    "StaticValidator",
    "TaskExecutionHook",
    "TaskGroupingHook",
    "TaskReturnHook",
    "TaskSubmissionHook",
]
