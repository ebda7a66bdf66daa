"""Property tests: random DAGs with Parallelizable blocks (nested, several Collects per block,
outputs from inside blocks, empty blocks) run by every executor, against a reference evaluator.

A spec is a list of nodes in topological order, each running in a *scope* (the tuple of
Parallelizable nodes whose blocks it is in, outermost first):

* ``plain``: ``(const + sum(coeff * param)) % PRIME``;
* ``expand``: the same linear value ``v`` gives ``v % (MAX_ITEMS + 1)`` items (0 included),
  ``(v + i * step) % PRIME``, yielded by a generator or returned as a list;
* ``collect``: one ``Collect[int]`` parameter, folded order-sensitively (``_fold``), plus
  plain parameters from its own scope or above.

The generator only draws valid DAGs: a node in a block takes at least one value of exactly
its scope (so it runs there), never a value of a sibling block, and never a value collected
from a block it is inside. The reference (:func:`expected`) never calls the generated code:
it evaluates each node per *instance* of its scope (one per path of items), lazily, with its
own recursion over item paths, and predicts the nested lists a requested in-block node gives
and how many times every node runs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plait import ad_hoc_utils, driver
from plait.execution import executors

PRIME = 1_000_003
MAX_ITEMS = 3
INPUTS = ("in_0", "in_1")
EXAMPLES = int(os.environ.get("PLAIT_PROPERTY_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
Scope = tuple[str, ...]
Ctx = tuple[tuple[str, int], ...]  # (expand name, item value) per enclosing block


@dataclass(frozen=True)
class NodeSpec:
    name: str
    kind: str  # "plain" | "expand" | "collect"
    scope: Scope  # where it runs (for an expand: the scope it opens its block from)
    params: tuple[str, ...]
    coeffs: tuple[int, ...]
    const: int
    collected: str | None = None  # collect: the parameter taken as Collect[int]
    step: int = 1  # expand: distance between items
    as_list: bool = False  # expand: return a list instead of yielding

    @property
    def out_scope(self) -> Scope:
        """Where its value lives: an expand's value is the item, inside its own block."""
        return (*self.scope, self.name) if self.kind == "expand" else self.scope


@dataclass(frozen=True)
class BlockDag:
    nodes: tuple[NodeSpec, ...]
    inputs: dict[str, int]
    outputs: tuple[str, ...]

    def node(self, name: str) -> NodeSpec:
        return next(n for n in self.nodes if n.name == name)


# -- the strategy -----------------------------------------------------------------------------


class _Drawing:
    """Bookkeeping while drawing: where each value lives and which blocks it has collected."""

    def __init__(self) -> None:
        self.lives: dict[str, Scope] = {name: () for name in INPUTS}
        self.closes: dict[str, frozenset[Scope]] = {name: frozenset() for name in INPUTS}
        self.scopes: list[Scope] = [()]

    def visible(self, scope: Scope) -> list[str]:
        """Values a node running in ``scope`` may take as plain parameters."""
        return [
            name
            for name, lives in self.lives.items()
            if scope[: len(lives)] == lives
            and not any(scope[: len(b)] == b for b in self.closes[name])
        ]

    def add(self, node: NodeSpec) -> None:
        self.lives[node.name] = node.out_scope
        closed = frozenset().union(*(self.closes[p] for p in node.params))
        if node.kind == "collect":
            closed |= {self.lives[node.collected or ""]}
        self.closes[node.name] = closed
        if node.kind == "expand":
            self.scopes.append(node.out_scope)


@st.composite
def block_dags(draw: Any, max_nodes: int = 9, max_depth: int = 2) -> BlockDag:
    state = _Drawing()
    nodes: list[NodeSpec] = []
    for i in range(draw(st.integers(2, max_nodes))):
        node = _draw_node(draw, state, f"n{i}", max_depth)
        nodes.append(node)
        state.add(node)
    inputs = {name: draw(st.integers(0, PRIME - 1)) for name in INPUTS}
    names = [n.name for n in nodes]
    outputs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    return BlockDag(tuple(nodes), inputs, tuple(outputs))


