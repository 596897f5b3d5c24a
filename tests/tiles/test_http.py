"""HTTP behaviour of tile URLs: ETag / 304, Cache-Control, 204 for empty tiles, problem+json for
bad input (never a 500 or an HTML page)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_etag_and_304(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    first = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"mvt-') and first["Cache-Control"].startswith("public, max-age=")
    again = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    other = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt", HTTP_IF_NONE_MATCH='"mvt-0-pub"')
    assert other.status_code == 200 and other.content == first.content


def test_empty_tiles_are_204(client, tile_cache, known_parcel):
    # far from the hromada, at a zoom the layer is shown at
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 204
    # below the layer's min zoom (15) and its overviews (zones from z10): an empty tile, not an
    # error (the map asks every zoom)
    z, x, y = known_parcel["tile"]
    low = client.get(f"/tiles/parcels/9/{x >> 7}/{y >> 7}.mvt")
    assert low.status_code == 204 and low["ETag"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/tiles/parcels/16/a/1.mvt", 400, "invalid-tile-path"),
        ("/tiles/parcels/1.5/0/0.mvt", 400, "invalid-tile-path"),
        ("/tiles/parcels/2/4/0.mvt", 404, "tile-out-of-range"),
        ("/tiles/parcels/2/0/4.mvt", 404, "tile-out-of-range"),
        ("/tiles/parcels/2/-1/0.mvt", 404, "tile-out-of-range"),
        ("/tiles/parcels/31/0/0.mvt", 404, "tile-out-of-range"),
        ("/tiles/no-such-layer/16/0/0.mvt", 404, "layer-not-found"),
        ("/tiles/parcels,nope/16/0/0.mvt", 404, "layer-not-found"),
        ("/tiles/parcels,parcels/16/0/0.mvt", 400, "invalid-layer-list"),
        ("/tiles/Parcels;drop/16/0/0.mvt", 400, "invalid-layer-list"),
        ("/tiles/parcels/16/0/0.png", 404, "not-found"),
        ("/tiles/raster/parcels/16/0/0.png", 404, "not-a-raster-layer"),
        ("/tiles/raster/flood-depth/z/0/0.png", 400, "invalid-tile-path"),
        ("/tiles/raster/parcels.json", 404, "not-a-raster-layer"),
        ("/tiles/nope.json", 404, "layer-not-found"),
    ],
)
def test_bad_input_is_a_clear_problem(client, tile_cache, path, status, code):
    response = client.get(path)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["detail"]


def test_only_safe_methods(client, tile_cache):
    assert client.post("/tiles/parcels/16/0/0.mvt").status_code == 405


def test_missing_data_is_a_clear_503(client, tile_cache, tmp_path):
    from layers.models import GeometryType, Layer

    Layer.objects.create(
        slug="t-gone",
        title_uk="Зниклий растр",
        geometry_type=GeometryType.RASTER,
        raster_path=str(tmp_path / "gone.tif"),
    )
    Layer.objects.create(slug="t-no-table", title_uk="Без таблиці", geometry_type="Polygon")
    for path in ("/tiles/raster/t-gone/16/38737/22750.png", "/tiles/t-no-table/16/38737/22750.mvt"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.json()["code"] == "layer-data-unavailable"
