"""Overviews: a big layer's features merged by a key, stored beside it and served in the layer's
own tiles at the zooms where its features are too small to see.

Configured in the layer's ``tile_settings`` (so no slug and no hromada in code)::

    "overviews": [
      {"name": "zone", "min_zoom": 10, "max_zoom": 11, "close": 8,
       "group_by": {"attribute": "cadnum", "separator": ":", "parts": 2}},
      {"name": "quarter", "min_zoom": 12, "max_zoom": 14, "close": 8,
       "group_by": {"attribute": "cadnum", "separator": ":", "parts": 3}}
    ]

A cadastral number ``KOATUU:zone:quarter:parcel`` cut to its first 2 parts names the cadastral
zone, to 3 the quarter. The layer holding the ``parcels`` role gets these two (``CADASTRAL``,
on its ``cadnum`` attribute) unless its tile settings name overviews of their own (``[]``: none). Each entry becomes one table ``tileoverviews.<table>__o<i>`` with
``fid``, the key under the entry's ``name`` (``zone``: "3510100000:01"), ``count`` (features
merged) and ``area_ha`` (their area, geodesic to <0.1 % at a hromada's size), and the merged
geometry: ST_Union of the members, optionally closed by ``close`` metres (buffer out, then in:
cadastral parcels with gaps between them merge into one outline), simplified by half a screen pixel
(8 of 4096 tile units) at the entry's ``max_zoom``. An entry whose key is a prefix of a finer entry's key (zones of
quarters) is built from that entry's table, not from the features again.

Kept current by version: each table's comment holds the layer version and settings it was built
from. tiles.signals rebuilds after every committed change of the layer (import, edit, settings),
and the renderer checks before it draws (``ensure_current``), so a tile cached under a version is
never drawn from an older overview. The schema is not granted to the analysts' reader role: an
overview is only reached through the layer's access-checked tiles.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re

from django.db import connection, transaction

from layers.models import Layer, LayerRole
from layers.storage import literal, qualified, quote, table_exists

__all__ = [
    "SCHEMA", "Overview", "drop", "ensure_current", "for_zoom", "overviews", "refresh", "shown_from",
]  # fmt: skip

log = logging.getLogger(__name__)
SCHEMA = "tileoverviews"
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,30}$")
EARTH_CIRCUMFERENCE = 40075016.685578488
# Changed when this module builds overviews differently (a new digest: every table rebuilt).
BUILD_VERSION = "b1"
# {table: (layer version, settings digest)} of overview tables known current in this process.
_built: dict[str, tuple[int, str]] = {}


CADASTRAL = [
    {"name": "zone", "min_zoom": 10, "max_zoom": 11, "close": 8,
     "group_by": {"attribute": "cadnum", "separator": ":", "parts": 2}},
    {"name": "quarter", "min_zoom": 12, "max_zoom": 14, "close": 8,
     "group_by": {"attribute": "cadnum", "separator": ":", "parts": 3}},
]  # fmt: skip


class Overview:
    """One entry of a layer's ``tile_settings["overviews"]``, validated."""

    def __init__(self, layer: Layer, index: int, spec: dict):
        group = spec.get("group_by") or {}
        self.layer = layer
        self.index = index
        self.name = str(spec.get("name") or "key")
        self.min_zoom = int(spec.get("min_zoom", 0))
        self.max_zoom = int(spec.get("max_zoom", self.min_zoom))
        self.attribute = str(group.get("attribute", ""))
        self.separator = str(group.get("separator", ":"))
        self.parts = int(group.get("parts", 1))
        self.close = float(spec.get("close") or 0)
        if not NAME.match(self.name) or self.name in ("fid", "geom", "count", "area_ha"):
            raise ValueError(f"overview name {self.name!r}")
        if self.attribute not in layer.attribute_names():
            raise ValueError(f"overview group_by attribute {self.attribute!r} is not in the layer")
        if not (0 <= self.min_zoom <= self.max_zoom <= 24 and 1 <= self.parts <= 20):
            raise ValueError("overview zooms or parts out of range")
        if not (0 <= self.close <= 1000 and 1 <= len(self.separator) <= 3):
            raise ValueError("overview close or separator out of range")

    @property
    def table(self) -> str:
        return f"{self.layer.table_name}__o{self.index}"

    @property
    def qualified(self) -> str:
        return qualified(self.table, SCHEMA)

    @property
    def attributes(self) -> list[str]:
        """The attributes of this overview's features in a tile."""
        return [self.name, "count", "area_ha"]

    def digest(self) -> str:
        spec = [
            BUILD_VERSION,
            self.name,
            self.attribute,
            self.separator,
            self.parts,
            self.close,
            self.max_zoom,
        ]
        return hashlib.sha1(json.dumps(spec).encode()).hexdigest()[:12]

    def covers(self, z: int) -> bool:
        return self.min_zoom <= z <= self.max_zoom

    def finer_than(self, other: Overview) -> bool:
        """Whether ``other`` can be built from this one (same key, cut shorter)."""
        return (self.attribute, self.separator) == (other.attribute, other.separator) and (
            self.parts > other.parts
        )


