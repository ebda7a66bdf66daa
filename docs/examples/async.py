"""docs/async.md: the async driver: concurrent ``async def`` nodes, errors, hooks.

python docs/examples/async.py
"""

import asyncio
import contextlib
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "examples" / "dataflows"))

import async_shop

from plait import async_driver, base, lifecycle
from plait.lifecycle import base as lifecycle_base


async def build_and_run():
    dr = await async_driver.Builder().with_modules(async_shop).build()
    started = time.perf_counter()
    result = await dr.execute(["stock_value", "rating"], inputs={"shop_id": 1})
    elapsed = time.perf_counter() - started
    print(result)
    print("three 0.2 s calls overlapped:", elapsed < 0.4)


async def constructor():
    dr = async_driver.AsyncDriver({}, async_shop, result_builder=base.DictResult())
    await dr.ainit()
    print(await dr.execute([async_shop.rating], inputs={"shop_id": 1}))


async def a_failing_node():
    dr = await async_driver.Builder().with_modules(async_shop).build()
    try:
        await dr.execute(["supplier_quote", "sales_history"], inputs={"shop_id": 1})
    except KeyError as err:
        print(f"{type(err).__name__}: {err}")
        print(err.__notes__[0].replace(str(ROOT) + "/", ""))


class NodeReport(lifecycle_base.BasePreNodeExecuteAsync, lifecycle_base.BasePostNodeExecuteAsync):
    """Records what each node was called with and how it ended (nodes end in any order)."""

    def __init__(self):
        self.outcomes = []

    async def pre_node_execute(self, *, node_, kwargs, **future_kwargs):
        self.outcomes.append((node_.name, 0, f"starts with {sorted(kwargs)}"))

    async def post_node_execute(self, *, node_, success, error, **future_kwargs):
        outcome = "ok" if success else type(error).__name__
        self.outcomes.append((node_.name, 1, f"ends: {outcome}"))


async def async_hooks():
    report = NodeReport()
    dr = await async_driver.Builder().with_modules(async_shop).with_adapters(report).build()
    with contextlib.suppress(KeyError):
        await dr.execute(["supplier_quote", "sales_history"], inputs={"shop_id": 1})
    for name, _, what in sorted(report.outcomes):
        print(f"{name:<15} {what}")


class CountNodes(lifecycle.NodeExecutionHook):
    """A sync hook of the sync driver: called around every node here too."""

    def __init__(self):
        self.count = 0

    def run_before_node_execution(self, **future_kwargs):
        self.count += 1

    def run_after_node_execution(self, **future_kwargs):
        pass


async def sync_adapters():
    counter = CountNodes()
    dr = await (
        async_driver.Builder()
        .with_modules(async_shop)
        .with_adapters(base.PandasDataFrameResult(), counter)
        .build()
    )
    frame = await dr.execute(["stock_value", "rating"], inputs={"shop_id": 1, "latency": 0.0})
    print(frame)
    print("nodes run:", counter.count)


for section in (build_and_run, constructor, a_failing_node, async_hooks, sync_adapters):
    print(f"--- {section.__name__} ---")
    asyncio.run(section())
