"""The registers' rules: filling them from the layers holding the ``street-lights`` and
``streets`` roles, which asset a report is about, and how reports and inspections move an
asset's state. Every change is published at once (``publish``: the public layers' rows and
their tile version), so the map shows it in the next request.

Reports drive lamps: a new open report joins the asset's open incident (one incident however
many residents report the same pole) and the lamp takes the most advanced state among the
incident's open reports (new -> reported, confirmed -> confirmed, in progress -> in_repair);
when none is open, a resolved one makes it ``repaired`` (``working`` again after
``conf.REPAIRED_DAYS``, see ``expire_repaired``), otherwise (rejected, duplicates) ``working``.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.contrib.gis.db.models.functions import Distance
from django.db import connection, transaction
from django.utils import timezone

from geoportal.reports.models import Report, Status
from layers.models import LayerRole
from layers.roles import layer_for
from layers.storage import qualified, quote

from . import conf, publish
from .models import Incident, IncidentReport, LampState, Pole, PoleEvent, Segment

__all__ = [
    "OPEN", "expire_repaired", "link_report", "pole_at", "refresh_asset", "segment_at",
    "set_lamp_state", "sync_poles", "sync_segments",
]  # fmt: skip

OPEN = (Status.NEW, Status.CONFIRMED, Status.IN_PROGRESS)
LAMP_OF_STATUS = {Status.NEW: LampState.REPORTED, Status.CONFIRMED: LampState.CONFIRMED,
                  Status.IN_PROGRESS: LampState.IN_REPAIR}  # fmt: skip
LAMP_ORDER = [LampState.REPORTED, LampState.CONFIRMED, LampState.IN_REPAIR]
STREET_NAMES = ["street", "vulytsia", "street_name", "vulytsya"]


def _column(layer, preferred: str, candidates: list[str]) -> str | None:
    names = layer.attribute_names()
    for name in [preferred, *candidates]:
        if name and name in names:
            return name
    return None


def _settlement_sql(alias: str) -> str:
    """SQL of the settlement name at ``alias``.geom (the ``settlements`` role's layer), or ''."""
    layer = layer_for(LayerRole.SETTLEMENTS)
    if layer is None or "name" not in layer.attribute_names():
        return "''"
    return (f"coalesce((SELECT s.name FROM {qualified(layer.table_name)} s "
            f"WHERE ST_Intersects(s.geom, {alias}.geom) LIMIT 1), '')")  # fmt: skip


def sync_poles() -> int:
    """Fill the pole register from the ``street-lights`` layer (by street and number; a pole
    gone from the layer leaves the register); the number of poles."""
    layer = layer_for(LayerRole.STREET_LIGHTS)
    if layer is None:
        return 0
    number = _column(layer, layer.landmark_ref, ["number", "nomer"])
    street = _column(layer, layer.street_name_field, STREET_NAMES)
    if number is None:
        return 0
    street_sql = f"coalesce(p.{quote(street)}, '')" if street else "''"
    table = qualified(layer.table_name)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO conditions_pole (number, street, settlement, geom, state, state_since) "
            f"SELECT DISTINCT ON ({street_sql}, p.{quote(number)}) p.{quote(number)}, {street_sql}, "
            f"{_settlement_sql('p')}, ST_PointOnSurface(p.geom), 'working', now() FROM {table} p "
            f"WHERE p.{quote(number)} IS NOT NULL "
            f"ON CONFLICT (street, number) DO UPDATE SET geom = EXCLUDED.geom, "
            f"settlement = EXCLUDED.settlement"
        )  # fmt: skip
        cursor.execute(
            f"DELETE FROM conditions_pole c WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE "
            f"p.{quote(number)} = c.number AND {street_sql} = c.street)"
        )
        publish.lighting()
    return Pole.objects.count()


def sync_segments() -> int:
    """Fill the segment register from the ``streets`` layer: each part of a street's line is a
    segment (its surface from the layer's ``surface`` column when there is one)."""
    layer = layer_for(LayerRole.STREETS)
    if layer is None:
        return 0
    name = _column(layer, layer.street_name_field, ["name", *STREET_NAMES])
    surface = _column(layer, "surface", ["pokryttia"])
    if name is None:
        return 0
    surface_sql = f"coalesce(s.{quote(surface)}::text, '')" if surface else "''"
    table = qualified(layer.table_name)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO conditions_segment (street, settlement, part, source_fid, geom, length_m, "
            f"surface, condition) SELECT coalesce(s.{quote(name)}, ''), {_settlement_sql('s')}, "
            f"coalesce(d.path[1], 1), s.fid, d.geom, "
            f"ST_Length(ST_Transform(d.geom, 4326)::geography), {surface_sql}, 'good' "
            f"FROM {table} s, ST_Dump(ST_LineMerge(s.geom)) d "
            f"WHERE GeometryType(d.geom) = 'LINESTRING' "
            f"ON CONFLICT (source_fid, part) DO UPDATE SET geom = EXCLUDED.geom, "
            f"street = EXCLUDED.street, settlement = EXCLUDED.settlement, "
            f"length_m = EXCLUDED.length_m"
        )  # fmt: skip
        cursor.execute(
            f"DELETE FROM conditions_segment c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {table} s WHERE s.fid = c.source_fid)"
        )
        publish.roads()
    return Segment.objects.count()


