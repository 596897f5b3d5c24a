"""The parcel info card: cadastral number, area, purpose, ownership form, and the master-plan
zones the parcel falls in (PostGIS intersection of the layers with the roles ``parcels`` and
``zones``, whatever their slugs).

Plain functions, testable without HTTP; the view only parses the fid and renders the dict.
"""

from __future__ import annotations

import json

from django.db import connection

from core.errors import PortalError
from layers.codelists import display_value, purpose_section
from layers.models import Layer, LayerRole
from layers.roles import visible_layer_for
from layers.storage import qualified, quote

__all__ = ["parcel_card"]

CARD_FIELDS = ["cadnum", "area_ha", "purpose", "purp_name", "ownership", "ngo_uah", "reg_date"]
ZONE_FIELDS = ["code", "name", "plan_name", "approved"]


def _field(layer: Layer, name: str, language: str) -> dict:
    attr = layer.attribute(name) or {"name": name}
    title = attr.get("title_en") if language.startswith("en") else attr.get("title_uk")
    return {"name": name, "title": title or name, "unit": attr.get("unit")}


def parcel_card(user, fid: int, language: str = "uk") -> dict:
    """The card of parcel ``fid``; PortalError 404 if the parcel (or its layer) is not visible."""
    parcels = visible_layer_for(user, LayerRole.PARCELS)
    if parcels is None or parcels.is_raster:
        raise PortalError(f"no parcel {fid}", status=404, code="parcel-not-found")
    fields = [f for f in CARD_FIELDS if f in parcels.attribute_names()]
    columns = "".join(f", p.{quote(f)}" for f in fields)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT p.fid{columns}, ST_AsGeoJSON(ST_Transform(ST_Envelope(p.geom), 4326)),"
            f" ST_X(c), ST_Y(c), ST_Area(ST_Transform(p.geom, 4326)::geography),"
            f" ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7)"
            f" FROM {qualified(parcels.table_name)} p,"
            f" LATERAL ST_Transform(ST_PointOnSurface(p.geom), 4326) c WHERE p.fid = %s",
            [fid],
        )
        row = cur.fetchone()
    if row is None:
        raise PortalError(f"no parcel {fid}", status=404, code="parcel-not-found")
    values = dict(zip(["fid", *fields], row[: len(fields) + 1], strict=True))
    values = {f: display_value(parcels, f, v, language) for f, v in values.items()}
    if "purp_name" in values and purpose_section(values.get("purpose"), language):
        values["purp_name"] = purpose_section(values["purpose"], language)
    outline, row = json.loads(row[-1]), row[:-1]  # the parcel's own shape, drawn when selected

    envelope = json.loads(row[len(fields) + 1])["coordinates"][0]
    lons = [p[0] for p in envelope]
    lats = [p[1] for p in envelope]
    card = {
        "layer": parcels.slug,
        "fid": values["fid"],
        "attributes": [
            {**_field(parcels, f, language), "value": _plain(values[f])} for f in fields
        ],
        "center": [row[-3], row[-2]],
        "bbox": [min(lons), min(lats), max(lons), max(lats)],
        "measured_area_ha": round(row[-1] / 10000, 4),
        "outline": outline,
        "zones": _zones(user, parcels, fid, language),
    }
    for f in ("cadnum", "area_ha", "purpose", "purp_name", "ownership"):
        card[f] = _plain(values.get(f))
    return card


def _zones(user, parcels: Layer, fid: int, language: str) -> list[dict]:
    """Master-plan zones intersecting the parcel, largest overlap first, with the share."""
    zones = visible_layer_for(user, LayerRole.ZONES)
    if zones is None or zones.is_raster:
        return []
    fields = [f for f in ZONE_FIELDS if f in zones.attribute_names()]
    columns = "".join(f", z.{quote(f)}" for f in fields)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT z.fid{columns},"
            f" ST_Area(ST_Intersection(z.geom, p.geom)) / NULLIF(ST_Area(p.geom), 0)"
            f" FROM {qualified(parcels.table_name)} p"
            f" JOIN {qualified(zones.table_name)} z ON ST_Intersects(z.geom, p.geom)"
            f" WHERE p.fid = %s",
            [fid],
        )
        rows = cur.fetchall()
    result = []
    for row in rows:
        share = row[-1]
        if share is not None and share < 0.001:
            continue  # touching edges only
        item = {"fid": row[0], "share": round(share, 3) if share is not None else None}
        for f, v in zip(fields, row[1:-1], strict=True):
            item[f] = _plain(v)
        item["titles"] = {f: _field(zones, f, language)["title"] for f in fields}
        result.append(item)
    result.sort(key=lambda z: -(z["share"] or 0))
    return result


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
