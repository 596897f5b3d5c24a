"""Settings of the landmark locator (prefixed GEOPORTAL_LOCATOR_...), each with a default.

What differs between hromadas is configuration, never code: which layer holds the settlement
outlines, which layers besides those with ``Layer.landmark_ref`` give named places, and the
landmark kind of a layer when its title does not say it.
"""

from core.conf import setting as _setting

# Layer with the settlement outlines and its name attribute ("м. Долинська", "с. Пултівці").
SETTLEMENTS_LAYER = _setting("GEOPORTAL_LOCATOR_SETTLEMENTS_LAYER", "settlements")
SETTLEMENT_NAME_FIELD = _setting("GEOPORTAL_LOCATOR_SETTLEMENT_NAME_FIELD", "name")
# Extra named-place sources {slug: name attribute}: public facilities people point at
# ("навпроти школи №3") even if the layer has no landmark_ref of its own.
NAMED_PLACE_LAYERS = _setting("GEOPORTAL_LOCATOR_NAMED_PLACE_LAYERS", {"facilities": "name"})
# Attributes of point sources naming the street a pole or stop stands on: used to match the
# street a resident names, never shown (they may belong to a staff-only layer).
STREET_ATTRIBUTES = _setting("GEOPORTAL_LOCATOR_STREET_ATTRIBUTES", ["street", "vulytsia"])
# Landmark kind per layer slug; layers not listed get one guessed from their title.
LAYER_KINDS = _setting("GEOPORTAL_LOCATOR_LAYER_KINDS", {})
# Longest free text accepted by the locate API (characters).
MAX_TEXT = _setting("GEOPORTAL_LOCATOR_MAX_TEXT", 2000)
# Answers at or above this confidence are "confident" (the reports workflow trusts them).
CONFIDENT = 0.5
