"""The per-process snapshot of public layers: reloaded when any process rewrites the generation
marker, so anonymous tile requests need no query and still follow access changes."""

from __future__ import annotations

import pytest

from layers.models import Access, Layer
from tiles import registry

pytestmark = pytest.mark.django_db


def test_snapshot_follows_the_generation_marker(client, tile_cache):
    assert "parcels" in registry.public_layers()
    Layer.objects.filter(slug="parcels").update(access=Access.STAFF)  # no signal: unseen...
    assert "parcels" in registry.public_layers()
    registry.bump_generation()  # ...until a process says the registry changed
    assert "parcels" not in registry.public_layers()
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 404


def test_marker_rewritten_by_another_process_is_seen(client, tile_cache):
    registry.bump_generation()
    assert "parcels" in registry.public_layers()
    Layer.objects.filter(slug="parcels").update(access=Access.STAFF)
    marker = tile_cache / ".generation"
    tmp = tile_cache / ".generation.other"
    tmp.write_text("another process")  # what bump_generation does elsewhere: a new inode
    tmp.replace(marker)
    assert "parcels" not in registry.public_layers()


def test_a_save_reloads_every_snapshot(client, tile_cache):
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 204
    layer = Layer.objects.get(slug="parcels")
    layer.access = Access.STAFF
    layer.save()
    assert client.get("/tiles/parcels/16/0/0.mvt").status_code == 404