def _ground_to_3857(metres: float, point) -> float:
    """Web-Mercator units for ``metres`` on the ground at ``point`` (scale 1/cos(lat))."""
    lat = 2 * math.atan(math.exp(point.y / 6378137.0)) - math.pi / 2
    return metres / math.cos(lat)


def pole_at(point) -> Pole | None:
    """The pole a report at ``point`` is about: the pole at the point itself (the locator
    placed it by the pole's number), else the only pole within ``conf.POLE_RADIUS_M``."""
    radius = _ground_to_3857(conf.POLE_RADIUS_M, point)
    near = list(
        Pole.objects.filter(geom__dwithin=(point, radius))
        .annotate(d=Distance("geom", point)).order_by("d")[:2]
    )  # fmt: skip
    if near and near[0].d.m < 0.5:
        return near[0]
    return near[0] if len(near) == 1 else None


def segment_at(point) -> Segment | None:
    """The nearest segment within ``conf.SEGMENT_RADIUS_M`` of ``point``."""
    radius = _ground_to_3857(conf.SEGMENT_RADIUS_M, point)
    return (
        Segment.objects.filter(geom__dwithin=(point, radius))
        .annotate(d=Distance("geom", point)).order_by("d").first()
    )  # fmt: skip


def link_report(report: Report) -> Incident | None:
    """Attach a new report of a lamp or road category to its asset's open incident (or open
    one) and refresh the asset; None when the report is about no known asset."""
    code = report.category.code
    if code in conf.LAMP_CATEGORIES:
        asset = {"pole": pole_at(report.location)}
    elif code in conf.ROAD_CATEGORIES:
        asset = {"segment": segment_at(report.location)}
    else:
        return None
    if next(iter(asset.values())) is None:
        return None
    with transaction.atomic():
        incident = (
            Incident.objects.select_for_update().filter(closed_at__isnull=True, **asset).first()
        )
        if incident is None:
            incident = Incident.objects.create(opened_at=report.created_at, **asset)
        IncidentReport.objects.get_or_create(report=report, defaults={"incident": incident})
        refresh_asset(incident, report=report)
    return incident


def report_changed(report: Report) -> None:
    """A linked report's status changed: reopen its incident if it came back, then refresh."""
    link = IncidentReport.objects.filter(report=report).select_related("incident").first()
    if link is None:
        return
    incident = link.incident
    if incident.closed_at is not None and report.status in OPEN:
        asset = {"pole": incident.pole} if incident.pole_id else {"segment": incident.segment}
        current = Incident.objects.filter(closed_at__isnull=True, **asset).first()
        if current is None:
            incident.closed_at = incident.repaired_at = None
            incident.save(update_fields=["closed_at", "repaired_at"])
        else:
            link.incident = incident = current
            link.save(update_fields=["incident"])
    refresh_asset(incident, report=report)


def _statuses(incident: Incident) -> list[str]:
    return list(Report.objects.filter(incident_link__incident=incident)
                .values_list("status", flat=True))  # fmt: skip


def refresh_asset(incident: Incident, *, report: Report | None = None) -> None:
    """Work out the asset's state from its incident's reports; close the incident when none
    of them is open; publish."""
    statuses = _statuses(incident)
    still_open = [s for s in statuses if s in OPEN]
    now = timezone.now()
    if not still_open and incident.closed_at is None:
        incident.closed_at = now
        if Status.RESOLVED in statuses:
            incident.repaired_at = now
        incident.save(update_fields=["closed_at", "repaired_at"])
    if incident.pole_id:
        if still_open:
            state = max((LAMP_OF_STATUS[Status(s)] for s in still_open), key=LAMP_ORDER.index)
        else:
            state = LampState.REPAIRED if incident.repaired_at else LampState.WORKING
        set_lamp_state(incident.pole, state, report=report)
    else:
        publish.roads()


def set_lamp_state(pole: Pole, state: str, *, report=None, inspection=None, at=None) -> bool:
    """Move ``pole`` to ``state`` (a history row when it changes) and publish; changed?"""
    if pole.state == state:
        return False
    at = at or timezone.now()
    PoleEvent.objects.create(pole=pole, at=at, old_state=pole.state, state=state,
                             report=report, inspection=inspection)  # fmt: skip
    pole.state, pole.state_since = state, at
    pole.save(update_fields=["state", "state_since"])
    publish.lighting()
    return True


def expire_repaired(now=None) -> int:
    """Lamps repaired more than ``conf.REPAIRED_DAYS`` ago count as working again (run from
    cron with ``manage.py conditions_tick``); the number of lamps changed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.REPAIRED_DAYS)
    poles = list(Pole.objects.filter(state=LampState.REPAIRED, state_since__lte=cutoff))
    with transaction.atomic():
        for pole in poles:
            PoleEvent.objects.create(
                pole=pole, at=now, old_state=pole.state, state=LampState.WORKING
            )
            pole.state, pole.state_since = LampState.WORKING, now
            pole.save(update_fields=["state", "state_since"])
        if poles:
            publish.lighting()
    return len(poles)
