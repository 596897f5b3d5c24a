"""Layers found by what they are for (``Layer.role``: the parcels, the streets, the facilities...),
never by slug: a hromada names its layers as it likes (``zemli``, ``vulytsi``), the portal's
parcel card, street labels and panels keep working as long as the role is set."""

from __future__ import annotations

from .access import can_view, visible_layers
from .models import Layer, LayerRole

__all__ = ["LayerRole", "layer_for", "role_map", "visible_layer_for"]


def layer_for(role: str) -> Layer | None:
    """The layer holding ``role`` (None if no layer does, or ``role`` is blank)."""
    if not role:
        return None
    return Layer.objects.filter(role=role).first()


def visible_layer_for(user, role: str) -> Layer | None:
    """The layer holding ``role`` if ``user`` may see it, else None (the same answer as for a
    role no layer holds: a hidden layer is not told apart from a missing one)."""
    layer = layer_for(role)
    return layer if layer is not None and can_view(user, layer) else None


def role_map(user) -> dict[str, str]:
    """{role: slug} of the roles whose layer ``user`` may see (the web map's ``config.roles``)."""
    rows = visible_layers(user).exclude(role="").order_by().values_list("role", "slug")
    return dict(sorted(rows))
