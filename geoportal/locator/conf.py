"""Settings of the landmark locator (prefixed GEOPORTAL_LOCATOR_...), each with a default.

What differs between hromadas is configuration and data, never code: the settlement outlines
are the layer with the role ``settlements`` (Layer.role), named places come from the layers
with ``Layer.landmark_ref`` and from the roles listed below, and a landmark's kind follows its
layer's role or, failing that, its title.
"""

from core.conf import setting as _setting

# Name attribute of the settlement outlines (the layer with the role "settlements":
# "м. Долинська", "с. Пултівці").
SETTLEMENT_NAME_FIELD = _setting("GEOPORTAL_LOCATOR_SETTLEMENT_NAME_FIELD", "name")
# Extra named-place sources {layer role: name attribute}: public facilities people point at
# ("навпроти школи №3") even if the layer has no landmark_ref of its own.
NAMED_PLACE_ROLES = _setting("GEOPORTAL_LOCATOR_NAMED_PLACE_ROLES", {"facilities": "name"})
# Attributes of point sources naming the street a pole or stop stands on: used to match the
# street a resident names, never shown (they may belong to a staff-only layer).
STREET_ATTRIBUTES = _setting("GEOPORTAL_LOCATOR_STREET_ATTRIBUTES", ["street", "vulytsia"])
# Landmark kind per layer role; layers of other roles (or none) get one guessed from their title.
ROLE_KINDS = _setting("GEOPORTAL_LOCATOR_ROLE_KINDS", {"stops": "stop"})
# Longest free text accepted by the locate API (characters).
MAX_TEXT = _setting("GEOPORTAL_LOCATOR_MAX_TEXT", 2000)
# Side (ground metres) of the grid cells to whose centres the points of landmarks in layers a
# caller may not see (staff-only poles, manholes) are snapped (geoportal/locator/shield.py).
SHIELD_CELL_M = _setting("GEOPORTAL_LOCATOR_SHIELD_CELL_M", 250)
# Answers at or above this confidence are "confident" (the reports workflow trusts them).
CONFIDENT = 0.5
