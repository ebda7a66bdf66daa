"""Hamilton's ``hamilton.lifecycle.default``: the ready-made adapters.

Public shell: re-exports only.
"""

from __future__ import annotations

from plait._hooks.builtins import (
    FunctionInputOutputTypeChecker,
    NodeFilter,
    NoEdgeAndInputTypeChecking,
    PrintLn,
    SlowDownYouMoveTooFast,
)
from plait._hooks.builtins import selects as should_run_node
from plait._hooks.debugger import PDBDebugger
from plait._hooks.graceful import INJECTION_ALLOWED, GracefulErrorAdapter
from plait._hooks.mutation import MutationGuard
from plait._modifiers.sentinels import accept_error_sentinels

SENTINEL_DEFAULT = None

__all__ = [
    "INJECTION_ALLOWED",
    "SENTINEL_DEFAULT",
    "FunctionInputOutputTypeChecker",
    "GracefulErrorAdapter",
    "MutationGuard",
    "NoEdgeAndInputTypeChecking",
    "NodeFilter",
    "PDBDebugger",
    "PrintLn",
    "SlowDownYouMoveTooFast",
    "accept_error_sentinels",
    "should_run_node",
]
