"""docs/lifecycle.md: writing hooks, the built-in adapters, the mutation guard.

    python docs/examples/lifecycle.py

Paths in the printed messages are shown relative to the repository root (plait prints them in
full); PrintLn's durations are shown as <time>.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "examples" / "dataflows"))

# --- setup ---
import io
import logging

import pandas as pd
import weekly_shop

from plait import ad_hoc_utils, driver, htypes, lifecycle

weeks = {
    "orders": pd.Series([3, 5, 4, 8, 9, 12]),
    "price": pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 11.0]),
    "visits": pd.Series([40, 52, 47, 80, 75, 96]),
}


def build(*adapters, module=weekly_shop):
    return (
        driver.Builder()
        .with_modules(module)
        .with_config({"currency": "EUR"})
        .with_adapters(*adapters)
        .build()
    )


def show(err):
    """Print an error's class, message and notes, with paths relative to the repository."""
    print(type(err).__name__, "-", str(err).replace(str(ROOT) + "/", ""))
    for note in getattr(err, "__notes__", []):
        print("note:", note.replace(str(ROOT) + "/", ""))


def masked_print(line):
    """print, with PrintLn's durations (which vary) shown as <time>."""
    print(re.sub(r" in [\d.]+(μs|ms|s)\.", " in <time>.", line))


# --- node hook ---
class NodeLog(lifecycle.NodeExecutionHook):
    """Record each node's inputs and whether it succeeded."""

    def __init__(self):
        self.seen = []

    def run_before_node_execution(self, *, node_name, node_kwargs, **future_kwargs):
        self.seen.append(f"{node_name}({', '.join(node_kwargs)})")

    def run_after_node_execution(self, *, node_name, success, **future_kwargs):
        self.seen.append(f"{node_name}: {'ok' if success else 'failed'}")


log = NodeLog()
build(log).execute(["revenue_target"], inputs=weeks)
print(log.seen)


# --- graph hook ---
class RunSummary(lifecycle.GraphExecutionHook):
    """One line before and after each run."""

    def run_before_graph_execution(self, *, final_vars, execution_path, **future_kwargs):
        print(f"running {len(execution_path)} nodes for {final_vars}")

    def run_after_graph_execution(self, *, success, results, **future_kwargs):
        print("succeeded" if success else "failed", "with", sorted(results or {}))


build(RunSummary()).execute(["target_line"], inputs=weeks)


# --- method ---
class RoundFloats(lifecycle.NodeExecutionMethod):
    """Run each node, rounding float results to one decimal."""

    def run_to_execute_node(self, *, node_callable, node_kwargs, **future_kwargs):
        result = node_callable(**node_kwargs)
        return round(result, 1) if isinstance(result, float) else result


print(build(RoundFloats()).execute(["mean_revenue", "revenue_target"], inputs=weeks))


# --- validator ---
class OwnedFloats(lifecycle.StaticValidator):
    """Every node that returns a float must say who owns it."""

    def run_to_validate_node(self, *, node, **future_kwargs):
        if node.type is float and "owner" not in node.tags:
            return False, "returns a float but has no 'owner' tag"
        return True, None


def conversion_rate(orders: pd.Series, visits: pd.Series) -> float:
    return float(orders.sum() / visits.sum())


try:
    build(OwnedFloats(), module=ad_hoc_utils.create_temporary_module(conversion_rate))
except ValueError as err:
    show(err)


# --- construction hook ---
class GraphSize(lifecycle.GraphConstructionHook):
    """Say how big the graph is, once, when the driver is built."""

    def run_after_graph_construction(self, *, graph, config, **future_kwargs):
        computed = [n.name for n in graph.nodes if not n.is_external_input]
        print(f"built {len(computed)} nodes with config {config}")


dr = build(GraphSize())


# --- edge hook ---
class IntsAreFloats(lifecycle.EdgeConnectionHook):
    """Let ints feed float parameters, as edges and as inputs."""

    def check_edge_types_match(self, type_from, type_to, **kwargs):
        return type_from is float and type_to is int  # tried after the default rules

    def validate_input(self, node_type, input_value, **kwargs):
        if htypes.check_input_type(node_type, input_value):  # replaces the default check
            return True
        return node_type is float and isinstance(input_value, int)


