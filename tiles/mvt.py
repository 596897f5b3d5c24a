"""Vector tile SQL: one statement per tile, whatever the number of layers in it.

Each portal layer becomes one MVT layer: ``ST_AsMVTGeom`` clips and quantises the stored
EPSG:3857 geometry to the tile (extent 4096, buffer 64), ``ST_AsMVT`` encodes it with the feature
id ``fid``; the per-layer blobs are concatenated (valid MVT: a tile is a list of layers).
"""

from __future__ import annotations

from django.db import connection

from layers.models import Layer
from layers.storage import qualified, quote

__all__ = ["EXTENT", "BUFFER", "render_tile", "tile_attributes"]

EXTENT = 4096
BUFFER = 64


def tile_attributes(layer: Layer, z: int) -> list[str]:
    """Attributes of ``layer`` that go into tiles at zoom ``z`` (all by default; a layer's
    tile_settings may list fewer, or give {"attributes_by_zoom": {"0": [...], "15": [...]}})."""
    settings = layer.tile_settings or {}
    names = layer.attribute_names()
    by_zoom = settings.get("attributes_by_zoom")
    if by_zoom:
        chosen: list[str] = []
        for min_z, attrs in sorted(((int(k), v) for k, v in by_zoom.items()), key=lambda kv: kv[0]):
            if z >= min_z:
                chosen = attrs
        return [a for a in chosen if a in names]
    if "attributes" in settings:
        return [a for a in settings["attributes"] if a in names]
    return names


def layer_tile_sql(layer: Layer, z: int) -> str:
    columns = "".join(f", t.{quote(a)}" for a in tile_attributes(layer, z))
    return (
        f"(SELECT ST_AsMVT(q, {_literal(layer.slug)}, {EXTENT}, 'geom', 'fid') FROM ("
        f"SELECT t.fid{columns}, ST_AsMVTGeom(t.geom, b.env, {EXTENT}, {BUFFER}, true) AS geom "
        f"FROM {qualified(layer.table_name)} t, b WHERE t.geom && b.env_buffered) q "
        f"WHERE q.geom IS NOT NULL)"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def render_tile(layers: list[Layer], z: int, x: int, y: int) -> bytes:
    """The MVT bytes of ``layers`` at z/x/y (b'' when no feature falls in the tile)."""
    parts = " || ".join(f"COALESCE({layer_tile_sql(layer, z)}, ''::bytea)" for layer in layers)
    margin = BUFFER / EXTENT
    sql = (
        "WITH b AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env, "
        "ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s) AS env_buffered) "
        f"SELECT {parts}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"z": z, "x": x, "y": y, "margin": margin})
        data = cursor.fetchone()[0]
    return bytes(data) if data else b""
