"""The public condition API (mounted at /api/v1/conditions/): legends with counts and the
figures per street or settlement, and the budget totals per settlement and year. Thin: parse, call figures, answer JSON; errors are
PortalErrors (rendered by core.errors). The open-data export of the layers is the layers'
own (/api/v1/layers/<slug>/export/?format=csv|geojson)."""

from __future__ import annotations

import json

from django.contrib.gis.geos import Polygon
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import validation
from core.errors import NotFound, PortalError
from layers.models import LayerRole

from . import budget, figures, inspections
from .models import Pole, Segment

__all__ = ["assets_view", "budget_totals_view", "figures_view", "inspections_view", "legend_view"]

PUBLIC_ROLES = {"lighting": LayerRole.LIGHTING_CONDITION, "roads": LayerRole.ROAD_CONDITION}


def _role(name: str) -> str:
    role = PUBLIC_ROLES.get(name) or (name if name in PUBLIC_ROLES.values() else None)
    if role is None:
        raise NotFound(_("Немає такого шару стану."))
    return role


@require_GET
def legend_view(request, name: str):
    body = figures.legend(_role(name))
    if body is None:
        raise NotFound(_("Шар стану ще не опубліковано."))
    return JsonResponse(body)


@require_GET
def figures_view(request, name: str):
    role = _role(name)
    by = request.GET.get("by", "settlement")
    if by not in figures.BY:
        raise PortalError(_("Параметр by: settlement або street."), code="invalid",
                          errors={"by": [_("settlement або street")]})  # fmt: skip
    rows = (
        figures.lighting_figures(by)
        if role == LayerRole.LIGHTING_CONDITION
        else figures.road_figures(by)
    )
    legend = figures.legend(role)
    exports = {}
    if legend:
        url = reverse("layer-export", args=[legend["layer"]])
        exports = {"csv": f"{url}?format=csv", "geojson": f"{url}?format=geojson"}
    return JsonResponse({"role": role, "by": by, "rows": rows, "export": exports},
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip


@require_GET
def budget_totals_view(request):
    layer = budget.budget_layer(request.user)
    filters = {}
    for name in budget.FILTERS:
        value = request.GET.get(name, "")
        if name == "year" and value:
            value = validation.parse_number(value, "year", integer=True, minimum=1991, maximum=2100)
        elif value:
            value = validation.clean_text(value, name, limit=200, multiline=False)
        filters[name] = value
    body = {"layer": layer.slug, "filters": filters, **budget.totals(layer, filters)}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_POST
def inspections_view(request):
    """POST (multipart): key, asset (pole|segment), id, state | condition, surface, note,
    observed_at, photo. 201 new, 200 the same key again (nothing applied twice)."""
    found, created = inspections.record(request.user, request.POST, request.FILES)
    return JsonResponse({"key": found.key, "id": found.pk, "created": created},
                        status=201 if created else 200)  # fmt: skip


@require_GET
def assets_view(request):
    """The poles and segments in ?bbox= (lon/lat), for the inspector's map (staff only)."""
    if not request.user.is_authenticated or not request.user.has_perm(inspections.PERMISSION):
        raise NotFound(_("Немає такої сторінки."))
    bbox = validation.parse_bbox(request.GET.get("bbox", ""))
    box = Polygon.from_bbox(bbox)
    box.srid = 4326
    box.transform(3857)
    features = []
    for pole in Pole.objects.filter(geom__intersects=box)[:3000]:
        features.append(
            _feature(
                "pole", pole, pole.geom, number=pole.number, street=pole.street, state=pole.state
            )
        )
    for seg in Segment.objects.filter(geom__intersects=box)[:2000]:
        features.append(_feature("segment", seg, seg.geom, street=seg.street, condition=seg.condition,
                                 surface=seg.surface))  # fmt: skip
    return JsonResponse({"type": "FeatureCollection", "features": features},
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip


def _feature(kind, obj, geom, **props):
    g = geom.transform(4326, clone=True)
    return {"type": "Feature", "id": f"{kind}-{obj.pk}", "geometry": json.loads(g.json),
            "properties": {"asset": kind, "id": obj.pk, **props}}  # fmt: skip