print(build(IntsAreFloats()).execute(["revenue_target"], inputs={**weeks, "growth": 1}))


# --- hook fault ---
class Broken(lifecycle.NodeExecutionHook):
    def run_before_node_execution(self, *, node_name, **future_kwargs):
        if node_name == "mean_revenue":
            raise RuntimeError("the hook itself is broken")

    def run_after_node_execution(self, **future_kwargs):
        pass


try:
    build(Broken()).execute(["revenue_target"], inputs=weeks)
except RuntimeError as err:
    show(err)

# --- println ---
build(lifecycle.PrintLn(print_fn=masked_print)).execute(["mean_revenue"], inputs=weeks)

# --- println verbose ---
verbose = lifecycle.PrintLn(verbosity=2, node_filter=["mean_revenue"], print_fn=masked_print)
build(verbose).execute(["mean_revenue"], inputs=weeks)


# --- graceful ---
class FeedDown(Exception):
    """A data source is unavailable today."""


def web_visits(visits: pd.Series) -> pd.Series:
    raise FeedDown("analytics export missing")


def conversion(orders: pd.Series, web_visits: pd.Series) -> pd.Series:
    return orders / web_visits


def weekly_orders(orders: pd.Series) -> int:
    return int(orders.sum())


@lifecycle.accept_error_sentinels
def dashboard(weekly_orders: int, conversion: pd.Series) -> str:
    shown = "n/a" if conversion is MISSING else f"{conversion.mean():.1%}"
    return f"{weekly_orders} orders, conversion {shown}"


MISSING = object()
shop = ad_hoc_utils.create_temporary_module(web_visits, conversion, weekly_orders, dashboard)
graceful = lifecycle.GracefulErrorAdapter(error_to_catch=FeedDown, sentinel_value=MISSING)
out = build(graceful, module=shop).execute(
    ["weekly_orders", "conversion", "dashboard"], inputs=weeks
)
print(out["dashboard"], "| conversion is MISSING:", out["conversion"] is MISSING)


# --- type checker ---
def average_order(orders: pd.Series) -> int:
    return orders.mean()  # a float, not an int


checked = build(
    lifecycle.FunctionInputOutputTypeChecker(),
    module=ad_hoc_utils.create_temporary_module(average_order),
)
try:
    checked.execute(["average_order"], inputs=weeks)
except TypeError as err:
    show(err)


# --- mutation guard ---
def cleaned_orders(orders: pd.Series) -> pd.Series:
    orders[orders > 10] = 10  # caps the input itself: every other reader sees 10 too
    return orders


def total_orders(orders: pd.Series) -> int:
    return int(orders.sum())


mutating = ad_hoc_utils.create_temporary_module(cleaned_orders, total_orders)
try:
    build(lifecycle.MutationGuard(), module=mutating).execute(
        ["cleaned_orders", "total_orders"], inputs={"orders": pd.Series([3, 12, 5])}
    )
except ValueError as err:
    show(err)

# --- mutation guard warn ---
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    guard = lifecycle.MutationGuard(mode="warn", node_filter="cleaned_orders")
    build(guard, module=mutating).execute(["cleaned_orders"], inputs={"orders": pd.Series([12])})
first_sentence = str(caught[0].message).split(" in place.")[0]
print(caught[0].category.__name__, "-", first_sentence.replace(str(ROOT) + "/", ""))

# --- logging ---
from plait.plugins import h_logging

log_output = io.StringIO()
handler = logging.StreamHandler(log_output)
handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
logger = logging.getLogger("plait.plugins.h_logging")
logger.addHandler(handler)
logger.setLevel(logging.DEBUG)
build(h_logging.LoggingAdapter()).execute(["mean_revenue"], inputs=weeks)
print(re.sub(r"Graph run '[0-9a-f-]+'", "Graph run '<run id>'", log_output.getvalue()))

# --- tqdm ---
from plait.plugins import h_tqdm

bar_output = io.StringIO()
bar = h_tqdm.ProgressBar(desc="weekly shop", file=bar_output, ascii=True)
build(bar).execute(["target_line"], inputs=weeks)
print(bar_output.getvalue().rsplit("\r", 1)[-1].split(" [")[0])

