"""Requested outputs + the names of what the caller provides → a flat, cached :class:`Plan`.

A plan is everything about a run that does not depend on the input *values*: which nodes run,
in which order, where each value lives (a slot in one list), which slots can be released after
each step, and which provided inputs must be type-checked. The driver caches plans per
``(outputs, input names, override names)``, so a repeated ``execute`` costs one dict lookup, a
cheap input check and the loop itself.

Rules (Hamilton's): an overridden node is not computed and nothing upstream of it is needed; an
optional parameter (one with a default) whose external input is not provided is left out so the
default applies; a provided input never replaces a function node; a config value satisfies an
input of the same name. Planning is iterative: no recursion, whatever the depth.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from plait._graph.graph import Graph
from plait._model.errors import (
    CycleError,
    InputTypeError,
    MissingInputError,
    UnknownNodeError,
    did_you_mean,
)
from plait._model.node import Node, NodeKind
from plait._model.types import make_value_checker
from plait._plan.blocks import ScopeCompiler, given_items, levels

#: How a step passes arguments: ``fn()``, ``fn(v)``, ``fn(*vs)``, ``fn(**kw)``.
CALL0, CALL1, CALLN, CALLKW, CALLBLOCK = 0, 1, 2, 3, 4

_BLOCK_KINDS = (NodeKind.EXPAND, NodeKind.COLLECT)

#: One step: (callable, output slot, call mode, argument accessor, slots to release after).
Step = tuple[Callable[..., Any], int, int, Any, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled run. See the module docstring."""

    outputs: tuple[str, ...]
    output_slots: tuple[int, ...]
    n_slots: int
    input_slots: tuple[tuple[str, int], ...]
    override_slots: tuple[tuple[str, int], ...]
    constants: tuple[tuple[int, Any], ...]
    steps: tuple[Step, ...]
    step_nodes: tuple[Any, ...]  #: the Node of each step (a ``Block`` for a block step)
    step_args: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]  #: (names, slots) per step
    input_checks: tuple[tuple[str, Callable[[Any], bool], Node], ...]
    nodes: frozenset[str]
    #: runners' per-plan precomputations (e.g. the hooked loop's static node details)
    cache: dict[str, Any] = field(default_factory=dict)

    def check_inputs(self, inputs: Mapping[str, Any]) -> None:
        """Raise :class:`InputTypeError` if a provided input does not match its annotation."""
        bad = [
            (name, node)
            for name, check, node in self.input_checks
            if inputs[name] is not None and not check(inputs[name])
        ]
        if bad:
            raise InputTypeError(_type_errors(bad, inputs))


def make_plan(
    graph: Graph,
    outputs: tuple[str, ...],
    input_names: Collection[str],
    override_names: Collection[str],
    checker_factory: Callable[[Any], Callable[[Any], bool] | None] = make_value_checker,
) -> Plan:
    """Compile the run that computes ``outputs``.

    ``checker_factory(annotation)`` returns a predicate for input values of that annotation, or
    None when anything goes (Hamilton's ``check_input_type`` rules by default).

    Raises
    ------
    UnknownNodeError
        An output names no node, input or config value.
    MissingInputError
        A required input is neither provided nor in the config.
    CycleError
        An output depends on a cycle (nothing runs).
    InputTypeError
        A config value used by this run does not match its annotation.
    """
    _check_known(graph, outputs, input_names, override_names)
    return _Compiler(graph, input_names, override_names, checker_factory).compile(outputs)


