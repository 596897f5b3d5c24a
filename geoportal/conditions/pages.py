"""The condition pages: the budget map (filters, totals, a map of the projects), the outages
page ("is my address affected?", what is on and planned) and the inspector's page (staff with
the add-inspection permission: tap a pole or a segment, set its state, a photo; the queue
lives in the browser until the network is back). Each page is a template and an ES module
that reads its data from json_script and talks to the APIs only."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core import conf as portal_conf
from core.errors import NotFound
from layers.models import LayerRole
from layers.roles import layer_for, role_map

from . import budget
from .models import Condition, LampState, Service

__all__ = ["budget_page", "inspect_page", "outages_page"]

INSPECT_PERMISSION = "conditions.add_inspection"


def _config(request, **extra) -> dict:
    language = get_language() or "uk"
    return {"language": language, "center": portal_conf.HROMADA["center"],
            "zoom": portal_conf.HROMADA.get("zoom", 14), "layersUrl": "/api/v1/layers/",
            "roles": role_map(request.user), **extra}  # fmt: skip


def _hromada(config) -> str:
    return portal_conf.HROMADA["name_en" if config["language"] == "en" else "name_uk"]


@require_GET
def budget_page(request):
    layer = budget.budget_layer(request.user)  # NotFound without a (visible) budget layer
    config = _config(request, layer=layer.slug, itemsUrl=f"/ogc/collections/{layer.slug}/items",
                     totalsUrl="/api/v1/budget/totals", choices=budget.choices(layer))  # fmt: skip
    return render(
        request, "conditions/budget.html", {"config": config, "hromada": _hromada(config)}
    )


@require_GET
def outages_page(request):
    services = {s.value: str(s.label) for s in Service}
    config = _config(request, outagesUrl="/api/v1/outages", checkUrl="/api/v1/outages/check",
                     services=services)  # fmt: skip
    return render(
        request, "conditions/outages.html", {"config": config, "hromada": _hromada(config)}
    )


@require_GET
def inspect_page(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(INSPECT_PERMISSION):
        raise NotFound("no such page")  # as for a page that is not there
    lights, roads = layer_for(LayerRole.STREET_LIGHTS), layer_for(LayerRole.ROAD_CONDITION)
    config = _config(
        request, inspectionsUrl="/api/v1/conditions/inspections", assetsUrl="/api/v1/conditions/assets",
        states={s.value: str(s.label) for s in LampState},
        conditions={c.value: str(c.label) for c in Condition},
        hasPoles=lights is not None, hasRoads=roads is not None,
    )  # fmt: skip
    return render(
        request, "conditions/inspect.html", {"config": config, "hromada": _hromada(config)}
    )
