"""docs/architecture.md: the four core layers used by hand (private API, for contributors).

python docs/examples/architecture.py
"""

import pandas as pd

from plait._graph.build import build_graph
from plait._model.node import node_from_function
from plait._plan.plan import make_plan
from plait._run.loop import run_plan


def revenue(orders: pd.Series, price: pd.Series) -> pd.Series:
    return orders * price


def mean_revenue(revenue: pd.Series) -> float:
    return round(float(revenue.mean()), 2)


def revenue_vs_mean(revenue: pd.Series, mean_revenue: float) -> pd.Series:
    return revenue - mean_revenue


# --- layers ---
nodes = [node_from_function(fn) for fn in (revenue, mean_revenue, revenue_vs_mean)]  # _model
graph = build_graph(nodes)  # _graph: wired, edge types checked, external inputs added
plan = make_plan(graph, ("mean_revenue",), {"orders", "price"}, ())  # _plan: no values yet
inputs = {"orders": pd.Series([3, 5, 4]), "price": pd.Series([10.0, 10.0, 12.0])}
print(run_plan(plan, inputs, None))  # _run: one flat loop over the plan's steps

# --- plan ---
print([node.name for node in plan.step_nodes])
print(plan.n_slots, plan.input_slots, plan.output_slots)
for node, (_fn, out, _mode, _args, release) in zip(plan.step_nodes, plan.steps, strict=True):
    print(f"{node.name}: writes slot {out}, then releases slots {release}")
