"""Bad input fails with a specific error naming the file, and the database is left unchanged."""

import json

import pytest

from importers.errors import ImportFailed
from importers.pipeline import ImportOptions, import_vector
from layers.models import Layer

pytestmark = pytest.mark.django_db


def _polygon_file(path, n):
    x, y, d = 32.764, 48.110, 0.001
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    feats = [
        {
            "type": "Feature",
            "properties": {"n": i},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for i in range(n)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))


def test_geojson_that_is_not_json_changes_nothing(tmp_path):
    good = tmp_path / "zones.geojson"
    _polygon_file(good, 2)
    import_vector(good, ImportOptions(slug="bad-input-zones", allow_outside_extent=True))
    before = Layer.objects.values_list("version", "feature_count").get(slug="bad-input-zones")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [ {')
    with pytest.raises(ImportFailed) as exc:
        import_vector(broken, ImportOptions(slug="bad-input-zones", allow_outside_extent=True))
    assert "broken.geojson" in str(exc.value)
    after = Layer.objects.values_list("version", "feature_count").get(slug="bad-input-zones")
    assert after == before == (before[0], 2)
