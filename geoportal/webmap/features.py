"""One feature of any visible layer by fid, for the permalink (#...&f=slug:fid): its declared
attributes and where it is, so the map can reopen the info panel after a reload."""

from __future__ import annotations

from django.db import connection

from core.errors import PortalError
from layers.access import can_view
from layers.models import Layer
from layers.storage import qualified, quote

__all__ = ["feature_info"]


def feature_info(user, slug: str, fid: int) -> dict:
    layer = Layer.objects.filter(slug=slug).first()
    if layer is None or not can_view(user, layer) or layer.is_raster:
        raise PortalError(f"no layer {slug!r}", status=404, code="layer-not-found")
    names = layer.attribute_names()
    columns = "".join(f", t.{quote(n)}" for n in names)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT t.fid{columns}, ST_X(c), ST_Y(c),"
            " ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)"
            f" FROM {qualified(layer.table_name)} t,"
            " LATERAL ST_Transform(ST_PointOnSurface(t.geom), 4326) c,"
            " LATERAL ST_Transform(ST_Envelope(t.geom), 4326) e WHERE t.fid = %s",
            [fid],
        )
        row = cur.fetchone()
    if row is None:
        raise PortalError(f"no feature {fid} in {slug!r}", status=404, code="feature-not-found")
    values = row[1 : len(names) + 1]
    props = {
        n: (v if v is None or isinstance(v, (str, int, float, bool)) else str(v))
        for n, v in zip(names, values, strict=True)
    }
    rest = row[len(names) + 1 :]
    return {
        "layer": slug,
        "fid": row[0],
        "properties": props,
        "center": [rest[0], rest[1]],
        "bbox": list(rest[2:6]),
    }
