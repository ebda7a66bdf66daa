"""The HTML catalog in real headless Chromium: search, filters, lineage graph, the ``pii``
question, hostile text, and a screenshot that must not be blank.

Driven with Playwright against the system's Chromium (Debian package ``chromium``; CI installs
it). Skipped only when ``/usr/bin/chromium`` is absent. Every test also checks that the page
logged no error and requested nothing but itself.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dags import catalog_people, catalog_sales
from dags.catalog_hostile import HOSTILE_INPUT, HOSTILE_NAME, HOSTILE_TAG, hostile_graph
from plait import driver
from plait._catalog import write_catalog

CHROMIUM = Path("/usr/bin/chromium")
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
TESTS = Path(__file__).resolve().parent.parent
#: Console message types that fail a test (a CSP violation is an error).
NOISY = ("error", "warning")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@dataclass
class Opened:
    """A catalog open in a page, with everything it logged or requested."""

    page: Any
    url: str
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def visible(self) -> list[str]:
        """Names the list shows (laid out, not merely unmarked)."""
        return self.page.eval_on_selector_all(
            "#node-list li .nm",
            "els => els.filter(e => e.getClientRects().length).map(e => e.textContent)",
        )

    def names(self, selector: str) -> list[str]:
        return sorted(
            self.page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")
        )

    def click_node(self, name: str) -> None:
        nm = self.page.locator("#node-list li .nm").filter(
            has_text=re.compile(f"^{re.escape(name)}$")
        )
        nm.click()

    def assert_quiet(self) -> None:
        assert self.problems == [], self.problems
        assert self.requests == [self.url], "the page requested more than itself"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dr = (
        driver.Builder()
        .with_modules(catalog_people, catalog_sales)
        .with_config({"this_year": 2024})
        .build()
    )
    return write_catalog(
        dr.graph, tmp_path_factory.mktemp("shop") / "shop.html", "Shop", root=TESTS
    )


@pytest.fixture
def open_catalog(browser: Any) -> Iterator[Callable[..., Opened]]:
    contexts = []

    def open_(path: Path, fragment: str = "") -> Opened:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.as_uri())
        page.on("console", lambda m: m.type in NOISY and opened.problems.append(m.text))
        page.on("pageerror", lambda e: opened.problems.append(f"page error: {e}"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(opened.url + fragment)
        page.wait_for_function("window.plaitCatalog && window.plaitCatalog.ready")
        return opened

    yield open_
    for context in contexts:
        context.close()


PEOPLE = ["age", "birth_year", "email", "email_domain"]
SALES = ["age_report", "mean_revenue", "price_report", "revenue", "revenue_per_domain"]
INPUTS = ["orders", "price", "raw_birth_date", "raw_email", "this_year"]
ALL = sorted([*PEOPLE, *SALES, *INPUTS])


def test_the_page_lists_every_node_and_loads_nothing_else(open_catalog, shop):
    cat = open_catalog(shop)
    assert cat.visible() == ALL
    assert cat.page.text_content("#title") == "Shop"
    assert cat.page.text_content("#count") == f"{len(ALL)} nodes"
    assert cat.page.is_visible("#empty")
    cat.assert_quiet()


def test_search_filters_the_list_by_name_and_docstring(open_catalog, shop):
    cat = open_catalog(shop)
    cat.page.click("#search")
    cat.page.keyboard.type("domain")
    assert cat.visible() == ["email_domain", "revenue_per_domain"]
    assert cat.page.text_content("#count") == f"2 of {len(ALL)} nodes"
    cat.page.fill("#search", "")
    cat.page.keyboard.type("LOWER-cased")  # only in email's docstring; case does not matter
    assert cat.visible() == ["email"]
    cat.page.fill("#search", "revenue week")  # every word must match
    assert cat.visible() == ["mean_revenue"]
    cat.page.keyboard.press("Enter")  # opens the first match
    assert cat.page.text_content("#d-name") == "mean_revenue"
    cat.page.fill("#search", "")
    assert cat.visible() == ALL
    cat.assert_quiet()


def test_filter_by_tag_and_by_module(open_catalog, shop):
    cat = open_catalog(shop)
    labels = cat.page.eval_on_selector_all("#tag-filter option", "os => os.map(o => o.text)")
    assert labels == ["All tags", "owner=crm", "owner=finance", "pii=true"]
    cat.page.select_option("#tag-filter", label="owner=crm")
    assert cat.visible() == ["age", "email"]
    cat.page.select_option("#module-filter", label="dags.catalog_sales")
    assert cat.visible() == []
    cat.page.select_option("#tag-filter", label="All tags")
    assert cat.visible() == SALES
    cat.assert_quiet()


def _graph_nodes(cat: Opened, role: str) -> list[str]:
    return cat.names(f"#lineage g.n.{role} text")


def test_clicking_a_node_shows_it_and_draws_its_lineage(open_catalog, shop):
    cat = open_catalog(shop)
    cat.click_node("age")
    page = cat.page
    assert page.text_content("#d-name") == "age"
    meta = page.eval_on_selector_all("#d-meta dd", "els => els.map(e => e.textContent)")
    assert meta == ["int", "function", "dags.catalog_people", "dags/catalog_people.py:23", "age"]
    assert page.text_content("#d-doc") == "Age in whole years."
    assert "def age(birth_year: int, this_year: int) -> int:" in page.text_content("#d-source")
    assert cat.names("#d-up a") == ["birth_year", "this_year"]
    assert cat.names("#d-down a") == ["age_report"]
    assert _graph_nodes(cat, "sel") == ["age"]
    assert _graph_nodes(cat, "up") == ["birth_year", "raw_birth_date", "this_year"]
    assert _graph_nodes(cat, "down") == ["age_report"]
    assert page.locator("#lineage path.e").count() == 4  # into age (2), birth_year, age_report
    page.select_option("#depth", "1")
    assert _graph_nodes(cat, "up") == ["birth_year", "this_year"]
    # clicking a node of the graph selects it
    page.locator("#lineage g.n.up", has_text="birth_year").click()
    assert page.text_content("#d-name") == "birth_year"
    assert _graph_nodes(cat, "down") == ["age"]
    assert page.evaluate("decodeURIComponent(location.hash)") == "#birth_year"
    cat.assert_quiet()


def test_which_outputs_depend_on_pii(open_catalog, shop):
    cat = open_catalog(shop)
    page = cat.page
    page.fill("#taint-query", "pii=true")
    page.click("#taint-run")
    assert cat.names("#taint-outputs .chip") == ["age_report", "revenue_per_domain"]
    assert cat.names("#node-list li.taint-source .nm") == ["birth_year", "email"]
    tainted = ["age", "age_report", "email_domain", "revenue_per_domain"]
    assert cat.names("#node-list li.tainted .nm") == tainted
    assert "2 node(s) tagged pii=true; 4 node(s) depend on them" in page.text_content(
        "#taint-result"
    )
    page.check("#taint-only")
    assert cat.visible() == sorted(["birth_year", "email", *tainted])
    # the lineage graph of a node shows the same highlighting
    page.locator("#taint-outputs .chip", has_text="revenue_per_domain").click()
    assert page.text_content("#d-name") == "revenue_per_domain"
    assert _graph_nodes(cat, "src") == ["email"]
    assert _graph_nodes(cat, "hit") == ["email_domain", "revenue_per_domain"]
    assert page.locator("#lineage path.e.hit").count() == 2
    page.click("#taint-clear")
    assert cat.names("#node-list li.tainted .nm") == []
    assert cat.visible() == ALL
    assert page.is_hidden("#taint-result")
    # a tag chip of the selected node asks the question for that tag
    cat.click_node("email")
    page.locator("#d-tags .chip", has_text="owner=crm").click()
    assert page.input_value("#taint-query") == "owner=crm"
    assert cat.names("#taint-outputs .chip") == ["age_report", "revenue_per_domain"]
    cat.assert_quiet()


def test_hostile_names_docstrings_and_tags_are_shown_as_text(open_catalog, tmp_path):
    title = "<script>alert(5)</script>"
    cat = open_catalog(write_catalog(hostile_graph(), tmp_path / "hostile.html", title))
    page = cat.page
    assert page.title() == title
    assert page.text_content("#title") == title
    assert HOSTILE_NAME in cat.visible() and HOSTILE_INPUT in cat.visible()
    cat.click_node("harmless")
    assert "</script><img src=x onerror=alert(4)> and <!-- a comment & more" in (
        page.text_content("#d-doc") or ""
    )
    assert "note=" + HOSTILE_TAG in cat.names("#d-tags .chip")
    assert '@tag(pii="true", note=HOSTILE_TAG)' in (page.text_content("#d-source") or "")
    assert _graph_nodes(cat, "down") == [HOSTILE_NAME[:23] + "\u2026"]  # a long label is cut
    cat.click_node(HOSTILE_NAME)
    assert page.text_content("#d-name") == HOSTILE_NAME
    page.fill("#taint-query", "pii=true")
    page.click("#taint-run")
    assert cat.names("#taint-outputs .chip") == [HOSTILE_NAME]
    page.wait_for_timeout(200)  # time for an injected handler to fire, had one got in
    assert page.locator("img, iframe, b, i:not(.sw)").count() == 0
    assert page.locator("script").count() == 2
    cat.assert_quiet()


def test_screenshot_of_the_graph_is_not_blank(open_catalog, shop, tmp_path):
    from PIL import Image, ImageStat

    cat = open_catalog(shop)
    page = cat.page
    page.fill("#search", "revenue")
    page.fill("#taint-query", "pii=true")
    page.click("#taint-run")
    cat.click_node("revenue")
    shot = tmp_path / "catalog.png"
    page.screenshot(path=str(shot))
    graph = Image.open(io.BytesIO(page.locator("#lineage-box").screenshot())).convert("RGB")
    colors = graph.getcolors(maxcolors=1 << 20) or []
    assert graph.width > 400 and graph.height > 60
    assert len(colors) > 40, "the lineage graph region looks blank"
    assert max(ImageStat.Stat(graph.convert("L")).stddev) > 10
    # the graph's fills are the page's colours: upstream blue, selected, downstream green
    rgb = {c for _, c in colors}
    assert {(0x24, 0x56, 0xC7), (0xDB, 0xE7, 0xFF), (0xDC, 0xF3, 0xE3)} <= rgb
    whole = Image.open(shot).convert("RGB")
    assert whole.size == (1280, 800)
    assert len(whole.getcolors(maxcolors=1 << 20) or []) > 100
    assert cat.visible() == ["mean_revenue", "price_report", "revenue", "revenue_per_domain"]
    cat.assert_quiet()


def test_a_link_to_a_node_opens_it(open_catalog, shop):
    cat = open_catalog(shop, "#email_domain")
    assert cat.page.text_content("#d-name") == "email_domain"
    cat.page.evaluate("location.hash = '#%zz'")  # not a valid escape: ignored, no error
    cat.page.evaluate("location.hash = '#age'")
    cat.page.wait_for_function("document.getElementById('d-name').textContent === 'age'")
    cat.assert_quiet()


def test_a_wide_layer_is_cut_with_a_count(open_catalog, tmp_path):
    from plait._graph.build import build_graph
    from plait._model.node import Dependency, Node

    users = [Node(f"user_{i:02d}", int, inputs=(Dependency("hub", int),)) for i in range(45)]
    graph = build_graph([Node("hub", int, inputs=(Dependency("source", int),)), *users])
    cat = open_catalog(write_catalog(graph, tmp_path / "wide.html"))
    cat.click_node("hub")
    assert len(_graph_nodes(cat, "down")) == 30
    assert cat.names("#lineage g.n.more text") == ["+15 more"]
    assert cat.page.locator("#lineage path.e").count() == 31
    cat.assert_quiet()
