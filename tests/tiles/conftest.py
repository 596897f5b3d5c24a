"""Fixtures of the tile tests: an empty tile cache per test, a known parcel of the demo and the
z16 tile it lies in."""

from __future__ import annotations

import morecantile
import pytest
from django.db import connection

TMS = morecantile.tms.get("WebMercatorQuad")


@pytest.fixture(autouse=True)
def fresh_registry():
    """Each test starts and ends with no snapshot of public layers (a rolled-back test's layer
    changes must not live on in this process)."""
    from tiles import registry

    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def tile_cache(tmp_path, monkeypatch):
    """A fresh, empty cache directory for this test (the Django-client side of it)."""
    from tiles import conf

    path = tmp_path / "cache"
    monkeypatch.setattr(conf, "CACHE_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def known_parcel(django_db_setup, django_db_blocker):
    """A demo parcel: fid, cadnum, its bbox in EPSG:3857 and the z16 tile of its inner point."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT fid, cadnum, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), "
            "ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)), "
            "ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) "
            "FROM layerdata.parcels ORDER BY fid LIMIT 1 OFFSET 10"
        )
        fid, cadnum, *bbox, lon, lat = cursor.fetchone()
    tile = TMS.tile(lon, lat, 16)
    return {
        "fid": fid,
        "cadnum": cadnum,
        "bbox": bbox,
        "lonlat": (lon, lat),
        "tile": (tile.z, tile.x, tile.y),
    }


def first_feature_tile(table: str, z: int = 16) -> tuple[int, int, int]:
    """z, x, y of the tile holding the first feature (lowest fid) of ``layerdata.<table>``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) p "
            f"FROM layerdata.{table} ORDER BY fid LIMIT 1) s"
        )
        lon, lat = cursor.fetchone()
    tile = TMS.tile(lon, lat, z)
    return tile.z, tile.x, tile.y


def tile_bounds_3857(z: int, x: int, y: int):
    return TMS.xy_bounds(morecantile.Tile(x, y, z))
