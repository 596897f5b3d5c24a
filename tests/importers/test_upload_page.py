"""The upload page in a real browser (Debian chromium via Playwright): a staff member uploads a
GeoJSON, the page polls the job and shows it done with its counts; a bad file shows the error."""

from __future__ import annotations

import json
import os

import pytest

from importers.models import ImportRun
from layers.models import Layer

pytestmark = pytest.mark.django_db
SLUG = "upload-page-zones"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module", autouse=True)
def _cleanup(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        Layer.objects.filter(slug=SLUG).delete()
        ImportRun.objects.filter(layer_slug=SLUG).delete()


def test_staff_uploads_and_sees_progress_to_done(browser, upload_server, tmp_path, artifacts_dir):
    from playwright.sync_api import expect

    base, _dir = upload_server
    x, y, d = 32.764, 48.110, 0.001
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y]]
    good = tmp_path / "zones.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))  # fmt: skip
    bad = tmp_path / "broken.geojson"
    bad.write_text("{ nope")
    page = browser.new_page(viewport={"width": 900, "height": 900}, locale="uk-UA")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/?next=/importers/upload/")
    page.fill("#id_username", "planner")
    page.fill("#id_password", "demo-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/importers/upload/")
    page.set_input_files("#id_file", str(good))
    page.fill("#id_slug", SLUG)
    page.check("#id_allow_outside_extent")
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#job-status")).to_contain_text("Готово", timeout=30_000)
    expect(page.locator("#job-status")).to_contain_text("імпортовано 1")
    assert page.locator("#job-progress").evaluate("e => e.value") == 1
    page.screenshot(path=str(artifacts_dir / "importers-upload.png"))
    page.set_input_files("#id_file", str(bad))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#job-status")).to_contain_text("broken.geojson", timeout=30_000)
    expect(page.locator("#job-status")).to_have_class("error")
    assert errors == []
    assert Layer.objects.get(slug=SLUG).feature_count == 1
