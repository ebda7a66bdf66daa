"""Integrations with optional libraries (progress bars, logging, tracing, executors...).

Each module imports its library when used, never when imported, and raises ``ImportError``
naming the ``pip install "plait[<extra>]"`` to run when it is missing. Imports ``plait._model``
and ``plait._hooks`` (and ``plait._run.executors``), never ``plait._api`` or a public shell.
"""