def _draw_node(draw: Any, state: _Drawing, name: str, max_depth: int) -> NodeSpec:
    kind = draw(st.sampled_from(["plain", "expand", "collect"]))
    products = [v for v, lives in state.lives.items() if lives]  # per-item values
    collected = draw(st.sampled_from(products)) if kind == "collect" and products else None
    if collected is not None:
        scope = state.lives[collected][:-1]  # the collect runs where the block was opened
    else:
        kind = "plain" if kind == "collect" else kind
        openers = [s for s in state.scopes if kind == "plain" or len(s) < max_depth]
        scope = draw(st.sampled_from(openers))
    visible = state.visible(scope)
    params: list[str] = [collected] if collected else []
    if scope and not params:  # runs in ``scope``: one value from exactly there
        params.append(draw(st.sampled_from([v for v in visible if state.lives[v] == scope])))
    extra = draw(st.lists(st.sampled_from(visible), max_size=2, unique=True))
    params += [p for p in extra if p not in params]
    return NodeSpec(
        name=name,
        kind=kind,
        scope=scope,
        params=tuple(params),
        coeffs=tuple(draw(st.integers(1, PRIME - 1)) for _ in params),
        const=draw(st.integers(0, PRIME - 1)),
        collected=collected,
        step=draw(st.integers(1, 1000)),
        as_list=draw(st.booleans()),
    )


# -- rendering --------------------------------------------------------------------------------


def render(dag: BlockDag) -> str:
    lines = [
        "from plait.htypes import Collect, Parallelizable",
        "_calls = []",
        "def _fold(values):",
        f"    return sum((i + 1) * v for i, v in enumerate(values)) % {PRIME}",
    ]
    for node in dag.nodes:
        params = ", ".join(
            f"{p}: {'Collect[int]' if p == node.collected else 'int'}" for p in node.params
        )
        terms = " + ".join(
            f"{c} * {'_fold(' + p + ')' if p == node.collected else p}"
            for p, c in zip(node.params, node.coeffs, strict=True)
        )
        value = f"({node.const}{' + ' + terms if terms else ''}) % {PRIME}"
        returns = "Parallelizable[int]" if node.kind == "expand" else "int"
        lines += [f"def {node.name}({params}) -> {returns}:", f"    _calls.append({node.name!r})"]
        if node.kind != "expand":
            lines.append(f"    return {value}")
            continue
        lines.append(f"    v = {value}")
        items = f"(v + i * {node.step}) % {PRIME}"
        count = f"range(v % {MAX_ITEMS + 1})"
        if node.as_list:
            lines.append(f"    return [{items} for i in {count}]")
        else:
            lines += [f"    for i in {count}:", f"        yield {items}"]
    return "\n".join(lines) + "\n"


# -- the reference ----------------------------------------------------------------------------


