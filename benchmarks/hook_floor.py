"""The floor under plait's per-hook cost: what CPython charges for the calls themselves.

    PYTHONPATH=src python benchmarks/hook_floor.py [--nodes 5000] [--rounds 9] [--no-hamilton]

A node hook is a method like ``def run_before_node_execution(self, **future_kwargs)``:
whatever the loop, calling it makes CPython build a dict of its keywords (7 before the node, 9
after). This script times, in the same interleaved rounds (GC on, as in ``run.py``; medians of
same-round differences, µs per node):

* the floor, as bare Python loops of ``--nodes`` iterations: one keyword call with the
  before-hook's 7 keywords plus one with the after-hook's 9, to a no-op ``**kwargs`` bound
  method (the least one hook costs per node), and what any hooked loop adds per node even
  without hooks: building the ``node_kwargs`` dict hooks must receive and calling the node
  with ``**kwargs`` instead of positionally (``switch``);
* plait on the ``hooks`` workload (the layered ``--nodes`` DAG, ``bench_hooks.py``'s no-op
  hooks, 0, 1 and 3 of them): its hooked loop without hooks minus its hook-free loop, and the
  per-hook rows ``(t_1 - t_0)``, ``(t_3 - t_0) / 3``, ``(t_3 - t_1) / 2`` next to their floor
  (``hook + switch``, ``hook + switch / 3``, ``hook``);
* Hamilton's per-hook rows, plait / Hamilton and floor / Hamilton (the goal is <= 0.2x),
  unless ``--no-hamilton``.

A script, not a test: it asserts nothing. Timings on a shared machine are noisy; compare the
numbers of one run.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]

import bench_hooks  # noqa: E402
from dags import ModuleFactory  # noqa: E402
from plait._hooks.manager import Hooks  # noqa: E402
from plait._run.hooked import run_plan_hooked  # noqa: E402
from plait._run.loop import run_plan  # noqa: E402


class _NoOp:
    def hook(self, **future_kwargs: Any) -> None:
        pass


def _node(a: int, b: int) -> int:
    return a + b


def floor_loops(n: int) -> dict[str, Callable[[], Any]]:
    """Bare loops of ``n`` iterations: empty, two hook calls, a node called two ways."""
    hook, node, v, steps = _NoOp().hook, _node, [1, 2], range(n)

    def empty() -> None:
        for _ in steps:
            pass

    def hooks() -> None:
        for i in steps:
            hook(
                node_name="n", node_tags=v, node_kwargs=v, node_return_type=int, task_id=None,
                run_id="r", node_input_types=v,
            )  # fmt: skip
            hook(
                node_name="n", node_tags=v, node_kwargs=v, node_return_type=int, result=i,
                error=None, success=True, task_id=None, run_id="r",
            )  # fmt: skip

    def positional() -> None:
        for _ in steps:
            node(v[0], v[1])

    def keywords() -> None:
        for _ in steps:
            kwargs = {"a": v[0], "b": v[1]}
            node(**kwargs)

    return {
        "floor empty": empty,
        "floor hooks": hooks,
        "floor positional": positional,
        "floor keywords": keywords,
    }


def interleaved(
    calls: dict[str, Callable[[], Any]], rounds: int, per: int
) -> dict[str, list[float]]:
    """µs per node of each call, one sample per round, the calls interleaved in every round."""
    for call in calls.values():
        call()
    gc.collect()
    gc.freeze()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    try:
        for _ in range(rounds):
            for name, call in calls.items():
                number = 1 if name.startswith("hamilton") else 5
                gc.collect()
                start = time.perf_counter()
                for _ in range(number):
                    call()
                samples[name].append((time.perf_counter() - start) / number / per * 1e6)
    finally:
        gc.unfreeze()
    return samples


def extra(samples: dict[str, list[float]], more: str, fewer: str, by: int = 1) -> list[float]:
    """Per round: (``more`` - ``fewer``) / ``by``."""
    return [(a - b) / by for a, b in zip(samples[more], samples[fewer], strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--no-hamilton", action="store_true")
    args = parser.parse_args()
    n = args.nodes
    wl = ModuleFactory().layered(n)
    packages = ["plait"] if args.no_hamilton else ["plait", "hamilton"]
    calls = floor_loops(n)
    for package in packages:
        driver = importlib.import_module(f"{package}.driver")
        hook = bench_hooks.noop_hook_class(package)
        for k in bench_hooks.HOOK_COUNTS:
            adapters = [hook() for _ in range(k)]
            dr = driver.Builder().with_modules(wl.module).with_adapters(*adapters).build()
            calls[f"{package} {k}"] = lambda dr=dr: dr.execute(wl.outputs, inputs=dict(wl.inputs))
    plain = importlib.import_module("plait.driver").Builder().with_modules(wl.module).build()
    plan = plain._plan_for(wl.outputs, wl.inputs, None)
    no_hooks = Hooks(())
    calls["plait loop"] = lambda: run_plan(plan, wl.inputs, None)
    calls["plait hooked loop"] = lambda: run_plan_hooked(plan, wl.inputs, None, no_hooks, "r")

    s = interleaved(calls, args.rounds, n)
    med = statistics.median
    hook_floor = med(extra(s, "floor hooks", "floor empty"))
    switch = med(extra(s, "floor keywords", "floor positional"))
    print(f"{n:,} nodes, median of {args.rounds} interleaved rounds, us per node")
    print(f"  floor: the two calls of one no-op hook (7 + 9 keywords)  {hook_floor:6.3f}")
    print(f"  floor: node_kwargs dict + node(**kwargs) - node(a, b)    {switch:6.3f}")
    switched = med(extra(s, "plait hooked loop", "plait loop"))
    print(f"  plait: hooked loop without hooks - hook-free loop        {switched:6.3f}")
    for package in packages:
        times = "  ".join(f"t{k} {med(s[f'{package} {k}']):.3f}" for k in bench_hooks.HOOK_COUNTS)
        print(f"  {package:8s} {times}")
    rows = {  # row: (more hooks, fewer hooks, the floor)
        "per hook, 1 hook": (1, 0, hook_floor + switch),
        "per hook, 3 hooks": (3, 0, hook_floor + switch / 3),
        "marginal hook, 1->3": (3, 1, hook_floor),
    }
    head = "\nus/node/hook          plait   floor  plait-floor"
    print(head + ("  hamilton  plait/hamilton  floor/hamilton" if len(packages) > 1 else ""))
    for row, (hi, lo, least) in rows.items():
        p = extra(s, f"plait {hi}", f"plait {lo}", hi - lo)
        line = f"  {row:20s} {med(p):6.3f}  {least:6.3f}  {med(p) - least:11.3f}"
        if len(packages) > 1:
            h = extra(s, f"hamilton {hi}", f"hamilton {lo}", hi - lo)
            ratio = med(a / b for a, b in zip(p, h, strict=True))
            line += f"  {med(h):8.3f}  {ratio:13.2f}x  {least / med(h):13.2f}x"
        print(line)


if __name__ == "__main__":
    main()
