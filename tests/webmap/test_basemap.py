"""The town map in a real browser (system chromium, protomaps-leaflet): point features open
their cards (a stop anonymously, a pole for staff) without page errors; labels are legible,
read back by OCR of screenshots (Debian's tesseract with ukr): a settlement name at z12, a street
name at z16 (the image turned by the street's bearing first), a house number at z18; the legend
lists one entry per master-plan zone category; a ticked layer says from which zoom it shows;
the static export draws its features with the network blocked."""

from __future__ import annotations

import difflib
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from PIL import Image

from ..conftest import login
from .conftest import open_map, screen_point
from .test_map_page import _copy_to_docs

pytestmark = pytest.mark.django_db

BASE = "hromada-boundary,settlements,streets,buildings"
STYLE = Path(__file__).resolve().parents[2] / "geoportal/webmap/static/webmap/basemap-style.json"


@pytest.fixture
def demo(demo_layers):
    if "bus-stops" not in demo_layers or "street-light-poles" not in demo_layers:
        pytest.skip("needs the demo hromada (GEOPORTAL_TEST_NO_DEMO is set)")
    return demo_layers


def _one(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def _lonely(table: str, where: str = "TRUE"):
    """fid, lat, lon of the point of ``table`` farthest from its nearest neighbour."""
    return _one(
        f"SELECT a.fid, ST_Y(ST_Transform(a.geom, 4326)), ST_X(ST_Transform(a.geom, 4326))"
        f" FROM layerdata.{table} a WHERE {where} ORDER BY (SELECT min(ST_Distance(a.geom, b.geom))"
        f" FROM layerdata.{table} b WHERE b.fid <> a.fid) DESC LIMIT 1"
    )


def _ocr(img: Image.Image, psm: int = 11) -> str:
    buf = io.BytesIO()
    img.convert("L").save(buf, format="PNG")
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "ukr", "--psm", str(psm)],
                          input=buf.getvalue(), capture_output=True, timeout=60, check=True)  # fmt: skip
    return done.stdout.decode()


def _reads(text: str, word: str, ratio: float = 0.8) -> bool:
    """``word`` read as one token (up to OCR's slips), or whole across a line break OCR put in."""
    tokens = re.findall(r"[\w'’-]+", text.lower())
    if any(difflib.SequenceMatcher(None, t, word.lower()).ratio() >= ratio for t in tokens):
        return True
    return word.lower() in re.sub(r"\s+", "", text.lower())


def _map_image(page) -> Image.Image:
    box = page.locator("#map").bounding_box()
    return Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB")


def _click_card(p, lat, lon):
    x, y = screen_point(p.page, lat, lon)
    p.page.mouse.click(x, y)
    p.page.locator("#info-body h3").wait_for(timeout=10000)
    return p.page.locator("#info-body").inner_text()


def test_clicking_a_stop_opens_its_card(portal_server, new_page, demo, artifacts_dir):
    fid, lat, lon = _lonely("bus_stops")
    name = _one("SELECT name FROM layerdata.bus_stops WHERE fid = %s", [fid])[0]
    p = new_page()
    open_map(p.page, portal_server, f"#map=17/{lat}/{lon}&layers={BASE},bus-stops")
    text = _click_card(p, lat, lon)
    assert p.page.locator("#info-body h3").inner_text() == demo["bus-stops"].title_uk
    assert name in text
    assert f"f=bus-stops:{fid}" in p.page.evaluate("location.hash")
    p.page.screenshot(path=str(artifacts_dir / "basemap-stop-card.png"))
    _copy_to_docs(artifacts_dir / "basemap-stop-card.png", "stop-card.png")
    assert p.errors == []


def test_clicking_a_pole_opens_its_card_for_staff(portal_server, new_page, demo, artifacts_dir):
    fid, lat, lon = _lonely("street_light_poles")
    number = _one("SELECT number FROM layerdata.street_light_poles WHERE fid = %s", [fid])[0]
    session = login(portal_server, "planner")
    p = new_page()
    p.page.context.add_cookies([{"name": c.name, "value": c.value, "url": portal_server}
                                for c in session.cookies])  # fmt: skip
    open_map(p.page, portal_server, f"#map=18/{lat}/{lon}&layers={BASE},street-light-poles")
    text = _click_card(p, lat, lon)
    assert p.page.locator("#info-body h3").inner_text() == demo["street-light-poles"].title_uk
    assert str(number) in text
    p.page.screenshot(path=str(artifacts_dir / "basemap-pole-card.png"))
    assert p.errors == []


def test_settlement_name_legible_at_z12(portal_server, new_page, demo, artifacts_dir):
    name, lat, lon = _one(
        "SELECT name, ST_Y(c), ST_X(c) FROM layerdata.settlements,"
        " LATERAL ST_Transform(ST_PointOnSurface(geom), 4326) c ORDER BY population DESC NULLS LAST LIMIT 1"
    )
    p = new_page(width=900, height=600, device_scale_factor=2)
    open_map(p.page, portal_server, f"#map=12/{lat}/{lon}&layers={BASE}")
    p.page.wait_for_timeout(800)  # the settlement anchors arrive with the labels API
    img = _map_image(p.page)
    img.save(artifacts_dir / "basemap-z12.png")
    _copy_to_docs(artifacts_dir / "basemap-z12.png", "town-map-z12.png")
    text = _ocr(img)
    assert _reads(text, name), f"{name!r} not read at z12: {text!r}"
    assert p.errors == []


