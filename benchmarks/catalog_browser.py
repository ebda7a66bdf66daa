"""The HTML catalog at 4,000 nodes in headless Chromium: time to first render and to filter.

    PYTHONPATH=src python benchmarks/catalog_browser.py [--nodes 4000] [--repeats 5]

Writes a dataflow of ``--nodes`` functions spread over 20 modules (each with a docstring,
an ``owner`` tag, 2% tagged ``pii="true"``, 1 to 3 inputs), builds it, writes its catalog and
opens it from ``file://`` in the system's Chromium (``/usr/bin/chromium``, driven by
Playwright). Reports medians of ``--repeats`` rounds, two clocks each:

* first render: wall clock from ``page.goto`` to the page's ready flag, and in-page
  ``performance.now()`` at the first painted frame (milliseconds since navigation start);
* search: one query typed into the search box, from the ``input`` event until the next frame
  (in page) and from Playwright's ``fill`` until the count has changed (wall clock);
* selecting a node (details + lineage graph) and tracing ``pii=true``, in page.

Goal: first render and search under 2 s each. A script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from plait import driver  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
N_MODULES = 20
OWNERS = ["growth", "finance", "risk", "ops", "crm"]
WORDS = ["rolling", "mean", "spend", "signups", "weekly", "ratio", "lagged", "normalised"]
#: In-page timing of one search: set the box, fire ``input``, wait for the next frame.
SEARCH_JS = """async (q) => {
  const box = document.getElementById('search');
  const t0 = performance.now();
  box.value = q;
  box.dispatchEvent(new Event('input'));
  const filtered = performance.now();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - t0, filtered - t0, document.getElementById('count').textContent];
}"""
SELECT_JS = """async (name) => {
  const t0 = performance.now();
  window.plaitCatalog.select(name);
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""
TRACE_JS = """async (q) => {
  document.getElementById('taint-query').value = q;
  const t0 = performance.now();
  document.getElementById('taint-run').click();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - t0, document.getElementById('taint-result').textContent];
}"""


def write_modules(directory: Path, n_nodes: int, seed: int = 7) -> list[ModuleType]:
    """``n_nodes`` functions over :data:`N_MODULES` module files; each takes 1-3 earlier nodes
    (or an input), so the graph is layered and connected."""
    rng = random.Random(seed)
    sources: list[list[str]] = [
        ["from plait.function_modifiers import tag\n"] for _ in range(N_MODULES)
    ]
    for i in range(n_nodes):
        parents = sorted({rng.randrange(i) for _ in range(rng.randint(1, 3))}) if i > 20 else []
        params = ", ".join(f"feat_{p}: float" for p in parents) or f"raw_{i % 7}: float"
        body = " + ".join(f"feat_{p}" for p in parents) or f"raw_{i % 7}"
        tags = f'owner="{rng.choice(OWNERS)}"' + (', pii="true"' if rng.random() < 0.02 else "")
        words = " ".join(rng.sample(WORDS, 3))
        sources[i % N_MODULES].append(
            f"\n\n@tag({tags})\ndef feat_{i}({params}) -> float:\n"
            f'    """Feature {i}: {words} of its inputs."""\n    return {body}\n'
        )
    modules = []
    for m, lines in enumerate(sources):
        path = directory / f"catalog_bench_features_{m:02d}.py"
        path.write_text("".join(lines))
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


def open_page(browser: Any, url: str) -> tuple[Any, float, dict[str, float]]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function("window.plaitCatalog && window.plaitCatalog.ready", polling=5)
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"the page logged errors: {errors}")
    return page, wall, page.evaluate("window.plaitCatalog.timings")


def search_wall(page: Any, query: str) -> float:
    before = page.text_content("#count")
    start = time.perf_counter()
    page.fill("#search", query)
    page.wait_for_function(
        "b => document.getElementById('count').textContent !== b", arg=before, polling=5
    )
    return time.perf_counter() - start


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values):8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="plait-catalog-bench-") as tmp:
        tmpdir = Path(tmp)
        modules = write_modules(tmpdir, args.nodes)
        dr = driver.Builder().with_modules(*modules).build()
        start = time.perf_counter()
        path = dr.catalog(tmpdir / "catalog.html", title=f"{args.nodes} features")
        write_s = time.perf_counter() - start
        size = path.stat().st_size
        print(f"graph: {len(dr.graph.nodes)} nodes in {len(modules)} modules")
        print(f"catalog written in {write_s * 1000:.0f} ms, {size / 1e6:.2f} MB")
        rows: dict[str, list[float]] = {}

        def add(name: str, seconds_or_ms: float) -> None:
            rows.setdefault(name, []).append(seconds_or_ms)

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"browser: Chromium {browser.version}, headless")
            for _ in range(args.repeats):
                page, wall, timings = open_page(browser, path.as_uri())
                add("first render, wall clock (goto -> ready)", wall * 1000)
                add("first render, in page (navigation -> first frame)", timings["render"])
                add("  of which the script (parse data, build list)", timings["script"])
                total, filtered, count = page.evaluate(SEARCH_JS, "feat_12")
                add("search 'feat_12', in page (input -> next frame)", total)
                add("  of which filtering", filtered)
                page.evaluate(SEARCH_JS, "")
                add(
                    "search 'lagged spend', wall clock (fill -> count)",
                    1000 * search_wall(page, "lagged spend"),
                )
                add("clear search (show all again), wall clock", 1000 * search_wall(page, ""))
                add(
                    "select a node (details + lineage), in page",
                    page.evaluate(SELECT_JS, f"feat_{args.nodes // 2}"),
                )
                ms, traced = page.evaluate(TRACE_JS, "pii=true")
                add("trace pii=true, in page", ms)
                page.close()
            browser.close()
        print(f"search 'feat_12' -> {count}; trace -> {traced[:80]}")
        for name, values in rows.items():
            print(f"{name:<55} {median_ms(values)}")
        print(f"(medians of {args.repeats} rounds; goal: first render and search < 2000 ms)")


if __name__ == "__main__":
    main()
