"""Integrations with other libraries (Hamilton's ``plugins`` package).

Each ``h_<library>`` module imports its library only when used (``h_spark`` when it is
imported, as its decorators apply when your modules load), and raises ``ImportError`` naming
the ``pip install "plait[<extra>]"`` to run when the library is missing. This package imports
none of them.
"""
