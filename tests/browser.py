"""The browser of the whole test session: the system chromium driven by Playwright (no
download), and helpers for the map pages. Its fixtures are registered once, by tests/conftest.py:
one Playwright per session (a second sync_playwright() beside a live one fails), so other
conftests import only the helpers."""

from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A browser page with the console errors it collected."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1280, height=800, locale="uk-UA", **options):
        """``options`` go to the browser context (geolocation, permissions, ...)."""
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                  **options)  # fmt: skip
        contexts.append(ctx)
        return Page(ctx.new_page())

    yield make
    for ctx in contexts:
        ctx.close()


def wait_ready(page, name: str, timeout: int = 30000):
    """Wait for the page's automation hook (webmap/static/webmap/util.js: publish): the entry
    module of page ``name`` ("map", "report-form", "dashboard") has started it and set
    ``window.geoportalApp``."""
    page.wait_for_function(f"document.documentElement.dataset.ready === {name!r}", timeout=timeout)


def open_map(page, base_url: str, hash_: str = ""):
    page.goto(f"{base_url}/{hash_}")
    wait_ready(page, "map")
    wait_tiles(page)


def wait_tiles(page):
    """Wait until the map's tile layers stop loading."""
    page.wait_for_function("document.getElementById('map-loading').hidden === true", timeout=30000)
    page.wait_for_timeout(300)


def screen_point(page, lat: float, lon: float) -> tuple[float, float]:
    return page.evaluate(
        "([lat, lon]) => { const m = window.geoportalApp.leaflet; const p = m.latLngToContainerPoint([lat, lon]);"
        " const r = m.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
