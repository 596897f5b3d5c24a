"""Staff-only layers: 404 for anonymous users in single and composite tiles and in TileJSON,
also when a staff request has already cached the tile; never linked into the public tree."""

from __future__ import annotations

import os

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User

from .conftest import first_feature_tile

pytestmark = pytest.mark.django_db


@pytest.fixture
def pole_tile():
    """The z16 tile of a power pole (staff-only layer)."""
    return first_feature_tile("power_poles")


@pytest.fixture
def planner_client(client):
    user = User.objects.get(username="planner")
    assert user.is_staff
    client.force_login(user)
    return client


def test_staff_tile_for_staff_then_404_for_anonymous(client, tile_cache, pole_tile):
    z, x, y = pole_tile
    url = f"/tiles/power-poles/{z}/{x}/{y}.mvt"
    client.force_login(User.objects.get(username="planner"))
    staff = client.get(url)
    assert staff.status_code == 200
    assert staff["Cache-Control"] == "private, no-cache" and "Cookie" in staff["Vary"]
    assert mapbox_vector_tile.decode(staff.content)["power-poles"]["features"]
    cached = list(tile_cache.glob(f"power-poles/*/{z}/{x}/{y}.mvt"))
    assert len(cached) == 1  # cached, but only reachable through the portal
    assert not os.path.lexists(tile_cache / "public" / "power-poles")
    client.logout()
    for path in (
        url,
        f"/tiles/parcels,power-poles/{z}/{x}/{y}.mvt",
        f"/tiles/power-poles,parcels/{z}/{x}/{y}.mvt",
        "/tiles/power-poles.json",
        "/tiles/parcels,power-poles.json",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "layer-not-found"
        assert b"power" not in response.content.replace(b"power-poles", b"")


def test_staff_composite_is_private(planner_client, tile_cache, pole_tile):
    z, x, y = pole_tile
    response = planner_client.get(f"/tiles/buildings,power-poles/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    assert response["ETag"].endswith('-prv"')
    assert not (tile_cache / "public").exists() or not list((tile_cache / "public").iterdir())


def test_accel_redirect_for_cached_staff_tiles(planner_client, tile_cache, pole_tile, monkeypatch):
    from tiles import conf

    monkeypatch.setattr(conf, "ACCEL_REDIRECT", "/_tilecache/")
    z, x, y = pole_tile
    url = f"/tiles/power-poles/{z}/{x}/{y}.mvt"
    planner_client.get(url)
    second = planner_client.get(url)
    assert second.status_code == 200 and second.content == b""  # nginx adds the file
    assert second["X-Accel-Redirect"].startswith("/_tilecache/power-poles/")
    assert second["X-Accel-Redirect"].endswith(f"/{z}/{x}/{y}.mvt")
    assert second["Content-Type"] == "application/vnd.mapbox-vector-tile"
