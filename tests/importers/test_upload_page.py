"""The upload page in a real browser (Debian chromium via Playwright): a staff member uploads a
GeoJSON, the page polls the job and shows it done with its counts; a bad file shows the error."""

from __future__ import annotations

import json
import os

import pytest

from layers.models import Layer
from tests.importers.conftest import cleanup_layers, planner_upload_page

pytestmark = pytest.mark.django_db
SLUG = "upload-page-zones"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


_cleanup = cleanup_layers(SLUG)


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
    page, errors = planner_upload_page(browser, base, 900, 900)
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
