"""Vector tile SQL: one statement per tile, whatever the number of layers in it.

Each portal layer becomes one MVT layer: ``ST_AsMVTGeom`` clips and quantises the stored
EPSG:3857 geometry to the tile (extent 4096, buffer 64), ``ST_AsMVT`` encodes it with the feature
id ``fid``; the per-layer blobs are concatenated (valid MVT: a tile is a list of layers). Rows whose
geometry ST_AsMVTGeom clipped away (NULL) are skipped by ST_AsMVT itself, and a layer with no
feature left encodes to b'': no ``WHERE geom IS NOT NULL`` over the subquery, which PostgreSQL
pushes down and so runs ST_AsMVTGeom twice per row (z16: 1.9 -> 1.5 ms per tile).

Generalisation at low zoom comes from the layer's ``tile_settings``; every entry is either one
value for all zooms or ``{"<min zoom>": value, ...}`` (the entry with the greatest zoom <= z):

- ``attributes`` / ``attributes_by_zoom``: which attributes go into the tile;
- ``simplify``: Douglas-Peucker tolerance in tile units (1 = 1/4096 of the tile), applied to the
  stored geometry before clipping;
- ``min_area``: polygons smaller than this many square tile units are left out (at z13 one unit
  is ~2.4 m at the equator: a 10 m parcel is a speck);
- ``thin``: keep one feature per grid cell of this many tile units (point layers: poles, stops),
  the lowest fid of each cell, so the choice is stable between requests;
- ``overviews``: below the layer's min zoom, its features merged by a key (cadastral zones and
  quarters of the parcels), from tables tiles.overviews keeps current; same MVT layer name.
"""

from __future__ import annotations

import psycopg
from django.db import DatabaseError, connections, router

from layers.models import Layer
from layers.storage import literal, qualified, quote

from . import overviews

__all__ = ["BUFFER", "EXTENT", "render_tile", "tile_attributes", "zoom_value"]

EXTENT = 4096
BUFFER = 64
EARTH_CIRCUMFERENCE = 40075016.685578488  # metres, EPSG:3857


def zoom_value(spec, z: int, default=None):
    """A per-zoom setting at zoom ``z``: ``spec`` itself, or the entry of a {"zoom": value} dict
    with the greatest zoom <= z (``default`` below the first one)."""
    if not isinstance(spec, dict):
        return default if spec is None else spec
    chosen = default
    for min_z, value in sorted((int(k), v) for k, v in spec.items()):
        if z >= min_z:
            chosen = value
    return chosen


def tile_unit(z: int) -> float:
    """Metres (EPSG:3857) per tile unit at zoom ``z``."""
    return EARTH_CIRCUMFERENCE / (2**z) / EXTENT


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


def overview_tile_sql(layer: Layer, overview: overviews.Overview) -> str:
    columns = "".join(f", t.{quote(a)}" for a in overview.attributes)
    return (
        f"(SELECT ST_AsMVT(q, {literal(layer.slug)}, {EXTENT}, 'geom', 'fid') FROM ("
        f"SELECT t.fid{columns}, ST_AsMVTGeom(t.geom, b.env, {EXTENT}, {BUFFER}, true) AS geom "
        f"FROM {overview.qualified} t, b WHERE t.geom && b.env_buffered) q)"
    )


def layer_tile_sql(layer: Layer, z: int) -> str:
    overview = overviews.for_zoom(layer, z)
    if overview is not None:
        return overview_tile_sql(layer, overview)
    settings = layer.tile_settings or {}
    unit = tile_unit(z)
    columns = "".join(f", t.{quote(a)}" for a in tile_attributes(layer, z))
    geom = "t.geom"
    simplify = _number(zoom_value(settings.get("simplify"), z))
    if simplify:
        geom = f"ST_Simplify(t.geom, {simplify * unit!r})"
    where = "t.geom && b.env_buffered"
    min_area = _number(zoom_value(settings.get("min_area"), z))
    if min_area:
        where += f" AND ST_Area(t.geom) >= {min_area * unit * unit!r}"
    distinct = order = ""
    thin = _number(zoom_value(settings.get("thin"), z))
    if thin:
        cell = thin * unit
        cells = f"floor(ST_XMin(t.geom) / {cell!r}), floor(ST_YMin(t.geom) / {cell!r})"
        distinct, order = f"DISTINCT ON ({cells}) ", f" ORDER BY {cells}, t.fid"
    return (
        f"(SELECT ST_AsMVT(q, {literal(layer.slug)}, {EXTENT}, 'geom', 'fid') FROM ("
        f"SELECT {distinct}t.fid{columns}, ST_AsMVTGeom({geom}, b.env, {EXTENT}, {BUFFER}, true) "
        f"AS geom FROM {qualified(layer.table_name)} t, b WHERE {where}{order}) q)"
    )


def _number(value) -> float:
    """A tile-settings number (0 when absent or not a positive number: settings never break SQL)."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    return number if 0 < number < 1e9 else 0.0


def render_tile(layers: list[Layer], z: int, x: int, y: int) -> bytes:
    """The MVT bytes of ``layers`` at z/x/y (b'' when no feature falls in the tile)."""
    for layer in layers:
        overview = overviews.for_zoom(layer, z)
        if overview is not None:
            overviews.ensure_current(overview)
    parts = " || ".join(f"COALESCE({layer_tile_sql(layer, z)}, ''::bytea)" for layer in layers)
    margin = BUFFER / EXTENT
    sql = (
        "WITH b AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env, "
        "ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s) AS env_buffered) "
        f"SELECT {parts}"
    )
    # A server-side prepared statement on Django's own connection (as the raw-SQL floor in
    # bench/ does): the text only changes with the layer set and its per-zoom settings, so
    # PostgreSQL plans it once per connection instead of once per tile.
    # (Behind a transaction-mode pooler, use pgbouncer >= 1.21 with prepared statements on.)
    connection = connections[router.db_for_read(Layer)]  # the replica, where one is set
    connection.ensure_connection()
    try:
        with psycopg.Cursor(connection.connection) as cursor:
            params = {"z": z, "x": x, "y": y, "margin": margin}
            cursor.execute(sql, params, prepare=True, binary=True)
            data = cursor.fetchone()[0]
    except psycopg.Error as exc:
        if connection.in_atomic_block:  # Django did not see it: make it roll back
            connection.set_rollback(True)
        raise DatabaseError(str(exc)) from exc
    return bytes(data) if data else b""
