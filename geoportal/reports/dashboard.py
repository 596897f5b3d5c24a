"""The staff list of reports: filters (status, category, department, area, age, overdue), the
CSV export and the density grid (heatmap) of the same filtered list."""

from __future__ import annotations

import csv
import json
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.encoding import spreadsheet_cell

from .models import OPEN_STATUSES, Area, Report
from .public import BadFilter, by_status, with_lonlat_and_confirmations

__all__ = ["BadFilter", "filtered", "write_csv", "density_grid", "CSV_COLUMNS"]


def filtered(params):
    """Reports for staff, filtered by GET ``params``; oldest deadline first."""
    qs = Report.objects.select_related("category", "department", "dispatcher")
    return with_lonlat_and_confirmations(_filter(qs, params), public=False).order_by(
        "deadline", "pk"
    )


def _filter(qs, params):
    qs = by_status(qs, params.get("status"))
    if params.get("category"):
        qs = qs.filter(category__code=params["category"])
    if params.get("department"):
        qs = qs.filter(department__code=params["department"])
    if params.get("area"):
        area = Area.objects.filter(pk=params["area"]).first() if params["area"].isdigit() else None
        if area is None:
            raise BadFilter(_("Невідома зона: %(s)s") % {"s": params["area"]})
        qs = qs.filter(location__intersects=area.geom)
    if params.get("age"):  # older than N days
        try:
            days = int(params["age"])
            older_than = timezone.now() - timedelta(days=days)
        except (ValueError, OverflowError) as exc:
            raise BadFilter(_("Вік — ціле число днів.")) from exc
        qs = qs.filter(created_at__lte=older_than)
    if params.get("overdue") in ("1", "true", "on"):
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.now())
    return qs


CSV_COLUMNS = ["id", "created_at", "category", "status", "department", "dispatcher", "deadline",
               "overdue", "is_appeal", "lat", "lon", "located_by", "confirmations",
               "description", "name", "email", "phone", "postal_address"]  # fmt: skip


def write_csv(reports, out) -> None:
    """Write ``reports`` as CSV (staff-only: includes the contact for call-backs)."""
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for r in reports:
        w.writerow(map(spreadsheet_cell, [
            r.pk, r.created_at.isoformat(), r.category.code, r.status,
            r.department.code if r.department else "",
            r.dispatcher.get_username() if r.dispatcher else "",
            r.deadline.isoformat() if r.deadline else "", int(r.is_overdue), int(r.is_appeal),
            round(r.lat, 7), round(r.lon, 7), r.located_by, r.confirmations_count,
            r.description, r.name, r.email, r.phone, r.postal_address,
        ]))  # fmt: skip


GRID_MIN_M, GRID_MAX_M = 10.0, 20000.0


def density_grid(params, cell_m) -> dict:
    """Counts of the filtered reports in square cells of ``cell_m`` (EPSG:3857 metres, the
    cells of PostGIS ST_SquareGrid / ST_Square), as GeoJSON polygons in EPSG:4326.

    Only cell geometry and counts: nothing of a single report (id, text, contact) leaves."""
    try:
        cell = float(cell_m)
    except (TypeError, ValueError) as exc:
        raise BadFilter(_("Розмір клітинки — число метрів.")) from exc
    if not GRID_MIN_M <= cell <= GRID_MAX_M:
        raise BadFilter(_("Розмір клітинки — від %(a)s до %(b)s м.")
                        % {"a": int(GRID_MIN_M), "b": int(GRID_MAX_M)})  # fmt: skip
    ids_sql, ids_params = _filter(Report.objects.all(), params).values("pk").query.sql_with_params()
    sql = f"""
        SELECT n, ST_AsGeoJSON(ST_Transform(ST_Square(%s, i, j, 'SRID=3857;POINT(0 0)'::geometry), 4326), 6)
        FROM (SELECT floor(ST_X(location) / %s)::int AS i, floor(ST_Y(location) / %s)::int AS j,
                     count(*) AS n
              FROM reports_report WHERE id IN ({ids_sql}) GROUP BY 1, 2) cells
        ORDER BY n"""  # noqa: S608 -- ids_sql is Django's own compiled, parameterised query
    with connection.cursor() as cur:
        cur.execute(sql, [cell, cell, cell, *ids_params])
        rows = cur.fetchall()
    features = [{"type": "Feature", "geometry": json.loads(geom), "properties": {"count": n}}
                for n, geom in rows]  # fmt: skip
    return {"type": "FeatureCollection", "cell_m": cell,
            "max": max((n for n, _g in rows), default=0), "features": features}  # fmt: skip
