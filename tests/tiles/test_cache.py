"""The disk cache: filled on first request, read on the next, keyed by layer version (a bump,
an edit of tile settings or a change of access invalidates exactly that layer), public links
for the front server, and a failing disk that never fails a request."""

from __future__ import annotations

import os

import mapbox_vector_tile
import pytest

from layers.models import Access, Layer

pytestmark = pytest.mark.django_db


def _tile_file(cache_dir, slugs, versions, z, x, y, ext="mvt"):
    return cache_dir / slugs / versions / str(z) / str(x) / f"{y}.{ext}"


def test_cache_is_filled_then_read(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    version = Layer.objects.get(slug="parcels").version
    first = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    cached = _tile_file(tile_cache, "parcels", str(version), z, x, y)
    assert cached.read_bytes() == first.content
    cached.write_bytes(b"from-the-cache")  # prove the next answer comes from the file
    assert client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt").content == b"from-the-cache"
    link = tile_cache / "public" / "parcels"
    assert os.path.islink(link) and link.resolve() == cached.parents[2].resolve()
    assert (link / str(z) / str(x) / f"{y}.mvt").read_bytes() == b"from-the-cache"
    assert not list(tile_cache.rglob("*.tmp"))
    os.unlink(link)  # as after a layer save that kept the version: the next hit re-links it
    assert client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt").content == b"from-the-cache"
    assert os.path.islink(link)


def test_empty_tile_is_cached_as_empty_file(client, tile_cache):
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 204
    version = Layer.objects.get(slug="parcels").version
    empty = _tile_file(tile_cache, "parcels", str(version), 16, 0, 0, "empty")
    assert empty.read_bytes() == b""
    assert not empty.with_suffix(".mvt").exists()  # nginx falls through to the portal: 204
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 204


def test_bump_version_invalidates_exactly_that_layer(
    client, tile_cache, known_parcel, django_capture_on_commit_callbacks
):
    z, x, y = known_parcel["tile"]
    parcels, buildings = Layer.objects.get(slug="parcels"), Layer.objects.get(slug="buildings")
    for slug in ("parcels", "buildings"):
        client.get(f"/tiles/{slug}/{z}/{x}/{y}.mvt")
        _tile_file(
            tile_cache, slug, str(Layer.objects.get(slug=slug).version), z, x, y
        ).write_bytes(b"stale")
    etag = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        parcels.bump_version()
    assert not os.path.lexists(tile_cache / "public" / "parcels")  # nginx stops serving it
    assert os.path.islink(tile_cache / "public" / "buildings")
    fresh = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert "parcels" in mapbox_vector_tile.decode(fresh.content)
    assert _tile_file(tile_cache, "parcels", str(parcels.version), z, x, y).exists()
    assert client.get(f"/tiles/buildings/{z}/{x}/{y}.mvt").content == b"stale"  # untouched
    composite = client.get(f"/tiles/buildings,parcels/{z}/{x}/{y}.mvt")
    assert composite.status_code == 200
    assert buildings.version == Layer.objects.get(slug="buildings").version


def test_tile_settings_edit_invalidates(client, tile_cache, known_parcel):
    z, x, y = known_parcel["tile"]
    before = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    parcels = Layer.objects.get(slug="parcels")
    parcels.tile_settings = {"attributes": ["cadnum"]}
    parcels.save()
    after = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    assert after["ETag"] != before["ETag"]
    props = mapbox_vector_tile.decode(after.content)["parcels"]["features"][0]["properties"]
    assert set(props) == {"cadnum"}


def test_a_failing_disk_does_not_fail_the_request(client, tmp_path, monkeypatch, known_parcel):
    from tiles import conf

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setattr(conf, "CACHE_DIR", str(blocker / "cache"))
    z, x, y = known_parcel["tile"]
    response = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    assert "parcels" in mapbox_vector_tile.decode(response.content)


def test_disk_full_on_write_is_survived(client, tile_cache, monkeypatch, known_parcel):
    import tiles.cache

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tiles.cache.os, "replace", full)
    z, x, y = known_parcel["tile"]
    response = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    assert response.status_code == 200 and response.content
    assert not [p for p in tile_cache.rglob("*") if p.is_file()]  # no temp file left behind


def test_access_change_bumps_version_and_unpublishes(
    client, tile_cache, known_parcel, django_capture_on_commit_callbacks
):
    z, x, y = known_parcel["tile"]
    client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
    assert os.path.islink(tile_cache / "public" / "parcels")
    parcels = Layer.objects.get(slug="parcels")
    version = parcels.version
    with django_capture_on_commit_callbacks(execute=True):
        parcels.access = Access.STAFF
        parcels.save()
    assert Layer.objects.get(slug="parcels").version > version
    assert not os.path.lexists(tile_cache / "public" / "parcels")
    assert client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt").status_code == 404