class _Compiler:
    def __init__(
        self,
        graph: Graph,
        input_names: Collection[str],
        override_names: Collection[str],
        checker_factory: Callable[[Any], Callable[[Any], bool] | None],
    ) -> None:
        self.graph = graph
        self.checker_factory = checker_factory
        self.nodes = graph.nodes
        self.inputs = input_names
        self.overrides = override_names
        self.slots: dict[str, int] = {}
        self.order: list[Node] = []  # function nodes, topologically sorted
        self.edges: dict[str, list[str]] = {}  # node -> the inputs it is passed
        self.missing: dict[str, list[Node]] = {}
        self.consumers: dict[str, Node] = {}  # provided input -> a node of this run using it

    def compile(self, outputs: tuple[str, ...]) -> Plan:
        self._visit(outputs)
        if self.missing:
            raise MissingInputError(_missing_message(self.missing))
        return self._assemble(outputs)

    def _provided(self, name: str) -> bool:
        return name in self.overrides or name in self.inputs or name in self.graph.config

    def _children(self, node: Node) -> list[str]:
        """The inputs ``node`` will be passed; records missing required inputs."""
        passed = []
        nodes = self.nodes
        for dep in node.inputs:
            name = dep.name
            producer = nodes.get(name)
            if producer is not None and producer.kind is not NodeKind.EXTERNAL:
                passed.append(name)
            elif self._provided(name):
                passed.append(name)
                self.consumers.setdefault(name, node)
            elif dep.required:
                self.missing.setdefault(name, []).append(node)
        self.edges[node.name] = passed
        return passed

    def _visit(self, outputs: tuple[str, ...]) -> None:
        """Iterative post-order DFS: fills ``order``; a back edge is a cycle."""
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        for root in outputs:
            if root in state:
                continue
            path: list[str] = []
            stack: list[tuple[str, Any]] = [(root, None)]
            while stack:
                name, it = stack[-1]
                if it is None:
                    node = self._enter(name, state)
                    if node is None:
                        stack.pop()
                        continue
                    path.append(name)
                    it = iter(self._children(node))
                    stack[-1] = (name, it)
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[name] = 2
                    self.order.append(self.nodes[name])
                elif state.get(nxt) == 1:
                    raise _cycle_error(path[path.index(nxt) :], self.nodes)
                elif nxt not in state:
                    stack.append((nxt, None))

    def _enter(self, name: str, state: dict[str, int]) -> Node | None:
        """Mark ``name`` visited; return it if it is a function node to expand."""
        if name in state:
            return None
        node = self.nodes.get(name)
        if name in self.overrides or node is None or node.kind is NodeKind.EXTERNAL:
            state[name] = 2
            return None
        state[name] = 1
        return node

    def _as_seen_by_run(self, external: Node) -> Node:
        """The external node, located at a consumer that is part of this run."""
        consumer = self.consumers.get(external.name)
        if consumer is None or consumer.get_origin() == external.get_origin():
            return external
        return external.evolve(origin=consumer.get_origin())

    def _slot(self, name: str) -> int:
        slot = self.slots.get(name)
        if slot is None:
            slot = self.slots[name] = len(self.slots)
        return slot

    def _assemble(self, outputs: tuple[str, ...]) -> Plan:
        override_slots, input_slots, constants, checks = self._sources(outputs)
        given = self._given_items()
        if given or any(n.kind in _BLOCK_KINDS for n in self.order):
            steps, step_nodes, step_args = self._with_blocks(outputs, given)
        else:
            steps, step_nodes, step_args = self._flat()
        last_use: dict[int, int] = {}
        for index, (_names, arg_slots) in enumerate(step_args):
            for s in arg_slots:
                last_use[s] = index
        output_slots = tuple(self._slot(o) for o in outputs)
        steps = _with_releases(steps, last_use, set(output_slots))
        return Plan(
            outputs=outputs,
            output_slots=output_slots,
            n_slots=len(self.slots),
            input_slots=tuple(input_slots),
            override_slots=tuple(override_slots),
            constants=tuple(constants),
            steps=tuple(steps),
            step_nodes=tuple(step_nodes),
            step_args=tuple(step_args),
            input_checks=tuple(checks),
            nodes=frozenset(self.slots),
        )

    def _flat(self) -> tuple[list[Step], list[Any], list[tuple[tuple[str, ...], tuple[int, ...]]]]:
        steps: list[Step] = []
        step_args: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
        for node in self.order:
            arg_names = self.edges[node.name]
            arg_slots = [self._slot(a) for a in arg_names]
            steps.append(_step(node, self._slot(node.name), arg_slots, arg_names))
            step_args.append((tuple(arg_names), tuple(arg_slots)))
        return steps, list(self.order), step_args

    def _given_items(self) -> list[Node]:
        """Overridden Parallelizable nodes this run reads: the override is their items."""
        if not self.overrides:
            return []
        read = {name for passed in self.edges.values() for name in passed}
        nodes = (self.nodes.get(name) for name in sorted(self.overrides) if name in read)
        return [given_items(n) for n in nodes if n is not None and n.kind is NodeKind.EXPAND]

    def _with_blocks(
        self, outputs: tuple[str, ...], given: list[Node]
    ) -> tuple[list[Step], list[Any], list[tuple[tuple[str, ...], tuple[int, ...]]]]:
        """Steps with Parallelizable blocks as single block steps (see ``_plan/blocks.py``)."""
        order, edges = self.order, self.edges
        if given:
            order = [*given, *order]
            edges = {**edges, **{n.name: [n.name] for n in given}}
        level = levels(order, edges, self.overrides)
        compiler = ScopeCompiler(order, edges, level, set(outputs), _step, CALLBLOCK)
        return compiler.compile_scope((), self._slot)

    def _sources(
        self, outputs: tuple[str, ...]
    ) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        """Slots filled before the loop: overrides, inputs, config values (and their checks)."""
        overrides, inputs, constants, checks = [], [], [], []
        names = dict.fromkeys(outputs)
        for passed in self.edges.values():
            names.update(dict.fromkeys(passed))
        config = self.graph.config
        for name in names:
            node = self.nodes.get(name)
            if name in self.overrides:
                overrides.append((name, self._slot(name)))
            elif node is not None and node.kind is not NodeKind.EXTERNAL:
                continue
            elif name in self.inputs:
                inputs.append((name, self._slot(name)))
                check = self.checker_factory(node.type) if node is not None else None
                if check is not None and node is not None:
                    checks.append((name, check, self._as_seen_by_run(node)))
            elif name in config:
                constants.append((self._slot(name), config[name]))
                seen = self._as_seen_by_run(node) if node is not None else None
                _check_config_value(name, config[name], seen, self.checker_factory)
        return overrides, inputs, constants, checks


