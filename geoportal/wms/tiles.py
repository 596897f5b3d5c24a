"""XYZ PNG tiles of the WMS rendering at /wms/tiles/{layers}/{z}/{x}/{y}.png: the same
MapServer map and styles as GetMap, cut into the Web Mercator grid, for clients that want tiles
(Leaflet, QGIS's XYZ connections) rather than a WMS.

Access is the vector tiles' (``tiles.service.resolve_layers``: a layer the caller may not see is
the same 404 as one that does not exist, before any cache lookup); the disk cache is the vector
tiles' (``tiles.cache``, keyed by the layers' versions, so a changed layer's data, style or
access is a new directory and old tiles are never read), under ``wms/{slugs}/{versions}/``.
Its tiles are always sent by the portal: nginx's public tree does not mirror these URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.views.decorators.http import require_safe

from core.errors import PortalError
from tiles import cache, service
from tiles.views import tile_response

from . import views
from .mapfile import map_for

__all__ = ["WMSTileKey", "wms_tile"]

SIZE = 256
HALF_WORLD = 20037508.342789244  # Web Mercator's half extent in metres


@dataclass(frozen=True)
class WMSTileKey(cache.TileKey):
    """A tile key of tiles.cache with its own folder and ETag, beside the vector tiles."""

    @property
    def set_path(self) -> str:
        return "wms/" + ",".join(self.slugs)

    @property
    def etag(self) -> str:
        return cache.etag("wms", ",".join(str(v) for v in self.versions), self.public)


def tile_bbox(z: int, x: int, y: int) -> str:
    """The tile's EPSG:3857 box as a WMS BBOX (minx,miny,maxx,maxy)."""
    step = 2 * HALF_WORLD / 2**z
    minx, maxy = -HALF_WORLD + x * step, HALF_WORLD - y * step
    return f"{minx!r},{maxy - step!r},{minx + step!r},{maxy!r}"


def render(layers, base_url: str, z: int, x: int, y: int) -> bytes:
    params = {
        "SERVICE": "WMS",
        "VERSION": "1.3.0",
        "REQUEST": "GetMap",
        "LAYERS": ",".join(layer.slug for layer in layers),
        "STYLES": "",
        "CRS": "EPSG:3857",
        "BBOX": tile_bbox(z, x, y),
        "WIDTH": str(SIZE),
        "HEIGHT": str(SIZE),
        "FORMAT": "image/png",
        "TRANSPARENT": "TRUE",
    }
    with views._lock:
        mapobj = map_for(layers, base_url).clone()
    body, content_type = views.dispatch(mapobj, params)
    if content_type != "image/png":  # an exception report instead of an image
        raise PortalError(
            body.decode("utf-8", "replace")[:300], status=503, code="wms-render-failed"
        )
    return body


def tile(user, names: str, base_url: str, z: int, x: int, y: int) -> service.Tile:
    layers = service.resolve_layers(user, names)
    key = WMSTileKey(**vars(service.tile_key(layers, "png", z, x, y)))
    data = cache.read(key)
    if data is not None:
        return service.Tile(data, key, key.relpath)
    data = render(layers, base_url, z, x, y)
    return service.Tile(data, key, cache.write(key, data))


@require_safe
def wms_tile(request, layers: str, z: str, x: str, y: str):
    zi, xi, yi = service.parse_tile_path(z, x, y)
    base_url = request.build_absolute_uri("/").rstrip("/")
    return tile_response(request, tile(request.user, layers, base_url, zi, xi, yi))
