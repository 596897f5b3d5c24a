"""Generalisation at low zoom from tile_settings: point thinning, simplification, min area."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from shapely.geometry import shape

from layers.models import Layer

from .conftest import TMS

pytestmark = pytest.mark.django_db


def _features(client, slug, z, x, y):
    response = client.get(f"/tiles/{slug}/{z}/{x}/{y}.mvt")
    if response.status_code == 204:
        return []
    return mapbox_vector_tile.decode(response.content)[slug]["features"]


def _busiest_tile(slug, z):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ST_X(ST_Transform(ST_Centroid(ST_Collect(geom)), 4326)), "
            f"ST_Y(ST_Transform(ST_Centroid(ST_Collect(geom)), 4326)) FROM layerdata.{slug}"
        )
        tile = TMS.tile(*cursor.fetchone(), z)
    return tile.z, tile.x, tile.y


def test_point_thinning_keeps_one_feature_per_cell(client, tile_cache):
    layer = Layer.objects.get(slug="bus-stops")
    layer.min_zoom = 10
    layer.save()
    tile = _busiest_tile("bus_stops", 12)
    full = _features(client, "bus-stops", *tile)
    layer.tile_settings = {"thin": {"0": 512, "16": 0}}
    layer.save()
    thinned = _features(client, "bus-stops", *tile)
    assert 0 < len(thinned) < len(full)
    # the thinning grid is aligned with the tile grid: one kept stop per 512-unit cell
    cells = {tuple(int(c // 512) for c in f["geometry"]["coordinates"]) for f in thinned}
    assert len(cells) == len(thinned)
    assert {f["id"] for f in thinned} <= {f["id"] for f in full}


def test_simplify_and_min_area(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    z, x, y = z - 1, x // 2, y // 2
    full = _features(client, "parcels", z, x, y)
    layer = Layer.objects.get(slug="parcels")
    layer.tile_settings = {"simplify": {"15": 16}}
    layer.save()
    simple = _features(client, "parcels", z, x, y)

    def vertices(features):
        polygons = [shape(f["geometry"]) for f in features if f["geometry"]["type"] == "Polygon"]
        return sum(len(p.exterior.coords) for p in polygons)

    assert vertices(simple) < vertices(full)
    areas = sorted(shape(f["geometry"]).area for f in full)
    threshold = areas[len(areas) // 2]
    layer.tile_settings = {"min_area": {"15": threshold}}
    layer.save()
    big = _features(client, "parcels", z, x, y)
    assert 0 < len(big) < len(full)
