"""plait benchmark suite: every workload, every framework, one process, one command.

    python benchmarks/run.py [--quick] [--only NAME[,NAME]] [--json PATH]

Frameworks: ``plain`` (the reference loop), ``plait``, ``hamilton``, ``pipefunc`` (and, for the
build workload only, ``pipefunc[Pipeline(list)]``). A framework that cannot be imported (plait
while its core is being written) is reported as "n/a". See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import logging
import math
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dags import ModuleFactory, Workload
from frameworks import Framework, Plain, all_frameworks
from measure import (
    NA,
    OK,
    BudgetExceeded,
    Contender,
    Settings,
    failure,
    ratio,
    run_case,
    time_limit,
    value,
)
from report import Cell, Row, machine_info, make_row, print_table, write_json

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PLAIT_SRC = REPO / "src"


@dataclass(frozen=True)
class Config:
    settings: Settings
    import_repeats: int
    build_sizes: tuple[int, ...]
    memory_size: int = 5_000
    execute_size: int = 5_000
    row_calls: int = 1_000
    df_columns: int = 1_000
    df_rows: int = 10_000
    chain_depths: tuple[int, ...] = (3_000, 100_000)
    chain_peer_max_depth: int = 100_000  # hamilton/pipefunc are not run deeper than this
    decorated_functions: int = 2_000  # the decorators workload also runs 4x this many
    parallel_sizes: tuple[int, ...] = (100, 1_000, 10_000, 100_000)  # items per block
    parallel_cpu_items: int = 16  # ~50 ms items, synchronous vs 2 processes


FULL = Config(
    settings=Settings(repeats=7, min_sample_s=0.2, single_shot_s=4.0, budget_s=60.0),
    import_repeats=7,
    build_sizes=(100, 1_000, 20_000, 100_000),
)
QUICK = Config(
    settings=Settings(repeats=3, min_sample_s=0.05, single_shot_s=1.5, budget_s=15.0),
    import_repeats=3,
    build_sizes=(100, 1_000, 20_000),
    chain_peer_max_depth=3_000,
    decorated_functions=500,
    parallel_sizes=(100, 1_000, 10_000),
    parallel_cpu_items=8,
)


@dataclass
class Context:
    config: Config
    frameworks: list[Framework]
    unavailable: dict[str, str]
    factory: ModuleFactory
    rows: list[Row] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.config.settings

    def runnable(self, *, build_only: bool = False) -> list[Framework]:
        return [f for f in self.frameworks if build_only or not f.build_only]

    def contender(
        self, fw: Framework, prepare: Callable[[], Callable[[], Any]], per: float
    ) -> Contender:
        c = Contender(fw.name, prepare, per)
        if fw.name in self.unavailable:
            c.status = NA
        return c


# ---------------------------------------------------------------- import


_IMPORT_CODE = (
    "import time\nt = time.perf_counter()\n{stmt}\nprint(repr(time.perf_counter() - t))\n"
)


def _import_once(fw: Framework) -> tuple[float, float]:
    """(in-process import seconds, wall seconds of the whole fresh interpreter)."""
    env = dict(os.environ)
    paths = [*fw.import_paths, env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    code = _IMPORT_CODE.format(stmt=fw.import_statement)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["exit status " + str(proc.returncode)]
        raise ImportError(lines[-1][:120])
    return float(proc.stdout.strip().splitlines()[-1]), wall


def bench_import(ctx: Context) -> None:
    """``from X import driver`` in fresh interpreters, interleaved, after one warm-up each."""
    fws = ctx.runnable()
    inproc = {fw.name: Contender(fw.name, lambda: lambda: None) for fw in fws}
    wall = {fw.name: Contender(fw.name, lambda: lambda: None) for fw in fws}
    live = []
    for fw in fws:
        try:
            _import_once(fw)  # warm the OS file cache and write bytecode
            live.append(fw)
        except (ImportError, subprocess.TimeoutExpired) as exc:
            inproc[fw.name].status = wall[fw.name].status = NA if fw.name == "plait" else str(exc)
    for r in range(ctx.config.import_repeats):
        k = r % max(1, len(live))
        for fw in live[k:] + live[:k]:
            inproc[fw.name].samples[r], wall[fw.name].samples[r] = _import_once(fw)
    note = "plain = bare interpreter (`pass`); pipefunc = `from pipefunc import Pipeline`"
    ctx.rows.append(
        make_row(
            "import", "import only", "ms", 1e3, list(inproc.values()), with_ratio=False, note=note
        )
    )
    ctx.rows.append(
        make_row(
            "import", "fresh interpreter, wall", "ms", 1e3, list(wall.values()), with_ratio=False
        )
    )


# ---------------------------------------------------------------- build


def _extrapolate(history: list[tuple[int, float]], n: int, exponent: float) -> float | None:
    """Seconds for size ``n`` from earlier (size, seconds); slope of the last two if known."""
    if not history:
        return None
    if len(history) >= 2:
        (n0, t0), (n1, t1) = history[-2], history[-1]
        if t0 > 0 and t1 > 0 and n1 > n0:
            exponent = min(2.5, max(1.0, math.log(t1 / t0) / math.log(n1 / n0)))
    n_last, t_last = history[-1]
    return float(t_last * (n / n_last) ** exponent)


def _builder(fw: Framework, wl: Workload) -> Callable[[], Callable[[], Any]]:
    module = wl.module
    return lambda: lambda: fw.build(module)


def bench_build(ctx: Context) -> None:
    """Build (crawl + graph + validation) of random layered DAGs of trivial int functions."""
    history: dict[str, list[tuple[int, float]]] = {}
    for n in ctx.config.build_sizes:
        wl = ctx.factory.layered(n)
        cs = []
        for fw in ctx.runnable(build_only=True):
            c = ctx.contender(fw, _builder(fw, wl), per=n)
            c.first_call_is_sample = True
            hint = 2.0 if fw.build_only else 1.0  # Pipeline(list) is O(n^2)
            c.estimate_s = _extrapolate(history.get(fw.name, []), n, hint)
            cs.append(c)
        _run(ctx, cs)
        for c in cs:
            if (v := value(c)) is not None:
                history.setdefault(c.name, []).append((n, v * n))
        ctx.rows.append(make_row("build", f"n={n:,}", "us/node", 1e6, cs))
    _scaling_row(ctx)


def _scaling_row(ctx: Context) -> None:
    """Per-node build time at the largest size over the one at 20,000 (1.0 = linear)."""
    builds = {row.case: row for row in ctx.rows if row.workload == "build"}
    largest = max(ctx.config.build_sizes)
    small, big = builds.get("n=20,000"), builds.get(f"n={largest:,}")
    if small is None or big is None or largest <= 20_000:
        return
    cells = {name: _scaled(cell, small.cells.get(name)) for name, cell in big.cells.items()}
    ref = cells.get("plain")
    for name, cell in cells.items():
        if name != "plain" and ref and ref.value and cell.value is not None:
            cell.ratio_to_plain = cell.value / ref.value
    note = (
        "per-node time at the largest size / at 20,000; 1.0 = linear. The plain loop is not"
        " linear either (cache effects); (x) compares with its growth"
    )
    ctx.rows.append(Row("build", f"scaling 20k->{largest // 1000}k", "x", cells, None, note))


def _scaled(cell: Cell, before: Cell | None) -> Cell:
    blank = replace(cell, value=None, ratio_to_plain=None, samples=[], first_call=None)
    if cell.value is None or before is None or not before.value:
        if before is not None and before.value is None:
            blank.status = before.status
        return blank
    return replace(blank, status=OK, value=cell.value / before.value)


# ---------------------------------------------------------------- decorators

#: the frameworks with Hamilton's decorators; the others get this status in the decorator rows
_DECORATING = ("plait", "hamilton")
_NO_DECORATORS = "n/a (no decorators)"
_VARIANTS = 5


def _decorated_problem(
    fw: Framework, wl: Workload, driver: Any, seen: dict[str, set[str]]
) -> str | None:
    """What is wrong with a built driver: node names, tags of every node, a few values."""
    variables = {v.name: v for v in driver.list_available_variables()}
    seen[fw.name] = set(variables)
    expected = set(wl.nodes) | set(wl.inputs)
    if set(variables) != expected:
        missing, extra = len(expected - set(variables)), len(set(variables) - expected)
        return f"node names differ: {missing} missing, {extra} extra"
    tags: dict[str, tuple[str, str]] = wl.meta["tags"]
    for name, (owner, layer) in tags.items():
        got = variables[name].tags
        if got.get("owner") != owner or got.get("layer") != layer:
            return f"tags differ, e.g. {name}: {got}"
    return _expect(wl.meta["expected"])(fw.execute(driver, wl.outputs, wl.inputs))


def _decorated_check(
    fw: Framework, wl: Workload, seen: dict[str, set[str]]
) -> Callable[[Any], str | None]:
    def check(driver: Any) -> str | None:
        try:
            return _decorated_problem(fw, wl, driver, seen)
        except Exception as exc:  # the check runs outside the harness's error handling
            return f"check failed: {type(exc).__name__}: {exc}".splitlines()[0][:100]

    return check


def _module_body(wl: Workload) -> Callable[[], Callable[[], Any]]:
    """Run the generated module's code again in a fresh namespace: the functions are defined and
    the decorators applied (and validated), as at import, minus finding and compiling the file."""
    path = Path(wl.module.__file__ or "")
    name = f"{wl.module.__name__}_body"

    def prepare() -> Callable[[], Any]:
        code = compile(path.read_text(), str(path), "exec")

        def call() -> dict[str, Any]:
            namespace = {"__name__": name}
            exec(code, namespace)
            return namespace

        return call

    return prepare


def _count_functions(n: int) -> Callable[[Any], str | None]:
    def check(namespace: Any) -> str | None:
        defined = sum(1 for key in namespace if key[0] == "f" and key[1:].isdigit())
        return None if defined == n else f"{defined} functions defined, not {n}"

    return check


def _decorated_contenders(
    ctx: Context, n: int, seen: dict[str, set[str]]
) -> tuple[list[Contender], list[Contender]]:
    """(build, decorate) contenders of every framework for the module of ``n`` functions."""
    wls = {
        name: ctx.factory.decorated(n, name, variants=_VARIANTS)
        for name in _DECORATING
        if name not in ctx.unavailable
    }
    bare = ctx.factory.decorated(n, None, variants=_VARIANTS)
    builds, bodies = [], []
    for fw in ctx.runnable():
        wl = wls.get(fw.name)
        b = ctx.contender(fw, _builder(fw, wl) if wl else lambda: lambda: None, per=n)
        b.first_call_is_sample = True
        e = ctx.contender(fw, _module_body(wl or bare), per=n)
        e.check = _count_functions(n)
        if wl is not None:
            b.check = _decorated_check(fw, wl, seen)
        elif fw.name not in _DECORATING:
            b.status = _NO_DECORATORS
            if fw.name != "plain":  # plain runs the same file without decorators
                e.status = _NO_DECORATORS
        builds.append(b)
        bodies.append(e)
    return builds, bodies


def _decorated_rows(
    n: int, builds: list[Contender], bodies: list[Contender], seen: dict[str, set[str]]
) -> list[Row]:
    case = f"{n:,} fns ({n * _VARIANTS:,} nodes)"
    firsts = ", ".join(f"{c.name} {c.first_call_s / n * 1e6:.3g}" for c in builds if c.first_call_s)
    same = [seen.get(name) for name in _DECORATING]
    if same[0] is not None and same[1] is not None:
        verdict = "the same" if same[0] == same[1] else "DIFFERENT"
        names = f"node names of plait and hamilton: {verdict} ({len(same[0]):,} incl. inputs)"
    else:
        names = "node names not compared (a library did not build)"
    note = (
        f"first build after import, us/function: {firsts or '-'}; {names}; every node's tags"
        " and 7 outputs' values checked"
    )
    body_note = "module code run again: def + decorators; plain = the same file without decorators"
    per_node = [replace(c, per=c.per * _VARIANTS) for c in builds]
    return [
        make_row("decorators", f"{case}: build", "us/function", 1e6, builds, note=note),
        make_row("decorators", f"{case}: build", "us/node", 1e6, per_node),
        make_row("decorators", f"{case}: decorate", "us/function", 1e6, bodies, note=body_note),
    ]


def _scaling_cell(big: Contender, small: Contender) -> Cell:
    """Per-function time at the larger size over the smaller, paired by round."""
    r = ratio(big, small)
    paired = [
        big.samples[k] / big.per / (small.samples[k] / small.per)
        for k in sorted(big.samples)
        if k in small.samples and big.status == OK and small.status == OK
    ]
    status = big.status if big.status != OK else small.status
    return Cell(big.name, status, r, None, paired, 1, None)


def bench_decorators(ctx: Context) -> None:
    """Build of N functions, each ``@tag`` over ``@parameterize`` of 5 ``value`` variants, and of
    4N; the cost of applying the decorators (running the module body) at both sizes.

    Both sizes are one case, so their rounds interleave: the scaling row is the median of
    per-round ratios (4N over N, per function), which cancels the drift of a shared machine.
    """
    n = ctx.config.decorated_functions
    sizes = (n, 4 * n)
    seen: dict[int, dict[str, set[str]]] = {size: {} for size in sizes}
    cases = {size: _decorated_contenders(ctx, size, seen[size]) for size in sizes}
    _run(ctx, [c for size in sizes for c in cases[size][0]])
    _run(ctx, [c for size in sizes for c in cases[size][1]])
    for size in sizes:
        ctx.rows += _decorated_rows(size, *cases[size], seen[size])
    small, big = cases[sizes[0]][0], cases[sizes[1]][0]
    cells = {b.name: _scaling_cell(b, s) for b, s in zip(big, small, strict=True)}
    note = (
        f"build time per function at {sizes[1]:,} functions / at {sizes[0]:,}, median of"
        " same-round ratios (both sizes run interleaved); 1.0 = linear"
    )
    ctx.rows.append(
        Row("decorators", f"scaling {sizes[0]:,}->{sizes[1]:,}", "x", cells, None, note)
    )


# ---------------------------------------------------------------- memory


def _peak_build_bytes(fw: Framework, wl: Workload) -> float:
    fw.build(wl.module)  # warm-up: lazy imports and caches are not the graph's memory
    gc.collect()
    tracemalloc.start()
    try:
        handle = fw.build(wl.module)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del handle
    return float(peak)


def bench_memory(ctx: Context) -> None:
    """tracemalloc peak of one build of the layered DAG (after a warm-up build)."""
    n = ctx.config.memory_size
    wl = ctx.factory.layered(n)
    cs = []
    for fw in ctx.runnable():
        c = ctx.contender(fw, lambda: lambda: None, per=1)
        if c.status == OK:
            try:
                with time_limit(ctx.settings.budget_s * 2):
                    c.samples[0] = _peak_build_bytes(fw, wl)
            except (Exception, BudgetExceeded) as exc:  # budget, recursion or a failing build
                c.status = failure(exc, ctx.settings.budget_s * 2)
        cs.append(c)
    ctx.rows.append(make_row("memory", f"build n={n:,}", "MB", 1 / 2**20, cs))


# ---------------------------------------------------------------- execute


def _executor(
    fw: Framework, wl: Workload, outputs: Sequence[str], inputs: Mapping[str, Any]
) -> Callable[[], Callable[[], Any]]:
    """Build outside the clock; each timed call gets new input values (0, 1, 2, ... added to
    ``inputs``; the first call, which is checked, gets ``inputs`` itself), so that no result
    cache can answer a repeated call."""

    def prepare() -> Callable[[], Any]:
        handle = fw.build(wl.module)
        fresh = _fresh_inputs(inputs)
        return lambda: fw.execute(handle, outputs, fresh())

    return prepare


def _fresh_inputs(inputs: Mapping[str, Any]) -> Callable[[], dict[str, Any]]:
    counter = itertools.count()

    def fresh() -> dict[str, Any]:
        k = next(counter)
        return {name: value + k for name, value in inputs.items()}

    return fresh


def _expect(expected: Mapping[str, Any]) -> Callable[[Any], str | None]:
    def check(result: Any) -> str | None:
        got = {name: result[name] for name in expected}
        bad = [name for name in expected if got[name] != expected[name]]
        return f"{len(bad)} values differ, e.g. {bad[0]}" if bad else None

    return check


def _reference(wl: Workload, outputs: Sequence[str], inputs: Mapping[str, Any]) -> Any:
    plain = Plain()
    return plain.execute(plain.build(wl.module), outputs, inputs)


def bench_execute(ctx: Context) -> None:
    """Repeated execute of all nodes of one built graph (a warm-up call first)."""
    n = ctx.config.execute_size
    wl = ctx.factory.layered(n)
    check = _expect(_reference(wl, wl.outputs, wl.inputs))
    cs = []
    for fw in ctx.runnable():
        c = ctx.contender(fw, _executor(fw, wl, wl.outputs, wl.inputs), per=n)
        c.check = check
        cs.append(c)
    _run(ctx, cs)
    ctx.rows.append(_with_first_calls(make_row("execute", f"all {n:,} nodes", "us/node", 1e6, cs)))


def _with_first_calls(row: Row) -> Row:
    firsts = [
        f"{name} {cell.first_call:.3g}" for name, cell in row.cells.items() if cell.first_call
    ]
    row.note = f"first call (plans, caches), {row.unit}: " + ", ".join(firsts)
    return row


def _row_looper(fw: Framework, wl: Workload, calls: int) -> Callable[[], Callable[[], Any]]:
    rows: list[dict[str, Any]] = wl.meta["rows"]
    outputs = wl.outputs

    def prepare() -> Callable[[], Any]:
        handle = fw.build(wl.module)
        execute = fw.execute

        def loop() -> Any:
            result = None
            for i in range(calls):
                result = execute(handle, outputs, rows[i % len(rows)])
            return result

        return loop

    return prepare


def bench_rowloop(ctx: Context) -> None:
    """One driver, ``row_calls`` executes of a 20-node graph with changing inputs."""
    calls = ctx.config.row_calls
    wl = ctx.factory.row_graph(calls)  # a different row for every call of a sample
    last_row = wl.meta["rows"][(calls - 1) % len(wl.meta["rows"])]
    check = _expect(_reference(wl, wl.outputs, last_row))
    cs = []
    for fw in ctx.runnable():
        c = ctx.contender(fw, _row_looper(fw, wl, calls), per=calls)
        c.check = check
        cs.append(c)
    _run(ctx, cs)
    ctx.rows.append(make_row("rowloop", f"{wl.size} nodes x {calls:,} calls", "us/call", 1e6, cs))


def _df_executor(fw: Framework, wl: Workload) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        handle = fw.build_dataframe(wl.module)
        return lambda: fw.execute_dataframe(handle, wl.outputs, wl.inputs)

    return prepare


def _expect_frame(expected: Any) -> Callable[[Any], str | None]:
    def check(result: Any) -> str | None:
        if getattr(result, "shape", None) != expected.shape:
            return f"shape {getattr(result, 'shape', type(result).__name__)}"
        return None if result[list(expected.columns)].equals(expected) else "values differ"

    return check


def bench_dataframe(ctx: Context) -> None:
    """Legacy ``driver.Driver({}, module).execute(cols)`` -> DataFrame vs ``pd.DataFrame(dict)``."""
    cfg = ctx.config
    wl = ctx.factory.series_columns(cfg.df_columns, cfg.df_rows)
    plain = Plain()
    check = _expect_frame(plain.execute_dataframe(plain.build(wl.module), wl.outputs, wl.inputs))
    cs = []
    for fw in ctx.runnable():
        c = ctx.contender(fw, _df_executor(fw, wl), per=1)
        c.check = check
        cs.append(c)
    _run(ctx, cs)
    case = f"{cfg.df_columns:,} Series x {cfg.df_rows:,} rows"
    ctx.rows.append(make_row("dataframe", case, "ms", 1e3, cs))


# ---------------------------------------------------------------- deep chains


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Hamilton logs a help banner on every failed execute; keep the table readable."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _chain_case(
    ctx: Context, depth: int, skip: dict[str, str], history: dict[str, float]
) -> list[Contender]:
    wl = ctx.factory.chain(depth)
    check = _expect({wl.outputs[0]: depth})
    builds, executes = [], []
    for fw in ctx.runnable():
        b = ctx.contender(fw, _builder(fw, wl), per=depth)
        b.first_call_is_sample = True
        e = ctx.contender(fw, _executor(fw, wl, wl.outputs, wl.inputs), per=depth)
        e.check = check
        if fw.name not in ("plain", "plait") and depth > ctx.config.chain_peer_max_depth:
            skip.setdefault(fw.name, f"peers run to {ctx.config.chain_peer_max_depth:,} here")
        if fw.name in skip and b.status == OK:
            b.status = e.status = f"not run ({skip[fw.name]})"
        if fw.name in history:  # seconds per node of build + execute at the previous depth
            b.estimate_s = e.estimate_s = history[fw.name] * depth
        builds.append(b)
        executes.append(e)
    with _quiet("hamilton"):
        _run(ctx, builds)
        _run(ctx, executes)
    ctx.rows.append(make_row("chain", f"depth {depth:,}: build", "us/node", 1e6, builds))
    row = make_row("chain", f"depth {depth:,}: execute tip", "us/node", 1e6, executes)
    ctx.rows.append(_with_first_calls(row))
    for b, e in zip(builds, executes, strict=True):
        if (vb := value(b)) is not None and (ve := value(e)) is not None:
            history[b.name] = vb + ve
    return builds + executes


def bench_chain(ctx: Context) -> None:
    """A chain of D functions, asking for the tip: recursion depth, not speed, is the point.

    plain and plait run every depth; a peer runs a deeper chain only if it managed the one
    before (Hamilton's recursive execute raises RecursionError at 3,000).
    """
    skip: dict[str, str] = {}
    history: dict[str, float] = {}
    for depth in ctx.config.chain_depths:
        for c in _chain_case(ctx, depth, skip, history):
            failed = c.status not in (OK, NA) and not c.status.startswith("not run")
            if failed and c.name not in ("plain", "plait") and c.name not in skip:
                skip[c.name] = f"{c.status.split(':')[0].split(' (')[0]} at {depth:,}"


# ---------------------------------------------------------------- hooks


def bench_hooks(ctx: Context) -> None:
    """Execute of the layered DAG with 0, 1 and 3 no-op ``NodeExecutionHook``s, plus the
    execute workload's driver (no ``with_adapters``), all in one interleaved case; per-hook
    cost rows from same-round differences. See bench_hooks.py and the README."""
    import bench_hooks as hk

    n = ctx.config.execute_size
    wl = ctx.factory.layered(n)
    check = _expect(_reference(wl, wl.outputs, wl.inputs))
    base = [
        ctx.contender(fw, _executor(fw, wl, wl.outputs, wl.inputs), per=n) for fw in ctx.runnable()
    ]
    for c in base:
        c.check = check
    by_count = {
        k: [
            hk.hook_contender(ctx, fw, wl, k, ref, _fresh_inputs(wl.inputs))
            for fw, ref in zip(ctx.runnable(), base, strict=True)
        ]
        for k in hk.HOOK_COUNTS
    }
    _run(ctx, list({id(c): c for cs in [base, *by_count.values()] for c in cs}.values()))
    ctx.rows.append(make_row("hooks", f"{n:,} nodes, no with_adapters", "us/node", 1e6, base))
    for k, cs in by_count.items():
        ctx.rows.append(make_row("hooks", f"{k} no-op hook(s)", "us/node", 1e6, cs))
    ctx.rows.append(hk.same_path_row(by_count[0], base))
    ctx.rows.append(hk.cost_row(by_count, 1, 0, n, "per hook, 1 hook"))
    ctx.rows.append(hk.cost_row(by_count, 3, 0, n, "per hook, 3 hooks"))
    ctx.rows.append(hk.cost_row(by_count, 3, 1, n, "marginal hook, 1->3"))


# ---------------------------------------------------------------- parallel


def bench_parallel(ctx: Context) -> None:
    """Parallelizable/Collect: a 3-node chain per item over M items (µs/item), and ~50 ms
    CPU-bound items synchronous vs 2 processes. See bench_parallel.py and the README."""
    import bench_parallel as bp

    bp.run(ctx, ctx.config.parallel_sizes, ctx.config.parallel_cpu_items)


# ---------------------------------------------------------------- driver


def _run(ctx: Context, contenders: list[Contender]) -> None:
    run_case(contenders, ctx.settings)


WORKLOADS: dict[str, Callable[[Context], None]] = {
    "import": bench_import,
    "build": bench_build,
    "decorators": bench_decorators,
    "memory": bench_memory,
    "execute": bench_execute,
    "hooks": bench_hooks,
    "rowloop": bench_rowloop,
    "dataframe": bench_dataframe,
    "chain": bench_chain,
    "parallel": bench_parallel,
}


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds (~2 min)")
    p.add_argument("--only", default="", help="comma-separated workloads: " + ",".join(WORKLOADS))
    p.add_argument(
        "--json", type=Path, default=HERE / "results" / "latest.json", help="where to write"
    )
    p.add_argument("--repeats", type=int, default=None, help="rounds per case (default 7, 3)")
    return p.parse_args(argv)


def _selected(only: str) -> list[str]:
    names = [n.strip() for n in only.split(",") if n.strip()] or list(WORKLOADS)
    unknown = sorted(set(names) - set(WORKLOADS))
    if unknown:
        raise SystemExit(f"unknown workload(s) {unknown}; choose from {list(WORKLOADS)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    workloads = _selected(args.only)
    config = QUICK if args.quick else FULL
    if args.repeats:
        config = replace(config, settings=replace(config.settings, repeats=args.repeats))
    plait_src = str(PLAIT_SRC) if PLAIT_SRC.is_dir() else None
    if plait_src:  # measure the working tree's plait, even if another one is installed
        sys.path.insert(0, plait_src)
    frameworks = all_frameworks(plait_src)
    unavailable = {fw.name: r for fw in frameworks if (r := fw.unavailable_reason())}
    for name, reason in unavailable.items():
        print(f"{name}: n/a ({reason})")
    versions = {fw.name: fw.version() for fw in frameworks if fw.name not in unavailable}
    print("versions:", versions, flush=True)
    machine = machine_info()
    factory = ModuleFactory()
    ctx = Context(config, frameworks, unavailable, factory)
    started = time.perf_counter()
    try:
        for name in workloads:
            before = len(ctx.rows)
            t0 = time.perf_counter()
            WORKLOADS[name](ctx)
            factory.release()
            print_table(
                f"{name} ({time.perf_counter() - t0:.0f} s)",
                ctx.rows[before:],
                [fw.name for fw in frameworks],
            )
            sys.stdout.flush()
    finally:
        factory.close()
    elapsed = time.perf_counter() - started
    meta = {
        "command": " ".join(
            [Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]
        ),
        "mode": "quick" if args.quick else "full",
        "settings": vars(config.settings) | {"import_repeats": config.import_repeats},
        "machine": machine,
        "versions": versions,
        "unavailable": unavailable,
        "elapsed_s": round(elapsed, 1),
    }
    write_json(args.json, meta, ctx.rows)
    print(f"\n{elapsed:.0f} s; results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
