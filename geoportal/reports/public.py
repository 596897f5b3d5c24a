"""What the public may see of a report: one allow-list used by the public page, the public
GeoJSON list and Open311 GET. Private fields (models.PRIVATE_FIELDS) are never read here."""

from __future__ import annotations

from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Polygon
from django.db.models import Count, FloatField, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.errors import PortalError

from . import conf
from .models import OPEN_STATUSES, Confirmation, Report, Status

__all__ = [
    "with_lonlat_and_confirmations",
    "with_public_point",
    "PUBLIC_FIELDS",
    "BadFilter",
    "by_status",
    "public_reports",
    "shows_content",
    "report_dict",
    "feature_collection",
]

# Only these columns are ever loaded for public outputs.
PUBLIC_FIELDS = ("id", "category__code", "category__title_uk", "category__title_en", "status",
                 "description", "description_hidden", "created_at", "updated_at",
                 "duplicate_of_id", "department__name_uk", "deadline", "is_appeal")  # fmt: skip


class BadFilter(PortalError):
    """A malformed public filter; the message names the parameter."""

    code = "invalid-filter"


def by_status(qs, status: str | None):
    """``qs`` narrowed to ``status``: "open", "closed", one of Status, or empty for all."""
    if status == "open":
        return qs.filter(status__in=OPEN_STATUSES)
    if status == "closed":
        return qs.exclude(status__in=OPEN_STATUSES)
    if status:
        if status not in Status.values:
            raise BadFilter(_("status: open, closed або один зі станів %(s)s.")
                            % {"s": ", ".join(Status.values)})  # fmt: skip
        return qs.filter(status=status)
    return qs


def public_reports(*, bbox=None, category=None, status=None, with_rejected=False):
    """Reports as dicts of public fields (+ ``confirmations``), newest first.

    ``bbox`` "minlon,minlat,maxlon,maxlat" (EPSG:4326); ``status`` "open", "closed" or a status.
    Rejected reports leave every public list and map (as in FixMyStreet); only a request for one
    report by its number (``with_rejected``) still finds it, and then without its text and
    photos (``report_dict``, open311.request_dict).
    """
    qs = with_public_point(Report.objects.all())
    if not with_rejected:
        qs = qs.exclude(status=Status.REJECTED)
    if bbox:
        try:
            minx, miny, maxx, maxy = (float(v) for v in bbox.split(","))
        except ValueError as exc:
            raise BadFilter(_("bbox: чотири числа minlon,minlat,maxlon,maxlat.")) from exc
        if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):  # also NaN
            raise BadFilter(_("bbox: мінімум має бути меншим за максимум, у межах WGS 84."))
        box = Polygon.from_bbox((minx, miny, maxx, maxy))
        box.srid = 4326
        box.transform(3857)
        qs = qs.filter(public_point__intersects=box)
    if category:
        qs = qs.filter(category__code__in=category.split(","))
    qs = by_status(qs, status)
    return with_lonlat_and_confirmations(qs).values(
        *PUBLIC_FIELDS, "confirmations_count", "lon", "lat"
    )


def with_public_point(qs):
    """``qs`` with ``public_point``: where the public sees each report (``public_location``
    when it has one, a staff-only landmark's shielded cell, else its location). Every public
    filter by place uses it, or a bbox or radius probe would find the exact point."""
    return qs.annotate(
        public_point=Coalesce("public_location", "location", output_field=PointField(srid=3857))
    )


def with_lonlat_and_confirmations(qs, *, public: bool = True):
    """``qs`` with ``lon``/``lat`` (EPSG:4326) and ``confirmations_count`` per report.

    Both from PostgreSQL and per returned row (the count as a subquery): a GROUP BY, or a GEOS
    transform per row in Python, cost ~0.8 s for Open311's 1000 rows over 50,000 reports."""
    where = "location"  # staff see the exact point
    if public:
        where = Coalesce("public_location", "location", output_field=PointField(srid=3857))
    in_4326 = Transform(where, 4326)
    confirmations = (
        Confirmation.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("*"))
        .values("n")
    )
    return qs.annotate(
        confirmations_count=Coalesce(Subquery(confirmations), 0),
        lon=Func(in_4326, function="ST_X", output_field=FloatField()),
        lat=Func(in_4326, function="ST_Y", output_field=FloatField()),
    )


def _lonlat(row: dict) -> tuple[float, float]:
    return round(row["lon"], 7), round(row["lat"], 7)


def _summary(row: dict) -> dict:
    """What every public output says of a report first: id, page, category, status."""
    return {
        "id": row["id"],
        "url": f"/reports/{row['id']}/",
        "category": row["category__code"],
        "category_title": row["category__title_uk"],
        "status": row["status"],
        "status_title": str(Status(row["status"]).label),
    }


def shows_content(row: dict) -> bool:
    """Whether the resident's text and photos of a report are public: not once it is rejected
    (the page then says "rejected" and why) and not while a moderator hides the text."""
    return row["status"] != Status.REJECTED and not row["description_hidden"]


def report_dict(row: dict, *, updates=(), photos=()) -> dict:
    """The public JSON of one report (row from ``public_reports``)."""
    lon, lat = _lonlat(row)
    if row["status"] == Status.REJECTED:
        photos = ()
    return {
        **_summary(row),
        "lat": lat,
        "lon": lon,
        "description": row["description"] if shows_content(row) else "",
        "department": row["department__name_uk"] or "",
        "is_appeal": row["is_appeal"],
        "deadline": row["deadline"].isoformat() if row["deadline"] else None,
        "duplicate_of": row["duplicate_of_id"],
        "confirmations": row["confirmations_count"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
        "photos": list(photos),
        "updates": [
            {
                "created_at": u.created_at.isoformat(),
                "status": u.status,
                "note": u.note,
                "status_title": str(Status(u.status).label) if u.status else "",
            }
            for u in updates
        ],
    }


def public_detail(pk: int) -> dict | None:
    """Public JSON of report ``pk`` with its visible photos and updates, or None."""
    row = public_reports(with_rejected=True).filter(pk=pk).first()
    if row is None:
        return None
    report = Report(pk=pk)
    photos = [p.image.url for p in report.photos.filter(hidden=False)]
    updates = report.updates.only("created_at", "status", "note")
    return report_dict(row, updates=updates, photos=photos)


def feature_collection(rows) -> dict:
    """GeoJSON (EPSG:4326) of public report rows for the map."""
    features = []
    for row in rows[: conf.MAX_PUBLIC_LIST]:
        lon, lat = _lonlat(row)
        features.append({
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                **_summary(row),
                "confirmations": row["confirmations_count"],
                "created_at": row["created_at"].isoformat(),
            },
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}
