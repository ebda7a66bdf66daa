"""Hamilton's ``hamilton.base``: result builders and the legacy graph adapters.

Public shell: re-exports only; the implementation is :mod:`plait._api.results`.
"""

from __future__ import annotations

from plait._api.results import (
    DefaultAdapter,
    DictResult,
    HamiltonGraphAdapter,
    NumpyMatrixResult,
    PandasDataFrameResult,
    ResultMixin,
    SimplePythonDataFrameGraphAdapter,
    SimplePythonGraphAdapter,
    StrictIndexTypePandasDataFrameResult,
)

__all__ = [
    "DefaultAdapter",
    "DictResult",
    "HamiltonGraphAdapter",
    "NumpyMatrixResult",
    "PandasDataFrameResult",
    "ResultMixin",
    "SimplePythonDataFrameGraphAdapter",
    "SimplePythonGraphAdapter",
    "StrictIndexTypePandasDataFrameResult",
]
