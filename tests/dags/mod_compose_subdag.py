"""``@subdag`` and ``@parameterized_subdag`` over ``mod_compose_inner``.

Written against plait; ``tests/compat/harness.load_dag`` ports it to Hamilton (load
``mod_compose_inner`` first: this module takes it from ``sys.modules``).
"""

import importlib

from plait.function_modifiers import parameterized_subdag, source, subdag, tag, value

inner = importlib.import_module("dags.mod_compose_inner")


def outer_base() -> int:
    return 5


def outer_offset() -> int:
    return 100


@subdag(inner, inputs={"x": source("outer_base"), "offset": value(10)}, config={"mode": "plus"})
def plus_branch(scored: int, with_outer: int) -> int:
    """Final node of the first subDAG."""
    return scored + with_outer


@tag(owner="compose")
@subdag(
    inner,
    inputs={"x": value(1), "offset": source("outer_offset")},
    config={"mode": "times"},
    namespace="times_ns",
    final_node_name="times_total",
    external_inputs=["outer_base"],
)
def times_branch(scored: int, outer_base: int) -> int:
    return scored + outer_base


@subdag(inner.doubled, inner.shifted, inputs={"x": value(3)}, config={"offset": 7})
def from_functions(shifted: int, x: int) -> int:
    """Loose functions instead of a module; the config key feeds a parameter."""
    return shifted * x


@parameterized_subdag(
    inner,
    inputs={"offset": value(0)},
    config={"mode": "plus"},
    one={"inputs": {"x": value(1)}},
    two={"inputs": {"x": value(2)}, "config": {"mode": "times"}},
)
def variants(scored: int) -> int:
    return scored
