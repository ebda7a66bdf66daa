"""Workload generators: each writes a real module file and imports it.

Every framework discovers the functions from the same imported module object, exactly as a
user's ``driver.Builder().with_modules(module)`` would. Files are written once per parameter
set into a cache directory (a temp dir per run) and imported with importlib.
"""

from __future__ import annotations

import importlib.util
import math
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

_MODULE_PREFIX = "plait_bench_"


@dataclass
class Workload:
    """A generated module plus what to feed it and what to ask of it."""

    name: str
    module: ModuleType
    inputs: dict[str, Any]
    nodes: list[str]
    outputs: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.nodes)


@dataclass
class _Node:
    name: str
    parents: list[str]


class ModuleFactory:
    """Writes module files into ``directory`` and imports each at most once."""

    def __init__(self, directory: Path | None = None) -> None:
        if directory is None:
            self._tmp: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(
                prefix="plait-bench-"
            )
            directory = Path(self._tmp.name)
        else:
            self._tmp = None
            directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._cache: dict[str, Workload] = {}
        self._specs: dict[tuple[int, int, int], _DecoratedSpec] = {}

    def release(self) -> None:
        """Forget the imported modules (their files stay, so a reload is cheap)."""
        for key in self._cache:
            sys.modules.pop(_MODULE_PREFIX + key, None)
        self._cache.clear()
        self._specs.clear()

    def close(self) -> None:
        self.release()
        if self._tmp is not None:
            self._tmp.cleanup()

    def layered(self, n: int, *, seed: int = 0, n_inputs: int = 4) -> Workload:
        """Random layered DAG of ``n`` trivial typed int functions."""
        key = f"layered_n{n}_i{n_inputs}_s{seed}"
        if key not in self._cache:
            inputs = {f"inp_{i}": i + 1 for i in range(n_inputs)}
            nodes = _layered_nodes(n, list(inputs), random.Random(seed))
            self._cache[key] = self._load(key, _int_source(nodes), inputs, nodes, {"seed": seed})
        return self._cache[key]

    def chain(self, depth: int) -> Workload:
        """A chain ``c_0(x) -> c_1(c_0) -> ...`` of ``depth`` functions; asks for the tip."""
        key = f"chain_d{depth}"
        if key not in self._cache:
            nodes = [_Node("c_0", ["x"])]
            nodes += [_Node(f"c_{i}", [f"c_{i - 1}"]) for i in range(1, depth)]
            wl = self._load(key, _int_source(nodes), {"x": 0}, nodes, {"depth": depth})
            wl.outputs = [nodes[-1].name]
            self._cache[key] = wl
        return self._cache[key]

    def row_graph(self, n_rows: int = 1000) -> Workload:
        """The 20-node graph used for the row-based loop (3 inputs), with ``n_rows`` input rows."""
        wl = self.layered(20, seed=20, n_inputs=3)
        wl.meta["rows"] = [
            {name: r * 3 + j for j, name in enumerate(wl.inputs)} for r in range(n_rows)
        ]
        return wl

    def series_columns(self, n_columns: int = 1000, n_rows: int = 10_000) -> Workload:
        """``n_columns`` functions each returning a pd.Series of ``n_rows`` from an input series."""
        key = f"series_c{n_columns}_r{n_rows}"
        if key not in self._cache:
            import numpy as np
            import pandas as pd

            base = pd.Series(np.arange(n_rows, dtype="float64"), name="base")
            names = [f"col_{i}" for i in range(n_columns)]
            wl = self._load(key, _series_source(names), {"base": base}, [], {"rows": n_rows})
            wl.nodes = names
            wl.outputs = list(names)
            self._cache[key] = wl
        return self._cache[key]

    def decorated(
        self, n: int, package: str | None, *, variants: int = 5, seed: int = 0
    ) -> Workload:
        """``n`` functions, each ``@tag(owner=..., layer=...)`` over ``@parameterize`` of
        ``variants`` outputs ``f{i}_v{k}`` (``x`` bound to ``value(k)``): ``n * variants`` nodes.

        The other parameters are outputs of earlier functions (a layered DAG of the functions, as
        ``layered`` makes, each edge reading one variant chosen at random) or external inputs.
        ``package`` is the library the file imports its decorators from (``"plait"`` or
        ``"hamilton"``; the bodies are identical); ``None`` writes the same functions without
        decorators (a baseline for the cost of defining them). ``meta`` holds ``functions``,
        ``variants``, ``tags`` (node -> (owner, layer)) and ``expected`` (output -> value).
        """
        spec_key = (n, variants, seed)
        if spec_key not in self._specs:
            self._specs[spec_key] = _decorated_spec(n, variants, random.Random(seed))
        spec = self._specs[spec_key]
        key = f"decorated_n{n}_v{variants}_s{seed}_{package or 'bare'}"
        if key not in self._cache:
            source = _decorated_source(spec, package)
            meta = {
                "functions": n,
                "variants": variants,
                "package": package,
                "tags": spec.tags,
                "expected": {name: spec.values[name] for name in spec.checked},
            }
            wl = self._load(key, source, dict(spec.inputs), [], meta)
            wl.nodes = [name for name in spec.values if name not in spec.inputs]
            wl.outputs = list(spec.checked)
            self._cache[key] = wl
        return self._cache[key]

    def _load(
        self,
        key: str,
        source: str,
        inputs: dict[str, Any],
        nodes: list[_Node],
        meta: dict[str, Any],
    ) -> Workload:
        path = self.directory / f"{_MODULE_PREFIX}{key}.py"
        if not path.exists():
            path.write_text(source)
        module = _import_path(_MODULE_PREFIX + key, path)
        names = [node.name for node in nodes]
        return Workload(key, module, inputs, names, list(names), meta)


