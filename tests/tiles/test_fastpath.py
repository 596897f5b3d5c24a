"""The public-tile fast path in front of Django (tiles/fastpath.py): it answers from the public
cache tree exactly what Django would (bytes, ETag, 304, 204), and passes on everything it must
not decide: misses, staff-only layers, layers changed since they were cached."""

from __future__ import annotations

import pytest

from layers.models import Access, Layer
from tiles.fastpath import PublicTileFastPath

from .conftest import first_feature_tile

pytestmark = pytest.mark.django_db


class Downstream:
    """Stands for Django: records that the fast path passed the request on."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("599 Django", [])
        return [b""]


def fast(path: str, **headers):
    django = Downstream()
    seen = {}

    def start_response(status, response_headers):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, **headers}
    body = b"".join(PublicTileFastPath(django)(environ, start_response))
    return seen["status"], seen["headers"], body, django.calls


def test_public_cached_tile_is_served_as_django_served_it(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    path = f"/tiles/parcels/{z}/{x}/{y}.mvt"
    assert fast(path)[3] == 1  # not cached yet: Django's
    first = client.get(path)
    status, headers, body, calls = fast(path)
    assert (status, body, calls) == (200, first.content, 0)
    assert headers["ETag"] == first["ETag"]
    assert headers["Cache-Control"] == first["Cache-Control"]
    assert headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    status, headers, body, calls = fast(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (status, body, calls) == (304, b"", 0) and headers["ETag"] == first["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert fast(path, HTTP_IF_NONE_MATCH="*")[0] == 304  # as Django answers it


def test_empty_public_tile_is_204(client, tile_cache):
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 204
    status, _headers, body, calls = fast("/tiles/parcels/16/0/0.mvt")
    assert (status, body, calls) == (204, b"", 0)


def test_staff_layer_tiles_always_go_to_django(admin_client, tile_cache, demo_layers):
    layer = Layer.objects.get(slug="manholes")
    assert layer.access == Access.STAFF
    z, x, y = first_feature_tile("manholes")
    assert admin_client.get(f"/tiles/manholes/{z}/{x}/{y}.mvt").status_code == 200
    assert list((tile_cache / "manholes").rglob(f"{y}.mvt"))  # cached, in the private tree
    assert fast(f"/tiles/manholes/{z}/{x}/{y}.mvt")[3] == 1
    assert fast(f"/tiles/parcels,manholes/{z}/{x}/{y}.mvt")[3] == 1


def test_a_changed_layer_goes_back_to_django(
    client, tile_cache, known_parcel, django_capture_on_commit_callbacks
):
    z, x, y = known_parcel["tile"]
    path = f"/tiles/parcels/{z}/{x}/{y}.mvt"
    client.get(path)
    assert fast(path)[3] == 0
    with django_capture_on_commit_callbacks(execute=True):
        Layer.objects.get(slug="parcels").bump_version()
    assert fast(path)[3] == 1


@pytest.mark.parametrize(
    "path", ["/tiles/parcels.json", "/tiles/parcels/16/1/x.mvt", "/tiles/../etc/16/1/1.mvt"]
)
def test_anything_but_a_tile_path_goes_to_django(tile_cache, path):
    assert fast(path)[3] == 1


def test_vector_tiles_are_gzipped_for_clients_that_accept_it(client, tile_cache, known_parcel):
    """A phone's first map load was mostly uncompressed tiles (issue 13/18: page weight): Django
    and the fast path send gzip to a client that asks for it, the same bytes once unpacked."""
    import gzip

    z, x, y = known_parcel["tile"]
    path = f"/tiles/parcels/{z}/{x}/{y}.mvt"
    plain = client.get(path)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = client.get(path, HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    assert packed["Content-Encoding"] == "gzip" and packed["ETag"] == plain["ETag"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    status, headers, body, calls = fast(path, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert (status, calls, headers["Content-Encoding"]) == (200, 0, "gzip")
    assert gzip.decompress(body) == plain.content and headers["Content-Length"] == str(len(body))
    assert "Content-Encoding" not in fast(path, HTTP_ACCEPT_ENCODING="identity")[1]
