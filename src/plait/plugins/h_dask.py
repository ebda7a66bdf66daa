"""Dask (Hamilton's ``plugins.h_dask``): ``DaskExecutor`` runs the items of Parallelizable
blocks on a ``dask.distributed`` cluster; ``DaskGraphAdapter`` runs every node as a dask task;
``DaskDataFrameResult`` makes a dask DataFrame of the outputs.

dask is imported when one of them is created: ``pip install "plait[dask]"``.
"""

from plait._integrations.dask import DaskDataFrameResult, DaskExecutor, DaskGraphAdapter

__all__ = ["DaskDataFrameResult", "DaskExecutor", "DaskGraphAdapter"]
