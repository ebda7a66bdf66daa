"""Global switches (Hamilton-compatible names).

``ENABLE_POWER_USER_MODE`` unlocks decorators such as ``@resolve`` that change the graph from
configuration; set it before building a driver.
"""

ENABLE_POWER_USER_MODE = False

__all__ = ["ENABLE_POWER_USER_MODE"]
