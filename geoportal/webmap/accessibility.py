"""The residents' accessibility view: facilities (the layer with the role ``facilities``) and
what each offers, by need.

The facilities layer arrives with accessibility flags in varied spellings (Ukrainian column
names, "так"/"+"/"1" values) or, after normalisation by the importer, as boolean columns. This
module maps both onto one fixed vocabulary of features and needs, so the map does not care.
"""

from __future__ import annotations

import json

from django.db import connection
from django.utils.translation import gettext_lazy as _

from layers.codelists import display_value
from layers.models import Layer, LayerRole
from layers.roles import visible_layer_for
from layers.storage import qualified, quote

__all__ = ["FEATURES", "NEEDS", "facilities", "is_yes"]

# feature key -> (title, candidate column names: normalised first, then raw transliterations)
FEATURES = {
    "step_free_entrance": (_("Безбар'єрний вхід"), ["step_free_entrance", "bezbariernyi_vkhid"]),
    "ramp": (_("Пандус"), ["ramp", "pandus"]),
    "lift": (_("Ліфт"), ["lift", "elevator"]),
    "accessible_toilet": (_("Доступний туалет"), ["accessible_toilet", "dostupnyi_tualet"]),
    "sign_language": (
        _("Перекладач жестової мови"),
        ["sign_language", "perekladach_zhestovoi_movy"],
    ),
    "braille": (_("Шрифт Брайля"), ["braille", "shryft_brailia"]),
    "audio_aids": (_("Аудіосупровід"), ["audio_aids", "audiosuprovid"]),
    "services_for_women": (_("Послуги для жінок"), ["services_for_women", "posluhy_dlia_zhinok"]),
    "disabled_parking": (
        _("Паркування для людей з інвалідністю"),
        ["disabled_parking", "parkuvannia_dlia_liudei_z_invalidnistiu"],
    ),
    "low_mobility": (_("Для маломобільних людей"), ["low_mobility", "malomobilni"]),
}

# need key -> (title, features any of which satisfies it)
NEEDS = {
    "wheelchair": (_("Візок / вхід без сходинок"), ["step_free_entrance", "ramp", "lift"]),
    "sign_language": (_("Перекладач жестової мови"), ["sign_language"]),
    "braille": (_("Шрифт Брайля"), ["braille"]),
    "audio": (_("Аудіосупровід"), ["audio_aids"]),
    "women": (_("Послуги для жінок"), ["services_for_women"]),
    "low_mobility": (_("Маломобільні люди"), ["low_mobility", "step_free_entrance"]),
}

YES = {"так", "є", "+", "1", "true", "t", "yes", "y", "так.", "наявний", "наявна", "available"}


def is_yes(value) -> bool:
    """True for the spellings of "yes" found in municipal registers (and real booleans)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value > 0
    return str(value).strip().lower() in YES


def _columns(layer: Layer) -> dict[str, str]:
    names = set(layer.attribute_names())
    found = {}
    for key, (_title, candidates) in FEATURES.items():
        column = next((c for c in candidates if c in names), None)
        if column:
            found[key] = column
    return found


def facilities(user, language: str = "uk") -> dict:
    """GeoJSON FeatureCollection (EPSG:4326) of facilities with an ``offers`` list each, plus the
    needs vocabulary; an empty collection if the layer is missing or not visible to ``user``."""
    layer = visible_layer_for(user, LayerRole.FACILITIES)
    needs = [
        {"key": k, "title": str(title), "features": feats} for k, (title, feats) in NEEDS.items()
    ]
    titles = {k: str(title) for k, (title, _c) in FEATURES.items()}
    result = {"type": "FeatureCollection", "needs": needs, "titles": titles, "features": []}
    if layer is None or layer.is_raster:
        return result
    columns = _columns(layer)
    base = [c for c in ("name", "type", "address") if c in layer.attribute_names()]
    select = [*base, *columns.values()]
    sql_columns = "".join(f", {quote(c)}" for c in select)
    order = "3, fid" if base else "fid"  # by name (or type, address) when the layer has one
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT fid, ST_AsGeoJSON(ST_Transform(geom, 4326), 6){sql_columns}"
            f" FROM {qualified(layer.table_name)} WHERE geom IS NOT NULL ORDER BY {order}"
        )
        rows = cur.fetchall()
    for row in rows:
        values = dict(zip(select, row[2:], strict=True))
        offers = [key for key, column in columns.items() if is_yes(values[column])]
        result["features"].append(
            {
                "type": "Feature",
                "id": row[0],
                "geometry": json.loads(row[1]),
                "properties": {
                    "fid": row[0],
                    **{c: display_value(layer, c, values[c], language) for c in base},
                    "offers": offers,
                    "needs": [k for k, (_t, feats) in NEEDS.items() if set(feats) & set(offers)],
                },
            }
        )
    return result
