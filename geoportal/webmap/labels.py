"""Label anchors for the portal's own basemap, computed in PostGIS: one point and reading
angle per named street part longer than a block (layer role ``streets``, EPSG:3857 so angles
match the screen), and one point on each whole settlement (role ``settlements``), so a
settlement cut by tile edges still gets one name label. The map fetches them once."""

from __future__ import annotations

from django.db import connection

from layers.models import LayerRole
from layers.roles import visible_layer_for
from layers.storage import qualified, quote

__all__ = ["place_labels", "street_labels"]

MIN_LENGTH_M = 120  # shorter parts get no label (no room for the text)


def street_labels(user) -> list[dict]:
    """[{"name", "lon", "lat", "angle"}] (angle in degrees, clockwise, readable: -90..90)."""
    layer = visible_layer_for(user, LayerRole.STREETS)
    if layer is None or layer.is_raster:
        return []
    field = layer.street_name_field or ("name" if "name" in layer.attribute_names() else "")
    if field not in layer.attribute_names():
        return []
    column = quote(field)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT name, ST_X(c), ST_Y(c), degrees(ST_Azimuth(a, b)) FROM ("
            f"  SELECT s.{column} AS name, part,"
            "   ST_Transform(ST_LineInterpolatePoint(part, 0.5), 4326) AS c,"
            "   ST_LineInterpolatePoint(part, 0.4) AS a, ST_LineInterpolatePoint(part, 0.6) AS b"
            f"  FROM {qualified(layer.table_name)} s,"
            "   LATERAL (SELECT (ST_Dump(ST_LineMerge(s.geom))).geom AS part) d"
            f"  WHERE s.{column} <> '' AND ST_Length(part) > %s"
            " ) q ORDER BY ST_Length(part) DESC LIMIT 3000",
            [MIN_LENGTH_M],
        )
        rows = cur.fetchall()
    labels = []
    for name, lon, lat, azimuth in rows:
        if azimuth is None:
            continue
        angle = azimuth - 90  # azimuth is from north; CSS rotation is from east
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        labels.append({"name": name, "lon": round(lon, 6), "lat": round(lat, 6),
                       "angle": round(angle, 1)})  # fmt: skip
    return labels


def place_labels(user) -> list[dict]:
    """[{"fid", "name", "lon", "lat"}]: the point on the surface of every named settlement."""
    layer = visible_layer_for(user, LayerRole.SETTLEMENTS)
    if layer is None or layer.is_raster or "name" not in layer.attribute_names():
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT fid, name, ST_X(c), ST_Y(c) FROM ("
            " SELECT t.fid, t.name, ST_Transform(ST_PointOnSurface(t.geom), 4326) AS c"
            f" FROM {qualified(layer.table_name)} t WHERE t.name <> '' AND t.geom IS NOT NULL"
            " ) q ORDER BY fid LIMIT 5000"
        )
        rows = cur.fetchall()
    return [{"fid": fid, "name": name, "lon": round(lon, 6), "lat": round(lat, 6)}
            for fid, name, lon, lat in rows]  # fmt: skip
