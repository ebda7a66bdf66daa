"""Global settings (Hamilton-compatible names and values).

``ENABLE_POWER_USER_MODE`` is a *config key*: ``Builder().with_config({ENABLE_POWER_USER_MODE:
True})`` unlocks decorators such as ``@resolve`` that reshape the graph from configuration. Its
value is Hamilton's own string, so configs written for Hamilton keep working.
"""

from plait._model.settings import ENABLE_POWER_USER_MODE

__all__ = ["ENABLE_POWER_USER_MODE"]
