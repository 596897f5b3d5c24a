"""manage.py seed_tiles: fills the cache the tile URLs read; bad arguments are one clear line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from layers.models import Layer

pytestmark = pytest.mark.django_db


def test_seed_fills_the_cache(client, tile_cache, known_parcel):
    lon, lat = known_parcel["lonlat"]
    bbox = f"{lon - 0.002},{lat - 0.002},{lon + 0.002},{lat + 0.002}"
    out = io.StringIO()
    call_command("seed_tiles", layer="parcels", zooms="15-16", bbox=bbox, stdout=out, verbosity=0)
    version = Layer.objects.get(slug="parcels").version
    z, x, y = known_parcel["tile"]
    cached = tile_cache / "parcels" / str(version) / str(z) / str(x) / f"{y}.mvt"
    assert cached.stat().st_size > 0
    assert len(list((tile_cache / "parcels" / str(version) / "15").rglob("*.mvt"))) >= 1
    cached.write_bytes(b"seeded")
    assert client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt").content == b"seeded"
    old = tile_cache / "parcels" / str(version - 1) / "15"
    old.mkdir(parents=True)
    call_command("seed_tiles", layer="parcels", zooms="15", bbox=bbox, prune=True, verbosity=0)
    assert not old.parent.exists() and cached.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"layer": "nope"}, "no layer 'nope'"),
        ({"layer": "Parcels!"}, "give layer slugs"),
        ({"layer": "parcels", "zooms": "16-10"}, "low <= high"),
        ({"layer": "parcels", "zooms": "x"}, "give one zoom"),
        ({"layer": "parcels", "bbox": "1,2,3"}, "minlon,minlat,maxlon,maxlat"),
        ({"layer": "parcels", "bbox": "33,48,32,49"}, "west < east"),
        ({"layer": "parcels,flood-depth"}, "raster layer is seeded on its own"),
    ],
)
def test_bad_arguments(tile_cache, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_tiles", verbosity=0, **options)
