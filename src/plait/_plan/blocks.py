"""Parallelizable … Collect blocks: which nodes run once per item, planned as nested sub-plans.

A node returning ``Parallelizable[T]`` (an *expand* node) opens a block: every node downstream
of it runs once per item it yields, until a node taking ``Collect[T]`` (a *collect* node)
gathers the per-item values into a list and closes the block. Blocks nest.

Each node gets a *level*: the tuple of expand nodes whose blocks it runs in (outermost first),
computed in one pass over the topological order:

- a plain node runs at the deepest level among its inputs (an expand input counts one deeper);
  inputs at unrelated levels (two sibling blocks) are an error;
- an expand node runs at the level of its inputs and opens ``level + (itself,)``;
- a collect node runs one level above the input it collects.

The plan keeps one flat list of steps per scope; a whole block is one step of its parent scope
(:class:`Block`), placed where its last member is in topological order. A block step has its own
small slot space: the values it needs from outside (copied in per item), the item, its members.
Per-item work is therefore a sub-plan run in a loop — linear in the number of items — or handed
to an executor item by item.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from plait._model.errors import GraphError
from plait._model.node import Dependency, Node, NodeKind
from plait._model.types import is_collect_type

Level = tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Block:
    """One Parallelizable block, compiled.

    ``expand`` is called in the parent scope with ``expand_args`` (parent slots); for each item,
    a local slot list is made of ``ext_slots`` (parent slots, copied), the item at
    ``item_slot``, and the members, which ``steps`` compute. The values at ``collect_local``
    are gathered per item into lists stored at ``out_slots`` of the parent scope.
    """

    expand: Node
    expand_args: tuple[int, ...]
    expand_names: tuple[str, ...]
    ext_slots: tuple[int, ...]
    item_slot: int
    n_local: int
    steps: tuple[Any, ...]
    step_nodes: tuple[Any, ...]
    step_args: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]
    collect_local: tuple[int, ...]
    out_slots: tuple[int, ...]
    collected_names: tuple[str, ...]


def levels(
    order: list[Node], edges: Mapping[str, list[str]], overrides: Collection[str] = ()
) -> dict[str, Level]:
    """The level of every function node of ``order`` (see the module docstring).

    ``overrides`` (the run's overridden names) only make error messages more helpful.
    """
    level: dict[str, Level] = {}
    out_level: dict[str, Level] = {}
    for node in order:
        collected = _collect_params(node)
        deepest: Level = ()
        closed: list[tuple[str, Level]] = []  # (parameter, the block it closes)
        for dep in edges[node.name]:
            dep_level = out_level.get(dep, ())
            if dep in collected:
                if not dep_level:
                    raise _no_block(node, dep, overrides)
                closed.append((dep, dep_level))
                dep_level = dep_level[:-1]
            deepest = _deeper(deepest, dep_level, node)
        for dep, block in closed:
            if deepest[: len(block)] == block:
                raise _collect_inside(node, dep, block)
        level[node.name] = deepest
        out_level[node.name] = (*deepest, node.name) if node.kind is NodeKind.EXPAND else deepest
    return level


def given_items(node: Node) -> Node:
    """Stand-in for an overridden Parallelizable node: its items are the override value.

    As in Hamilton, ``overrides={"item": [5, 6]}`` runs the block once per element.
    """
    return node.evolve(
        callable=_Given(node.name), inputs=(Dependency(node.name, Any),), positional=False
    )


class _Given:
    """``_Given(name)(**{name: items})`` returns ``items`` (picklable, unlike a closure)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, **values: Any) -> Any:
        return values[self.name]


def _collect_params(node: Node) -> frozenset[str]:
    """The parameters ``node`` takes as ``Collect[...]`` (plait allows several)."""
    if node.kind is not NodeKind.COLLECT:
        return _NONE
    return frozenset(dep.name for dep in node.inputs if is_collect_type(dep.type))


_NONE: frozenset[str] = frozenset()


