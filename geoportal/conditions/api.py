"""The public condition API (mounted at /api/v1/conditions/): legends with counts and the
figures per street or settlement, and the budget totals per settlement and year. Thin: parse, call figures, answer JSON; errors are
PortalErrors (rendered by core.errors). The open-data export of the layers is the layers'
own (/api/v1/layers/<slug>/export/?format=csv|geojson)."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import validation
from core.errors import NotFound, PortalError
from layers.models import LayerRole

from . import budget, figures

__all__ = ["budget_totals_view", "figures_view", "legend_view"]

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
