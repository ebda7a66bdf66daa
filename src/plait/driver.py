"""Build and run dataflows: ``Driver`` (legacy, returns a DataFrame) and ``Builder``.

Hamilton-compatible surface; the implementation lives in ``plait._api``.
"""

from plait._api.builder import Builder
from plait._api.driver import Driver
from plait._model.errors import InvalidExecutorException
from plait._model.views import HamiltonNode as Variable

__all__ = ["Builder", "Driver", "InvalidExecutorException", "Variable"]
