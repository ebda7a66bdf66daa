"""Hamilton's ``hamilton.lifecycle``: hook classes and result builders to subclass.

Public shell: re-exports only (one list; each engineer adds their names here).
"""

from __future__ import annotations

from plait._api.results import GraphAdapter, LegacyResultMixin, ResultBuilder
from plait._hooks.builtins import (
    FunctionInputOutputTypeChecker,
    NodeFilter,
    NodeTypeCheckError,
    NoEdgeAndInputTypeChecking,
    PrintLn,
    SlowDownYouMoveTooFast,
)
from plait._hooks.debugger import PDBDebugger
from plait._hooks.graceful import GracefulErrorAdapter
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
from plait._hooks.mutation import MutationError, MutationGuard, MutationWarning
from plait._modifiers.sentinels import accept_error_sentinels

PrintLnHook = PrintLn  # Hamilton's older name

__all__ = [
    "EdgeConnectionHook",
    "FunctionInputOutputTypeChecker",
    "GracefulErrorAdapter",
    "GraphAdapter",
    "GraphConstructionHook",
    "GraphExecutionHook",
    "LegacyResultMixin",
    "LifecycleAdapter",
    "MutationError",
    "MutationGuard",
    "MutationWarning",
    "NoEdgeAndInputTypeChecking",
    "NodeExecutionHook",
    "NodeExecutionMethod",
    "NodeFilter",
    "NodeTypeCheckError",
    "PDBDebugger",
    "PrintLn",
    "PrintLnHook",
    "ResultBuilder",
    "SlowDownYouMoveTooFast",
    "StaticValidator",
    "TaskExecutionHook",
    "TaskGroupingHook",
    "TaskReturnHook",
    "TaskSubmissionHook",
    "accept_error_sentinels",
]
