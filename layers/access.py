"""Who may see which layer: one rule, used by every path (map, REST, WFS, OGC API, tiles,
exports, search).

- anonymous and registered residents: public layers;
- staff (planners, dispatchers: ``is_staff``): public and staff-only layers;
- restricted layers: members of the layer's groups (GIS analysts with an API token are
  typically given access this way);
- superusers: everything.

Editing features (the web editor, WFS-T, REST PUT) is for those who see the layer and hold the
admin permission to change layers (planners, administrators): ``can_edit``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Access, Layer

__all__ = ["can_edit", "can_view", "visible_layers"]


def visible_layers(user) -> QuerySet[Layer]:
    layers = Layer.objects.all()
    if user is None or not user.is_authenticated:
        return layers.filter(access=Access.PUBLIC)
    if user.is_superuser:
        return layers
    rule = Q(access=Access.PUBLIC) | Q(access=Access.RESTRICTED, groups__in=user.groups.all())
    if user.is_staff:
        rule |= Q(access=Access.STAFF)
    return layers.filter(rule).distinct()


def can_view(user, layer: Layer) -> bool:
    if layer.access == Access.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if layer.access == Access.STAFF:
        return user.is_staff
    return layer.groups.filter(pk__in=user.groups.values("pk")).exists()


def can_edit(user, layer: Layer) -> bool:
    """Whether ``user`` may insert, change and delete ``layer``'s features."""
    if user is None or not user.is_authenticated or not user.is_active or layer.is_raster:
        return False
    return user.has_perm("layers.change_layer") and can_view(user, layer)
