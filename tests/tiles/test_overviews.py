"""Overviews: the parcels layer's own tiles show cadastral zones (z10-z11) and quarters
(z12-z14) below its min zoom, merged from the cadastral numbers and kept current by version."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.db import connection

from layers.models import Access, Layer, LayerRole
from tiles import overviews

from .conftest import TMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcels():
    overviews._built.clear()
    layer = Layer.objects.get(role=LayerRole.PARCELS)
    yield layer
    overviews._built.clear()


def _centre(layer: Layer, z: int) -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) p "
            f"FROM layerdata.{layer.table_name} ORDER BY fid LIMIT 1 OFFSET 10) s"
        )
        tile = TMS.tile(*cursor.fetchone(), z)
    return tile.z, tile.x, tile.y


def _features(client, layer, z, x, y):
    response = client.get(f"/tiles/{layer.slug}/{z}/{x}/{y}.mvt")
    assert response.status_code in (200, 204), response.content[:300]
    if response.status_code == 204:
        return []
    return mapbox_vector_tile.decode(response.content)[layer.slug]["features"]


def _expected_groups(layer: Layer, parts: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_to_string((string_to_array(cadnum, ':'))[1:%s], ':') k, count(*) "
            f"FROM layerdata.{layer.table_name} GROUP BY k",
            [parts],
        )
        return dict(cursor.fetchall())


@pytest.mark.parametrize(("z", "name", "parts"), [(10, "zone", 2), (12, "quarter", 3)])
def test_low_zoom_tiles_show_zones_and_quarters(client, tile_cache, parcels, z, name, parts):
    assert parcels.min_zoom > 14  # the demo's parcels themselves start at z15
    features = _features(client, parcels, *_centre(parcels, z))
    assert features, f"z{z} tile of the parcels layer is empty"
    expected = _expected_groups(parcels, parts)
    for feature in features:
        props = feature["properties"]
        assert set(props) == {name, "count", "area_ha"}
        assert props["count"] == expected[props[name]]
        assert props["area_ha"] > 0
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_areas_and_counts_add_up_to_the_parcels(parcels):
    overviews.refresh(parcels)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), sum(area_ha) FROM layerdata.{parcels.table_name}")
        count, area = cursor.fetchone()
        for index in (0, 1):
            cursor.execute(f"SELECT sum(count), sum(area_ha) FROM tileoverviews.parcels__o{index}")
            got_count, got_area = cursor.fetchone()
            assert got_count == count
            # The stored area_ha is the cadastre's; ours is measured: within 1 %.
            assert abs(got_area - area) / area < 0.01, (got_area, area)


def test_below_the_first_overview_the_tile_is_empty(client, tile_cache, parcels):
    response = client.get("/tiles/{}/{}/{}/{}.mvt".format(parcels.slug, *_centre(parcels, 9)))
    assert response.status_code == 204


def test_tilejson_announces_minzoom_10_and_the_overview_fields(client, parcels):
    body = client.get(f"/tiles/{parcels.slug}.json").json()
    assert body["minzoom"] == 10
    (entry,) = body["vector_layers"]
    assert entry["minzoom"] == 10
    assert {"zone", "quarter", "count", "area_ha", "cadnum"} <= set(entry["fields"])


def test_an_edit_shows_in_the_overview_after_the_version_bump(client, tile_cache, parcels):
    z, x, y = _centre(parcels, 12)
    before = _features(client, parcels, z, x, y)
    assert before
    with connection.cursor() as cursor:  # a new parcel in a quarter no parcel had before
        cursor.execute(
            f"INSERT INTO layerdata.{parcels.table_name} (cadnum, geom) SELECT "
            "'9999999999:99:999:0001', ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 30)) "
            f"FROM layerdata.{parcels.table_name} ORDER BY fid LIMIT 1 OFFSET 10"
        )
    parcels.bump_version()
    after = _features(client, parcels, z, x, y)
    quarters = {f["properties"]["quarter"]: f["properties"]["count"] for f in after}
    assert quarters.get("9999999999:99:999") == 1


def test_the_commit_of_a_change_rebuilds_the_overviews(parcels, django_capture_on_commit_callbacks):
    overviews.refresh(parcels)
    with django_capture_on_commit_callbacks(execute=True):
        parcels.bump_version()
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('tileoverviews.parcels__o0'::regclass, 'pg_class')")
        assert f"version {parcels.version} " in cursor.fetchone()[0]


def test_settings_turn_them_off_and_bad_settings_never_break_a_tile(client, tile_cache, parcels):
    z, x, y = _centre(parcels, 12)
    parcels.tile_settings = {"overviews": []}
    parcels.save()
    assert client.get(f"/tiles/{parcels.slug}/{z}/{x}/{y}.mvt").status_code == 204
    assert client.get(f"/tiles/{parcels.slug}.json").json()["minzoom"] == parcels.min_zoom
    parcels.tile_settings = {
        "overviews": [
            {"name": "x; DROP TABLE", "group_by": {"attribute": "cadnum"}},
            {"name": "quarter", "min_zoom": 12, "group_by": {"attribute": "nope"}},
            {"name": "zone", "min_zoom": "twelve"},
            "not a dict",
            {
                "name": "quarter",
                "min_zoom": 12,
                "max_zoom": 14,
                "group_by": {"attribute": "cadnum", "parts": 3},
            },
        ]
    }
    parcels.save()
    features = _features(client, parcels, z, x, y)
    assert features and set(features[0]["properties"]) == {"quarter", "count", "area_ha"}


def test_a_staff_only_layer_keeps_its_overviews_from_anonymous_callers(client, tile_cache, parcels):
    parcels.access = Access.STAFF
    parcels.save()
    z, x, y = _centre(parcels, 12)
    assert client.get(f"/tiles/{parcels.slug}/{z}/{x}/{y}.mvt").status_code == 404
    with connection.cursor() as cursor:  # and the analysts' reader role has no grant on them
        cursor.execute(
            "SELECT count(*) FROM information_schema.role_table_grants "
            "WHERE table_schema = 'tileoverviews'"
            " AND grantee NOT IN (SELECT current_user UNION SELECT 'PUBLIC')"
        )
        assert cursor.fetchone()[0] == 0


def test_deleting_the_layer_drops_its_overviews(parcels):
    overviews.refresh(parcels)
    parcels.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('tileoverviews.parcels__o0')")
        assert cursor.fetchone()[0] is None
