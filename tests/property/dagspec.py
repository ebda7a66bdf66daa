"""Random DAG specs for the property tests: a strategy, real functions, a reference evaluator.

A :class:`DagSpec` is a list of nodes in topological order. Node ``n_i`` takes some earlier
nodes and some external inputs (``in_0``, ``in_1``, ...) as parameters and returns
``(const + sum(coeff_j * param_j)) % PRIME``; coefficients and constants are random, so any
wiring mistake (wrong argument, swapped parameters, stale value, default used instead of a
node's value...) changes the result with overwhelming probability.

:func:`render_source` turns a spec into Python source text that is compiled and ``exec``-ed,
so the functions have real signatures, real defaults and real annotations, exactly like
functions a user writes in a module. Every generated function first appends its own name to
the ``_calls`` list of its namespace, which lets the tests count calls.

The reference evaluator (:func:`evaluate`) never calls the generated functions: it computes
every value straight from the spec with its own wiring and its own (iterative) traversal.
"""

from __future__ import annotations

import itertools
import linecache
import random
import sys
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FunctionType, ModuleType
from typing import Any

from hypothesis import strategies as st

PRIME = 1_000_003
"""Values live in ``[0, PRIME)``; override values are drawn from ``[PRIME, 2 * PRIME)``."""

PARAM_ANNOTATIONS = ("int", "int", "int", "Any", "object")
"""Parameter annotations the strategy draws from (weighted towards ``int``).

Hamilton rejects a parameter or a return without an annotation (``ValueError`` at build
time), so unannotated functions are only generated on purpose, by :func:`strip_annotation`.
``object`` is accepted for a parameter fed by an ``int`` node, and an ``Any`` return may feed
any parameter; an ``object`` return may not feed an ``int`` parameter, so returns are only
``int`` or ``Any``.
"""

RETURN_ANNOTATIONS = ("int", "int", "int", "Any")


@dataclass(frozen=True)
class Param:
    """One parameter of a generated function."""

    name: str
    annotation: str | None = "int"
    default: int | None = None
    """``None``: no default. Any int (including 0) is rendered as ``name: ann = value``."""

    @property
    def has_default(self) -> bool:
        return self.default is not None

    def render(self) -> str:
        text = self.name if self.annotation is None else f"{self.name}: {self.annotation}"
        if self.default is not None:
            text += " = " if self.annotation is not None else "="
            text += str(self.default)
        return text


@dataclass(frozen=True)
class NodeSpec:
    """One function node. ``params`` is in signature order (defaulted ones last)."""

    name: str
    params: tuple[Param, ...]
    coeffs: tuple[int, ...]
    const: int
    returns: str | None = "int"

    def compute(self, args: Mapping[str, int]) -> int:
        total = self.const
        for param, coeff in zip(self.params, self.coeffs, strict=True):
            total += coeff * args[param.name]
        return total % PRIME

    def render(self) -> str:
        signature = ", ".join(param.render() for param in self.params)
        returns = "" if self.returns is None else f" -> {self.returns}"
        terms = "".join(
            f" + {coeff} * {param.name}"
            for param, coeff in zip(self.params, self.coeffs, strict=True)
        )
        return (
            f"def {self.name}({signature}){returns}:\n"
            f"    _calls.append({self.name!r})\n"
            f"    return ({self.const}{terms}) % {PRIME}\n"
        )


