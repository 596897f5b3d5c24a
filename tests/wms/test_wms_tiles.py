"""XYZ PNG tiles of the WMS rendering (/wms/tiles/{layers}/{z}/{x}/{y}.png): drawn where the
data are, cached on disk by layer version (the next request reads the file; a style change is a
new version and a fresh tile), and a staff-only layer is a 404 for anonymous callers and no
file is written for them, as with the vector tiles."""

from __future__ import annotations

import io

import morecantile
import numpy as np
import pytest
from PIL import Image

from layers.models import Layer

pytestmark = pytest.mark.django_db
TMS = morecantile.tms.get("WebMercatorQuad")


@pytest.fixture(autouse=True)
def fresh_registry():
    from tiles import registry

    registry.reset()
    yield
    registry.reset()


@pytest.fixture(scope="module", autouse=True)
def close_mapserver_connections():
    """MapServer keeps its PostGIS connections of this process's renders in a pool: closed
    here, or the test database can't be dropped at the end of the session."""
    yield
    import mapscript

    mapscript.msConnPoolCloseUnreferenced()


@pytest.fixture
def tile_cache(tmp_path, monkeypatch):
    from tiles import conf

    path = tmp_path / "cache"
    monkeypatch.setattr(conf, "CACHE_DIR", str(path))
    return path


def first_tile(slug: str, z: int = 16) -> tuple[int, int, int]:
    from django.contrib.gis.geos import Point

    from layers.dynamic import feature_model

    p = feature_model(Layer.objects.get(slug=slug)).objects.order_by("fid").first()
    lonlat = p.geom.point_on_surface.transform(4326, clone=True)
    assert isinstance(lonlat, Point)
    t = TMS.tile(lonlat.x, lonlat.y, z)
    return t.z, t.x, t.y


def drawn(png: bytes) -> int:
    return int((np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[:, :, 3] > 0).sum())


def cached_files(cache_dir, slug):
    return sorted((cache_dir / "wms" / slug).glob("*/*/*/*.png"))


def test_tile_is_drawn_cached_and_read_from_the_cache(client, tile_cache):
    z, x, y = first_tile("parcels")
    first = client.get(f"/wms/tiles/parcels/{z}/{x}/{y}.png")
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert drawn(first.content) > 500
    (cached,) = cached_files(tile_cache, "parcels")
    version = Layer.objects.get(slug="parcels").version
    assert cached.relative_to(tile_cache).parts[:3] == ("wms", "parcels", str(version))
    assert cached.read_bytes() == first.content
    cached.write_bytes(b"from-the-cache")  # the next answer comes from the file
    assert client.get(f"/wms/tiles/parcels/{z}/{x}/{y}.png").content == b"from-the-cache"
    again = client.get(f"/wms/tiles/parcels/{z}/{x}/{y}.png", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_blank_where_there_are_no_data(client, tile_cache):
    r = client.get("/wms/tiles/parcels/16/0/0.png")
    assert r.status_code == 200 and drawn(r.content) == 0


def test_style_change_is_a_new_version_and_a_fresh_tile(
    client, tile_cache, django_capture_on_commit_callbacks
):
    z, x, y = first_tile("parcels")
    url = f"/wms/tiles/parcels/{z}/{x}/{y}.png"
    before = client.get(url)
    (cached,) = cached_files(tile_cache, "parcels")
    cached.write_bytes(b"stale")
    parcels = Layer.objects.get(slug="parcels")
    with django_capture_on_commit_callbacks(execute=True):
        parcels.style = {**parcels.style, "color": "#0000ff", "fill": "#0000ff"}
        parcels.save()
    after = client.get(url)
    assert after.status_code == 200 and after.content != b"stale"
    assert after.content != before.content and after["ETag"] != before["ETag"]
    assert len(cached_files(tile_cache, "parcels")) == 2  # the old version's file is not read


def test_staff_layer_is_404_for_anonymous_and_drawn_for_staff(client, tile_cache):
    from django.contrib.auth.models import User

    z, x, y = first_tile("manholes", z=17)
    url = f"/wms/tiles/manholes/{z}/{x}/{y}.png"
    anonymous = client.get(url)
    assert anonymous.status_code == 404 and anonymous["Content-Type"].startswith(
        "application/problem+json"
    )
    assert not cached_files(tile_cache, "manholes")
    client.force_login(User.objects.get(username="planner"))
    staff = client.get(url)
    assert staff.status_code == 200 and drawn(staff.content) > 0
    assert staff["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize(
    "path",
    ["parcels/99/0/0.png", "parcels/16/x/0.png", "no-such-layer/16/0/0.png", "A,B/1/0/0.png"],
)
def test_bad_tile_paths_are_clear_errors(client, path):
    r = client.get(f"/wms/tiles/{path}")
    assert r.status_code in (400, 404) and r["Content-Type"].startswith("application/problem")
