"""Config keys with special meaning (Hamilton's strings, so configs written for it still work)."""

#: Config key that unlocks decorators which reshape the graph from configuration (``@resolve``).
ENABLE_POWER_USER_MODE = "hamilton.enable_power_user_mode"
