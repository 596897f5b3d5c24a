"""All the PostGIS the locator needs, in one module: reading the features of source layers and
naming landmarks after the settlement and street they are in (registry rebuilds); landmark
lookups, nearest, between, along a street, street intersections (locating). Coordinates in
and out are EPSG:3857 (x, y); distances are ground metres (converted with the Mercator scale
at the hromada's latitude). Table and column names go through layers.storage.quote/qualified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection
from pyproj import Transformer

from core import conf as portal_conf
from layers.storage import qualified, quote

from .models import Landmark

__all__ = [
    "Hit", "addresses", "closest_on", "ground_m", "intersections", "layer_features", "mpp",
    "name_settlements", "name_streets", "near_streets", "nearest_street_distance",
    "points_along", "refs", "street_middle", "to_lonlat", "to_xy",
]  # fmt: skip

T = quote(Landmark._meta.db_table)
_to_ll = Transformer.from_crs(3857, 4326, always_xy=True)
_to_xy = Transformer.from_crs(4326, 3857, always_xy=True)


def mpp() -> float:
    """Mercator units per ground metre at the hromada's latitude."""
    return 1 / math.cos(math.radians(portal_conf.HROMADA["center"][1]))


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    return _to_ll.transform(x, y)


def to_xy(lon: float, lat: float) -> tuple[float, float]:
    return _to_xy.transform(lon, lat)


def ground_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Ground distance in metres between two EPSG:3857 points (local scale)."""
    lat = math.degrees(2 * math.atan(math.exp(((a[1] + b[1]) / 2) / 6378137.0)) - math.pi / 2)
    return math.hypot(a[0] - b[0], a[1] - b[1]) * math.cos(math.radians(lat))


def layer_features(table: str, columns: list[str], whole: bool) -> list[tuple]:
    """(fid, each of ``columns`` as text, EWKB) of every feature of the layer table ``table``
    with a geometry: the geometry itself when ``whole`` (street lines), else a point on its
    surface. Largest first: a house gets a lower id than the shed sharing its address."""
    cols = ", ".join(quote(n) + "::text" for n in columns)
    point = "geom" if whole else "ST_PointOnSurface(geom)"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT fid, {cols}, ST_AsEWKB({point}) FROM {qualified(table)} "
            "WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY ST_Area(geom) DESC, fid"
        )
        return cur.fetchall()


def name_settlements(layer_id: int, settlements_table: str, name_field: str) -> None:
    """Each landmark of ``layer_id`` takes the ``name_field`` of the settlement outline (of the
    layer table ``settlements_table``) it lies in."""
    with connection.cursor() as cur:
        cur.execute(
            f"""UPDATE {T} l SET settlement = s.{quote(name_field)}
                FROM {qualified(settlements_table)} s
                WHERE l.layer_id = %s AND ST_Intersects(s.geom, ST_PointOnSurface(l.geom))""",
            [layer_id],
        )


def name_streets(layer_id: int, metres: float) -> None:
    """Each landmark of ``layer_id`` takes the name of the nearest street line within
    ``metres`` (and its key, unless it has one of its own)."""
    with connection.cursor() as cur:
        cur.execute(
            f"""UPDATE {T} l SET street = n.ref,
                  street_norm = COALESCE(NULLIF(l.street_norm, ''), n.street_norm)
                FROM (
                  SELECT p.id, s.ref, s.street_norm FROM {T} p
                  CROSS JOIN LATERAL (
                    SELECT ref, street_norm FROM {T} s
                    WHERE s.kind = 'street' AND ST_DWithin(s.geom, p.geom, %s)
                    ORDER BY s.geom <-> p.geom LIMIT 1) s
                  WHERE p.layer_id = %s) n
                WHERE l.id = n.id""",
            [metres * mpp(), layer_id],
        )


@dataclass
class Hit:
    id: int
    layer_id: int
    kind: str
    ref: str
    street: str
    street_norm: str
    settlement: str
    x: float
    y: float


HIT_COLUMNS = (
    "l.id, l.layer_id, l.kind, l.ref, l.street, l.street_norm, l.settlement, ST_X(p), ST_Y(p)"
)


def _hits(sql: str, params: list) -> list[Hit]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [Hit(*row) for row in cur.fetchall()]


def refs(norms: list[str], kinds: list[str], layers: list[int] | None, limit: int = 200):
    """Landmarks whose normalised reference is one of ``norms``."""
    sql = (
        f"SELECT {HIT_COLUMNS} FROM {T} l, ST_PointOnSurface(l.geom) p "
        "WHERE l.ref_norm = ANY(%s) AND l.kind = ANY(%s)"
    )
    params: list = [norms, kinds]
    if layers is not None:
        sql += " AND l.layer_id = ANY(%s)"
        params.append(layers)
    return _hits(sql + " ORDER BY l.id LIMIT %s", params + [limit])


def near_streets(hit_ids: list[int], street_ids: list[int], metres: float) -> set[int]:
    """Which of ``hit_ids`` lie within ``metres`` of any of the streets ``street_ids``."""
    if not hit_ids or not street_ids:
        return set()
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT DISTINCT h.id FROM {T} h JOIN {T} s ON s.id = ANY(%s)
                WHERE h.id = ANY(%s) AND ST_DWithin(h.geom, s.geom, %s)""",
            [street_ids, hit_ids, metres * mpp()],
        )
        return {row[0] for row in cur.fetchall()}


