"""The master-plan kind: functional zones of a general plan (or zoning plan). Checks zone codes
against the functional-zone classifier (codelists/functional_zones.csv, the public Minregion
code list), fills a missing zone name from it, and wants the plan's name and approval date."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from .base import Batch, Kind, find_attribute

__all__ = ["MasterplanKind", "zone_codes"]

CODELIST = Path(__file__).parent / "codelists" / "functional_zones.csv"


@lru_cache(maxsize=1)
def zone_codes() -> dict[str, str]:
    """Functional zone code -> Ukrainian name."""
    with open(CODELIST, encoding="utf-8") as fh:
        return {row["code"]: row["name_uk"] for row in csv.DictReader(fh)}


def _code(value) -> str:
    text = str(value).strip() if value is not None else ""
    return text[:-2] if text.endswith(".0") else text  # "10101.0" from a float column


class MasterplanKind(Kind):
    name = "masterplan"

    def schema(self, attributes):
        self.code = find_attribute(
            attributes, ["code", "zone_code", "kod", "kod_zony", "type", "func_code", "kod_fp"]
        )
        self.zone_name = find_attribute(
            attributes, ["name", "zone_name", "nazva", "nazva_zony", "funktsionalne_pryznachennia"]
        )
        self.plan = find_attribute(attributes, ["plan_name", "plan", "document", "nazva_planu"])
        self.approved = find_attribute(
            attributes, ["approved", "approval_date", "data_zatverdzhennia", "date_approved"]
        )
        extra = []
        if self.zone_name is None:
            self.zone_name = "zone_name"
            extra.append(
                {"name": "zone_name", "type": "string", "title_uk": "Функціональне призначення",
                 "title_en": "Functional zone", "unit": None}
            )  # fmt: skip
        return attributes + extra, {}

    def convert(self, attribute, column):
        if attribute["name"] == self.code:
            return pa.array([_code(v) or None for v in column.to_pylist()], type=pa.string())
        return None

    def check(self, batch: Batch, report):
        codes = zone_codes()
        rows = batch.rows
        if self.code is None:
            self.warn(report, "no zone code column", None,
                      "no functional zone code column (code, kod_zony...) in the file")  # fmt: skip
            values = [None] * len(rows)
        else:
            values = [_code(v) for v in batch.columns[self.code].to_pylist()]
            for row, code in zip(rows, values, strict=True):
                if code not in codes:
                    self.warn(report, "zone code not in the classifier", int(row),
                              f"functional zone code {code!r} is not in the classifier")  # fmt: skip
        if self.plan is None:
            self.warn(report, "no plan name", None, "no plan name column (plan_name) in the file")
        if self.approved is None:
            self.warn(report, "no approval date", None,
                      "no approval date column (approved) in the file")  # fmt: skip
        elif batch.columns[self.approved].null_count:
            self.warn(report, "approval date missing", None,
                      f"{batch.columns[self.approved].null_count} zones without an approval date")  # fmt: skip
        if self.zone_name == "zone_name" and "zone_name" not in batch.columns:
            return {"zone_name": pa.array([codes.get(c) for c in values], type=pa.string())}
        return {}
