"""The ``hooks`` workload's pieces: no-op node hooks, hooked drivers, per-hook cost rows.

``run.py``'s ``bench_hooks`` builds one case from these: the 5,000-node layered DAG executed
with 0, 1 and 3 no-op ``NodeExecutionHook``s (and once built without ``with_adapters``, the
execute workload's driver), for plait and apache-hamilton, all interleaved. The per-hook cost
of ``k`` hooks is ``(t_k - t_0) / (k * nodes)``, computed per round from same-round samples.
"""

from __future__ import annotations

import importlib
import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dags import Workload
from frameworks import Framework, HamiltonLike
from measure import OK, Contender
from report import Cell, Row

HOOK_COUNTS = (0, 1, 3)
NO_HOOKS = "n/a (no hooks)"


def noop_hook_class(package: str) -> type:
    """A ``<package>.lifecycle.NodeExecutionHook`` whose two methods do nothing."""
    lifecycle = importlib.import_module(f"{package}.lifecycle")

    class NoOpHook(lifecycle.NodeExecutionHook):  # type: ignore[name-defined,misc]
        def run_before_node_execution(self, **future_kwargs: Any) -> None:
            pass

        def run_after_node_execution(self, **future_kwargs: Any) -> None:
            pass

    return NoOpHook


def hook_contender(
    ctx: Any, fw: Framework, wl: Workload, hooks: int, ref: Contender, fresh: Any
) -> Contender:
    """plait/hamilton with ``hooks`` no-op hooks; ``plain`` is its execute contender ``ref``
    (the reference column); frameworks without hooks are marked n/a."""
    if fw.name == "plain":
        return ref
    if not isinstance(fw, HamiltonLike):
        c = ctx.contender(fw, lambda: lambda: None, per=ref.per)
        c.status = c.status if c.status != OK else NO_HOOKS
        return c
    c = ctx.contender(fw, hooked_executor(fw, wl, hooks, fresh), per=ref.per)
    c.check = ref.check
    return c


def hooked_executor(
    fw: Framework, wl: Workload, hooks: int, fresh: Callable[[], Mapping[str, Any]]
) -> Callable[[], Callable[[], Any]]:
    """Build (untimed) ``Builder().with_modules(m).with_adapters(<hooks no-op hooks>)``; the
    timed call is ``execute(all nodes)`` with fresh input values, as in the execute workload."""
    assert isinstance(fw, HamiltonLike)

    def prepare() -> Callable[[], Any]:
        driver = importlib.import_module(f"{fw.package}.driver")
        hook = noop_hook_class(fw.package)
        adapters = [hook() for _ in range(hooks)]
        handle = driver.Builder().with_modules(wl.module).with_adapters(*adapters).build()
        return lambda: fw.execute(handle, wl.outputs, fresh())

    return prepare


def _per_round(c: Contender) -> dict[int, float]:
    return dict(c.samples) if c.status == OK else {}


def _extra_cost(more: Contender, fewer: Contender, extra: int, nodes: int) -> dict[int, float]:
    """Round -> µs per node per extra hook."""
    a, b = _per_round(more), _per_round(fewer)
    return {r: (a[r] - b[r]) / (extra * nodes) * 1e6 for r in sorted(a) if r in b}


def _cell(name: str, status: str, per_round: dict[int, float], calls: int) -> Cell:
    values = list(per_round.values())
    value = statistics.median(values) if status == OK and values else None
    return Cell(name, status, value, None, values, calls, None)


def _versus(costs: dict[str, dict[int, float]]) -> float | None:
    """plait / hamilton, median of same-round ratios."""
    p, h = costs.get("plait", {}), costs.get("hamilton", {})
    paired = [p[r] / h[r] for r in p if r in h and h[r] > 0]
    return statistics.median(paired) if paired else None


def cost_row(
    by_count: Mapping[int, Sequence[Contender]], more: int, fewer: int, nodes: int, case: str
) -> Row:
    """µs per node per hook between ``fewer`` and ``more`` hooks, for every framework."""
    cells, costs = {}, {}
    for hi, lo in zip(by_count[more], by_count[fewer], strict=True):
        status = NO_HOOKS if hi is lo else hi.status if hi.status != OK else lo.status
        costs[hi.name] = _extra_cost(hi, lo, more - fewer, nodes) if status == OK else {}
        cells[hi.name] = _cell(hi.name, status, costs[hi.name], hi.number)
    note = f"(t_{more} - t_{fewer}) / ({more - fewer} x {nodes:,} nodes), same-round, median"
    return Row("hooks", case, "us/node/hook", cells, _versus(costs), note)


def same_path_row(with_zero: Sequence[Contender], without: Sequence[Contender]) -> Row:
    """Time with ``with_adapters()`` and no hooks over time without the call (1.0 = no cost)."""
    cells, ratios = {}, {}
    for zero, plain in zip(with_zero, without, strict=True):
        status = NO_HOOKS if zero is plain else zero.status if zero.status != OK else plain.status
        a, b = _per_round(zero), _per_round(plain)
        ratios[zero.name] = {r: a[r] / b[r] for r in a if r in b} if status == OK else {}
        cells[zero.name] = _cell(zero.name, status, ratios[zero.name], zero.number)
    note = "0 hooks (with_adapters()) / the execute workload's driver, same-round ratio"
    return Row("hooks", "0 hooks / no with_adapters", "x", cells, None, note)