def _street():
    """Name, midpoint and screen bearing (degrees, counter-clockwise from east) of the longest
    straight named street part."""
    return _one(
        "SELECT name, ST_Y(m), ST_X(m), degrees(ST_Azimuth(ST_StartPoint(part), ST_EndPoint(part)))"
        " FROM (SELECT s.name, (ST_Dump(ST_LineMerge(s.geom))).geom AS part FROM layerdata.streets s"
        "  WHERE s.name LIKE 'вулиця %%') d,"
        " LATERAL ST_Transform(ST_LineInterpolatePoint(part, 0.5), 4326) m"
        " WHERE ST_Length(part) / NULLIF(ST_Distance(ST_StartPoint(part), ST_EndPoint(part)), 0) < 1.02"
        " ORDER BY ST_Length(part) DESC LIMIT 1"
    )


def test_street_name_legible_at_z16(portal_server, new_page, demo, artifacts_dir):
    name, lat, lon, azimuth = _street()
    p = new_page(width=900, height=600, device_scale_factor=2)
    open_map(p.page, portal_server, f"#map=16/{lat}/{lon}&layers={BASE}")
    img = _map_image(p.page)
    img.save(artifacts_dir / "basemap-z16.png")
    _copy_to_docs(artifacts_dir / "basemap-z16.png", "town-map-z16.png")
    angle = azimuth - 90  # the text runs along the street: turn the image so it is level
    turned = img.rotate(angle, expand=True, fillcolor=(255, 255, 255))
    turned.save(artifacts_dir / "basemap-z16-turned.png")
    word = max(name.split()[1:], key=len)  # "вулиця Івана Мазепи" -> "Мазепи"
    text = _ocr(turned) + _ocr(img.rotate(angle + 180, expand=True, fillcolor=(255, 255, 255)))
    assert _reads(text, word), f"{word!r} not read at z16: {text!r}"
    assert p.errors == []


def test_house_number_legible_at_z18(portal_server, new_page, demo, artifacts_dir):
    housenum, lat, lon = _one(
        "SELECT housenum, ST_Y(c), ST_X(c) FROM layerdata.buildings,"
        " LATERAL ST_Transform(ST_PointOnSurface(geom), 4326) c"
        " WHERE housenum ~ '^[0-9]{2,3}$' AND ST_Area(geom) > 150 ORDER BY ST_Distance(geom,"
        " ST_Transform(ST_SetSRID(ST_MakePoint(32.764, 48.110), 4326), 3857)) LIMIT 1"
    )
    p = new_page(width=900, height=600, device_scale_factor=2)
    open_map(p.page, portal_server, f"#map=18/{lat}/{lon}&layers={BASE}")
    img = _map_image(p.page)
    img.save(artifacts_dir / "basemap-z18.png")
    _copy_to_docs(artifacts_dir / "basemap-z18.png", "town-map-z18.png")
    x, y = (v * 2 for v in screen_point(p.page, lat, lon))
    box = p.page.locator("#map").bounding_box()
    x, y = x - box["x"] * 2, y - box["y"] * 2
    crop = img.crop((int(x - 120), int(y - 50), int(x + 120), int(y + 50)))
    crop.save(artifacts_dir / "basemap-z18-number.png")
    text = _ocr(crop, psm=6)
    assert housenum in re.sub(r"\s", "", text), f"{housenum!r} not read at z18: {text!r}"
    assert p.errors == []


def test_legend_lists_each_zone_category(portal_server, new_page, demo, artifacts_dir):
    cats = json.loads(STYLE.read_text())["roles"]["zones"]["categories"]
    p = new_page()
    open_map(p.page, portal_server, f"#map=14/48.110/32.764&layers={BASE},masterplan-zones")
    items = p.page.locator('.layer-row:has(input[data-slug="masterplan-zones"]) ul.legend li')
    assert items.count() == len(cats["values"]) + 1  # one per category, and "other zones"
    values = [v for v in items.evaluate_all("els => els.map(e => e.dataset.value || '')") if v]
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT code FROM layerdata.masterplan_zones")
        codes = [r[0] for r in cur.fetchall()]
    assert all(any(c.startswith(v) for v in values) for c in codes), (codes, values)
    colours = items.evaluate_all(
        "els => els.map(e => getComputedStyle(e.querySelector('.swatch')).backgroundColor)"
    )
    assert len(set(colours)) == len(colours)
    p.page.locator('.layer-row:has(input[data-slug="masterplan-zones"])').screenshot(
        path=str(artifacts_dir / "basemap-zone-legend.png"))  # fmt: skip
    assert p.errors == []


