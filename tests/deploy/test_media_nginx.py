"""Report photos as deployed: the project's nginx (deploy/nginx/geoportal.conf) in front of
gunicorn with GEOPORTAL_MEDIA_ACCEL_REDIRECT=/_media/. The portal checks access and nginx sends
the bytes from its internal location; a hidden photo stays 404 and the internal location
cannot be asked for directly."""

import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from geoportal.ops.localserver import gunicorn, start_nginx, stop
from tests.conftest import jpeg, server_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_buckets")]


@pytest.fixture(scope="module")
def front(django_db_setup):
    workdir = Path(tempfile.mkdtemp(prefix="geoportal-media-"))
    workdir.chmod(0o755)
    env = server_env()
    env["GEOPORTAL_MEDIA_ACCEL_REDIRECT"] = "/_media/"
    from django.conf import settings

    media = Path(settings.MEDIA_ROOT)  # where the test's own server process saves photos
    env["GEOPORTAL_MEDIA_ROOT"] = str(media)
    with gunicorn(env, workers=1, threads=2, timeout=60) as upstream:
        ports, proc = start_nginx(workdir, upstream=upstream, cache_dir=workdir / "tiles",
                                  static_dir=workdir / "static", tls=None, media_dir=media)  # fmt: skip
        try:
            yield f"http://127.0.0.1:{ports['main']}", upstream
        finally:
            stop(proc)
    shutil.rmtree(workdir, ignore_errors=True)


def test_nginx_sends_public_photos_and_keeps_hidden_ones(front):
    base, upstream = front
    from geoportal.reports.models import Photo

    files = [("photos", (f"{i}.jpg", jpeg(size=(800, 600)), "image/jpeg")) for i in range(2)]
    r = requests.post(base + "/api/v1/reports", timeout=30, files=files,
                      data={"category": "other", "lat": "48.11", "lon": "32.764",
                            "located_by": "pin", "description": "Сміття"})  # fmt: skip
    assert r.status_code == 201, r.text
    shown, hidden = Photo.objects.filter(report_id=r.json()["id"]).order_by("pk")
    Photo.objects.filter(pk=hidden.pk).update(hidden=True)

    got = requests.get(base + shown.image.url, timeout=30)
    assert got.status_code == 200 and got.headers["Content-Type"] == "image/jpeg"
    assert got.content == Path(shown.image.path).read_bytes()
    assert "X-Accel-Redirect" not in got.headers
    # The portal behind nginx only points at the file; nginx sent the bytes.
    direct = requests.get(upstream + shown.image.url, timeout=30)
    assert (
        direct.headers["X-Accel-Redirect"] == "/_media/" + shown.image.name and not direct.content
    )
    thumb = requests.get(base + "/media/_thumb/" + shown.image.name, timeout=30)
    assert thumb.status_code == 200 and thumb.content.startswith(b"\xff\xd8")

    assert requests.get(base + hidden.image.url, timeout=30).status_code == 404
    for path in ("/_media/" + hidden.image.name, "/_media/" + shown.image.name):
        assert requests.get(base + path, timeout=30).status_code == 404  # internal only
