"""The box-aware ``intersects`` lookup of layer tables (layers/lookups.py) selects exactly the
rows plain ST_Intersects selects, for lon/lat boxes, boxes in the storage CRS and boxes cutting
through parcels; other shapes and CRS pairs keep plain ST_Intersects."""

from __future__ import annotations

import random

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from layers.dynamic import feature_model
from layers.lookups import is_box
from layers.models import Layer

pytestmark = pytest.mark.django_db


def plain_intersects(table: str, polygon: Polygon) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT fid FROM layerdata.{table} "
            "WHERE ST_Intersects(geom, ST_Transform(ST_GeomFromEWKT(%s), 3857))",
            [polygon.ewkt],
        )
        return {row[0] for row in cursor.fetchall()}


def boxes(extent, n: int, seed: int = 5):
    """Random boxes of 50-800 m over ``extent`` (minx, miny, maxx, maxy, EPSG:4326)."""
    rnd = random.Random(seed)
    minx, miny, maxx, maxy = extent
    for _ in range(n):
        w, h = rnd.uniform(0.0007, 0.011), rnd.uniform(0.0005, 0.0072)
        x, y = rnd.uniform(minx, maxx - w), rnd.uniform(miny, maxy - h)
        yield Polygon.from_bbox((x, y, x + w, y + h))


@pytest.mark.parametrize("slug", ["parcels", "buildings", "streets", "bus-stops"])
def test_same_rows_as_plain_st_intersects(demo_layers, slug):
    layer = Layer.objects.get(slug=slug)
    model = feature_model(layer)
    extent = layer.extent  # [minlon, minlat, maxlon, maxlat]
    checked = 0
    for box in boxes(extent, 25):
        for srid in (4326, 3857):
            shape = box.transform(srid, clone=True) if srid != 4326 else box
            shape.srid = srid
            query = model.objects.filter(geom__intersects=shape)
            assert " @ " in str(query.query)  # the fast form is used
            got = set(query.values_list("fid", flat=True))
            assert got == plain_intersects(layer.table_name, shape), (slug, shape.extent)
            checked += len(got)
    assert checked > 0  # the boxes found something


def test_other_shapes_keep_plain_st_intersects(demo_layers):
    model = feature_model(Layer.objects.get(slug="parcels"))
    triangle = Polygon(((32.74, 48.10), (32.78, 48.10), (32.76, 48.12), (32.74, 48.10)), srid=4326)
    query = model.objects.filter(geom__intersects=triangle)
    assert " @ " not in str(query.query)
    assert set(query.values_list("fid", flat=True)) == plain_intersects("parcels", triangle)
    box_elsewhere = Polygon.from_bbox((600000, 5300000, 601000, 5301000))
    box_elsewhere.srid = 32636  # UTM 36N: not a rectangle once in Web Mercator
    assert not is_box(box_elsewhere, 3857)
    assert is_box(Polygon.from_bbox((1, 2, 3, 4)), 3857)  # no SRID: the column's
