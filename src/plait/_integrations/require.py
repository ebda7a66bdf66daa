"""Import an optional library, or say which ``pip install`` provides it."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module``; if missing, raise ``ImportError`` naming ``plait[extra]``.

    Examples
    --------
    >>> require("json", "none", "the doctest").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{feature} needs the '{module.partition('.')[0]}' package, which is not "
            f'installed. Install it with: pip install "plait[{extra}]"'
        ) from exc
