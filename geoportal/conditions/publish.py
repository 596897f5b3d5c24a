"""The public condition layers, kept as ordinary layers of the store so tiles, WFS, OGC API,
exports and the web map serve them like any other: ``lighting-condition`` (a point per
street-light pole with its lamp state; where the poles' own layer is not public, a line per
street with its share of working lamps instead, so no staff-only position is published) and
``road-condition`` (street segments with their condition). Found by role; created on the first
publish with a default slug. Each publish rewrites the layer's rows in the caller's
transaction and bumps its version (layers.events), so cached tiles are not reused."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from layers.dynamic import forget_models
from layers.models import Access, Category, Layer, LayerRole
from layers.roles import layer_for
from layers.storage import TableBuilder, qualified, table_exists, table_stats

from .models import Condition, LampState

__all__ = ["LAMP_COLOURS", "CONDITION_COLOURS", "lighting", "roads", "style_classes"]

LAMP_COLOURS = {
    LampState.WORKING: "#2ca25f", LampState.REPORTED: "#fd8d3c", LampState.CONFIRMED: "#e6550d",
    LampState.IN_REPAIR: "#756bb1", LampState.REPAIRED: "#3182bd",
}  # fmt: skip
CONDITION_COLOURS = {Condition.GOOD: "#1a9641", Condition.FAIR: "#a6d96a",
                     Condition.POOR: "#fdae61", Condition.CRITICAL: "#d7191c"}  # fmt: skip
SHARE_CLASSES = [(0.9, "#2ca25f", _("освітлено 90–100 %")), (0.6, "#fdae61", _("60–90 %")),
                 (0.0, "#d7191c", _("менше 60 %"))]  # fmt: skip


def _a(name, kind, uk, en, unit=None):
    return {"name": name, "type": kind, "title_uk": uk, "title_en": en, "unit": unit}


POLE_ATTRIBUTES = [
    _a("number", "string", "Номер опори", "Pole number"),
    _a("street", "string", "Вулиця", "Street"),
    _a("settlement", "string", "Населений пункт", "Settlement"),
    _a("state", "string", "Стан (код)", "State (code)"),
    _a("state_title", "string", "Стан", "State"),
    _a("since", "datetime", "Стан з", "State since"),
    _a("open_reports", "integer", "Відкриті звернення", "Open reports"),
]
STREET_LIGHT_ATTRIBUTES = [
    _a("street", "string", "Вулиця", "Street"),
    _a("settlement", "string", "Населений пункт", "Settlement"),
    _a("poles", "integer", "Опор", "Poles"),
    _a("working", "integer", "Працюють", "Working"),
    _a("share_working", "float", "Частка справних", "Share working", "%"),
]
ROAD_ATTRIBUTES = [
    _a("street", "string", "Вулиця", "Street"),
    _a("settlement", "string", "Населений пункт", "Settlement"),
    _a("surface", "string", "Покриття", "Surface"),
    _a("condition", "string", "Стан (код)", "Condition (code)"),
    _a("condition_title", "string", "Стан покриття", "Condition"),
    _a("inspected_condition", "string", "Стан за оглядом", "Condition at inspection"),
    _a("last_inspection", "date", "Останній огляд", "Last inspection"),
    _a("planned_repair_year", "integer", "Плановий ремонт", "Planned repair", "рік"),
    _a("open_reports", "integer", "Відкриті звернення", "Open reports"),
    _a("length_m", "float", "Довжина", "Length", "м"),
]

OPEN_SQL = "('new', 'confirmed', 'in_progress')"
POLE_OPEN_REPORTS = (
    "(SELECT count(*) FROM conditions_incident i JOIN conditions_incidentreport l "
    "ON l.incident_id = i.id JOIN reports_report r ON r.id = l.report_id "
    f"WHERE i.pole_id = p.id AND i.closed_at IS NULL AND r.status IN {OPEN_SQL})"
)
SEGMENT_OPEN_REPORTS = POLE_OPEN_REPORTS.replace("i.pole_id = p.id", "i.segment_id = s.id")


def _class(choice, color: str) -> dict:
    """A legend class of a state: its value, colour and title in Ukrainian and English."""
    with override("uk"):
        title = str(choice.label)
    with override("en"):
        title_en = str(choice.label)
    return {"value": choice.value, "color": color, "title": title, "title_en": title_en}


def style_classes(role: str) -> dict:
    """The layer's style: a colour per value of its state property (the legend's classes)."""
    if role == LayerRole.ROAD_CONDITION:
        classes = [_class(c, CONDITION_COLOURS[c]) for c in Condition]
        return {"color": "#1a9641", "weight": 4, "property": "condition", "classes": classes,
                "panel_group": "conditions"}  # fmt: skip
    classes = [_class(s, LAMP_COLOURS[s]) for s in LampState]
    return {"color": "#2ca25f", "fillColor": "#2ca25f", "radius": 4, "weight": 1,
            "property": "state", "classes": classes, "label": "number", "panel_group": "conditions"}  # fmt: skip


def _poles_public() -> bool:
    source = layer_for(LayerRole.STREET_LIGHTS)
    return source is not None and source.access == Access.PUBLIC


def _layer(role, slug, title_uk, title_en, attributes, geometry_type, style) -> Layer:
    """The layer holding ``role`` with a table of this schema (made or remade as needed)."""
    layer = layer_for(role)
    if layer is None:
        layer = Layer(slug=slug, role=role, title_uk=title_uk, title_en=title_en,
                      category=Category.OTHER, access=Access.PUBLIC, min_zoom=11,
                      source=str(_("Реєстр стану об'єктів порталу")), licence="CC BY 4.0")  # fmt: skip
    changed = (
        layer.pk is None or layer.attributes != attributes or layer.geometry_type != geometry_type
    )
    if changed or not table_exists(layer.table_name):
        builder = TableBuilder(layer.table_name, attributes, geometry_type)
        builder.create()
        builder.finish()
        builder.swap_in(None, keep_versions=0)
        forget_models(layer.table_name)
        layer.attributes, layer.geometry_type = attributes, geometry_type
        if layer.pk is None:
            layer.style = style
        layer.save()
    return layer


def _fill(layer: Layer, select_sql: str) -> None:
    names = ", ".join(f'"{a["name"]}"' for a in layer.attributes)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {qualified(layer.table_name)}")
        cursor.execute(
            f"INSERT INTO {qualified(layer.table_name)} (fid, {names}, geom) {select_sql}"
        )
    layer.feature_count, layer.extent = table_stats(layer.table_name)
    layer.data_updated_at = timezone.now()
    layer.save(update_fields=["feature_count", "extent", "data_updated_at"])
    layer.bump_version()


def _titles_sql(column: str, choices) -> str:
    cases = " ".join(f"WHEN '{c.value}' THEN '{str(c.label).replace(chr(39), chr(39) * 2)}'"
                     for c in choices)  # fmt: skip
    return f"CASE {column} {cases} ELSE {column} END"


def lighting() -> Layer:
    """Republish ``lighting-condition`` from the pole register."""
    style = style_classes(LayerRole.LIGHTING_CONDITION)
    if _poles_public():
        layer = _layer(LayerRole.LIGHTING_CONDITION, "lighting-condition",
                       "Стан вуличного освітлення", "Street lighting condition",
                       POLE_ATTRIBUTES, "Point", style)  # fmt: skip
        _fill(layer, f"SELECT p.id, p.number, p.street, p.settlement, p.state, "
                     f"{_titles_sql('p.state', LampState)}, p.state_since, {POLE_OPEN_REPORTS}, "
                     f"p.geom FROM conditions_pole p")  # fmt: skip
        return layer
    layer = _layer(LayerRole.LIGHTING_CONDITION, "lighting-condition",
                   "Стан вуличного освітлення", "Street lighting condition",
                   STREET_LIGHT_ATTRIBUTES, "MultiLineString", style)  # fmt: skip
    # Streets, not poles: the lines of the segments of each street that has poles.
    _fill(layer, "SELECT row_number() OVER (), p.street, p.settlement, p.n, p.working, "
                 "round(100.0 * p.working / p.n, 1), g.geom FROM (SELECT street, settlement, "
                 "count(*) AS n, count(*) FILTER (WHERE state = 'working') AS working "
                 "FROM conditions_pole GROUP BY street, settlement) p JOIN (SELECT street, "
                 "settlement, ST_Multi(ST_Union(geom)) AS geom FROM conditions_segment "
                 "GROUP BY street, settlement) g USING (street, settlement)")  # fmt: skip
    return layer


def roads() -> Layer:
    """Republish ``road-condition`` from the segment register and the open road reports."""
    layer = _layer(LayerRole.ROAD_CONDITION, "road-condition", "Стан дорожнього покриття",
                   "Road surface condition", ROAD_ATTRIBUTES, "LineString",
                   style_classes(LayerRole.ROAD_CONDITION))  # fmt: skip
    order = "ARRAY['good', 'fair', 'poor', 'critical']"
    effective = (f"CASE WHEN o.n > 0 THEN ({order})[least(array_position({order}, s.condition::text) "
                 f"+ 1, 4)] ELSE s.condition END")  # fmt: skip
    _fill(layer, f"SELECT s.id, s.street, s.settlement, s.surface, c.eff, "
                 f"{_titles_sql('c.eff', Condition)}, s.condition, s.last_inspection, "
                 f"s.planned_repair_year, o.n, round(s.length_m::numeric, 1), s.geom "
                 f"FROM conditions_segment s, LATERAL (SELECT {SEGMENT_OPEN_REPORTS} AS n) o, "
                 f"LATERAL (SELECT {effective} AS eff) c")  # fmt: skip
    return layer
