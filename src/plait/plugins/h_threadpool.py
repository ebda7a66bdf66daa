"""Threads for the plain driver (Hamilton's ``plugins.h_threadpool``): ``FutureAdapter`` runs
each node on a thread pool as soon as its inputs are ready and builds the result at the end.

Standard library only.
"""

from plait._integrations.threadpool import FutureAdapter

__all__ = ["FutureAdapter"]
