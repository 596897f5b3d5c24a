"""Residents' questions about outages over HTTP: the GeoJSON of outages on now and planned
(``?at=`` another moment, ``?planned=0`` only those on), "is my address affected"
(``?address=`` through the locator, or ``?lat=&lon=``) and the Atom feed. Thin views: the
rules are outages.py's; errors are PortalErrors."""

from __future__ import annotations

import json

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core import validation
from core.conf import HROMADA
from core.errors import PortalError
from geoportal.locator import conf as locator_conf
from geoportal.locator.answer import render
from geoportal.locator.shield import locate_as

from . import outages
from .models import Outage

__all__ = ["OutageFeed", "check_view", "outages_view"]


def outage_dict(o: Outage) -> dict:
    return {"id": o.pk, "service": o.service, "service_title": str(o.get_service_display()),
            "kind": o.kind, "kind_title": str(o.get_kind_display()),
            "starts_at": o.starts_at.isoformat(), "ends_at": o.ends_at.isoformat(),
            "reason": o.reason, "contact": o.contact, "addresses": o.addresses}  # fmt: skip


def _at(request):
    raw = request.GET.get("at")
    if not raw:
        return timezone.now()
    at = validation.parse_date_or_datetime(raw, "at")
    if not hasattr(at, "hour"):
        raise PortalError(_("at: потрібні дата і час"), code="invalid-datetime", parameter="at")
    return at if timezone.is_aware(at) else timezone.make_aware(at)


@require_GET
def outages_view(request):
    at = _at(request)
    planned = request.GET.get("planned", "1") not in ("0", "false", "no")
    features = []
    for o in outages.current(at, planned=planned):
        area = o.area.transform(4326, clone=True)
        features.append({"type": "Feature", "id": o.pk, "geometry": json.loads(area.json),
                         "properties": {**outage_dict(o), "active": o.starts_at <= at}})  # fmt: skip
    return JsonResponse({"type": "FeatureCollection", "at": at.isoformat(), "features": features},
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip


def _point(request):
    """(point in 3857, what was found) from ?lat&lon or ?address (the locator, as this user)."""
    from django.contrib.gis.geos import Point

    if request.GET.get("lat") or request.GET.get("lon"):
        lon, lat = validation.parse_point(request.GET.get("lon"), request.GET.get("lat"))
        point = Point(lon, lat, srid=4326)
        point.transform(3857)
        return point, {"lat": lat, "lon": lon}
    text = validation.clean_text(request.GET.get("address", ""), "address", limit=200,
                                 multiline=False).strip()  # fmt: skip
    if not text:
        raise PortalError(_("Вкажіть адресу або координати."), code="invalid",
                          errors={"address": [_("Обов'язкове поле.")]})  # fmt: skip
    result = locate_as(request.user, text=text)
    if result.candidate is None or result.confidence < locator_conf.CONFIDENT:
        raise PortalError(_("Адресу не визначено впевнено."), status=422, code="not-located",
                          candidates=render(result)["candidates"], explanation=result.explanation)  # fmt: skip
    c = result.candidate
    point = Point(c.x, c.y, srid=3857)
    p4326 = point.transform(4326, clone=True)
    return point, {"address": text, "explanation": result.explanation,
                   "lat": round(p4326.y, 6), "lon": round(p4326.x, 6)}  # fmt: skip


@require_GET
def check_view(request):
    point, where = _point(request)
    at = _at(request)
    hits = outages.touching(point, at)
    return JsonResponse({"where": where, "at": at.isoformat(), "affected_now": bool(hits["now"]),
                         "now": [outage_dict(o) for o in hits["now"]],
                         "planned": [outage_dict(o) for o in hits["planned"]]},
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip


class OutageFeed(Feed):
    """Atom: every outage on now or planned (readers see new ones and changed ones)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Відключення комунальних послуг")
    subtitle = gettext_lazy("Планові та аварійні відключення води, тепла, світла і газу")

    def link(self):
        return reverse("outages-page")

    def items(self):
        return list(outages.current()[:200])

    def item_title(self, o):
        return f"{o.get_kind_display()} {o.get_service_display()}: {o.starts_at:%d.%m %H:%M}–{o.ends_at:%d.%m %H:%M}"

    def item_description(self, o):
        return "\n".join(filter(None, [o.addresses, o.reason, o.contact]))

    def item_link(self, o):
        return f"{reverse('outages-page')}#outage-{o.pk}"

    def item_pubdate(self, o):
        return o.created_at

    def item_updateddate(self, o):
        return o.updated_at

    def author_name(self):
        return HROMADA["name_uk"]
