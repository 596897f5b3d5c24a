"""Code lists of layer attributes with their English titles: values the data carries in
Ukrainian (ownership forms, КВЦПЗ sections of a parcel's purpose, facility types), shown in
English on English pages. Keyed by the layer's role and the attribute's name, so every hromada's
layer of that role gets them; a value outside a list is shown as it is."""

from __future__ import annotations

import re

from .models import Layer, LayerRole

__all__ = ["CODELISTS", "display_value", "english_values", "purpose_section"]

OWNERSHIP_EN = {"приватна": "private", "комунальна": "communal", "державна": "state"}

# Sections of КВЦПЗ (the classification of the designated purposes of land), codes SS.NN.
KVTSPZ_SECTIONS_EN = {
    1: "agricultural land", 2: "residential development", 3: "public buildings",
    4: "nature reserve fund", 5: "other nature protection", 6: "health care (resorts)",
    7: "recreation", 8: "historical and cultural heritage", 9: "forestry", 10: "water fund",
    11: "industry", 12: "transport", 13: "communications", 14: "energy", 15: "defence",
    16: "land reserve", 17: "reserve fund", 18: "public land of settlements",
    19: "land not granted for ownership or use",
}  # fmt: skip

FACILITY_TYPES_EN = {
    "аварійна служба": "emergency service", "аптека": "pharmacy", "банк": "bank",
    "бібліотека": "library", "вокзал": "station", "дитячий садок": "kindergarten",
    "заклад культури": "cultural venue", "заклад освіти": "educational institution",
    "заклад харчування": "cafe or restaurant", "інше": "other", "лікарня": "hospital",
    "магазин": "shop", "орган влади": "public authority", "побутові послуги": "household services",
    "поліклініка": "outpatient clinic", "послуги": "services", "пошта": "post office",
    "ринок": "market", "соціальна служба": "social services", "спорт": "sport",
    "стадіон": "stadium", "транспорт": "transport", "храм": "place of worship",
    "цнап": "administrative services centre (ЦНАП)", "школа": "school",
}  # fmt: skip

CODELISTS: dict[tuple[str, str], dict[str, str]] = {
    (LayerRole.PARCELS, "ownership"): OWNERSHIP_EN,
    (LayerRole.FACILITIES, "type"): FACILITY_TYPES_EN,
}
PURPOSE = re.compile(r"\s*([0-9]{2})\.[0-9]{2}")


def english_values(layer: Layer, name: str) -> dict[str, str] | None:
    """{Ukrainian value: English title} of attribute ``name`` of ``layer``, or None."""
    return CODELISTS.get((layer.role, name))


def purpose_section(code, language: str) -> str | None:
    """The English title of a purpose code's КВЦПЗ section ("02.01" -> "residential
    development, 02.01") on English pages; None elsewhere or for a code outside the list."""
    match = PURPOSE.match(code) if isinstance(code, str) else None
    if not language.startswith("en") or not match or int(match[1]) not in KVTSPZ_SECTIONS_EN:
        return None
    return f"{KVTSPZ_SECTIONS_EN[int(match[1])]}, {code.strip()}"


def display_value(layer: Layer, name: str, value, language: str):
    """``value`` of attribute ``name`` as a reader of ``language`` should see it."""
    if not language.startswith("en") or not isinstance(value, str):
        return value
    titles = english_values(layer, name) or {}
    return titles.get(value.strip().lower(), value)
