"""The staff upload page over real HTTP (gunicorn): a background job with polled progress, and
bad uploads (over the size limit, zip bomb, path traversal, truncated zip) refused with HTTP 400
and a JSON body naming the file, with nothing changed in the database."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest

from importers.models import ImportRun
from layers.models import Layer
from tests.conftest import login

pytestmark = pytest.mark.django_db
SLUG = "upload-test-zones"


def _geojson(n=3) -> bytes:
    x, y, d = 32.764, 48.110, 0.001
    feats = [
        {"type": "Feature", "properties": {"n": i},
         "geometry": {"type": "Polygon", "coordinates": [[[x + i * d, y], [x + i * d + d / 2, y],
                                                          [x + i * d + d / 2, y + d], [x + i * d, y]]]}}
        for i in range(n)
    ]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def staff(upload_server):
    base, _dir = upload_server
    session = login(base, "planner")
    page = session.get(f"{base}/importers/upload/", timeout=10)
    assert page.status_code == 200 and "upload-form" in page.text
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    session.headers["Referer"] = f"{base}/importers/upload/"
    return base, session


@pytest.fixture(scope="module", autouse=True)
def _cleanup(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        Layer.objects.filter(slug=SLUG).delete()
        ImportRun.objects.filter(layer_slug=SLUG).delete()


def _post(staff, name: str, data: bytes, **fields):
    base, session = staff
    form = {"slug": SLUG, "kind": "generic", "allow_outside_extent": "on", **fields}
    return session.post(
        f"{base}/importers/upload/", data=form, files={"file": (name, data)}, timeout=30
    )


def _state():
    layer = Layer.objects.filter(slug=SLUG).values_list("version", "feature_count").first()
    return layer, ImportRun.objects.filter(layer_slug=SLUG).count()


def test_upload_runs_in_background_and_reports_progress(staff):
    response = _post(staff, "zones.geojson", _geojson(3), title="Зони")
    assert response.status_code == 202, response.text
    base, session = staff
    url = base + response.json()["url"]
    deadline = time.monotonic() + 60
    while (run := session.get(url, timeout=10).json())["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert (run["status"], run["features_imported"], run["progress"]) == ("done", 3, 1.0)
    assert Layer.objects.get(slug=SLUG).feature_count == 3


def test_status_is_staff_only(upload_server):
    base, _dir = upload_server
    import requests

    assert requests.get(f"{base}/api/v1/imports/1/", timeout=10).status_code == 403
    analyst = login(base, "analyst")
    assert analyst.get(f"{base}/api/v1/imports/1/", timeout=10).status_code == 403
    page = analyst.get(f"{base}/importers/upload/", timeout=10, allow_redirects=False)
    assert page.status_code == 302 and "/accounts/login/" in page.headers["Location"]


@pytest.mark.parametrize(
    "name, data, code, named",
    [
        ("big.geojson", b" " * (1 << 20) + _geojson(1), "too-large", "big.geojson"),
        ("bomb.zip", _zip({"zones.shp": b"\0" * (8 << 20)}), "zip-bomb", "zones.shp"),
        ("escape.zip", _zip({"../../etc/zones.geojson": _geojson(1)}), "path-traversal", "../../etc/zones.geojson"),
        ("cut.zip", _zip({"zones.geojson": _geojson(50)})[:-40], "bad-zip", "cut.zip"),
    ],
    ids=["over-size", "zip-bomb", "path-traversal", "truncated-zip"],
)  # fmt: skip
def test_bad_upload_is_400_json_naming_the_file_and_changes_nothing(
    staff, upload_server, name, data, code, named
):
    before = _state()
    response = _post(staff, name, data)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == code and named in body["detail"], body
    assert _state() == before
    assert not list(Path(upload_server[1]).rglob(Path(name).name))  # the upload was removed


def test_failed_import_job_keeps_the_layer(staff):
    before = _state()
    response = _post(staff, "broken.geojson", b'{"type": "FeatureCollection", "features": [')
    base, session = staff
    url = base + response.json()["url"]
    deadline = time.monotonic() + 60
    while (run := session.get(url, timeout=10).json())["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert run["status"] == "failed" and re.search("broken.geojson", run["error"])
    assert _state()[0] == before[0]


def test_cancel_of_an_ended_import_is_409(staff):
    base, session = staff
    run = ImportRun.objects.filter(layer_slug=SLUG).exclude(status="running").first()
    response = session.post(f"{base}/api/v1/imports/{run.pk}/cancel/", timeout=10)
    assert response.status_code == 409 and response.json()["code"] == "finished"
