"""Raster tiles from the flood-depth COG: a valid PNG with the ramp colour of the depth at a known
cell, nodata transparent, 204 outside the raster, cached like vector tiles."""

from __future__ import annotations

import io

import morecantile
import numpy
import pytest
import rasterio
from PIL import Image
from pyproj import Transformer

from layers.models import Layer
from tiles.raster import raster_file

from .conftest import TMS

pytestmark = pytest.mark.django_db

RAMP = {0.0: "#c6dbef", 0.5: "#6baed6", 1.5: "#2171b5", 3.0: "#08306b"}
TO_LONLAT = Transformer.from_crs(3857, 4326, always_xy=True)


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _expected(depth):
    return _rgb(RAMP[max(t for t in RAMP if t <= depth)])


@pytest.fixture
def flood():
    layer = Layer.objects.get(slug="flood-depth")
    assert {float(k): v for k, v in layer.style["colormap"].items()} == RAMP
    with rasterio.open(raster_file(layer)) as src:
        depth = src.read(1, masked=True)
        # cells whose four neighbours fall in the same ramp step (no edge effects), and nodata
        band = numpy.digitize(depth.filled(-1), sorted(RAMP))  # 0 = below the ramp or nodata
        same = band.copy()
        for shift, axis in ((1, 0), (-1, 0), (1, 1), (-1, 1)):
            same = numpy.where(numpy.roll(band, shift, axis) == band, same, -1)
        deep = numpy.argwhere(same >= 3)
        shallow = numpy.argwhere(same == 2)
        dry = numpy.argwhere(depth.mask)
        cells = {}
        for name, found in (("deep", deep), ("shallow", shallow), ("dry", dry)):
            row, col = found[len(found) // 2]
            cells[name] = (src.xy(row, col), float(depth.filled(-9999)[row, col]))
    return layer, cells


def _pixel(client, lonlat, z=16):
    tile = TMS.tile(*lonlat, z)
    response = client.get(f"/tiles/raster/flood-depth/{z}/{tile.x}/{tile.y}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (256, 256)
    bounds = TMS.xy_bounds(morecantile.Tile(tile.x, tile.y, z))
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(*lonlat)
    px = int((x - bounds.left) / (bounds.right - bounds.left) * 256)
    py = int((bounds.top - y) / (bounds.top - bounds.bottom) * 256)
    return image.convert("RGBA").getpixel((px, py)), response


def test_flood_cells_have_their_ramp_colour(client, tile_cache, flood):
    _, cells = flood
    (x, y), depth = cells["deep"]
    rgba, response = _pixel(client, TO_LONLAT.transform(x, y))
    assert rgba == (*_expected(depth), 255), (rgba, depth)
    assert response["ETag"].startswith('"png-')
    (x, y), depth = cells["shallow"]
    rgba, _ = _pixel(client, TO_LONLAT.transform(x, y))
    assert rgba == (*_expected(depth), 255), (rgba, depth)
    (x, y), _ = cells["dry"]
    rgba, _ = _pixel(client, TO_LONLAT.transform(x, y))
    assert rgba[3] == 0


def test_raster_tile_outside_is_204_and_cached(client, tile_cache, flood):
    layer, cells = flood
    assert client.get("/tiles/raster/flood-depth/16/0/0.png").status_code == 204
    (x, y), _ = cells["deep"]
    tile = TMS.tile(*TO_LONLAT.transform(x, y), 16)
    url = f"/tiles/raster/flood-depth/16/{tile.x}/{tile.y}.png"
    first = client.get(url)
    path = tile_cache / "raster" / "flood-depth" / str(layer.version) / "16" / str(tile.x)
    assert (path / f"{tile.y}.png").read_bytes() == first.content
    assert (tile_cache / "public" / "raster" / "flood-depth").is_symlink()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/tiles/raster/flood-depth/5/0/0.png").status_code == 204  # below min zoom


def test_raster_tilejson(client, tile_cache):
    body = client.get("/tiles/raster/flood-depth.json").json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"][0].endswith("/tiles/raster/flood-depth/{z}/{x}/{y}.png")
    assert "vector_layers" not in body and body["minzoom"] == 11
    assert client.get("/tiles/flood-depth.json").json()["tiles"] == body["tiles"]


def test_rgb_raster_tile(client, tile_cache, tmp_path):
    """A 3-band scan comes out in its own colours (no ramp)."""
    from rasterio.transform import from_origin

    from layers.models import GeometryType

    x0, y0 = 3_646_000.0, 6_124_000.0  # EPSG:3857, inside the demo hromada
    path = tmp_path / "scan.tif"
    data = numpy.zeros((3, 64, 64), dtype="uint8")
    data[0], data[1], data[2] = 200, 120, 40
    profile = dict(driver="GTiff", width=64, height=64, count=3, dtype="uint8", crs="EPSG:3857")
    with rasterio.open(path, "w", transform=from_origin(x0, y0, 10, 10), **profile) as dst:
        dst.write(data)
    Layer.objects.create(
        slug="t-scan", title_uk="Скан", geometry_type=GeometryType.RASTER, raster_path=str(path)
    )
    lonlat = TO_LONLAT.transform(x0 + 320, y0 - 320)
    tile = TMS.tile(*lonlat, 15)
    response = client.get(f"/tiles/raster/t-scan/15/{tile.x}/{tile.y}.png")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content)).convert("RGBA")
    bounds = TMS.xy_bounds(morecantile.Tile(tile.x, tile.y, 15))
    px = int((x0 + 320 - bounds.left) / (bounds.right - bounds.left) * 256)
    py = int((bounds.top - (y0 - 320)) / (bounds.top - bounds.bottom) * 256)
    assert image.getpixel((px, py)) == (200, 120, 40, 255)
