"""Resident and planner tools in a real browser: accessibility filter, measuring, the phone
layout, the English switch. Screenshots go to test-artifacts/ and the best to docs/screenshots/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import open_map, screen_point, wait_ready, wait_tiles

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def demo(demo_layers):
    if "facilities" not in demo_layers:
        pytest.skip("needs the demo hromada")
    return demo_layers


def _keep(src: Path, name: str):
    """Refresh docs/screenshots only when asked (GEOPORTAL_SCREENSHOTS=1): runs stay clean."""
    if os.environ.get("GEOPORTAL_SCREENSHOTS") != "1":
        return
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, DOCS / name)


def test_accessibility_filter(portal_server, new_page, demo, artifacts_dir, client):
    data = client.get("/api/v1/webmap/facilities/").json()
    expected = sum("sign_language" in f["properties"]["needs"] for f in data["features"])
    p = new_page()
    open_map(p.page, portal_server, "#map=14/48.110/32.764")
    p.page.get_by_role("button", name="Доступність").click()
    items = p.page.locator("#a11y-list li.facility")
    items.first.wait_for()
    assert items.count() == len(data["features"])
    need = p.page.locator('button.need[data-need="sign_language"]')
    need.click()
    assert need.get_attribute("aria-pressed") == "true"
    assert items.count() == expected
    assert p.page.locator("path.facility-marker").count() == expected
    shot = artifacts_dir / "webmap-accessibility.png"
    p.page.screenshot(path=str(shot))
    _keep(shot, "accessibility.png")
    assert p.errors == []


def test_measure_distance(portal_server, new_page, demo):
    p = new_page()
    open_map(p.page, portal_server, "#map=16/48.110/32.764&layers=streets")
    p.page.click('button[data-tool="distance"]')
    a = screen_point(p.page, 48.110, 32.760)
    b = screen_point(p.page, 48.110, 32.768)
    p.page.mouse.click(*a)
    p.page.wait_for_timeout(400)  # two quick clicks would be a double click (ends measuring)
    p.page.mouse.click(*b)
    p.page.wait_for_timeout(400)
    text = p.page.locator("#tool-output").inner_text()
    # 0.008° of longitude at 48.11°N is 594 m
    assert ":" in text, text
    metres = int(text.split(":")[1].split()[0])
    assert 585 <= metres <= 603, text
    assert p.errors == []


def test_phone_layout_and_screenshots(portal_server, new_page, demo, artifacts_dir):
    desktop = new_page()
    open_map(
        desktop.page,
        portal_server,
        "#map=16/48.1105/32.7630&layers=hromada-boundary,settlements,streets,buildings,parcels,bus-stops",
    )
    shot = artifacts_dir / "webmap-desktop.png"
    desktop.page.screenshot(path=str(shot))
    _keep(shot, "map.png")
    phone = new_page(390, 844)
    open_map(phone.page, portal_server, "#map=16/48.1105/32.7630")
    assert not phone.page.locator("#panel").is_visible() or phone.page.evaluate(
        "document.getElementById('panel').getBoundingClientRect().right <= 0"
    )
    phone.page.click("#panel-toggle")
    phone.page.wait_for_timeout(400)
    assert phone.page.evaluate("document.getElementById('panel').getBoundingClientRect().left") >= 0
    shot = artifacts_dir / "webmap-phone-panel.png"
    phone.page.screenshot(path=str(shot))
    phone.page.click("#panel-toggle")
    phone.page.wait_for_timeout(400)
    shot = artifacts_dir / "webmap-phone.png"
    phone.page.screenshot(path=str(shot))
    _keep(shot, "phone.png")
    assert desktop.errors == [] and phone.errors == []


def test_english_switch(portal_server, new_page, demo):
    p = new_page()
    open_map(p.page, portal_server)
    with p.page.expect_navigation():
        p.page.click('button[name="language"][value="en"]')
    wait_ready(p.page, "map")
    assert p.page.locator("html").get_attribute("lang") == "en"
    assert p.page.locator("#panel h2").inner_text() == "Layers"
    assert p.page.locator("a.report").inner_text() == "Report a problem"
    assert "Land parcels" in p.page.locator("#layer-list").inner_text() or "Parcels" in (
        p.page.locator("#layer-list").inner_text()
    )
    # the scripts' own texts come from the JavaScript catalogue (/jsi18n/) in English too
    reports = p.page.locator('details[data-group="reports"] summary').inner_text()
    assert reports.startswith("Residents' reports"), reports
    slider = p.page.locator("#layer-list input.opacity").first.get_attribute("aria-label")
    assert slider.startswith("Opacity of "), slider
    p.page.click('button[data-tool="distance"]')
    hint = p.page.locator("#tool-output").inner_text()
    assert hint == "Click on the map; double-click or “Finish” to finish. Finish", hint
    assert p.errors == []


def test_select_area_lists_exports_and_share(portal_server, new_page, demo):
    p = new_page()
    open_map(p.page, portal_server, "#map=16/48.110/32.764&layers=streets,buildings,parcels")
    p.page.click('button[data-tool="select"]')
    p.page.mouse.click(*screen_point(p.page, 48.112, 32.760))
    p.page.wait_for_timeout(400)
    p.page.mouse.click(*screen_point(p.page, 48.108, 32.768))
    links = p.page.locator("#info-body ul.exports a")
    links.first.wait_for()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any(h.startswith("/api/v1/layers/parcels/export/?bbox=32.76") for h in hrefs), hrefs
    share = p.page.locator("#share-link").get_attribute("href")
    assert "layers=" in share and "parcels" in share
    response = p.page.request.get(portal_server + share)
    assert response.status == 200 and "attachment" in response.headers["content-disposition"]
    assert p.errors == []


def test_print_view_has_legend_and_scale(portal_server, new_page, demo, artifacts_dir):
    p = new_page()
    p.page.add_init_script("window.print = () => { window.printed = true; };")
    open_map(p.page, portal_server, "#map=16/48.110/32.764")
    p.page.click("#print-button")
    p.page.wait_for_function("window.printed === true")  # once the page-shaped map is drawn
    p.page.emulate_media(media="print")
    wait_tiles(p.page)
    legend = p.page.locator("#print-legend")
    assert legend.is_visible()
    assert "Земельні ділянки" in legend.inner_text()
    assert p.page.locator(".leaflet-control-scale").is_visible()
    assert not p.page.locator("#panel").is_visible()
    p.page.screenshot(path=str(artifacts_dir / "webmap-print.png"))


def test_search_keyboard_and_empty_state(portal_server, new_page, demo):
    p = new_page()
    body = {"query": "zzz", "results": []}
    p.page.route(
        "**/api/v1/search/**",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=__import__("json").dumps(body)
        ),  # fmt: skip
    )
    open_map(p.page, portal_server)
    p.page.fill("#search-input", "zzzz")
    empty = p.page.locator("#search-results li.empty")
    empty.wait_for()
    assert "Нічого не знайдено" in empty.inner_text()
    assert p.errors == []


def test_png_export_of_current_view(portal_server, new_page, demo, artifacts_dir):
    from django.db import connection
    from PIL import Image

    with connection.cursor() as cur:
        cur.execute(
            "SELECT ST_Y(c), ST_X(c) FROM layerdata.buildings,"
            " LATERAL ST_Transform(ST_PointOnSurface(geom), 4326) c"
            " WHERE ST_Area(geom) > 300 ORDER BY fid LIMIT 1"
        )
        lat, lon = cur.fetchone()
    p = new_page()
    open_map(p.page, portal_server, f"#map=16/{lat}/{lon}&layers=settlements,streets,buildings")
    with p.page.expect_download() as info:
        p.page.click("#png-button")
    path = artifacts_dir / "webmap-export.png"
    info.value.save_as(str(path))
    img = Image.open(path).convert("RGB")
    box = p.page.locator("#map").bounding_box()
    assert img.size == (round(box["width"]), round(box["height"]))
    assert len(img.getcolors(maxcolors=1_000_000)) > 50
    x, y = screen_point(p.page, lat, lon)
    pixel = img.getpixel((int(x - box["x"]), int(y - box["y"])))
    assert all(abs(a - b) <= 12 for a, b in zip(pixel, (217, 204, 180), strict=True)), pixel
    assert p.errors == []


def test_layers_api_failure_shows_friendly_error(portal_server, new_page, demo):
    p = new_page()
    p.page.route("**/api/v1/layers/", lambda route: route.fulfill(status=503, body="down"))
    p.page.goto(portal_server + "/")
    error = p.page.locator("#layer-list .error")
    error.wait_for()
    assert "Не вдалося завантажити шари" in error.inner_text()


def test_shareable_map_opens_offline_with_local_leaflet(portal_server, new_page, demo, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "map.html"
    call_command(
        "export_map", layers="parcels,streets", bbox="32.755,48.105,32.770,48.115",
        out=str(out), assets_url=f"{portal_server}/static/vendor/", verbosity=0,
    )  # fmt: skip
    p = new_page()
    # no internet: every CDN request fails; Leaflet comes from the portal
    p.page.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url
                 and not route.request.url.startswith("file:") else route.continue_())  # fmt: skip
    p.page.goto(out.as_uri())
    p.page.locator("path.leaflet-interactive").first.wait_for(timeout=15000)
    assert p.page.locator("path.leaflet-interactive").count() > 50
    assert not [e for e in p.errors if "L is not defined" in e]


def test_tools_work_with_the_reports_overlay_on(portal_server, new_page, demo):
    """The reports overlay is not a catalogue layer: print, area export and the PNG snapshot
    must not look it up in layersBySlug, and the permalink still restores it."""
    p = new_page()
    p.page.add_init_script("window.print = () => { window.printed = true; };")
    open_map(p.page, portal_server, "#map=16/48.110/32.764&layers=streets,reports")
    assert p.page.locator("input[data-slug=reports]").is_checked()
    assert p.page.evaluate("location.hash").endswith("&layers=streets,reports")

    p.page.click("#print-button")
    p.page.wait_for_function("window.printed === true")  # once the page-shaped map is drawn
    title = p.page.evaluate("window.geoportalApp.webmap.layer('streets').title")
    assert title in p.page.locator("#print-legend").inner_text()

    p.page.click('button[data-tool="select"]')
    p.page.mouse.click(*screen_point(p.page, 48.112, 32.760))
    p.page.wait_for_timeout(400)
    p.page.mouse.click(*screen_point(p.page, 48.108, 32.768))
    links = p.page.locator("#info-body ul.exports a")
    links.first.wait_for()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all(h.startswith("/api/v1/layers/streets/export/") for h in hrefs), hrefs

    assert p.page.evaluate("window.geoportalApp.snapshot().then((c) => c.width)") > 0
    p.page.locator("input[data-slug=reports]").uncheck()
    assert p.page.evaluate("location.hash").endswith("&layers=streets")
    assert p.errors == []