def test_ticked_layer_says_from_which_zoom_it_shows(portal_server, new_page, demo):
    p = new_page()
    open_map(p.page, portal_server, f"#map=13/48.110/32.764&layers={BASE},parcels")
    hint = p.page.locator('.layer-row:has(input[data-slug="parcels"]) .zoom-hint')
    assert "з масштабу 15" in hint.inner_text()
    p.page.evaluate("window.geoportalApp.leaflet.setZoom(15)")
    hint.wait_for(state="detached")
    assert p.errors == []


def test_static_export_draws_offline(portal_server, new_page, demo, tmp_path, artifacts_dir):
    out = tmp_path / "map.html"
    call_command("export_map", layers="masterplan-zones,streets,bus-stops",
                 bbox="32.750,48.100,32.780,48.120", out=str(out), verbosity=0)  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", html), (
        "links a host"
    )
    p = new_page()
    requested = []

    def block(route):
        requested.append(route.request.url)
        route.abort() if not route.request.url.startswith("file:") else route.continue_()

    p.page.route("**/*", block)
    p.page.goto(out.as_uri())
    p.page.locator("path.leaflet-interactive").first.wait_for(timeout=15000)
    assert p.page.locator("path.leaflet-interactive").count() > 50
    assert p.page.locator("#legend li.value").count() >= 7
    assert [u for u in requested if not u.startswith("file:")] == []
    p.page.screenshot(path=str(artifacts_dir / "basemap-static-export.png"))
    _copy_to_docs(artifacts_dir / "basemap-static-export.png", "static-export.png")
    assert p.errors == []


def test_portrait_print_has_no_empty_band(portal_server, new_page, demo, artifacts_dir):
    """When the print dialog opens, the map already has the portrait page's shape with every
    band of it drawn (a wide desktop window used to print tiles only where the screen had them);
    the selected parcel is drawn by its outline, not its bounding box."""
    p = new_page(width=1440, height=900)
    p.page.add_init_script(
        "window.print = () => { const r = document.getElementById('map').getBoundingClientRect();"
        " window.printed = [r.width, r.height]; };"
    )
    fid, lat, lon = _one(
        "SELECT fid, ST_Y(c), ST_X(c) FROM layerdata.parcels,"
        " LATERAL ST_Transform(ST_PointOnSurface(geom), 4326) c"
        " WHERE ST_Area(geom) > 1500 AND ST_Area(geom) / ST_Area(ST_Envelope(geom)) < 0.8"
        " ORDER BY ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(32.764, 48.110), 4326), 3857))"
        " LIMIT 1"
    )
    open_map(p.page, portal_server, f"#map=17/{lat}/{lon}&layers={BASE},parcels&f=parcels:{fid}")
    p.page.locator("#info-body .cadnum").wait_for(timeout=10000)
    outline = p.page.locator("path.selected-outline")
    outline.wait_for(state="attached")
    pts = [
        tuple(map(float, xy))
        for xy in re.findall(r"([-\d.]+)[ ,]([-\d.]+)", outline.get_attribute("d"))
    ]
    slanted = [
        (a, b)
        for a, b in zip(pts, pts[1:], strict=False)
        if abs(a[0] - b[0]) > 2 and abs(a[1] - b[1]) > 2
    ]
    assert slanted, f"the selection is drawn as its bounding box, not its outline: {pts}"
    p.page.click("#print-button")
    p.page.wait_for_function("Array.isArray(window.printed)", timeout=20000)
    width, height = p.page.evaluate("window.printed")
    assert height > width * 1.3, (width, height)  # portrait
    img = Image.open(io.BytesIO(p.page.locator("#map").screenshot())).convert("RGB")
    img.save(artifacts_dir / "basemap-print-portrait.png")
    band = 64
    for top in range(0, img.height - band, band):
        colours = img.crop((0, top, img.width, top + band)).getcolors(maxcolors=100_000)
        assert colours is None or len(colours) > 20, f"empty band at y={top}"
    p.page.pdf(path=str(artifacts_dir / "basemap-print.pdf"), format="A4", print_background=True)
    assert p.errors == []


def test_settlement_anchors_api(demo, client):
    response = client.get("/api/v1/webmap/street-labels/?only=places")
    assert response.status_code == 200
    body = response.json()
    assert "labels" not in body  # the map no longer draws the street label points
    names = {p["name"] for p in body["places"]}
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM layerdata.settlements WHERE name <> ''")
        assert names == {r[0] for r in cur.fetchall()}
    assert all(-180 <= p["lon"] <= 180 and -90 <= p["lat"] <= 90 for p in body["places"])
    assert "labels" in client.get("/api/v1/webmap/street-labels/").json()  # the old answer stays


@pytest.mark.parametrize("bbox", ["nan,nan,nan,nan", "32.75,48.1,inf,48.12", "1e999,0,2,1", "\x00"])
def test_share_rejects_impossible_bbox(demo, client, bbox):
    response = client.get("/api/v1/webmap/share/", {"bbox": bbox, "layers": "streets"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad-bbox"


def test_export_data_cannot_close_its_script_element():
    from geoportal.webmap.export import _script_json

    text = _script_json({"name": "</script><script>alert(1)</script>"})
    assert "</script" not in text.lower()
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"