def _step(node: Node, out: int, arg_slots: list[int], arg_names: list[str]) -> Step:
    fn = node.callable
    assert fn is not None, node.name
    # Positional calls need the passed inputs to be a prefix of the parameters (only optional
    # inputs that were not provided are ever left out).
    positional = node.positional and (
        len(arg_names) == len(node.inputs)
        or [d.name for d in node.inputs[: len(arg_names)]] == arg_names
    )
    if not arg_slots:
        return (fn, out, CALL0, None, ())
    if not positional:
        return (fn, out, CALLKW, (tuple(arg_names), tuple(arg_slots)), ())
    if len(arg_slots) == 1:
        return (fn, out, CALL1, arg_slots[0], ())
    return (fn, out, CALLN, itemgetter(*arg_slots), ())


def _with_releases(steps: list[Step], last_use: dict[int, int], keep: set[int]) -> list[Step]:
    """Release each intermediate right after its last consumer (outputs are kept)."""
    frees: dict[int, list[int]] = {}
    for slot, index in last_use.items():
        if slot not in keep:
            frees.setdefault(index, []).append(slot)
    for index, slots in frees.items():
        fn, out, mode, arg, _ = steps[index]
        steps[index] = (fn, out, mode, arg, tuple(slots))
    return steps


def _check_known(
    graph: Graph, outputs: tuple[str, ...], inputs: Collection[str], overrides: Collection[str]
) -> None:
    unknown = [
        o
        for o in outputs
        if o not in graph.nodes and o not in graph.config and o not in inputs and o not in overrides
    ]
    if unknown:
        hint = did_you_mean(unknown[0], graph.nodes)
        raise UnknownNodeError(
            f"Unknown output(s) requested: {', '.join(repr(u) for u in unknown)}.{hint} "
            "Request a node of the graph (dr.list_available_variables() lists them)."
        )


def _check_config_value(
    name: str,
    value: Any,
    node: Node | None,
    checker_factory: Callable[[Any], Callable[[Any], bool] | None],
) -> None:
    if node is None or value is None:
        return
    check = checker_factory(node.type)
    if check is not None and not check(value):
        raise InputTypeError(_type_errors([(name, node)], {name: value}, source="config"))


def _missing_message(missing: dict[str, list[Node]]) -> str:
    lines = []
    for name, consumers in sorted(missing.items()):
        users = ", ".join(n.where() for n in consumers[:3])
        more = f" and {len(consumers) - 3} more" if len(consumers) > 3 else ""
        lines.append(f"  - '{name}', needed by {users}{more}")
    names = ", ".join(f"'{n}': ..." for n in sorted(missing))
    return (
        f"{len(missing)} required input(s) not provided:\n"
        + "\n".join(lines)
        + f"\nPass them with execute(..., inputs={{{names}}}) or in the driver's config."
    )


def _type_errors(
    bad: list[tuple[str, Node]], values: Mapping[str, Any], source: str = "inputs"
) -> str:
    lines = []
    for name, node in bad:
        value = values[name]
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        lines.append(
            f"  - '{name}' expects {_tname(node.type)} (as annotated in {node.where()}), "
            f"got {type(value).__qualname__}: {shown}"
        )
    return (
        f"{len(bad)} input(s) in {source} have the wrong type:\n"
        + "\n".join(lines)
        + "\nPass values of the annotated types, or widen the annotation."
    )


def _tname(t: Any) -> str:
    return t.__qualname__ if isinstance(t, type) and not getattr(t, "__args__", None) else repr(t)


def _cycle_error(loop: list[str], nodes: Mapping[str, Node]) -> CycleError:
    forward = loop[::-1]
    cycle = [*forward, forward[0]]
    where = "\n".join(f"  {n}: {nodes[n].where()}" for n in forward)
    return CycleError(
        f"Cannot compute the requested outputs: they depend on a cycle "
        f"{' -> '.join(cycle)}. Nothing was run.\n{where}\n"
        "Break the cycle by renaming a parameter or a function.",
        cycle,
    )
