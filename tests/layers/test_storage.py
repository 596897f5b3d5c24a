"""One table per layer: typed columns, atomic replacement, kept versions and rollback."""

import json

import pytest
from django.db import connection

from importers.errors import ImportFailed
from importers.pipeline import ImportOptions, import_vector
from layers.dynamic import feature_model
from layers.models import Layer
from layers.storage import history_versions, restore_version

pytestmark = pytest.mark.django_db


def write_geojson(path, features):
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def square(lon, lat, props, d=0.0005):
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def sample(tmp_path):
    return write_geojson(
        tmp_path / "lots.geojson",
        [
            square(32.76 + i * 0.001, 48.11, {"name": f"ділянка {i}", "area": 1.5 * i, "n": i})
            for i in range(5)
        ],
    )


def column_types(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, udt_name FROM information_schema.columns "
            "WHERE table_schema = 'layerdata' AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return {name: udt for name, _, udt in cursor.fetchall()}


def test_import_creates_typed_table_with_spatial_index(sample):
    report = import_vector(sample, ImportOptions(slug="lots", title_uk="Ділянки"))
    assert report.imported == 5
    assert column_types("lots") == {
        "fid": "int8",
        "name": "text",
        "area": "float8",
        "n": "int8",
        "geom": "geometry",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname='layerdata' AND tablename='lots'"
        )
        assert any("gist (geom)" in row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT Find_SRID('layerdata', 'lots', 'geom'), GeometryType(geom) FROM layerdata.lots LIMIT 1"
        )
        assert cursor.fetchone() == (3857, "MULTIPOLYGON")
    layer = Layer.objects.get(slug="lots")
    assert layer.feature_count == 5
    assert layer.extent[0] == pytest.approx(32.76, abs=1e-6)
    Feature = feature_model(layer)
    assert list(Feature.objects.order_by("-area").values_list("name", flat=True))[:2] == [
        "ділянка 4",
        "ділянка 3",
    ]


def test_reimport_swaps_atomically_and_keeps_the_old_version(sample, tmp_path):
    first = import_vector(sample, ImportOptions(slug="lots", title_uk="Ділянки")).version
    newer = write_geojson(
        tmp_path / "newer.geojson", [square(32.77, 48.12, {"name": "нова", "area": 2.0, "n": 9})]
    )
    report = import_vector(newer, ImportOptions(slug="lots"))
    layer = Layer.objects.get(slug="lots")
    assert report.version == layer.version > first  # versions come from one sequence
    assert feature_model(layer).objects.count() == 1
    assert history_versions("lots") == [first]
    restore_version("lots", first, layer.version)
    assert feature_model(layer).objects.count() == 5


def test_failed_import_leaves_previous_data_untouched(sample, tmp_path):
    import_vector(sample, ImportOptions(slug="lots", title_uk="Ділянки"))
    before = Layer.objects.get(slug="lots")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(ImportFailed, match="broken.geojson"):
        import_vector(broken, ImportOptions(slug="lots"))
    after = Layer.objects.get(slug="lots")
    assert (after.version, after.feature_count, after.source_checksum) == (
        before.version,
        before.feature_count,
        before.source_checksum,
    )
    assert feature_model(after).objects.count() == 5


def test_data_outside_the_hromada_is_refused_with_the_likely_cause(tmp_path):
    swapped = write_geojson(
        tmp_path / "swapped.geojson",
        [square(48.11, 32.76, {"name": "x"}), square(48.12, 32.77, {"name": "y"})],
    )
    with pytest.raises(ImportFailed, match="swapped"):
        import_vector(swapped, ImportOptions(slug="swapped"))
    assert not Layer.objects.filter(slug="swapped").exists()
