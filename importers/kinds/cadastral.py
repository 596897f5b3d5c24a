"""The cadastral kind: land parcels. Checks the cadastral number (format
``NNNNNNNNNN:NN:NNN:NNNN`` = KOATUU:zone:quarter:parcel, and uniqueness), the declared area in
hectares against the geometry's ground area (flagged beyond 5 %), the purpose code against the
КВЦПЗ classifier and the ownership form against its code list.

Rows that fail a check are imported all the same and reported as warnings: a register with a
few errors is still the best map of the land there is, and the flags make the errors findable.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from layers.storage import duplicate_values

from .base import Batch, Kind, find_attribute, true_area_ha

__all__ = [
    "CadastralKind",
    "KVTSPZ_SECTIONS",
    "OWNERSHIP",
    "cadastral_number_flags",
    "valid_cadastral_number",
    "valid_purpose",
]

# KOATUU (10) : zone (2) : quarter (3) : parcel (4), ASCII digits only. An RE2 pattern (pyarrow):
# there "$" is the end of the text, where Python's would also take a trailing newline and its
# \d Arabic-Indic and other Unicode digits (the property tests look for exactly that).
CADNUM = r"^[0-9]{10}:[0-9]{2}:[0-9]{3}:[0-9]{4}$"
PURPOSE = re.compile(r"([0-9]{2})\.([0-9]{2})")
AREA_TOLERANCE = 0.05

# КВЦПЗ (класифікація видів цільового призначення земель): section -> highest sub-code.
# Codes are SS.NN; sections 16-19 (reserve, land not in use) have the single sub-code 00.
KVTSPZ_SECTIONS = {
    1: 19, 2: 12, 3: 22, 4: 13, 5: 5, 6: 5, 7: 5, 8: 5, 9: 5, 10: 12, 11: 8, 12: 14,
    13: 6, 14: 3, 15: 11, 16: 0, 17: 0, 18: 0, 19: 0,
}  # fmt: skip

# Ownership forms (codes of the exchange file's OwnershipInfo/Code and their names).
OWNERSHIP = {"100": "приватна", "200": "комунальна", "300": "державна"}
OWNERSHIP_SPELLINGS = {
    **{name: name for name in OWNERSHIP.values()},
    **OWNERSHIP,
    "private": "приватна",
    "communal": "комунальна",
    "municipal": "комунальна",
    "state": "державна",
    "приватна власність": "приватна",
    "комунальна власність": "комунальна",
    "державна власність": "державна",
}


def cadastral_number_flags(values: pa.Array) -> np.ndarray:
    """Per value: is it a well-formed cadastral number (null: no)."""
    ok = pc.fill_null(pc.match_substring_regex(values.cast(pa.string()), CADNUM), False)
    return ok.to_numpy(zero_copy_only=False)


def valid_cadastral_number(value: str) -> bool:
    return isinstance(value, str) and bool(cadastral_number_flags(pa.array([value]))[0])


def valid_purpose(code: str) -> bool:
    match = PURPOSE.fullmatch(code) if isinstance(code, str) else None
    if not match:
        return False
    section, sub = int(match[1]), int(match[2])
    if section not in KVTSPZ_SECTIONS:
        return False
    top = KVTSPZ_SECTIONS[section]
    return sub == 0 if top == 0 else 1 <= sub <= top


class CadastralKind(Kind):
    name = "cadastral"

    def schema(self, attributes):
        self.cadnum = find_attribute(
            attributes,
            ["cadnum", "cadastral_number", "cad_num", "kadastrovyi_nomer", "kn", "koatuu"],
        )
        self.area = find_attribute(attributes, ["area_ha", "area", "ploshcha", "ploshcha_ha"])
        self.purpose = find_attribute(
            attributes, ["purpose", "kvtspz", "kod_kvtspz", "tsilove_pryznachennia", "use_code"]
        )
        self.ownership = find_attribute(
            attributes, ["ownership", "forma_vlasnosti", "vlasnist", "ownership_form"]
        )
        extra = [
            {"name": "area_geom_ha", "type": "float", "title_uk": "Площа за геометрією",
             "title_en": "Area from geometry", "unit": "га"},
            {"name": "area_mismatch", "type": "boolean",
             "title_uk": "Площа розходиться з геометрією понад 5 %",
             "title_en": "Area differs from geometry by more than 5 %", "unit": None},
        ]  # fmt: skip
        taken = {a["name"] for a in attributes}
        return attributes + [e for e in extra if e["name"] not in taken], {}

    def convert(self, attribute, column):
        if attribute["name"] == self.ownership and attribute.get("type", "string") == "string":
            values = [
                OWNERSHIP_SPELLINGS.get(str(v).strip().lower(), str(v).strip()) if v else v
                for v in column.cast(pa.string()).to_pylist()
            ]
            return pa.array(values, type=pa.string())
        return None

    def check(self, batch: Batch, report):
        rows, columns = batch.rows, batch.columns
        if self.cadnum is None:
            self.warn(report, "no cadastral number column", None,
                      "no cadastral number column (cadnum, kadastrovyi_nomer...) in the file")  # fmt: skip
        else:
            values = columns[self.cadnum].cast(pa.string())
            self.warn_many(
                report, "cadastral number format", np.flatnonzero(~cadastral_number_flags(values)),
                rows, lambda i: f"cadastral number {values[i].as_py()!r} is not NNNNNNNNNN:NN:NNN:NNNN",
            )  # fmt: skip
        geom_ha = true_area_ha(batch.geoms)
        mismatch = np.zeros(len(rows), dtype=bool)
        if self.area is not None:
            declared = pc.cast(columns[self.area], pa.float64()).to_numpy(zero_copy_only=False)
            with np.errstate(divide="ignore", invalid="ignore"):
                diff = np.abs(declared - geom_ha) / geom_ha
            mismatch = np.nan_to_num(diff, nan=0.0) > AREA_TOLERANCE
            self.warn_many(
                report, "area differs from geometry by more than 5 %", np.flatnonzero(mismatch), rows,
                lambda i: f"area {declared[i]:.4f} ha vs {geom_ha[i]:.4f} ha by geometry ({diff[i] * 100:.0f} %)",
            )  # fmt: skip
        if self.purpose is not None:
            self._check_values(report, rows, columns[self.purpose], valid_purpose,
                               "purpose code not in КВЦПЗ", "is not in the КВЦПЗ classifier")  # fmt: skip
        if self.ownership is not None:
            known = set(OWNERSHIP.values())
            self._check_values(report, rows, columns[self.ownership], known.__contains__,
                               "unknown ownership form", f"is not one of {', '.join(sorted(known))}")  # fmt: skip
        return {
            "area_geom_ha": pa.array(np.round(geom_ha, 4)),
            "area_mismatch": pa.array(mismatch),
        }

    def _check_values(self, report, rows, column, is_valid, what, why):
        """Warn on values ``is_valid`` refuses, testing each distinct value once."""
        values = column.cast(pa.string())
        bad = [v for v in pc.unique(values).to_pylist() if v and not is_valid(v)]
        if bad:
            mask = pc.is_in(values, value_set=pa.array(bad, pa.string())).to_numpy(
                zero_copy_only=False
            )
            self.warn_many(
                report, what, np.flatnonzero(mask), rows, lambda i: f"{values[i].as_py()!r} {why}"
            )

    def check_table(self, cursor, table, report):
        if self.cadnum is None:
            return
        # self.cadnum is an attribute name: already the table's column name
        for value, n in duplicate_values(cursor, table, self.cadnum, limit=51):
            self.warn(report, "duplicate cadastral number", None,
                      f"cadastral number {value} appears {n} times")  # fmt: skip
