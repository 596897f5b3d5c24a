"""Report photos over HTTP (/media/): who may see which photo, thumbnails, Open311's
media_url, and attacks on the route (traversal, other reports' hidden photos, enumeration),
each a 404 with a problem body, never a 500 or a file it should not give."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from geoportal.reports import photos as photo_files
from geoportal.reports.models import Photo, Report, Status
from tests.conftest import jpeg

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports"


def _report_with_photos(client, n=2) -> Report:
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg(size=(1200, 900)), "image/jpeg") for i in range(n)]
    r = client.post(URL, {"category": "other", "description": "Сміття біля зупинки",
                          "lat": "48.11", "lon": "32.764", "located_by": "pin", "photos": files})  # fmt: skip
    assert r.status_code == 201, r.content
    return Report.objects.get(pk=r.json()["id"])


def _jpeg_size(response) -> tuple[int, int]:
    data = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        return img.size


def test_public_photo_and_its_thumbnail_for_everyone(client):
    report = _report_with_photos(client)
    photo = report.photos.first()
    r = client.get(photo.image.url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert r["Cache-Control"] == "public, max-age=300" and r["X-Content-Type-Options"] == "nosniff"
    assert _jpeg_size(r) == (1200, 900)
    thumb = client.get(photo_files.thumb_url(photo))
    assert thumb.status_code == 200 and max(_jpeg_size(thumb)) == photo_files.THUMB_SIDE
    # The public JSON and Open311 name URLs that answer 200 to an anonymous client.
    detail = client.get(f"{URL}/{report.pk}").json()
    assert detail["photos"] and all(client.get(u).status_code == 200 for u in detail["photos"])
    open311 = client.get(f"/open311/v2/requests/{report.pk}.json").json()[0]
    media = open311["media_url"].removeprefix("http://testserver")
    assert media.startswith("/media/") and client.get(media).status_code == 200


def test_hidden_photos_and_rejected_reports_only_for_staff(client, staff):
    report = _report_with_photos(client)
    hidden, shown = report.photos.all()
    Photo.objects.filter(pk=hidden.pk).update(hidden=True)
    for url in (hidden.image.url, photo_files.thumb_url(hidden)):
        r = client.get(url)
        assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
        assert r.json()["code"] == "photo-not-found"
    assert client.get(shown.image.url).status_code == 200
    Report.objects.filter(pk=report.pk).update(status=Status.REJECTED)
    assert client.get(shown.image.url).status_code == 404  # a rejected report shows no photo
    client.force_login(staff)
    for url in (hidden.image.url, photo_files.thumb_url(hidden), shown.image.url):
        r = client.get(url)
        assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"


def test_a_signed_in_resident_is_not_staff(client, resident):
    report = _report_with_photos(client, n=1)
    photo = report.photos.get()
    Photo.objects.filter(pk=photo.pk).update(hidden=True)
    client.force_login(resident)
    assert client.get(photo.image.url).status_code == 404


@pytest.mark.parametrize("path", [
    "/media/../settings.py", "/media/..%2F..%2Fetc%2Fpasswd", "/media/%2Fetc%2Fpasswd",
    "/media/reports/../../geoportal/settings.py", "/media/reports/2026/12/999999-0.jpg",
    "/media/reports/%00.jpg", "/media/reports\\..\\x.jpg", "/media/_thumb/../x.jpg",
    "/media/_thumb/_thumb/reports/x.jpg", "/media/" + "a/" * 400 + "x.jpg", "/media/",
    "/media/reports/2026/12/1-0.jpg%0a",
])  # fmt: skip
def test_attacks_are_404_not_500(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)


def test_enumerating_neighbours_finds_nothing_hidden(client):
    """Photo names are predictable (<report>-<n>.jpg): guessing them reaches only what is public."""
    report = _report_with_photos(client, n=1)
    photo = report.photos.get()
    Photo.objects.filter(pk=photo.pk).update(hidden=True)
    folder, _, _ = photo.image.name.rpartition("/")
    codes = {client.get(f"/media/{folder}/{report.pk + d}-{i}.jpg").status_code
             for d in range(-2, 3) for i in range(3)}  # fmt: skip
    assert codes == {404}


def test_a_photo_whose_file_is_gone_is_404(client):
    report = _report_with_photos(client, n=1)
    photo = report.photos.get()
    photo.image.storage.delete(photo.image.name)
    assert client.get(photo.image.url).status_code == 404


def test_accel_redirect_hands_the_file_to_nginx(client, settings):
    settings.GEOPORTAL_MEDIA_ACCEL_REDIRECT = "/_media/"
    report = _report_with_photos(client, n=1)
    photo = report.photos.get()
    r = client.get(photo.image.url)
    assert r.status_code == 200 and r["X-Accel-Redirect"] == "/_media/" + photo.image.name
    assert r.content == b"" and r["Content-Type"] == "image/jpeg"
    r = client.get(photo_files.thumb_url(photo))  # made first, then handed over
    assert r["X-Accel-Redirect"] == "/_media/_thumb/" + photo.image.name


def test_deleting_a_photo_removes_its_thumbnail(client, django_capture_on_commit_callbacks):
    report = _report_with_photos(client, n=1)
    photo = report.photos.get()
    assert client.get(photo_files.thumb_url(photo)).status_code == 200
    thumb = photo.image.storage.path("_thumb/" + photo.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not os.path.exists(thumb)