def overviews(layer: Layer) -> list[Overview]:
    """The layer's valid overview entries (an invalid one is logged and left out: settings never
    break a tile)."""
    settings = layer.tile_settings or {}
    if "overviews" in settings:
        specs = settings["overviews"] or []
    elif layer.role == LayerRole.PARCELS and "cadnum" in layer.attribute_names():
        specs = CADASTRAL
    else:
        specs = []
    found = []
    for index, spec in enumerate(specs if isinstance(specs, list) else []):
        try:
            found.append(Overview(layer, index, spec if isinstance(spec, dict) else {}))
        except (TypeError, ValueError) as exc:
            log.warning("layer %s: overview %s ignored: %s", layer.slug, index, exc)
    return found


def for_zoom(layer: Layer, z: int) -> Overview | None:
    """The overview drawn at ``z`` instead of the layer's features (the first entry covering
    it), or None."""
    if z >= layer.min_zoom:
        return None
    return next((o for o in overviews(layer) if o.covers(z)), None)


def shown_from(layer: Layer) -> int:
    """The lowest zoom at which the layer's tiles hold anything (its own or an overview's)."""
    return min([layer.min_zoom] + [o.min_zoom for o in overviews(layer)])


def _comment(layer: Layer, overview: Overview) -> str:
    return f"layer {layer.slug} version {layer.version} settings {overview.digest()}"


def _built_from(cursor, overview: Overview) -> tuple[int, str] | None:
    cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [overview.qualified])
    row = cursor.fetchone()
    match = re.search(r"version (\d+) settings (\w+)", (row and row[0]) or "")
    return (int(match[1]), match[2]) if match else None


def _is_current(built: tuple[int, str] | None, layer: Layer, overview: Overview) -> bool:
    return built is not None and built[0] >= layer.version and built[1] == overview.digest()


def ensure_current(overview: Overview) -> None:
    """Build ``overview`` if its table is missing or older than the layer's version."""
    layer = overview.layer
    if _is_current(_built.get(overview.table), layer, overview):
        return
    with connection.cursor() as cursor:
        built = _built_from(cursor, overview)
    if not _is_current(built, layer, overview):
        refresh(layer)
    elif not connection.in_atomic_block:  # an outer transaction may still roll it back
        _built[overview.table] = built


