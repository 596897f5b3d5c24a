"""Vector tiles decoded by real clients: mapbox-vector-tile and GDAL's MVT driver (ogr2ogr)."""

from __future__ import annotations

import json
import subprocess

import mapbox_vector_tile
import pytest
from shapely.geometry import shape

from tiles.mvt import EXTENT

from .conftest import tile_bounds_3857

pytestmark = pytest.mark.django_db


def _url(z, x, y, layers="parcels"):
    return f"/tiles/{layers}/{z}/{x}/{y}.mvt"


def _to_3857(bounds, px, py):
    """Tile units (y up, as mapbox-vector-tile decodes by default) to EPSG:3857 metres."""
    return (
        bounds.left + px / EXTENT * (bounds.right - bounds.left),
        bounds.bottom + py / EXTENT * (bounds.top - bounds.bottom),
    )


def test_parcel_lands_where_the_source_is(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    response = client.get(_url(z, x, y))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    assert list(decoded) == ["parcels"]
    features = {f["id"]: f for f in decoded["parcels"]["features"]}
    feature = features[known_parcel["fid"]]
    assert feature["properties"]["cadnum"] == known_parcel["cadnum"]
    bounds = tile_bounds_3857(z, x, y)
    ring = shape(feature["geometry"]).exterior.coords
    xs, ys = zip(*(_to_3857(bounds, px, py) for px, py in ring), strict=True)
    unit = (bounds.right - bounds.left) / EXTENT
    src = known_parcel["bbox"]
    # The parcel may be clipped at the tile edge (buffer 64 units): compare inside the buffer.
    left, bottom = bounds.left - 64 * unit, bounds.bottom - 64 * unit
    right, top = bounds.right + 64 * unit, bounds.top + 64 * unit
    expected = [max(src[0], left), max(src[1], bottom), min(src[2], right), min(src[3], top)]
    got = [min(xs), min(ys), max(xs), max(ys)]
    assert all(abs(g - e) <= 1.5 * unit for g, e in zip(got, expected, strict=True)), (
        got,
        expected,
    )


def test_gdal_mvt_driver_reads_the_tile(client, tile_cache, known_parcel, tmp_path):
    z, x, y = known_parcel["tile"]
    path = tmp_path / str(z) / str(x) / f"{y}.pbf"  # the driver takes z/x/y from the path
    path.parent.mkdir(parents=True)
    path.write_bytes(client.get(_url(z, x, y)).content)
    out = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"MVT:{path}", "parcels"],
        capture_output=True,
        text=True,
        check=True,
    )
    collection = json.loads(out.stdout)
    features = [f for f in collection["features"] if f["properties"].get("cadnum")]
    match = [f for f in features if f["properties"]["cadnum"] == known_parcel["cadnum"]]
    assert len(match) == 1
    geom = shape(match[0]["geometry"])  # GDAL returns EPSG:3857 for a z/x/y tile
    bounds = tile_bounds_3857(z, x, y)
    unit = (bounds.right - bounds.left) / EXTENT
    src = known_parcel["bbox"]
    inner = [max(src[0], bounds.left), max(src[1], bounds.bottom)]
    inner += [min(src[2], bounds.right), min(src[3], bounds.top)]
    got = geom.bounds
    assert all(abs(g - e) <= 2 * unit for g, e in zip(got[:2], inner[:2], strict=True))


def test_composite_tile_has_one_mvt_layer_per_portal_layer(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    response = client.get(_url(z, x, y, "parcels,buildings,streets"))
    assert response.status_code == 200
    decoded = mapbox_vector_tile.decode(response.content)
    assert set(decoded) <= {"parcels", "buildings", "streets"}
    assert {"parcels", "buildings"} <= set(decoded)
    assert all(f["id"] for f in decoded["buildings"]["features"])


def test_attributes_by_zoom(client, tile_cache, known_parcel, demo_layers):
    from layers.models import Layer

    parcels = Layer.objects.get(slug="parcels")
    parcels.tile_settings = {"attributes_by_zoom": {"15": ["cadnum"], "17": ["cadnum", "area_ha"]}}
    parcels.save()
    z, x, y = known_parcel["tile"]
    props = mapbox_vector_tile.decode(client.get(_url(z, x, y)).content)["parcels"]["features"][0]
    assert set(props["properties"]) == {"cadnum"}
    child = (z + 1, 2 * x, 2 * y)
    layer = mapbox_vector_tile.decode(client.get(_url(*child)).content)["parcels"]
    assert set(layer["features"][0]["properties"]) == {"cadnum", "area_ha"}
