"""Utility outages: the area of an outage from its list of streets and house numbers (the
footprints of those houses in the ``buildings`` layer, buffered and merged), and the questions
residents ask, always by time so ended outages leave every answer by themselves (no cron):
which outages are on now or planned, and does one touch my address.

The address list is one line per street, ``вулиця Миру: 1, 3, 5-11, 12а`` (a range takes the
houses whose number starts with a number in it), or the street alone for all of its houses."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.conf import HROMADA
from core.errors import PortalError
from layers.models import LayerRole
from layers.roles import layer_for
from layers.storage import qualified, quote

from . import conf
from .models import Outage

__all__ = ["AddressError", "current", "parse_addresses", "resolve_area", "touching"]

LINE = re.compile(r"^\s*(?P<street>[^:]+?)\s*(?::\s*(?P<numbers>.*))?$")
RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
MAX_LINES = 200


class AddressError(PortalError):
    code = "invalid"


@dataclass
class StreetLine:
    street: str
    numbers: list[str]  # exact house numbers (lower case)
    ranges: list[tuple[int, int]]


def parse_addresses(text: str) -> list[StreetLine]:
    lines = [x for x in (text or "").splitlines() if x.strip()]
    if len(lines) > MAX_LINES:
        raise AddressError(_("Забагато рядків адрес."), errors={"addresses": [_("До 200 вулиць.")]})
    out = []
    for raw in lines:
        m = LINE.match(raw)
        numbers, ranges = [], []
        for part in filter(None, (p.strip().lower() for p in (m["numbers"] or "").split(","))):
            r = RANGE.match(part)
            if r:
                a, b = sorted((int(r[1]), int(r[2])))
                if b - a > 2000:
                    raise AddressError(
                        _("Завеликий діапазон номерів."), errors={"addresses": [part]}
                    )
                ranges.append((a, b))
            else:
                numbers.append(part)
        out.append(StreetLine(m["street"].strip(), numbers, ranges))
    return out


def resolve_area(text: str) -> MultiPolygon:
    """The area of the houses listed in ``text``: AddressError naming every street or house
    the ``buildings`` layer does not know."""
    layer = layer_for(LayerRole.BUILDINGS)
    fields = (layer.address_fields if layer else "").split(",")
    if layer is None or len(fields) != 2:
        raise AddressError(
            _("Немає шару будинків з адресами."), errors={"addresses": [_("Намалюйте територію.")]}
        )
    street_col, number_col = (quote(f.strip()) for f in fields)
    table = qualified(layer.table_name)
    problems, parts = [], []
    with connection.cursor() as cursor:
        for line in parse_addresses(text):
            cursor.execute(
                f"SELECT lower({number_col}::text), fid FROM {table} WHERE lower({street_col}) = lower(%s)",
                [line.street],
            )
            rows = cursor.fetchall()
            if not rows:
                problems.append(_("невідома вулиця: %(s)s") % {"s": line.street})
                continue
            wanted = set(line.numbers)
            found = set()
            for number, fid in rows:
                lead = re.match(r"\d+", number or "")
                in_range = lead and any(a <= int(lead[0]) <= b for a, b in line.ranges)
                if not (wanted or line.ranges) or number in wanted or in_range:
                    parts.append(fid)
                    found.add(number)
            problems += [_("немає будинку %(s)s, %(n)s") % {"s": line.street, "n": n}
                         for n in sorted(wanted - found)]  # fmt: skip
        if problems:
            raise AddressError(_("Адреси не знайдено."), errors={"addresses": problems})
        if not parts:
            raise AddressError(
                _("Вкажіть адреси або намалюйте територію."), errors={"addresses": [_("Порожньо.")]}
            )
        cursor.execute(
            f"SELECT ST_AsHexEWKB(ST_Multi(ST_CollectionExtract(ST_Union(ST_Buffer(geom, %s)), 3))) "
            f"FROM {table} WHERE fid = ANY(%s)",
            [conf.OUTAGE_BUFFER_M / math.cos(math.radians(HROMADA["center"][1])), parts],
        )
        return GEOSGeometry(cursor.fetchone()[0])


def current(now=None, *, planned: bool = True):
    """Outages on at ``now`` (and, with ``planned``, those still to come), soonest first."""
    now = now or timezone.now()
    qs = Outage.objects.filter(ends_at__gt=now, area__isnull=False)
    return qs if planned else qs.filter(starts_at__lte=now)


def touching(point, now=None) -> dict:
    """{"now": [...], "planned": [...]} outages whose area holds ``point`` (EPSG:3857)."""
    now = now or timezone.now()
    hits = list(current(now).filter(area__intersects=point))
    return {
        "now": [o for o in hits if o.starts_at <= now],
        "planned": [o for o in hits if o.starts_at > now],
    }
