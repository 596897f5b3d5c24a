"""Who handles a report: the category and the service area the point falls in choose the
department and the dispatcher.

Rule: among the service areas containing the point that serve the category (an area with no
categories serves every category of its department), the smallest wins -- a village's own
contractor inside the hromada-wide area; with no such area, the category's department. The
dispatcher is the area's, else the department's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Area as AreaOf
from django.db.models import Q

from .models import Area, Category, Department

__all__ = ["Route", "route"]


@dataclass
class Route:
    department: Department
    dispatcher: object  # a user or None
    area: Area | None = None


def route(category: Category, point) -> Route:
    """The department and dispatcher for a report of ``category`` at ``point`` (EPSG:3857)."""
    areas = (
        Area.objects.filter(geom__intersects=point)
        .filter(Q(categories=category) | Q(categories__isnull=True, department=category.department))
        .select_related("department", "dispatcher", "department__dispatcher")
        .annotate(size=AreaOf("geom"))
        .order_by("size", "pk")
    )
    area = areas.first()
    if area is not None:
        return Route(area.department, area.dispatcher or area.department.dispatcher, area)
    department = category.department
    return Route(department, department.dispatcher)
