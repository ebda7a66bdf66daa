"""Hamilton's ``hamilton.execution.grouping``: how dynamic execution cuts a run into tasks.

Public shell: re-exports only. See docs/parallel.md ("Tasks and grouping strategies").
"""

from plait._plan.tasks import (
    GroupByRepeatableBlocks,
    GroupingStrategy,
    GroupNodesAllAsOne,
    GroupNodesByLevel,
    GroupNodesIndividually,
    NodeGroupPurpose,
    TaskSpec,
)

__all__ = [
    "GroupByRepeatableBlocks",
    "GroupNodesAllAsOne",
    "GroupNodesByLevel",
    "GroupNodesIndividually",
    "GroupingStrategy",
    "NodeGroupPurpose",
    "TaskSpec",
]
