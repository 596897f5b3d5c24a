"""The upload page over real HTTP (issue 20): a re-import that changes the geometry type fails
with the difference in the page's words and what to tick; with «Прийняти зміну схеми» it goes
through; a dry run reports its preview; an upload while the layer's import runs is a 409 with
a body, before any job starts."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connections

from importers.locks import LOCK_CLASS, _key
from layers.models import Layer
from tests.importers.conftest import cleanup_layers
from tests.importers.test_upload import _geojson, staff  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
SLUG = "upload-schema-zones"


_cleanup = cleanup_layers(SLUG)


def _points() -> bytes:
    feats = [{"type": "Feature", "properties": {"n": 1},
              "geometry": {"type": "Point", "coordinates": [32.765, 48.111]}}]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def _run(staff, name, data, **fields):  # noqa: F811
    base, session = staff
    form = {"slug": SLUG, "kind": "generic", **fields}
    response = session.post(f"{base}/importers/upload/", data=form,
                            files={"file": (name, data)}, timeout=30)  # fmt: skip
    assert response.status_code == 202, response.text
    url = base + response.json()["url"]
    deadline = time.monotonic() + 60
    while (run := session.get(url, timeout=10).json())["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return run


def test_schema_change_asks_for_the_choice_in_web_words(staff):  # noqa: F811
    assert _run(staff, "zones.geojson", _geojson(3))["status"] == "done"
    preview = _run(staff, "zones.geojson", _geojson(4), dry_run="on")
    assert preview["status"] == "dry-run" and preview["dry_run"]
    assert preview["preview"] == {"added": 1, "removed": 0, "changed": 0, "unchanged": 3}
    refused = _run(staff, "points.geojson", _points())
    assert refused["status"] == "failed" and refused["error_code"] == "schema-change"
    assert "MultiPolygon -> Point" in refused["message"]
    assert "Прийняти зміну схеми" in refused["message"] and "--schema" not in refused["message"]
    assert Layer.objects.get(slug=SLUG).geometry_type == "MultiPolygon"
    accepted = _run(staff, "points.geojson", _points(), schema_replace="on")
    assert accepted["status"] == "done"
    assert Layer.objects.get(slug=SLUG).geometry_type == "Point"


def test_upload_while_an_import_runs_is_409_with_a_body(staff):  # noqa: F811
    base, session = staff
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, _key(SLUG)])
        response = session.post(f"{base}/importers/upload/", data={"slug": SLUG, "kind": "generic"},
                                files={"file": ("zones.geojson", _geojson(1))}, timeout=30)  # fmt: skip
    finally:
        other.close()
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "import-running" and "вже виконується" in body["detail"]
