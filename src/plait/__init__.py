"""plait: plain Python functions become a dataflow.

A function's name is the node it produces; its parameter names are the nodes or
inputs it needs. ``plait.driver.Builder`` crawls modules, builds the graph once and
executes only what the requested outputs need.

This package imports nothing heavy: public modules load on first attribute access.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = frozenset(
    {
        "ad_hoc_utils",
        "base",
        "driver",
        "errors",
        "function_modifiers",
        "graph_types",
        "htypes",
        "lifecycle",
        "settings",
        "async_driver",
        "data_quality",
        "execution",
        "plugins",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'plait' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*_LAZY, "__version__"])