# --- rich ---
from plait.plugins import h_rich

dr = build(h_rich.RichProgressBar(run_desc="weekly shop", transient=True))
print(dr.execute(["target_line"], inputs=weeks))

# --- otel ---
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from plait.plugins import h_opentelemetry

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
tracer = h_opentelemetry.OpenTelemetryTracer(tracer=provider.get_tracer("weekly-shop"))
build(tracer).execute(["mean_revenue"], inputs=weeks)
spans = {span.context.span_id: span for span in exporter.get_finished_spans()}
for span in spans.values():
    parent = spans.get(span.parent.span_id) if span.parent else None
    name = "<run>" if parent is None else span.name
    print(f"{name:<14} parent={'<run>' if parent else None}  status={span.status.status_code.name}")

# --- pdb ---
debugger = lifecycle.PDBDebugger("mean_revenue", before=True, during=True, after=True)
# build(debugger).execute(["mean_revenue"], inputs=weeks)  # opens pdb three times


# --- task hooks ---
def pages(book: str) -> htypes.Parallelizable[str]:
    """One item per page."""
    yield from book.split("|")


def words(pages: str) -> int:
    return len(pages.split())


def word_total(words: htypes.Collect[int]) -> int:
    return sum(words)


class TaskLog(lifecycle.TaskExecutionHook, lifecycle.TaskGroupingHook, lifecycle.NodeExecutionHook):
    """Print each task as it starts, its expansion, and the task each node runs in."""

    def run_after_task_grouping(self, *, task_ids, **future_kwargs):
        print("tasks:", task_ids)

    def run_after_task_expansion(self, *, task_id, parameters, **future_kwargs):
        print(f"{task_id} expands into {len(parameters)} item tasks")

    def run_before_task_execution(self, *, task_id, purpose, nodes, inputs, **future_kwargs):
        print(f"{task_id} ({purpose.value}) runs {[n.name for n in nodes]} on {inputs}")

    def run_after_task_execution(self, *, task_id, success, **future_kwargs):
        pass

    def run_before_node_execution(self, *, node_name, task_id, **future_kwargs):
        print(f"    node {node_name}, task_id={task_id!r}")

    def run_after_node_execution(self, **future_kwargs):
        pass


book = ad_hoc_utils.create_temporary_module(pages, words, word_total)
dr_book = (
    driver.Builder()
    .with_modules(book)
    .enable_dynamic_execution(allow_experimental_mode=True)
    .with_adapters(TaskLog())
    .build()
)
print(dr_book.execute(["word_total"], inputs={"book": "a b|c d e"}))


# --- task hook fault ---
class BrokenTaskHook(lifecycle.TaskExecutionHook):
    def run_before_task_execution(self, *, task_id, **future_kwargs):
        if task_id.endswith(".1.block-pages"):
            raise RuntimeError("the task hook is broken")

    def run_after_task_execution(self, **future_kwargs):
        pass


try:
    driver.Builder().with_modules(book).enable_dynamic_execution(
        allow_experimental_mode=True
    ).with_adapters(BrokenTaskHook()).build().execute(["word_total"], inputs={"book": "a|b"})
except RuntimeError as err:
    show(err)


# --- plugins under dynamic execution ---
def dynamic_book(*adapters):
    builder = driver.Builder().with_modules(book).with_adapters(*adapters)
    return builder.enable_dynamic_execution(allow_experimental_mode=True).build()


bar_output = io.StringIO()
bar = h_tqdm.ProgressBar(desc="book", file=bar_output, ascii=True)
dynamic_book(bar).execute(["word_total"], inputs={"book": "a b|c d e|f"})
print(bar_output.getvalue().rsplit("\r", 1)[-1].split(" [")[0])

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
tracer = h_opentelemetry.OpenTelemetryTracer(tracer=provider.get_tracer("book"))
dynamic_book(tracer).execute(["word_total"], inputs={"book": "a b|c d e"})
spans = {span.context.span_id: span for span in exporter.get_finished_spans()}
for span in spans.values():
    parent = spans.get(span.parent.span_id) if span.parent else None
    if parent is not None:  # the run's span is the root
        print(f"{span.name:<27} in {'<run>' if parent.parent is None else parent.name}")
