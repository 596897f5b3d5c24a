"""Figures of the public condition layers: the legend with a count per class, and per street
or per settlement the share of working lamps, kilometres of road by condition and the mean days
from the first report to the repair. Read from the published layers (what the public sees)
and the incidents, never from staff-only layers."""

from __future__ import annotations

from django.db import connection

from layers.models import LayerRole
from layers.roles import layer_for
from layers.storage import qualified

from .models import Condition, LampState
from .publish import SHARE_CLASSES

__all__ = ["BY", "legend", "lighting_figures", "road_figures"]

BY = {"settlement": ["settlement"], "street": ["settlement", "street"]}


def _rows(sql: str, params=()) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def legend(role: str) -> dict | None:
    """{"layer", "property", "classes": [{value, color, title, count}]} of the layer holding
    ``role`` (None when no layer does)."""
    layer = layer_for(role)
    if layer is None:
        return None
    table = qualified(layer.table_name)
    style = layer.style or {}
    prop = style.get("property")
    if prop and prop in layer.attribute_names():
        counts = {
            r["v"]: r["n"]
            for r in _rows(f'SELECT "{prop}" AS v, count(*) AS n FROM {table} GROUP BY 1')
        }
        classes = [{**c, "count": counts.get(c["value"], 0)} for c in style.get("classes", [])]
    else:  # streets with their share of working lamps
        prop, classes, upper = "share_working", [], None
        for low, color, title in SHARE_CLASSES:
            where = f"share_working >= {low * 100}" + (
                f" AND share_working < {upper * 100}" if upper else ""
            )
            n = _rows(f"SELECT count(*) AS n FROM {table} WHERE {where}")[0]["n"]
            classes.append({"value": low, "color": color, "title": str(title), "count": n})
            upper = low
    return {"layer": layer.slug, "role": role, "property": prop, "classes": classes,
            "total": sum(c["count"] for c in classes)}  # fmt: skip


def _repair_days(by: list[str]) -> dict[tuple, float]:
    keys = ", ".join(f"p.{k}" for k in by)
    rows = _rows(
        f"SELECT {keys}, avg(extract(epoch FROM i.repaired_at - i.opened_at)) / 86400 AS days "
        f"FROM conditions_incident i JOIN conditions_pole p ON p.id = i.pole_id "
        f"WHERE i.repaired_at IS NOT NULL GROUP BY {keys}"
    )
    return {tuple(r[k] for k in by): round(float(r["days"]), 2) for r in rows}


def lighting_figures(by: str = "settlement") -> list[dict]:
    """Per settlement (or street): poles, working, share of working lamps (%), mean days from
    the first report to the repair. From the register when the poles are public, else from the
    published streets (the same figures, by street)."""
    keys = BY[by]
    layer = layer_for(LayerRole.LIGHTING_CONDITION)
    if layer is None:
        return []
    cols = ", ".join(keys)
    if "state" in layer.attribute_names():
        sql = (f"SELECT {cols}, count(*) AS poles, count(*) FILTER (WHERE state = '{LampState.WORKING}') "
               f"AS working FROM {qualified(layer.table_name)} GROUP BY {cols} ORDER BY {cols}")  # fmt: skip
    else:
        sql = (f"SELECT {cols}, sum(poles)::int AS poles, sum(working)::int AS working "
               f"FROM {qualified(layer.table_name)} GROUP BY {cols} ORDER BY {cols}")  # fmt: skip
    days = _repair_days(keys)
    out = []
    for row in _rows(sql):
        share = round(100.0 * row["working"] / row["poles"], 1) if row["poles"] else None
        out.append({**row, "share_working": share,
                    "mean_days_to_repair": days.get(tuple(row[k] for k in keys))})  # fmt: skip
    return out


def road_figures(by: str = "settlement") -> list[dict]:
    """Per settlement (or street): kilometres of road in each condition (as published:
    degraded while road reports are open)."""
    keys = BY[by]
    layer = layer_for(LayerRole.ROAD_CONDITION)
    if layer is None:
        return []
    cols = ", ".join(keys)
    sums = ", ".join(f"round(sum(length_m) FILTER (WHERE condition = '{c.value}')::numeric / 1000, 3) "
                     f"AS km_{c.value}" for c in Condition)  # fmt: skip
    rows = _rows(f"SELECT {cols}, {sums}, round(sum(length_m)::numeric / 1000, 3) AS km "
                 f"FROM {qualified(layer.table_name)} GROUP BY {cols} ORDER BY {cols}")  # fmt: skip
    for row in rows:
        row["km_by_condition"] = {c.value: float(row.pop(f"km_{c.value}") or 0) for c in Condition}
        row["km"] = float(row["km"] or 0)
    return rows
