"""Tasks of dynamic execution: how a run's work is cut into the units that task hooks see.

plait runs a plan in two kinds of places. The steps outside Parallelizable blocks run in the
driver's thread, one after the other; each item of an outermost block runs as one unit, on the
remote executor. A *task* is a named piece of that work. Hamilton's grouping strategies choose
how the steps outside blocks are grouped into tasks:

- :class:`GroupByRepeatableBlocks` (the default): one task per node, named after it
  (``EXECUTE_SINGLE``); ``expand-<p>`` for a Parallelizable node ``p`` (``EXPAND_UNORDERED``);
  ``collect-<p>`` for the Collect node of its block (``GATHER``);
- :class:`GroupNodesIndividually`: one task per node, named after it, purpose from its role;
- :class:`GroupNodesAllAsOne`: one task, ``root``;
- :class:`GroupNodesByLevel`: one task per level, ``level_<i>`` (level 0: the inputs and the
  nodes without dependencies; a node is one level below its deepest dependency); a run with
  hooks then runs the steps level by level (:attr:`Layout.steps`).

The inputs, config values and overrides a run reads are part of the tasks too (alone, in the
first two strategies), as in Hamilton. Whatever the strategy, each item of a block is one task,
``<spawning task>.<index>.block-<p>`` (``EXECUTE_BLOCK``), spawned by the task that ran ``p``;
blocks nested inside an item run within the item's task. A :class:`Layout` is computed once per
plan and strategy and kept in the plan's cache.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from plait._model.node import Node, NodeKind
from plait._model.views import HamiltonNode
from plait._plan.blocks import Block
from plait._plan.plan import Plan, Step, _with_releases


class NodeGroupPurpose(enum.Enum):
    """What a task does (Hamilton's values): passed to task hooks as ``purpose``."""

    EXPAND_UNORDERED = "expand_unordered"  #: runs a Parallelizable node: its items spawn tasks
    GATHER = "gather"  #: runs a Collect node
    EXECUTE_BLOCK = "execute_block"  #: runs a group of nodes (an item of a block, a level, ...)
    EXECUTE_SINGLE = "execute_single"  #: runs one node (or stands for one input)

    def is_expander(self) -> bool:
        """Whether the task's result spawns item tasks."""
        return self is NodeGroupPurpose.EXPAND_UNORDERED

    def is_gatherer(self) -> bool:
        """Whether the task collects the results of item tasks."""
        return self is NodeGroupPurpose.GATHER


class Unit(NamedTuple):
    """One thing a strategy groups: an input (``role="source"``) or a step outside blocks."""

    name: str  #: the node's name (for a block step: its Parallelizable node)
    role: str  #: "source", "function", "expand" or "collect"
    level: int  #: 0 for sources and steps without dependencies; else 1 + deepest dependency
    collects: str  #: for a "collect" unit: the Parallelizable node of the block it collects


#: What a strategy returns: (task base id, purpose, indices of its units in execution order).
Group = tuple[str, NodeGroupPurpose, list[int]]


class GroupingStrategy:
    """Base of Hamilton's grouping strategies. plait supports the four below; a strategy is
    passed to ``Builder().with_grouping_strategy(...)``."""

    def group_units(self, units: list[Unit]) -> list[Group]:  # pragma: no cover - abstract
        """The tasks for ``units`` (see the module docstring)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class GroupByRepeatableBlocks(GroupingStrategy):
    """One task per node; a Parallelizable node is ``expand-<p>``, its Collect node
    ``collect-<p>``, and each item of the block one task (Hamilton's default)."""

    def group_units(self, units: list[Unit]) -> list[Group]:
        groups: list[Group] = []
        for index, unit in enumerate(units):
            if unit.role == "expand":
                groups.append((f"expand-{unit.name}", NodeGroupPurpose.EXPAND_UNORDERED, [index]))
            elif unit.role == "collect":
                groups.append((f"collect-{unit.collects}", NodeGroupPurpose.GATHER, [index]))
            else:
                groups.append((unit.name, NodeGroupPurpose.EXECUTE_SINGLE, [index]))
        return _unique(groups, units)


class GroupNodesIndividually(GroupingStrategy):
    """One task per node, named after the node."""

    def group_units(self, units: list[Unit]) -> list[Group]:
        purposes = {"expand": NodeGroupPurpose.EXPAND_UNORDERED, "collect": NodeGroupPurpose.GATHER}
        return [
            (unit.name, purposes.get(unit.role, NodeGroupPurpose.EXECUTE_BLOCK), [index])
            for index, unit in enumerate(units)
        ]


class GroupNodesAllAsOne(GroupingStrategy):
    """Everything outside blocks in one task, ``root``."""

    def group_units(self, units: list[Unit]) -> list[Group]:
        return [("root", NodeGroupPurpose.EXECUTE_BLOCK, list(range(len(units))))]


class GroupNodesByLevel(GroupingStrategy):
    """One task per level, ``level_<i>``; the nodes run level by level."""

    def group_units(self, units: list[Unit]) -> list[Group]:
        by_level: dict[int, list[int]] = {}
        for index, unit in enumerate(units):
            by_level.setdefault(unit.level, []).append(index)
        return [
            (f"level_{level}", NodeGroupPurpose.EXECUTE_BLOCK, by_level[level])
            for level in sorted(by_level)
        ]


STRATEGIES = (
    GroupByRepeatableBlocks,
    GroupNodesIndividually,
    GroupNodesAllAsOne,
    GroupNodesByLevel,
)


def _unique(groups: list[Group], units: list[Unit]) -> list[Group]:
    """Several Collect nodes of one block (a plait extension): ``collect-<p>-<node>`` after the
    first."""
    seen: set[str] = set()
    out: list[Group] = []
    for base_id, purpose, members in groups:
        if base_id in seen:
            base_id = f"{base_id}-{units[members[0]].name}"
        seen.add(base_id)
        out.append((base_id, purpose, members))
    return out


@dataclass(frozen=True)
class TaskSpec:
    """What an execution manager's ``get_executor_for_task`` receives: the template of the
    item tasks of one block (plait asks once per block, not once per item)."""

    base_id: str  #: ``block-<p>``
    purpose: NodeGroupPurpose  #: always ``EXECUTE_BLOCK``
    nodes: tuple[HamiltonNode, ...]  #: the nodes each item runs
    outputs_to_compute: tuple[str, ...]  #: the per-item values gathered out of the block


@dataclass(frozen=True, eq=False)
class TopTask:
    """One task outside blocks."""

    base_id: str
    purpose: NodeGroupPurpose
    nodes: tuple[HamiltonNode, ...]
    reads: tuple[tuple[str, int], ...]  #: (name, slot): its inputs, read when it starts
    overrides: frozenset[str]  #: names among ``reads`` that the caller overrode
    steps: tuple[int, ...]  #: indices into :attr:`Layout.steps`
    outputs: tuple[str, ...]  #: values it hands back (used by other tasks, or requested)


@dataclass(frozen=True, eq=False)
class BlockTasks:
    """The item tasks of one block."""

    base_id: str  #: ``block-<p>``
    spec: TaskSpec
    inputs: tuple[tuple[str, int], ...]  #: (name, local slot): outside values and the item
    results: tuple[tuple[str, int], ...]  #: (name, local slot): everything an item holds
    kept: Block  #: the block with no releases, so an item's values all stay for ``results``


@dataclass(frozen=True, eq=False)
class Layout:
    """The tasks of one plan under one strategy."""

    tasks: tuple[TopTask, ...]
    steps: tuple[Step, ...]  #: the plan's top-level steps, in the order they run
    step_nodes: tuple[Any, ...]
    step_args: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]
    blocks: Mapping[int, BlockTasks]  #: id(block) -> its item tasks (outermost blocks)
    task_ids: tuple[str, ...]  #: every base id, for ``run_after_task_grouping``


def task_layout(plan: Plan, strategy: GroupingStrategy, nodes: Mapping[str, Node]) -> Layout:
    """The :class:`Layout` of ``plan`` under ``strategy`` (cached in ``plan.cache``).

    ``nodes`` (the graph's nodes) gives the views of the inputs a task stands for.
    """
    key = f"tasks:{type(strategy).__name__}"
    layout: Layout | None = plan.cache.get(key)
    if layout is None:
        layout = plan.cache[key] = _Builder(plan, nodes).build(strategy)
    return layout


class _Builder:
    def __init__(self, plan: Plan, nodes: Mapping[str, Node]) -> None:
        self.plan = plan
        self.graph_nodes = nodes
        self.made_by: dict[str, int] = {}  # name -> index of the step that makes it
        for index, node in enumerate(plan.step_nodes):
            for name in _made(node):
                self.made_by[name] = index
        self.sources = self._sources()

    def _sources(self) -> dict[str, int]:
        """Inputs, config values and overrides the top level reads (or returns): name -> slot."""
        plan = self.plan
        read: dict[str, int] = {}
        for names, slots in plan.step_args:
            read.update((n, s) for n, s in zip(names, slots, strict=True) if n not in read)
        read.update((n, s) for n, s in zip(plan.outputs, plan.output_slots, strict=True))
        return {n: s for n, s in read.items() if n not in self.made_by}

    def build(self, strategy: GroupingStrategy) -> Layout:
        plan = self.plan
        units = self._units()
        n_sources = len(self.sources)
        groups = strategy.group_units(units)
        order = [i - n_sources for _, _, members in groups for i in members if i >= n_sources]
        steps = [plan.steps[i] for i in order]
        args = [plan.step_args[i] for i in order]
        if order != sorted(order):  # level by level: release each value after its new last use
            last_use = {s: k for k, (_, slots) in enumerate(args) for s in slots}
            steps = _with_releases([(*s[:4], ()) for s in steps], last_use, set(plan.output_slots))
        position = {step_index: k for k, step_index in enumerate(order)}
        tasks = tuple(self._task(group, units, position) for group in groups)
        blocks = {
            id(node): self._block_tasks(node, plan.step_args[i])
            for i, node in enumerate(plan.step_nodes)
            if isinstance(node, Block)
        }
        return Layout(
            tasks=tasks,
            steps=tuple(steps),
            step_nodes=tuple(plan.step_nodes[i] for i in order),
            step_args=tuple(args),
            blocks=blocks,
            task_ids=_task_ids(tasks, blocks, plan.step_nodes),
        )

    def _units(self) -> list[Unit]:
        level: dict[str, int] = dict.fromkeys(self.sources, 0)
        units = [Unit(name, "source", 0, "") for name in self.sources]
        for node, (names, _) in zip(self.plan.step_nodes, self.plan.step_args, strict=True):
            depth = max((level[n] + 1 for n in names if n in level), default=0)
            for name in _made(node):
                level[name] = depth
            if isinstance(node, Block):
                units.append(Unit(node.expand.name, "expand", depth, ""))
            elif node.kind is NodeKind.COLLECT:
                units.append(Unit(node.name, "collect", depth, self._collected_block(names)))
            else:
                units.append(Unit(node.name, "function", depth, ""))
        return units

    def _collected_block(self, names: Iterable[str]) -> str:
        """The Parallelizable node of the block whose values a Collect node reads."""
        for name in names:
            index = self.made_by.get(name)
            node = None if index is None else self.plan.step_nodes[index]
            if isinstance(node, Block) and name in node.collected_names:
                return node.expand.name
        return "?"  # pragma: no cover - a Collect node always reads a block's values

    def _task(self, group: Group, units: list[Unit], position: Mapping[int, int]) -> TopTask:
        base_id, purpose, members = group
        plan, n_sources = self.plan, len(self.sources)
        own_sources = [units[i].name for i in members if i < n_sources]
        step_indices = [i - n_sources for i in members if i >= n_sources]
        made: list[str] = []  # what its steps compute, in order
        reads: dict[str, int] = {name: self.sources[name] for name in own_sources}
        for i in step_indices:
            names, slots = _own_args(plan.step_nodes[i], plan.step_args[i])
            reads.update((n, s) for n, s in zip(names, slots, strict=True) if n not in made)
            made += _made(plan.step_nodes[i])
        inside = set(step_indices)
        used_elsewhere = {
            name for i, (names, _) in enumerate(plan.step_args) if i not in inside for name in names
        }
        used_elsewhere.update(plan.outputs)
        outputs = [n for n in (*own_sources, *made) if n in used_elsewhere]
        views = [self._view(name) for name in own_sources]
        views += [_view(node) for i in step_indices for node in _nodes_of(plan.step_nodes[i])]
        return TopTask(
            base_id=base_id,
            purpose=purpose,
            nodes=tuple(views),
            reads=tuple(reads.items()),
            overrides=frozenset(name for name, _ in plan.override_slots if name in reads),
            steps=tuple(position[i] for i in step_indices),
            outputs=tuple(dict.fromkeys(outputs)),
        )

    def _view(self, name: str) -> HamiltonNode:
        node = self.graph_nodes.get(name) or Node(name, Any, kind=NodeKind.EXTERNAL)
        return _view(node)

    def _block_tasks(
        self, block: Block, args: tuple[tuple[str, ...], tuple[int, ...]]
    ) -> BlockTasks:
        ext_names = args[0][len(block.expand_names) :]
        inputs = [*zip(ext_names, range(len(ext_names)), strict=True)]
        inputs.append((block.expand.name, block.item_slot))
        results = dict(inputs)
        for node, step in zip(block.step_nodes, block.steps, strict=True):
            if isinstance(node, Block):
                results.update(zip(node.collected_names, node.out_slots, strict=True))
            else:
                results[node.name] = step[1]
        spec = block_spec(block)
        kept = replace(block, steps=tuple((*s[:4], ()) for s in block.steps))
        return BlockTasks(spec.base_id, spec, tuple(inputs), tuple(results.items()), kept)


def block_spec(block: Block) -> TaskSpec:
    """The :class:`TaskSpec` of ``block`` (for an execution manager)."""
    return TaskSpec(
        base_id=f"block-{block.expand.name}",
        purpose=NodeGroupPurpose.EXECUTE_BLOCK,
        nodes=tuple(_view(n) for n in _members(block)),
        outputs_to_compute=block.collected_names,
    )


def _made(step_node: Any) -> tuple[str, ...]:
    """Names a top-level step writes (a block: its Parallelizable node and gathered lists)."""
    if isinstance(step_node, Block):
        return (step_node.expand.name, *step_node.collected_names)
    return (step_node.name,)


def _own_args(
    step_node: Any, args: tuple[tuple[str, ...], tuple[int, ...]]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """What a top-level step reads for its own task: a block step, only what its
    Parallelizable node takes (the values its members read are inputs of the item tasks)."""
    if isinstance(step_node, Block):
        return step_node.expand_names, step_node.expand_args
    return args


def _nodes_of(step_node: Any) -> list[Node]:
    """The nodes a top-level step runs in its task (a block step: its Parallelizable node)."""
    return [step_node.expand] if isinstance(step_node, Block) else [step_node]


def _members(block: Block) -> list[Node]:
    """Every node an item of ``block`` runs, nested blocks included."""
    out: list[Node] = []
    for node in block.step_nodes:
        if isinstance(node, Block):
            out += [node.expand, *_members(node)]
        else:
            out.append(node)
    return out


def _view(node: Node) -> HamiltonNode:
    return HamiltonNode.from_node(node)


def _task_ids(
    tasks: Iterable[TopTask], blocks: Mapping[int, BlockTasks], step_nodes: Iterable[Any]
) -> tuple[str, ...]:
    """Base ids in execution order, each block's ``block-<p>`` right after the task spawning it."""
    block_ids = {
        node.expand.name: blocks[id(node)].base_id for node in step_nodes if isinstance(node, Block)
    }
    out: list[str] = []
    for task in tasks:
        out.append(task.base_id)
        out += [block_ids[v.name] for v in task.nodes if v.name in block_ids]
    return tuple(out)


__all__ = [
    "STRATEGIES",
    "BlockTasks",
    "GroupByRepeatableBlocks",
    "GroupNodesAllAsOne",
    "GroupNodesByLevel",
    "GroupNodesIndividually",
    "GroupingStrategy",
    "Layout",
    "NodeGroupPurpose",
    "TaskSpec",
    "TopTask",
    "Unit",
    "block_spec",
    "task_layout",
]
