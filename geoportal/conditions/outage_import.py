"""Outages from a CSV the utilities send: ``service`` (water/heating/electricity/gas or the
Ukrainian word), ``kind`` (planned/emergency, планове/аварійне), ``starts_at``, ``ends_at``
(RFC 3339, or ``2026-12-02 09:00`` in Kyiv time), ``addresses`` (streets and house numbers,
lines or ``;``-separated), or ``wkt`` (an area in lon/lat), ``reason``, ``contact``. Every row is
checked first; any wrong row refuses the file with its row number and nothing is saved."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.errors import PortalError

from .models import Outage, OutageKind, Service
from .outages import AddressError, resolve_area

__all__ = ["OutageFileError", "import_rows", "read_csv"]

KYIV = ZoneInfo("Europe/Kyiv")
SERVICES = {**{s.value: s.value for s in Service}, **{str(s.label): s.value for s in Service},
            "вода": "water", "тепло": "heating", "світло": "electricity", "газ": "gas"}  # fmt: skip
KINDS = {**{k.value: k.value for k in OutageKind}, **{str(k.label): k.value for k in OutageKind}}


class OutageFileError(PortalError):
    code = "invalid"


def _when(text: str):
    try:
        value = parse_datetime(str(text or "").strip())
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=KYIV)
    return value


def _row(n: int, row: dict, errors: list[str]) -> Outage | None:
    def err(msg):
        errors.append(f"row {n}: {msg}")

    service = SERVICES.get(str(row.get("service") or "").strip().lower())
    kind = KINDS.get(str(row.get("kind") or "").strip().lower())
    starts, ends = _when(row.get("starts_at")), _when(row.get("ends_at"))
    if service is None:
        err(f"unknown service {row.get('service')!r} (water, heating, electricity, gas)")
    if kind is None:
        err(f"unknown kind {row.get('kind')!r} (planned, emergency)")
    if starts is None or ends is None:
        err("starts_at and ends_at must be dates with times")
    elif ends <= starts:
        err("ends_at is not after starts_at")
    area = None
    if (row.get("wkt") or "").strip():
        try:
            geom = GEOSGeometry(row["wkt"], srid=4326)
            geom.transform(3857)
            area = MultiPolygon(geom) if geom.geom_type == "Polygon" else geom
            if area.geom_type != "MultiPolygon":
                err("wkt must be a polygon")
        except (GEOSException, ValueError):
            err("wkt is not a geometry")
    else:
        try:
            area = resolve_area((row.get("addresses") or "").replace(";", "\n"))
        except AddressError as exc:
            err("; ".join(exc.extra.get("errors", {}).get("addresses", [exc.detail])))
    if errors and errors[-1].startswith(f"row {n}:"):
        return None
    return Outage(service=service, kind=kind, starts_at=starts, ends_at=ends, area=area,
                  addresses=(row.get("addresses") or "").replace(";", "\n").strip(),
                  reason=(row.get("reason") or "").strip(), contact=(row.get("contact") or "").strip())  # fmt: skip


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def import_rows(rows: list[dict], *, replace: bool = False) -> int:
    """Check every row, then save them all in one transaction (``replace``: instead of the
    outages stored); OutageFileError listing every wrong row otherwise."""
    errors: list[str] = []
    made = [o for n, row in enumerate(rows, 1) if (o := _row(n, row, errors)) is not None]
    if errors:
        raise OutageFileError(f"{len(errors)} errors, nothing imported: " + "; ".join(errors[:50]),
                              errors={"rows": errors})  # fmt: skip
    with transaction.atomic():
        if replace:
            Outage.objects.all().delete()
        Outage.objects.bulk_create(made)
    return len(made)