def addresses(street_norm: str, settlement: str | None, layers: list[int] | None) -> list:
    """(house number, Hit) of every address on a street."""
    sql = (
        f"SELECT {HIT_COLUMNS} FROM {T} l, ST_PointOnSurface(l.geom) p "
        "WHERE l.kind = 'address' AND l.street_norm = %s"
    )
    params: list = [street_norm]
    if settlement:
        sql += " AND l.settlement = %s"
        params.append(settlement)
    if layers is not None:
        sql += " AND l.layer_id = ANY(%s)"
        params.append(layers)
    return _hits(sql + " ORDER BY l.id", params)


def closest_on(street_id: int, x: float, y: float) -> tuple[float, float, float]:
    """Closest point of a street line to (x, y), and its ground distance in metres."""
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT ST_X(c), ST_Y(c) FROM {T} s,
                ST_ClosestPoint(s.geom, ST_SetSRID(ST_MakePoint(%s, %s), 3857)) c
                WHERE s.id = %s""",
            [x, y, street_id],
        )
        cx, cy = cur.fetchone()
    return cx, cy, ground_m((cx, cy), (x, y))


def street_middle(street_id: int) -> tuple[float, float, float]:
    """A point in the middle of a street and half its length in metres."""
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT ST_X(c), ST_Y(c), ST_Length(s.geom) FROM {T} s,
                ST_ClosestPoint(s.geom, ST_Centroid(s.geom)) c WHERE s.id = %s""",
            [street_id],
        )
        x, y, length = cur.fetchone()
    return x, y, length / mpp() / 2


def nearest_street_distance(street_ids: list[int], x: float, y: float) -> dict[int, float]:
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT id, ST_Distance(geom, ST_SetSRID(ST_MakePoint(%s, %s), 3857))
                FROM {T} WHERE id = ANY(%s)""",
            [x, y, street_ids],
        )
        return {pk: d / mpp() for pk, d in cur.fetchall()}


def intersections(a_ids: list[int], b_ids: list[int]) -> list[tuple[int, int, float, float]]:
    """Crossing points of any street in ``a_ids`` with any in ``b_ids`` (touching within 15 m)."""
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT a.id, b.id,
                  ST_X(ST_ClosestPoint(a.geom, ST_ClosestPoint(b.geom, a.geom))),
                  ST_Y(ST_ClosestPoint(a.geom, ST_ClosestPoint(b.geom, a.geom)))
                FROM {T} a JOIN {T} b ON b.id = ANY(%s)
                WHERE a.id = ANY(%s) AND a.id <> b.id AND ST_DWithin(a.geom, b.geom, %s)""",
            [b_ids, a_ids, 15 * mpp()],
        )
        return list(cur.fetchall())


def points_along(street_id: int, x: float, y: float, metres: float) -> list[tuple[float, float]]:
    """The points of a street ``metres`` away from its point nearest (x, y), both ways."""
    with connection.cursor() as cur:
        cur.execute(
            f"""WITH s AS (
                  SELECT (ST_Dump(ST_LineMerge(geom))).geom AS g FROM {T} WHERE id = %s),
                pt AS (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 3857) AS p),
                line AS (SELECT g FROM s, pt ORDER BY g <-> p LIMIT 1),
                f AS (SELECT g, ST_LineLocatePoint(g, p) AS t, ST_Length(g) AS len FROM line, pt)
                SELECT ST_X(q), ST_Y(q) FROM f,
                  LATERAL (VALUES (LEAST(1, t + %s / NULLIF(len, 0))),
                                  (GREATEST(0, t - %s / NULLIF(len, 0)))) v(u),
                  ST_LineInterpolatePoint(g, COALESCE(u, 0)) q""",
            [street_id, x, y, metres * mpp(), metres * mpp()],
        )
        return list(cur.fetchall())


def cross_street(x: float, y: float, other_than: str, metres: float) -> str | None:
    """The nearest street line within ``metres`` of (x, y) other than ``other_than`` (the
    cross street of a pole at a corner), or None."""
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT ref FROM {T} WHERE kind = 'street' AND ref <> %s
                AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), 3857), %s)
                ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 3857) LIMIT 1""",
            [other_than, x, y, metres * mpp(), x, y],
        )
        row = cur.fetchone()
    return row[0] if row else None
