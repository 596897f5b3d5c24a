"""Critical infrastructure stays inside: what a caller who may not see a layer learns of the
landmarks of that layer.

Residents read the numbers painted on street-light poles and manhole covers and report by
them, so the locator uses staff-only layers (power poles, manholes) to place a report, and the
report is stored at the exact point for staff. What leaves the portal for anyone who may not
see the layer is the place in words (the reference they typed, the street and the settlement,
never the nearest house) and a point snapped to the centre of a fixed grid cell of
``conf.SHIELD_CELL_M`` ground metres. The snap is deterministic: asking again, or for
neighbouring assets, gives the same cell centre, so averaging many answers recovers nothing
finer than the cell (with the default 250 m cell, an asset lies 0-177 m from the point shown,
and nothing tells where within the cell it is). docs/architecture.md states the rule.
"""

from __future__ import annotations

import math
from dataclasses import replace

from django.contrib.auth.models import AnonymousUser

from layers.access import visible_layers

from . import conf, geo
from .resolve import LocateResult, locate

__all__ = ["coarse_point", "locate_as", "public_point", "shield", "visible_layer_ids"]


def visible_layer_ids(user) -> set[int] | None:
    """Ids of the layers ``user`` may see; None for a superuser (sees everything)."""
    if user is not None and getattr(user, "is_superuser", False):
        return None
    return set(visible_layers(user).values_list("pk", flat=True))


def coarse_point(x: float, y: float) -> tuple[float, float]:
    """The centre of the grid cell (EPSG:3857, ``SHIELD_CELL_M`` ground metres) holding x/y."""
    cell = conf.SHIELD_CELL_M * geo.mpp()
    return (math.floor(x / cell) + 0.5) * cell, (math.floor(y / cell) + 0.5) * cell


def shield(candidate, visible: set[int] | None):
    """``candidate`` as a caller who sees the layers ``visible`` may learn it: unchanged when its
    layer is among them (or ``visible`` is None), else at its cell's centre with the cell's
    half-diagonal as its uncertainty."""
    if not _hidden(candidate, visible):
        return candidate
    x, y = coarse_point(candidate.x, candidate.y)
    return replace(
        candidate, x=x, y=y, uncertainty_m=max(candidate.uncertainty_m, conf.SHIELD_CELL_M / 2**0.5)
    )


def public_point(candidate) -> tuple[float, float] | None:
    """Where the public may see ``candidate`` when not at its own point: its cell's centre if its
    layer is not public (a report placed by a manhole's number), else None."""
    if _hidden(candidate, visible_layer_ids(AnonymousUser())):
        return coarse_point(candidate.x, candidate.y)
    return None


def _hidden(candidate, visible: set[int] | None) -> bool:
    return (
        visible is not None
        and candidate.layer_id is not None
        and (candidate.layer_id not in visible)
    )


def _coarse_fix(lat, lon, accuracy_m):
    """A phone's fix snapped to its cell (and its accuracy widened to the cell): answers about
    hidden assets then depend on the fix's cell only, so probing with fixes metres apart (the
    GPS tie-break, the confidence a fix adds) tells nothing finer than the cell."""
    if lat is None or lon is None:
        return lat, lon, accuracy_m
    x, y = coarse_point(*geo.to_xy(lon, lat))
    lon, lat = geo.to_lonlat(x, y)
    return lat, lon, max(accuracy_m or 0.0, conf.SHIELD_CELL_M / 2**0.5)


def locate_as(user, **query) -> LocateResult:
    """``locate(**query)`` as ``user`` may learn it (``user`` None: an anonymous caller, as for
    the public view of a report): candidates of layers the user may not see are shielded, and
    when any is, the answer is worked out again from the fixes' cells alone."""
    visible = visible_layer_ids(user if user is not None else AnonymousUser())
    result = locate(**query)
    if not any(_hidden(c, visible) for c in result.candidates + [result.candidate] if c):
        return result
    for lat, lon, acc in (("lat", "lon", "accuracy_m"), ("photo_lat", "photo_lon", None)):
        if query.get(lat) is not None:
            query[lat], query[lon], widened = _coarse_fix(
                query[lat], query[lon], query.get(acc) if acc else None
            )
            if acc:
                query[acc] = widened
    result = locate(**query)
    return replace(
        result,
        candidate=shield(result.candidate, visible) if result.candidate else None,
        candidates=[shield(c, visible) for c in result.candidates],
    )