def _import_path(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _layered_nodes(n: int, inputs: list[str], rng: random.Random) -> list[_Node]:
    """Layers of width ~sqrt(n); each node reads 1-3 nodes of the two layers before it."""
    width = max(2, math.isqrt(n))
    nodes: list[_Node] = []
    prev: list[str] = list(inputs)
    before_prev: list[str] = []
    unused_inputs = list(inputs)
    while len(nodes) < n:
        layer: list[str] = []
        for _ in range(min(width, n - len(nodes))):
            name = f"n_{len(nodes)}"
            parents = _pick_parents(rng, prev, before_prev)
            if unused_inputs:  # every external input is read by someone in layer 0
                first = unused_inputs.pop()
                parents = [first, *(p for p in parents if p != first)][:3]
            nodes.append(_Node(name, parents))
            layer.append(name)
        before_prev, prev = prev, layer
    return nodes


def _pick_parents(rng: random.Random, prev: list[str], before_prev: list[str]) -> list[str]:
    fan_in = rng.randint(1, 3)
    pool = prev + before_prev if before_prev and rng.random() < 0.3 else prev
    parents = rng.sample(pool, min(fan_in, len(pool)))
    if not any(p in prev for p in parents):  # keep the layering: at least one from the layer above
        parents[0] = rng.choice(prev)
    return sorted(set(parents), key=parents.index)


def _int_source(nodes: list[_Node]) -> str:
    parts = ['"""Generated by benchmarks/dags.py: trivial typed int functions."""\n']
    for node in nodes:
        params = ", ".join(f"{p}: int" for p in node.parents)
        body = " + ".join(node.parents) if len(node.parents) > 1 else f"{node.parents[0]} + 1"
        parts.append(f"\n\ndef {node.name}({params}) -> int:\n    return {body}\n")
    return "".join(parts)


def _series_source(names: list[str]) -> str:
    parts = [
        '"""Generated by benchmarks/dags.py: functions returning pd.Series."""\n\n',
        "import pandas as pd\n",
    ]
    for i, name in enumerate(names):
        parts.append(f"\n\ndef {name}(base: pd.Series) -> pd.Series:\n    return base + {i}\n")
    return "".join(parts)


@dataclass
class _DecoratedSpec:
    """What ``decorated`` writes: per function its parameters (besides ``x``) and tags."""

    functions: list[_Node]  # name f{i}; parents are variant outputs f{j}_v{k} or inputs
    variants: int
    inputs: dict[str, int]
    tags: dict[str, tuple[str, str]]  # node -> (owner, layer)
    values: dict[str, int]  # every node and input -> its value for ``inputs``
    checked: list[str]  # a few outputs whose values the benchmark compares


def _decorated_spec(n: int, variants: int, rng: random.Random) -> _DecoratedSpec:
    inputs = {f"inp_{i}": i + 1 for i in range(4)}
    values: dict[str, int] = dict(inputs)
    layer_of = dict.fromkeys(inputs, 0)
    tags: dict[str, tuple[str, str]] = {}
    functions = []
    for node in _layered_nodes(n, list(inputs), rng):
        i = int(node.name[2:])
        parents = [
            p if p in inputs else f"f{p[2:]}_v{rng.randrange(variants)}" for p in node.parents
        ]
        name = f"f{i}"
        layer = 1 + max(layer_of[p] for p in parents)
        owner = f"team_{i % 8}"
        upstream = sum(values[p] for p in parents)
        for k in range(variants):
            out = f"{name}_v{k}"
            values[out] = k + upstream
            layer_of[out] = layer
            tags[out] = (owner, f"l{layer}")
        functions.append(_Node(name, parents))
    last, middle = functions[-1].name, functions[len(functions) // 2].name
    checked = [f"{last}_v{k}" for k in range(variants)]
    checked += [f"{middle}_v{variants // 2}", f"{functions[0].name}_v{variants - 1}"]
    return _DecoratedSpec(functions, variants, inputs, tags, values, checked)


def _decorated_source(spec: _DecoratedSpec, package: str | None) -> str:
    parts = [
        '"""Generated by benchmarks/dags.py: @tag over @parameterize, trivial int bodies."""\n'
    ]
    if package is not None:
        parts.append(f"\nfrom {package}.function_modifiers import parameterize, tag, value\n")
    for fn in spec.functions:
        params = ", ".join(["x: int", *(f"{p}: int" for p in fn.parents)])
        body = " + ".join(["x", *fn.parents])
        decorators = ""
        if package is not None:
            owner, layer = spec.tags[f"{fn.name}_v0"]
            outputs = "".join(
                f'    {fn.name}_v{k}={{"x": value({k})}},\n' for k in range(spec.variants)
            )
            decorators = f'@tag(owner="{owner}", layer="{layer}")\n@parameterize(\n{outputs})\n'
        parts.append(f"\n\n{decorators}def {fn.name}({params}) -> int:\n    return {body}\n")
    return "".join(parts)
