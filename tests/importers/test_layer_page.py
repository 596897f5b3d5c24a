"""The public page per layer (issue 20): metadata, licence, source, last update and import
history for everyone, who/checksum/errors for staff only; a staff-only layer is a 404 for the
anonymous; the OGC collection carries attribution, licence, source and date. Screenshots of
the page at phone and desktop size (Chromium) go to test-artifacts/."""

from __future__ import annotations

import os

import pytest

from importers.models import ImportRun
from layers.models import Layer

pytestmark = pytest.mark.django_db
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_page_shows_metadata_and_history_staff_see_more(client, demo_layers):
    parcels = Layer.objects.get(slug="parcels")
    Layer.objects.filter(pk=parcels.pk).update(licence="CC BY 4.0", source="Держгеокадастр")
    ImportRun.objects.create(layer_slug="parcels", file_name="secret-failure.gpkg",
                             status="failed", error="boom", checksum="abc123def456")  # fmt: skip
    page = client.get("/layers/parcels/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "CC BY 4.0" in text and "Держгеокадастр" in text and "Історія імпортів" in text
    assert "parcels" in text and "secret-failure.gpkg" not in text and "Контрольна сума" not in text
    client.login(username="planner", password="demo-pass-123")
    staff = client.get("/layers/parcels/").content.decode()
    assert "secret-failure.gpkg" in staff and "abc123def456" in staff and "boom" in staff


def test_staff_only_layer_is_404_for_the_anonymous(client, demo_layers):
    assert client.get("/layers/manholes/").status_code == 404
    assert client.get("/layers/no-such-layer/").status_code == 404
    client.login(username="planner", password="demo-pass-123")
    assert client.get("/layers/manholes/").status_code == 200


def test_ogc_collection_carries_attribution_licence_and_date(client, demo_layers):
    Layer.objects.filter(slug="parcels").update(
        licence="https://creativecommons.org/licenses/by/4.0/", attribution="© Громада"
    )
    doc = client.get("/ogc/collections/parcels", {"f": "json"}).json()
    assert doc["attribution"] == "© Громада" and doc["updated"]
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    rels = {link["rel"]: link["href"] for link in doc["links"]}
    assert rels["license"] == doc["license"] and rels["describedby"] == "/layers/parcels/"


def test_layer_page_screenshots(browser, portal_server, artifacts_dir):
    for name, size in (("phone", (390, 844)), ("desktop", (1440, 900))):
        page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="uk-UA")
        page.goto(f"{portal_server}/layers/parcels/")
        assert page.locator("h1").inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0], f"{name}: page {width}px wide"
        page.screenshot(path=str(artifacts_dir / f"layer-page-{name}.png"), full_page=True)
        page.close()