def _deeper(a: Level, b: Level, node: Node) -> Level:
    if a[: len(b)] == b:
        return a
    if b[: len(a)] == a:
        return b
    raise GraphError(
        f"{node.where()} takes values from two different Parallelizable blocks "
        f"({' > '.join(a)} and {' > '.join(b)}); a node can only run inside one block at a "
        "time. Collect one of them first."
    )


def _no_block(node: Node, dep: str, overrides: Collection[str]) -> GraphError:
    hint = (
        f" Overrides ({', '.join(sorted(overrides))}) take the nodes they replace out of "
        "their blocks: to change a block's items, override its Parallelizable node."
        if overrides
        else ""
    )
    return GraphError(
        f"{node.where()} collects '{dep}' with Collect[...], but in this run '{dep}' is not "
        "computed inside a Parallelizable block. Collect a value computed per item of a "
        f"Parallelizable node, or annotate the parameter without Collect.{hint}"
    )


def _collect_inside(node: Node, dep: str, block: Level) -> GraphError:
    return GraphError(
        f"{node.where()} collects '{dep}' with Collect[...] but also takes a per-item value "
        f"of the same Parallelizable block '{block[-1]}', so it would run inside the block it "
        "closes. Collect that value too, or move it out of the block."
    )


class ScopeCompiler:
    """Compiles the steps of one scope (the top level, or one block) into slot-based steps.

    ``make_step(node, out_slot, arg_slots, arg_names)`` builds a plain step; blocks become
    ``(Block, -1, CALLBLOCK, None, ())`` steps.
    """

    def __init__(
        self,
        order: list[Node],
        edges: Mapping[str, list[str]],
        level: Mapping[str, Level],
        wanted: set[str],
        make_step: Callable[[Node, int, list[int], list[str]], Any],
        block_mode: int,
    ) -> None:
        self.order = order
        self.edges = edges
        self.level = level
        self.wanted = wanted  # requested outputs: gathered out of every block they are in
        self.make_step = make_step
        self.block_mode = block_mode
        self.consumers: dict[str, list[str]] = {}
        for node in order:
            for dep in edges[node.name]:
                self.consumers.setdefault(dep, []).append(node.name)
        self.by_name = {n.name: n for n in order}

    def entries(self, scope: Level) -> list[Node | Level]:
        """Nodes of ``scope`` and child blocks (one entry each), in execution order.

        A topological sort of the scope with every child block contracted to one entry: a
        block runs after everything its members need from this scope and before everything
        here that uses its collected values. A scope node both needing and needed by a block
        is refused (a block cannot use its own collected values).
        """
        deps: dict[str | Level, dict[str | Level, None]] = {}  # first appearance order
        for node in self.order:
            unit = self._unit(node.name, scope)
            if unit is None:
                continue
            needs = deps.setdefault(unit, {})
            for dep in self.edges[node.name]:
                dep_unit = self._unit(dep, scope)
                if dep_unit is not None and dep_unit != unit:
                    needs[dep_unit] = None
        return [u if isinstance(u, tuple) else self.by_name[u] for u in self._sorted(deps)]

    def _unit(self, name: str, scope: Level) -> str | Level | None:
        """The entry of ``scope`` that computes ``name``; None if computed outside it."""
        lvl = self.level.get(name)
        depth = len(scope)
        if lvl is None or lvl[:depth] != scope:
            return None
        if len(lvl) > depth:
            return lvl[: depth + 1]
        return (*scope, name) if self.by_name[name].kind is NodeKind.EXPAND else name

    def _sorted(self, deps: Mapping[Any, Mapping[Any, None]]) -> list[Any]:
        """Iterative depth-first topological sort of ``deps`` (stable: first appearance)."""
        state: dict[Any, int] = {}  # 1 = on the stack, 2 = placed
        out: list[Any] = []
        for root in deps:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(deps[root]))]
            while stack:
                unit, pending = stack[-1]
                nxt = next(pending, None)
                if nxt is None:
                    stack.pop()
                    state[unit] = 2
                    out.append(unit)
                elif state.get(nxt) == 1:
                    raise self._self_collect([u for u, _ in stack])
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(deps[nxt])))
        return out

    def _self_collect(self, loop: list[Any]) -> GraphError:
        node = self.by_name[next(u for u in loop if isinstance(u, str))]
        block = next(u for u in loop if isinstance(u, tuple))
        return GraphError(
            f"{node.where()} uses values collected from the Parallelizable block "
            f"'{block[-1]}', and nodes inside that same block need '{node.name}': a block "
            "cannot use its own collected values. Compute the per-item values that need "
            f"'{node.name}' in a second Parallelizable block."
        )

    def members(self, block: Level) -> set[str]:
        """Names computed inside ``block`` (any depth), the expand node excluded."""
        depth = len(block)
        return {
            n.name
            for n in self.order
            if self.level[n.name][:depth] == block and n.name != block[-1]
        }

    def compile_block(
        self, block: Level, parent_slot: Callable[[str], int]
    ) -> tuple[Block, list[str]]:
        """The :class:`Block` for ``block``; also the parent names it reads."""
        inside = self.members(block)
        expand = self.by_name[block[-1]]
        externals = sorted(
            {d for m in inside for d in self.edges[m] if d not in inside and d != expand.name}
        )
        local: dict[str, int] = {name: i for i, name in enumerate(externals)}
        local[expand.name] = len(local)

        def local_slot(name: str) -> int:
            if name not in local:
                local[name] = len(local)
            return local[name]

        steps, nodes, args = self.compile_scope(block, local_slot)
        gathered = [m for m in sorted(self._direct_products(block)) if self._leaves(m, block)]
        compiled = Block(
            expand=expand,
            expand_args=tuple(parent_slot(d) for d in self.edges[expand.name]),
            expand_names=tuple(self.edges[expand.name]),
            ext_slots=tuple(parent_slot(e) for e in externals),
            item_slot=local[expand.name],
            n_local=len(local),
            steps=tuple(steps),
            step_nodes=tuple(nodes),
            step_args=tuple(args),
            collect_local=tuple(local_slot(m) for m in gathered),
            out_slots=tuple(parent_slot(m) for m in gathered),
            collected_names=tuple(gathered),
        )
        return compiled, [*self.edges[expand.name], *externals]

    def _leaves(self, name: str, block: Level) -> bool:
        """Whether per-item values of ``name`` are needed outside ``block`` (as a list)."""
        if name in self.wanted:
            return True
        consumers = self.consumers.get(name, ())
        # (an overridden Parallelizable node reads its own override: not a use of its items)
        return any(c != name and block[-1] not in self.level[c] for c in consumers)

    def _direct_products(self, block: Level) -> set[str]:
        """Names whose per-item value exists in ``block``'s scope (its nodes and child lists)."""
        names = {n.name for n in self.order if self.level[n.name] == block}
        names.add(block[-1])  # the item itself, when collected directly
        for node in self.order:
            lvl = self.level[node.name]
            if len(lvl) > len(block) and lvl[: len(block)] == block:
                names.add(node.name)  # gathered from a child block as a list
        return names

    def compile_scope(
        self, scope: Level, slot: Callable[[str], int]
    ) -> tuple[list[Any], list[Any], list[tuple[tuple[str, ...], tuple[int, ...]]]]:
        """Steps, their nodes (or blocks) and (names, slots) arguments for one scope."""
        steps: list[Any] = []
        nodes: list[Any] = []
        args: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
        for entry in self.entries(scope):
            if isinstance(entry, Node):
                names = self.edges[entry.name]
                slots = [slot(a) for a in names]
                steps.append(self.make_step(entry, slot(entry.name), slots, names))
                nodes.append(entry)
                args.append((tuple(names), tuple(slots)))
            else:
                block, reads = self.compile_block(entry, slot)
                steps.append((block, -1, self.block_mode, None, ()))
                nodes.append(block)
                args.append((tuple(reads), tuple(slot(r) for r in reads)))
        return steps, nodes, args