class Reference:
    """Evaluates a spec per item path, without the generated code."""

    def __init__(self, dag: BlockDag) -> None:
        self.dag = dag
        self.by_name = {n.name: n for n in dag.nodes}
        self.memo: dict[tuple[str, Ctx], Any] = {}

    def linear(self, node: NodeSpec, ctx: Ctx) -> int:
        total = node.const
        for param, coeff in zip(node.params, node.coeffs, strict=True):
            if param == node.collected:
                values = [self.value(param, c) for c in self.instances(self.lives(param), ctx)]
                total += coeff * sum((i + 1) * v for i, v in enumerate(values))
            else:
                total += coeff * self.value(param, ctx)
        return total % PRIME

    def lives(self, name: str) -> Scope:
        return self.by_name[name].out_scope if name in self.by_name else ()

    def value(self, name: str, ctx: Ctx) -> int:
        """The value of ``name`` for the item path ``ctx`` (longer paths are cut to its scope)."""
        if name in self.dag.inputs:
            return self.dag.inputs[name]
        node = self.by_name[name]
        if node.kind == "expand":
            return dict(ctx)[name]
        key = (name, ctx[: len(node.scope)])
        if key not in self.memo:
            self.memo[key] = self.linear(node, key[1])
        return self.memo[key]  # type: ignore[no-any-return]

    def items(self, expand: NodeSpec, ctx: Ctx) -> list[int]:
        v = self.linear(expand, ctx[: len(expand.scope)])
        return [(v + i * expand.step) % PRIME for i in range(v % (MAX_ITEMS + 1))]

    def instances(self, scope: Scope, ctx: Ctx = ()) -> Iterator[Ctx]:
        """Every item path of ``scope`` that extends ``ctx`` (its prefix of ``scope``)."""
        if len(ctx) >= len(scope):
            yield ctx[: len(scope)]
            return
        expand = self.by_name[scope[len(ctx)]]
        for item in self.items(expand, ctx):
            yield from self.instances(scope, (*ctx, (expand.name, item)))

    def output(self, name: str, ctx: Ctx = ()) -> Any:
        """A requested value: nested lists, one level per block it lives in."""
        scope = self.lives(name)
        if len(ctx) == len(scope):
            return self.value(name, ctx)
        expand = self.by_name[scope[len(ctx)]]
        return [self.output(name, (*ctx, (expand.name, i))) for i in self.items(expand, ctx)]

    def calls(self) -> Counter[str]:
        """How many times each node runs: once per instance of its scope, if needed."""
        needed: set[str] = set()
        todo = list(self.dag.outputs)
        while todo:
            name = todo.pop()
            if name in self.by_name and name not in needed:
                needed.add(name)
                todo += self.by_name[name].params
        return Counter({n: sum(1 for _ in self.instances(self.by_name[n].scope)) for n in needed})


def expected(dag: BlockDag) -> tuple[dict[str, Any], Counter[str]]:
    ref = Reference(dag)
    counts = +ref.calls()  # drop zeros: nodes in blocks that got no items never run
    return {name: ref.output(name) for name in dag.outputs}, counts


# -- the properties ---------------------------------------------------------------------------


def run(dag: BlockDag, executor: Any) -> tuple[dict[str, Any], Counter[str]]:
    module = ad_hoc_utils.module_from_source(render(dag))
    builder = driver.Builder().enable_dynamic_execution(allow_experimental_mode=True)
    builder = builder.with_modules(module)
    if executor is not None:
        builder = builder.with_remote_executor(executor)
    got = builder.build().execute(list(dag.outputs), inputs=dag.inputs)
    return got, Counter(module._calls)


@pytest.mark.parametrize("kind", ["inline", "sync", "threads"])
@SETTINGS
@given(dag=block_dags())
def test_random_block_dags_match_the_reference(kind, dag):
    executor = {
        "inline": None,
        "sync": executors.SynchronousLocalTaskExecutor(),
        "threads": executors.MultiThreadingExecutor(3),
    }[kind]
    got, calls = run(dag, executor)
    want, want_calls = expected(dag)
    assert got == want
    assert calls == want_calls


@pytest.fixture(scope="module")
def processes() -> Iterator[executors.MultiProcessingExecutor]:
    pool = executors.MultiProcessingExecutor(2)
    yield pool
    pool.finalize()


@settings(SETTINGS, max_examples=max(3, EXAMPLES // 5))
@given(dag=block_dags(max_nodes=7))
def test_random_block_dags_on_processes_match_the_reference(processes, dag):
    got, _ = run(dag, processes)  # calls happen in the workers: not counted here
    assert got == expected(dag)[0]


def test_the_strategy_draws_what_it_must_cover():
    """Nested blocks, several collects of one block, in-block outputs, empty blocks."""
    seen: Counter[str] = Counter()

    @settings(SETTINGS, max_examples=200, derandomize=True)
    @given(dag=block_dags())
    def look(dag: BlockDag) -> None:
        ref = Reference(dag)
        collects = Counter(ref.lives(n.collected) for n in dag.nodes if n.collected)
        seen["nested"] += any(len(n.out_scope) == 2 for n in dag.nodes if n.kind == "expand")
        seen["several collects"] += any(c > 1 for c in collects.values())
        seen["in-block output"] += any(ref.lives(o) for o in dag.outputs)
        seen["empty block"] += any(
            not ref.items(n, ()) for n in dag.nodes if n.kind == "expand" and not n.scope
        )

    look()
    assert min(seen.values()) >= 10 and len(seen) == 4, seen
