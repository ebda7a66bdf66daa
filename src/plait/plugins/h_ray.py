"""Ray (Hamilton's ``plugins.h_ray``): ``RayTaskExecutor`` runs the items of Parallelizable
blocks as Ray tasks; ``RayGraphAdapter`` runs every node as a Ray task.

ray is imported when one of them is created: ``pip install "plait[ray]"``.
"""

from plait._integrations.ray import RayGraphAdapter, RayTaskExecutor

__all__ = ["RayGraphAdapter", "RayTaskExecutor"]
