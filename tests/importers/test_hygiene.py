"""Geometry hygiene of the vector pipeline on real PostGIS: repair, empty rows, 3D to 2D."""

import json

import pytest
from django.db import connection

from importers.pipeline import ImportOptions, import_vector

pytestmark = pytest.mark.django_db


def _feature(coords, n):
    return {
        "type": "Feature",
        "properties": {"n": n},
        "geometry": {"type": "Polygon", "coordinates": coords} if coords else None,
    }


def test_bowtie_repaired_empty_rejected_z_dropped(tmp_path):
    x, y = 32.764, 48.110
    d = 0.001
    square = [[[x, y, 5], [x + d, y, 5], [x + d, y + d, 5], [x, y + d, 5], [x, y, 5]]]
    bowtie = [[[x, y], [x + d, y + d], [x + d, y], [x, y + d], [x, y]]]
    path = tmp_path / "zones.geojson"
    features = [_feature(square, 1), _feature(bowtie, 2), _feature(None, 3)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = import_vector(path, ImportOptions(slug="hygiene-zones", allow_outside_extent=True))
    assert report.read == 3
    assert report.imported == 2
    assert report.repaired == 1
    assert [row for row, _ in report.rejected] == [3]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT bool_and(ST_IsValid(geom)), max(ST_NDims(geom)) FROM layerdata.hygiene_zones"
        )
        assert cur.fetchone() == (True, 2)
