"""The budget map's figures: totals per settlement and year (projects, hryvnias) of the layer
holding the ``budget-projects`` role, filtered like the map view (year, status, funding
source, settlement), and the filter choices the page offers. The projects themselves are
served like any layer (OGC API items with property filters, tiles, exports)."""

from __future__ import annotations

from django.db import connection

from core.errors import NotFound
from layers.access import can_view
from layers.models import LayerRole
from layers.roles import layer_for
from layers.storage import qualified

__all__ = ["FILTERS", "budget_layer", "choices", "totals"]

FILTERS = ("year", "status", "funding_source", "settlement")


def budget_layer(user):
    layer = layer_for(LayerRole.BUDGET)
    if layer is None or not can_view(user, layer):
        raise NotFound("no budget map")
    return layer


def _where(filters: dict) -> tuple[str, list]:
    clauses, params = [], []
    for name in FILTERS:
        value = filters.get(name)
        if value not in (None, ""):
            clauses.append(f"{name}::text = %s")
            params.append(str(value))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def totals(layer, filters: dict) -> dict:
    """{"rows": [{settlement, year, projects, amount_uah}], "total": {...}}."""
    where, params = _where(filters)
    table = qualified(layer.table_name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(settlement, ''), year, count(*), sum(amount_uah) FROM {table}{where} "
            f"GROUP BY 1, 2 ORDER BY 1, 2", params,
        )  # fmt: skip
        rows = [{"settlement": s, "year": y, "projects": n, "amount_uah": round(float(a or 0), 2)}
                for s, y, n, a in cursor.fetchall()]  # fmt: skip
    return {"rows": rows, "total": {"projects": sum(r["projects"] for r in rows),
                                    "amount_uah": round(sum(r["amount_uah"] for r in rows), 2)}}  # fmt: skip


def choices(layer) -> dict:
    """The distinct values of each filter, for the page's selects."""
    table = qualified(layer.table_name)
    out = {}
    with connection.cursor() as cursor:
        for name in FILTERS:
            cursor.execute(
                f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL ORDER BY 1"
            )
            out[name] = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            f"SELECT DISTINCT status, status_title FROM {table} WHERE status IS NOT NULL ORDER BY 1"
        )
        out["status_titles"] = dict(cursor.fetchall())
    return out