def refresh(layer: Layer) -> list[str]:
    """(Re)build every overview of ``layer`` from its table at its current version; the tables
    built. One layer at a time (advisory lock): a second caller waits and finds them current."""
    entries = overviews(layer)
    if not entries or not table_exists(layer.table_name):
        return []
    done: list[str] = []
    remember = not connection.in_atomic_block  # an outer transaction may still roll it back
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{SCHEMA}:{layer.slug}"])
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        cursor.execute("SELECT version FROM layers_layer WHERE id = %s", [layer.pk])
        row = cursor.fetchone()
        if row:
            layer.version = max(layer.version, row[0])
        built: list[Overview] = []
        for overview in sorted(entries, key=lambda o: -o.parts):
            if not _is_current(_built_from(cursor, overview), layer, overview):
                source = next((b for b in built if b.finer_than(overview)), None)
                _build(cursor, overview, source)
                done.append(overview.table)
            built.append(overview)
    if remember:
        for overview in entries:
            _built[overview.table] = (layer.version, overview.digest())
    return done


def _key_sql(overview: Overview, column: str, parts: int) -> str:
    sep = literal(overview.separator)
    return (
        f"CASE WHEN cardinality(string_to_array({column}, {sep})) >= {parts} THEN "
        f"array_to_string((string_to_array({column}, {sep}))[1:{parts}], {sep}) END"
    )


def _build(cursor, overview: Overview, source: Overview | None) -> None:
    """Write one overview table (into a new table, then swapped in: readers see old or new)."""
    layer = overview.layer
    tolerance = EARTH_CIRCUMFERENCE / 2**overview.max_zoom / 4096 * 8  # half a pixel of 256
    if source is None:
        key = _key_sql(overview, f"t.{quote(overview.attribute)}", overview.parts)
        members = (
            f"SELECT {key} AS key, 1 AS n, ST_Area(t.geom) AS area, t.geom "
            f"FROM {qualified(layer.table_name)} t WHERE t.geom IS NOT NULL"
        )
        # Areas in EPSG:3857 grow by 1/cos²(latitude): scaled back at each group's latitude.
        area = "sum(area) * cos(radians(ST_Y(ST_Transform(ST_Centroid(ST_Collect(geom)), 4326))))^2"
        area = f"{area} / 10000.0"
    else:
        key = _key_sql(overview, f"s.{quote(source.name)}", overview.parts)
        members = f"SELECT {key} AS key, s.count AS n, s.area_ha AS area, s.geom FROM {source.qualified} s"
        area = "sum(area)"
    merged = "ST_Union(geom)"
    if overview.close and source is None:
        c = overview.close
        merged = f"ST_Buffer(ST_Buffer(ST_Union(geom), {c!r}, 'join=mitre'), {-c!r}, 'join=mitre')"
    new = qualified(f"{overview.table}__new", SCHEMA)
    name = quote(overview.name)
    cursor.execute(f"DROP TABLE IF EXISTS {new}")
    cursor.execute(
        f"CREATE TABLE {new} AS SELECT (row_number() OVER (ORDER BY key))::bigint AS fid, "
        f"key AS {name}, n::integer AS count, round(area::numeric, 4)::float8 AS area_ha, "
        f"ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(geom, "
        f"{tolerance!r})), 3))::geometry(MultiPolygon, 3857) AS geom FROM ("
        f"SELECT key, sum(n) AS n, {area} AS area, {merged} AS geom "
        f"FROM ({members}) m WHERE key IS NOT NULL GROUP BY key) g"
    )
    cursor.execute(f"CREATE INDEX ON {new} USING gist (geom)")
    cursor.execute(f"DROP TABLE IF EXISTS {overview.qualified}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {quote(overview.table)}")
    cursor.execute(f"COMMENT ON TABLE {overview.qualified} IS {literal(_comment(layer, overview))}")
    cursor.execute(f"ANALYZE {overview.qualified}")


def drop(layer: Layer) -> None:
    """Drop every overview table of ``layer`` (it was deleted, or has no overviews now)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' AND c.relname LIKE %s",
            [SCHEMA, layer.table_name.replace("_", r"\_") + r"\_\_o%"],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TABLE IF EXISTS {qualified(table, SCHEMA)}")
            _built.pop(table, None)
