"""End-to-end: the web page in headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import FIXTURE_ID

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless chromium (/usr/bin/chromium) not installed"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    outside: list[str] = []  # everything must come from our server: no CDN, no tiles
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("request", lambda req: None if req.url.startswith((server, "data:")) else outside.append(req.url))
    tab.base = server
    yield tab
    context.close()
    assert not errors, errors
    assert not outside, outside


def ready(page, view: str) -> None:
    page.wait_for_selector(f"#view[data-view='{view}'][data-ready='1']", timeout=15000)


def test_timeline_loads_and_filters(page):
    page.goto(page.base + "/")
    ready(page, "timeline")
    assert page.locator("svg.chart .bar").count() >= 1
    all_rows = page.locator("tr.event-row").count()
    assert all_rows >= 3
    page.fill("#filters input[name=actor]", "CHN")
    page.click("#filters button[type=submit]")
    page.wait_for_function("location.hash.includes('actor=CHN')")
    ready(page, "timeline")
    rows = page.locator("tr.event-row")
    assert 1 <= rows.count() < all_rows
    for text in rows.all_inner_texts():
        assert "CHN" in text
    page.fill("#filters input[name=actor]", "")
    page.fill("#filters input[name=code]", "194")
    page.click("#filters button[type=submit]")
    page.wait_for_function("location.hash.includes('code=194')")
    ready(page, "timeline")
    assert page.locator("tr.event-row").count() == 1
    assert "Russian forces shelled" in page.locator("tr.event-row").inner_text()


def test_open_document_from_table_highlights_the_event(page):
    page.goto(page.base + "/#/timeline?code=194")
    ready(page, "timeline")
    page.click("tr.event-row a.doc-link")
    ready(page, "doc")
    assert FIXTURE_ID in page.evaluate("location.hash")
    trigger = page.locator(".doc-text .trig.selected")
    assert trigger.inner_text() == "shelled" and trigger.is_visible()
    assert "".join(page.locator(".doc-text .src").all_inner_texts()) == "Russian forces"
    assert "".join(page.locator(".doc-text .tgt").all_inner_texts()) == "the Ukrainian city of Kharkiv"
    assert "Fight with artillery and tanks" in page.locator(".detail").inner_text()
    assert "on Tuesday" in page.locator(".detail").inner_text()
    page.click(".doc-text .trig:text('condemned')")  # click another event in the text
    page.wait_for_function("location.hash.includes('event=V2')")
    ready(page, "doc")
    assert page.locator(".doc-text .trig.selected").inner_text() == "condemned"
    assert page.locator(".doc-text .quote").count() == 1 and page.locator(".doc-text .ent").count() >= 3


def test_network_map_and_quotes_render(page):
    page.goto(page.base + f"/#/network?doc_id={FIXTURE_ID}")
    ready(page, "network")
    assert page.locator("svg.net .node").count() >= 2
    page.goto(page.base + "/#/map")
    ready(page, "map")
    assert page.locator("svg.map path.country").count() > 100
    assert page.locator("svg.map path[data-country=UKR]").count() == 1
    page.goto(page.base + "/#/quotes")
    ready(page, "quotes")
    page.click(".speakers li:has-text('Dmytro Kuleba')")
    page.wait_for_function("location.hash.includes('speaker=')")
    ready(page, "quotes")
    assert "This is a war crime" in page.locator("blockquote").first.inner_text()


def test_api_docs_render_without_a_cdn(page):
    page.goto(page.base + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".swagger-ui .opblock").count() >= 10


def test_actor_list_links_to_the_actor_timeline(page):
    page.goto(page.base + "/#/actors?name=Kuleba")
    ready(page, "actors")
    row = page.locator("tr.actor-row").first
    assert "UKRGOV" in row.inner_text() and "foreign minister" in row.inner_text()
    row.locator("a").click()
    page.wait_for_function("location.hash.includes('actor=UKRGOV')")
    ready(page, "timeline")
    assert any("Criticize or denounce" in text for text in page.locator("tr.event-row").all_inner_texts())
