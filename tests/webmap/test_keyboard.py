"""The map page by keyboard and on a phone (system chromium): the accessibility view's first
filter within 5 Tabs of the skip link, focus into opened panels and back, Escape closes them,
no facility marker in the tab order (the list is), the view one tap from a phone's first screen,
and "show on map" leaving the place clear of the bottom sheet."""

from __future__ import annotations

import pytest

from .conftest import open_map, wait_ready

pytestmark = [pytest.mark.django_db, pytest.mark.browser]
ACTIVE = "() => { const a = document.activeElement; return a ? (a.id || a.className || a.tagName) : null; }"


@pytest.fixture
def demo(demo_layers):
    if "facilities" not in demo_layers:
        pytest.skip("needs the demo hromada")
    return demo_layers


def _active(page) -> str:
    return page.evaluate(ACTIVE)


def test_first_filter_within_five_tabs_of_the_skip_link(portal_server, new_page, demo):
    p = new_page(width=1440, height=900)
    open_map(p.page, portal_server, "#map=14/48.110/32.764")
    p.page.keyboard.press("Tab")
    assert p.page.evaluate("document.activeElement.classList.contains('skip')")
    tabs = 0
    p.page.keyboard.press("Tab")  # the second skip link: to the accessibility view
    tabs += 1
    assert _active(p.page) == "a11y-skip"
    p.page.keyboard.press("Enter")
    assert _active(p.page) == "a11y-title"  # focus moved into the opened view
    p.page.wait_for_selector("#a11y-needs button.need")
    p.page.keyboard.press("Tab")
    tabs += 1
    assert p.page.evaluate("document.activeElement.classList.contains('need')") and tabs <= 5
    p.page.keyboard.press("Enter")  # the filter works from the keyboard
    assert p.page.get_attribute("#a11y-needs button.need >> nth=0", "aria-pressed") == "true"
    p.page.keyboard.press("Escape")
    assert p.page.is_hidden("#a11y") and _active(p.page) == "a11y-skip"  # back where it came from
    assert not p.errors, p.errors


def test_panel_button_focus_and_escape_and_no_marker_in_tab_order(portal_server, new_page, demo):
    p = new_page(width=1440, height=900)
    open_map(p.page, portal_server, "#map=14/48.110/32.764")
    p.page.focus("#a11y-toggle")
    p.page.keyboard.press("Enter")
    assert _active(p.page) == "a11y-title"
    p.page.wait_for_selector("#a11y-list li.facility")
    assert p.page.locator("path.facility-marker").count() > 0
    focusable = p.page.evaluate(
        "() => [...document.querySelectorAll('#map *')].filter((e) => e.tabIndex >= 0"
        " && !e.closest('.leaflet-control-container')).map((e) => e.outerHTML.slice(0, 80))"
    )
    assert focusable == [], focusable  # markers are reached through the list instead
    named = p.page.locator("#a11y-list button.show-on-map").first.get_attribute("aria-label")
    assert named.startswith("Показати на карті: ") and len(named) > len("Показати на карті: ")
    p.page.keyboard.press("Escape")
    assert p.page.is_hidden("#a11y") and _active(p.page) == "a11y-toggle"
    assert p.page.get_attribute("#a11y-toggle", "aria-expanded") == "false"
    assert not p.errors, p.errors


def test_phone_one_tap_and_show_on_map_clear_of_the_sheet(
    portal_server, new_page, demo, artifacts_dir
):
    p = new_page(width=390, height=844, has_touch=True, is_mobile=True)
    open_map(p.page, portal_server, "#map=14/48.110/32.764")
    quick = p.page.locator("#a11y-quick")
    assert quick.is_visible()
    box = quick.bounding_box()
    assert box["y"] + box["height"] <= 844  # on the first screen
    quick.tap()
    p.page.wait_for_selector("#a11y-list li.facility")
    assert p.page.is_visible("#a11y")
    button = p.page.locator("#a11y-list button.show-on-map").first
    button.tap()
    p.page.wait_for_function("window.geoportalApp.leaflet.getZoom() === 18", timeout=15000)
    p.page.wait_for_timeout(900)
    where = p.page.evaluate(
        "() => { const m = window.geoportalApp.leaflet, t = document.querySelector('.leaflet-tooltip');"
        " const s = document.getElementById('a11y').getBoundingClientRect();"
        " const c = m.getContainer().getBoundingClientRect();"
        " const ll = t && t._leaflet_pos ? null : null;"
        " const open = [...document.querySelectorAll('.leaflet-tooltip')];"
        " return { sheetTop: s.top, mapTop: c.top, tooltips: open.map((e) => e.getBoundingClientRect().bottom) }; }"
    )
    assert where["tooltips"], "the chosen facility's name is shown"
    assert all(where["mapTop"] < y <= where["sheetTop"] for y in where["tooltips"]), where
    p.page.screenshot(path=str(artifacts_dir / "webmap-accessibility-phone.png"))
    p.page.locator("#a11y-close").tap()
    assert p.page.is_hidden("#a11y")
    assert not p.errors, p.errors


def test_phone_panel_takes_focus_and_escape_closes_it(portal_server, new_page, demo):
    p = new_page(width=390, height=844)
    p.page.goto(portal_server + "/")
    wait_ready(p.page, "map")
    p.page.focus("#panel-toggle")
    p.page.keyboard.press("Enter")
    assert p.page.evaluate("document.getElementById('panel').contains(document.activeElement)")
    p.page.keyboard.press("Escape")
    assert _active(p.page) == "panel-toggle"
    assert p.page.get_attribute("#panel-toggle", "aria-expanded") == "false"
    assert not p.errors, p.errors


def test_language_switch_keeps_view_layers_and_selection(portal_server, new_page, demo):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT fid FROM layerdata.parcels ORDER BY fid LIMIT 1")
        (fid,) = cur.fetchone()
    p = new_page(width=1440, height=900)
    state = f"#map=17/48.11050/32.76300&layers=parcels,streets&f=parcels:{fid}"
    open_map(p.page, portal_server, state)
    p.page.wait_for_selector("#info:not([hidden])", timeout=30000)
    p.page.click("button[name=language][value=en]")
    p.page.wait_for_function("document.documentElement.lang === 'en'", timeout=30000)
    wait_ready(p.page, "map")
    assert p.page.evaluate("location.hash") == state
    view = p.page.evaluate("() => { const m = window.geoportalApp.leaflet; return [m.getZoom(),"
                           " m.getCenter().lat, m.getCenter().lng]; }")  # fmt: skip
    assert view[0] == 17 and abs(view[1] - 48.1105) < 1e-4 and abs(view[2] - 32.763) < 1e-4
    p.page.wait_for_selector("#info:not([hidden])", timeout=30000)  # the selection reopened
    assert p.page.is_checked('#layer-list input[data-slug="parcels"]')
    p.page.click("button[name=language][value=uk]")
    p.page.wait_for_function("document.documentElement.lang === 'uk'", timeout=30000)
    assert p.page.evaluate("location.hash") == state
    assert not p.errors, p.errors
