"""Lifecycle hooks: specs (``spec``), registration and dispatch (``manager``), and Hamilton's
public hook classes (``lifecycle``). Imports only ``plait._model``."""