@dataclass(frozen=True)
class DagSpec:
    """Nodes in topological order: a node's parameters only name earlier nodes or inputs."""

    nodes: tuple[NodeSpec, ...]
    future_annotations: bool = False
    """Render ``from __future__ import annotations``: every annotation is then a string."""
    index: dict[str, NodeSpec] = field(init=False, repr=False, compare=False)
    external_inputs: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {node.name: node for node in self.nodes}
        inputs = {p.name for node in self.nodes for p in node.params if p.name not in index}
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "external_inputs", tuple(sorted(inputs)))

    @property
    def node_names(self) -> list[str]:
        return [node.name for node in self.nodes]

    @property
    def all_names(self) -> list[str]:
        return [*self.node_names, *self.external_inputs]

    def consumers(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {name: [] for name in self.all_names}
        for node in self.nodes:
            for param in node.params:
                result[param.name].append(node.name)
        return result


def _make_node(
    name: str,
    chosen: Sequence[str],
    annotations: Sequence[str],
    defaults: Sequence[int | None],
    coeffs: Sequence[int],
    const: int,
    returns: str,
) -> NodeSpec:
    params = [
        Param(param_name, annotation, default)
        for param_name, annotation, default in zip(chosen, annotations, defaults, strict=True)
    ]
    # Python wants defaulted parameters last; keep the drawn order otherwise (stable sort).
    order = sorted(range(len(params)), key=lambda i: params[i].has_default)
    return NodeSpec(
        name=name,
        params=tuple(params[i] for i in order),
        coeffs=tuple(coeffs[i] for i in order),
        const=const,
        returns=returns,
    )


@st.composite
def dag_specs(
    draw: st.DrawFn,
    *,
    min_nodes: int = 1,
    max_nodes: int = 40,
    min_inputs: int = 0,
    max_inputs: int = 6,
    max_params: int = 5,
) -> DagSpec:
    """Random DAG specs: ``n_0..n_{N-1}`` over inputs ``in_0..in_{k-1}``.

    Each parameter names one of the three previous nodes or, as often, any earlier node or
    input, which keeps the DAGs deep as well as wide; a node without parameters is rare.
    About a quarter of the parameters have a default: on an input that makes the input
    optional; on a node the default must be ignored (the node's value wins).
    """
    n_nodes = draw(st.integers(min_nodes, max_nodes))
    n_inputs = draw(st.integers(min_inputs, max_inputs))
    input_names = [f"in_{i}" for i in range(n_inputs)]
    nodes: list[NodeSpec] = []
    for i in range(n_nodes):
        # newest first, so that examples shrink towards chains
        candidates = [node.name for node in reversed(nodes)] + input_names
        chosen: list[str] = []
        if candidates:
            is_root = draw(st.integers(0, 7)) == 0
            count = 0 if is_root else min(draw(st.integers(1, max_params)), len(candidates))
            recent = candidates[: min(3, i)] or candidates
            chosen = draw(
                st.lists(
                    st.sampled_from(recent) | st.sampled_from(candidates),
                    unique=True,
                    min_size=count,
                    max_size=count,
                )
            )
        k = len(chosen)
        annotations = draw(st.lists(st.sampled_from(PARAM_ANNOTATIONS), min_size=k, max_size=k))
        has_default = draw(
            st.lists(st.integers(0, 3).map(lambda x: x == 0), min_size=k, max_size=k)
        )
        default_values = draw(st.lists(st.integers(0, PRIME - 1), min_size=k, max_size=k))
        coeffs = draw(st.lists(st.integers(1, PRIME - 1), min_size=k, max_size=k))
        const = draw(st.integers(0, PRIME - 1))
        returns = draw(st.sampled_from(RETURN_ANNOTATIONS))
        defaults = [v if d else None for v, d in zip(default_values, has_default, strict=True)]
        nodes.append(_make_node(f"n_{i}", chosen, annotations, defaults, coeffs, const, returns))
    return DagSpec(tuple(nodes), future_annotations=draw(st.booleans()))


def chain_spec(length: int) -> DagSpec:
    """``n_0(in_0) -> n_1 -> ... -> n_{length-1}``."""
    nodes = [NodeSpec("n_0", (Param("in_0"),), (3,), 1)]
    for i in range(1, length):
        coeff = 2 + i % 97
        nodes.append(NodeSpec(f"n_{i}", (Param(f"n_{i - 1}"),), (coeff,), i % PRIME))
    return DagSpec(tuple(nodes))


def layered_spec(n_nodes: int, width: int, n_inputs: int, seed: int) -> DagSpec:
    """A random layered DAG: each node reads 1-4 nodes of the previous three layers.

    The first layer reads the inputs. About one parameter in eight has a default. Annotations
    are strings (``from __future__ import annotations``).
    """
    rng = random.Random(seed)
    inputs = [f"in_{i}" for i in range(n_inputs)]
    nodes: list[NodeSpec] = []
    layers: list[list[str]] = []
    while len(nodes) < n_nodes:
        layer: list[str] = []
        pool = [name for previous in layers[-3:] for name in previous] or inputs
        for _ in range(min(width, n_nodes - len(nodes))):
            name = f"n_{len(nodes)}"
            chosen = rng.sample(pool, rng.randint(1, min(4, len(pool))))
            k = len(chosen)
            nodes.append(
                _make_node(
                    name,
                    chosen,
                    [rng.choice(PARAM_ANNOTATIONS) for _ in range(k)],
                    [rng.randrange(PRIME) if rng.random() < 0.125 else None for _ in range(k)],
                    [rng.randrange(1, PRIME) for _ in range(k)],
                    rng.randrange(PRIME),
                    rng.choice(RETURN_ANNOTATIONS),
                )
            )
            layer.append(name)
        layers.append(layer)
    return DagSpec(tuple(nodes), future_annotations=True)


def strip_annotation(spec: DagSpec, node_name: str, param_name: str | None) -> DagSpec:
    """A copy of ``spec`` where one parameter (or, if ``None``, the return) is unannotated."""
    node = spec.index[node_name]
    if param_name is None:
        new_node = NodeSpec(node.name, node.params, node.coeffs, node.const, None)
    else:
        params = tuple(
            Param(p.name, None, p.default) if p.name == param_name else p for p in node.params
        )
        new_node = NodeSpec(node.name, params, node.coeffs, node.const, node.returns)
    nodes = tuple(new_node if n.name == node_name else n for n in spec.nodes)
    return DagSpec(nodes, spec.future_annotations)


# ---------------------------------------------------------------------------------------------
# Real functions in a real (temporary) module


def render_source(spec: DagSpec) -> str:
    header = "from __future__ import annotations\n\n" if spec.future_annotations else ""
    header += "from typing import Any\n\n\n"
    return header + "\n\n".join(node.render() for node in spec.nodes)


CreateModule = Callable[..., ModuleType]
"""``ad_hoc_utils.create_temporary_module`` of the library under test."""

_module_counter = itertools.count()


@dataclass
class BuiltDag:
    module: ModuleType
    calls: list[str]
    """Names of the generated functions, appended in call order by the functions themselves."""

    def take_calls(self) -> list[str]:
        """The calls made since the last ``take_calls`` (and forget them)."""
        taken = list(self.calls)
        self.calls.clear()
        return taken


@contextmanager
def built_module(
    spec: DagSpec, create_temporary_module: CreateModule, *, from_source: bool = True
) -> Iterator[BuiltDag]:
    """House the spec's functions in a uniquely named temporary module.

    ``from_source``: exec the rendered source, registered in ``linecache`` so that
    ``inspect.getsource`` works as for a file. Otherwise use :func:`_functions_from_templates`,
    which is about ten times faster for huge specs (compiling 100,000 functions takes seconds).
    The module and the source are forgotten on exit.
    """
    module_name = f"plait_property_dag_{next(_module_counter)}_{uuid.uuid4().hex[:12]}"
    filename = f"<{module_name}>"
    calls: list[str] = []
    namespace: dict[str, Any] = {"__name__": module_name, "_calls": calls}
    try:
        if from_source:
            source = render_source(spec)
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            # dont_inherit: this module's own `from __future__ import annotations` must not leak
            exec(compile(source, filename, "exec", dont_inherit=True), namespace)
            functions = [namespace[node.name] for node in spec.nodes]
        else:
            functions = _functions_from_templates(spec, namespace, filename)
        module = create_temporary_module(*functions, module_name=module_name)
        yield BuiltDag(module, calls)
    finally:
        sys.modules.pop(module_name, None)
        linecache.cache.pop(filename, None)


_ANNOTATION_OBJECTS: dict[str, Any] = {"int": int, "Any": Any, "object": object}


def _functions_from_templates(
    spec: DagSpec, namespace: dict[str, Any], filename: str
) -> list[FunctionType]:
    """The same functions as :func:`render_source`, without compiling one per node.

    One closure template is compiled per arity; each node's function is a copy of its code
    with the node's name and parameter names (``CodeType.replace``), the node's constants in
    closure cells, and real ``__defaults__`` / ``__annotations__``.
    """
    makers: dict[int, Callable[[str, tuple[int, ...]], FunctionType]] = {}
    functions: list[FunctionType] = []
    namespace["Any"] = Any  # string annotations are resolved in the function's globals
    annotation_of: Callable[[str], Any] = (
        str if spec.future_annotations else _ANNOTATION_OBJECTS.__getitem__
    )
    for node in spec.nodes:
        arity = len(node.params)
        if arity not in makers:
            params = ", ".join(f"p{i}" for i in range(arity))
            terms = "".join(f" + _k[{i + 1}] * p{i}" for i in range(arity))
            source = (
                f"def _make_{arity}(_name, _k):\n"
                f"    def f({params}):\n"
                f"        _calls.append(_name)\n"
                f"        return (_k[0]{terms}) % {PRIME}\n"
                f"    return f\n"
            )
            exec(compile(source, filename, "exec", dont_inherit=True), namespace)
            makers[arity] = namespace.pop(f"_make_{arity}")
        proto = makers[arity](node.name, (node.const, *node.coeffs))
        changes: dict[str, Any] = {
            "co_name": node.name,
            "co_varnames": tuple(p.name for p in node.params),
        }
        if sys.version_info >= (3, 11):
            changes["co_qualname"] = node.name
        defaults = tuple(p.default for p in node.params if p.default is not None)
        fn = FunctionType(
            proto.__code__.replace(**changes),
            namespace,
            node.name,
            defaults or None,
            proto.__closure__,
        )
        annotations = {p.name: annotation_of(p.annotation) for p in node.params if p.annotation}
        if node.returns is not None:
            annotations["return"] = annotation_of(node.returns)
        fn.__annotations__ = annotations
        fn.__module__ = namespace["__name__"]
        functions.append(fn)
    return functions


# ---------------------------------------------------------------------------------------------
# Reference semantics


@dataclass
class Evaluation:
    """What a correct ``execute(outputs, inputs=..., overrides=...)`` does."""

    values: dict[str, int]
    """The requested outputs (empty when a required input is missing)."""
    called: list[str]
    """Function nodes that must run (each exactly once), in topological order."""
    required_inputs: set[str]
    """Inputs needed through a parameter without a default (given the overrides)."""
    missing_inputs: set[str]


def _needed(
    spec: DagSpec, outputs: Collection[str], inputs: Collection[str], overrides: Collection[str]
) -> tuple[set[str], set[str]]:
    """(names whose value is needed, inputs required), by a reverse topological sweep."""
    needed = set(outputs)
    required: set[str] = set()
    for node in reversed(spec.nodes):
        if node.name not in needed or node.name in overrides:
            continue
        for param in node.params:
            is_input = param.name not in spec.index
            if not is_input or param.name in inputs:
                needed.add(param.name)
            if is_input and not param.has_default:
                needed.add(param.name)
                required.add(param.name)
    return needed, required


def evaluate(
    spec: DagSpec,
    outputs: Collection[str],
    inputs: Mapping[str, int],
    overrides: Mapping[str, int] | None = None,
) -> Evaluation:
    """Hamilton semantics, computed without touching the generated functions.

    * A node is needed if requested or a parameter of a needed, non-overridden node; an
      overridden node takes its override and its own parameters are not needed.
    * A parameter naming a node always gets that node's value (its default is ignored).
    * A parameter naming an input gets the input if provided, else its default; without a
      default the input is required.
    """
    overrides = overrides or {}
    index = spec.index
    needed, required = _needed(spec, outputs, inputs, overrides)
    missing = required - set(inputs)
    if missing:
        return Evaluation({}, [], required, missing)

    values: dict[str, int] = {}
    called: list[str] = []
    for node in spec.nodes:
        if node.name not in needed:
            continue
        if node.name in overrides:
            values[node.name] = overrides[node.name]
            continue
        args: dict[str, int] = {}
        for param in node.params:
            if param.name in index:
                args[param.name] = values[param.name]
            elif param.name in inputs:
                args[param.name] = inputs[param.name]
            else:
                assert param.default is not None
                args[param.name] = param.default
        values[node.name] = node.compute(args)
        called.append(node.name)
    result = {name: values[name] if name in index else inputs[name] for name in outputs}
    return Evaluation(result, called, required, set())


def upstream_closure(spec: DagSpec, names: Collection[str]) -> set[str]:
    """The queried names and everything they (transitively) take as a parameter."""
    seen = set(names)
    stack = list(names)
    while stack:
        node = spec.index.get(stack.pop())
        if node is None:
            continue
        for param in node.params:
            if param.name not in seen:
                seen.add(param.name)
                stack.append(param.name)
    return seen


def downstream_closure(spec: DagSpec, names: Collection[str]) -> set[str]:
    """The queried names and every node that (transitively) takes one of them."""
    consumers = spec.consumers()
    seen = set(names)
    stack = list(names)
    while stack:
        for consumer in consumers[stack.pop()]:
            if consumer not in seen:
                seen.add(consumer)
                stack.append(consumer)
    return seen
