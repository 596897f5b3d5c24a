"""The budget kind: capital and participatory-budget projects as the finance department keeps
them (CSV or XLSX): name, place (lon/lat or wkt: a point, line or area), ``amount_uah``,
``year``, ``funding_source``, ``status`` (code list codelists/budget_statuses.csv, Ukrainian
spellings accepted), ``contractor``, ``links``.

Unlike the registers of other kinds, a budget file is published as the council's figures, so
any wrong row refuses the whole file: an amount that is not a positive number (Ukrainian
spellings such as "1 250 000,50 грн" are read), a year outside 1991-2100, an unknown status, no
name, or no place; every such row is listed with its row number and nothing is imported (the
error is raised inside the import's transaction)."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pyarrow as pa

from layers.models import Layer, LayerRole
from layers.storage import qualified

from ..errors import ImportFailed
from .base import Batch, Kind, find_attribute

__all__ = ["BudgetKind", "parse_amount", "status_code"]

CODELIST = Path(__file__).parent / "codelists" / "budget_statuses.csv"
MAX_ERRORS_SHOWN = 50

# final name: (type, title_uk, title_en, spellings of the column in registers)
FIELDS = {
    "name": ("string", "Назва проєкту", "Project", ["name", "nazva", "назва", "назва проєкту", "об'єкт", "project"]),
    "amount_uah": ("float", "Сума", "Amount", ["amount_uah", "amount", "сума", "сума, грн", "вартість", "kosht", "cost"]),
    "year": ("integer", "Рік", "Year", ["year", "рік", "rik"]),
    "funding_source": ("string", "Джерело фінансування", "Funding source", ["funding_source", "джерело", "джерело фінансування", "funding", "source"]),
    "status": ("string", "Стан (код)", "Status (code)", ["status", "стан", "статус"]),
    "contractor": ("string", "Підрядник", "Contractor", ["contractor", "підрядник", "виконавець"]),
    "links": ("string", "Посилання", "Links", ["links", "link", "url", "посилання", "prozorro"]),
}  # fmt: skip
REQUIRED = ("name", "amount_uah", "year", "status")
AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


@cache
def _statuses() -> dict[str, tuple[str, str]]:
    """spelling (lower case) -> (code, Ukrainian title)."""
    out = {}
    with open(CODELIST, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for spelling in [row["code"], *row["spellings"].split("|")]:
                out[spelling.strip().lower()] = (row["code"], row["name_uk"])
    return out


def status_code(text) -> tuple[str, str] | None:
    return _statuses().get(str(text or "").strip().lower())


def parse_amount(text) -> float | None:
    """A positive amount from "1250000", "1 250 000,50", "1250000.50 грн" (None if it is not one)."""
    if text is None:
        return None
    value = re.sub(r"(грн\.?|uah|₴)$", "", str(text).strip().lower()).strip()
    value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    if not AMOUNT.match(value):
        return None
    amount = float(value)
    return amount if 0 < amount < 1e13 else None


def _year(text) -> int | None:
    value = str(text or "").strip().removesuffix(".0")
    return int(value) if value.isdigit() and 1991 <= int(value) <= 2100 else None


class BudgetKind(Kind):
    name = "budget"

    def schema(self, attributes):
        self.errors: list[tuple[int, str]] = []
        self.raw: dict[str, list] = {}
        final, renames, found = [], {}, {}
        for name, (kind, uk, en, spellings) in FIELDS.items():
            source = find_attribute(attributes, spellings)
            if source is not None and source not in found.values():
                found[name] = source
                renames[source] = name
            final.append({"name": name, "type": kind, "title_uk": uk, "title_en": en,
                          "unit": "грн" if name == "amount_uah" else None})  # fmt: skip
        missing = [n for n in REQUIRED if n not in found]
        if missing:
            raise ImportFailed(f"budget: the file has no column for {', '.join(missing)} "
                               f"(columns: {', '.join(a['name'] for a in attributes)})",
                               code="budget-columns")  # fmt: skip
        final.append({"name": "status_title", "type": "string", "title_uk": "Стан",
                      "title_en": "Status", "unit": None})  # fmt: skip
        final.append({"name": "settlement", "type": "string", "title_uk": "Населений пункт",
                      "title_en": "Settlement", "unit": None})  # fmt: skip
        self.columns = found
        return final, renames

    def convert(self, attribute, column):
        name = attribute["name"]
        if name in ("amount_uah", "year", "status", "name"):
            self.raw[name] = column.cast(pa.string()).to_pylist()
        if name == "amount_uah":
            return pa.array([parse_amount(v) for v in self.raw[name]], pa.float64())
        if name == "year":
            return pa.array([_year(v) for v in self.raw[name]], pa.int64())
        if name == "status":
            return pa.array(
                [(status_code(v) or ("",))[0] or None for v in self.raw[name]], pa.string()
            )
        if attribute["type"] == "string":
            return column.cast(pa.string())
        return None

    def check(self, batch: Batch, report):
        raw, titles = self.raw, []
        for i, row in enumerate(batch.rows):
            row = int(row)
            if not str(raw["name"][i] or "").strip():
                self.errors.append((row, "no project name"))
            if parse_amount(raw["amount_uah"][i]) is None:
                self.errors.append(
                    (
                        row,
                        f"amount_uah {raw['amount_uah'][i]!r} is not a positive number of hryvnias",
                    )
                )
            if _year(raw["year"][i]) is None:
                self.errors.append((row, f"year {raw['year'][i]!r} is not a year (1991-2100)"))
            status = status_code(raw["status"][i])
            if status is None:
                known = ", ".join(sorted({c for c, _ in _statuses().values()}))
                self.errors.append((row, f"unknown status {raw['status'][i]!r} (one of: {known})"))
            titles.append(status[1] if status else None)
        return {"status_title": pa.array(titles, pa.string())}

    def check_table(self, cursor, table: str, report) -> None:
        """The settlement of each project: the ``settlements`` layer's name at its place."""
        settlements = Layer.objects.filter(role=LayerRole.SETTLEMENTS).first()
        if settlements is None or "name" not in settlements.attribute_names():
            return
        cursor.execute(
            f"UPDATE {table} b SET settlement = s.name FROM {qualified(settlements.table_name)} s "
            f"WHERE ST_Intersects(s.geom, ST_PointOnSurface(b.geom))"
        )

    def finish(self, report):
        errors = list(self.errors)
        errors += [(row, "no place (lon/lat or wkt)" if "missing" in why else why)
                   for row, why in report.rejected]  # fmt: skip
        if errors:
            errors.sort()
            shown = "; ".join(f"row {r}: {why}" for r, why in errors[:MAX_ERRORS_SHOWN])
            more = (
                f"; and {len(errors) - MAX_ERRORS_SHOWN} more"
                if len(errors) > MAX_ERRORS_SHOWN
                else ""
            )
            raise ImportFailed(f"budget: {len(errors)} errors, nothing imported: {shown}{more}",
                               code="budget-invalid", errors=errors[:500])  # fmt: skip
        super().finish(report)

    def layer_defaults(self, attributes, geometry_type):
        """The budget map's role, unless another layer holds it already."""
        return {} if _role_taken() else {"role": LayerRole.BUDGET}


def _role_taken() -> bool:
    return Layer.objects.filter(role=LayerRole.BUDGET).exists()
