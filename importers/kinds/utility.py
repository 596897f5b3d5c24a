"""The utility kind: networks and their assets (power, lighting, water, sewer, gas, heat,
telecom). Normalises the network type into ``network_type`` and checks asset ids; point assets
(poles, manholes, hydrants) with an id become landmark sources for issue reporting unless the
caller named another landmark field."""

from __future__ import annotations

import pyarrow as pa

from .base import Batch, Kind, find_attribute

__all__ = ["NETWORK_TYPES", "UtilityKind", "network_type"]

NETWORK_TYPES = ("power", "lighting", "water", "sewer", "gas", "heat", "telecom")
# (network type, spellings found in registers: substrings of the lower-cased value)
_SPELLINGS = [
    ("lighting", ["освітл", "light", "ліхтар", "вуличн"]),
    ("sewer", ["каналіз", "sewer", "водовідв", "зливов", "stormwater"]),
    ("water", ["водопост", "водопров", "water", "вода", "водогін"]),
    ("gas", ["газ", "gas"]),
    ("heat", ["тепл", "heat", "опален"]),
    ("telecom", ["зв'язок", "звʼязок", "телеком", "telecom", "кабельн", "оптич"]),
    ("power", ["електр", "power", "пл-", "кв", "kv", "енерг", "леп"]),
]


def network_type(text: str | None) -> str | None:
    value = (text or "").lower()
    for kind, spellings in _SPELLINGS:
        if any(s in value for s in spellings):
            return kind
    return None


# Columns that hold the number painted on a pole or a manhole's ID, most specific first.
ASSET_ID_NAMES = ["asset_id", "number", "nomer", "manhole_id", "pole_id", "inv_no", "inventory_no",
                  "id"]  # fmt: skip


class UtilityKind(Kind):
    name = "utility"

    def schema(self, attributes):
        self.network = find_attribute(
            attributes, ["network", "network_type", "merezha", "vyd_merezhi", "typ_merezhi"]
        )
        fields = getattr(self.options, "layer_fields", {}) or {}
        given = fields.get("landmark_ref")  # as the user spelled it: match it to a column
        self.asset_id = find_attribute(attributes, [given] if given else ASSET_ID_NAMES)
        self.fallback = network_type(
            " ".join(
                filter(None, [self.options.title_uk, self.options.title_en, self.options.slug])
            )
        )
        extra = {"name": "network_type", "type": "string", "title_uk": "Тип мережі",
                 "title_en": "Network type", "unit": None}  # fmt: skip
        taken = {a["name"] for a in attributes}
        return attributes + ([extra] if "network_type" not in taken else []), {}

    def check(self, batch: Batch, report):
        rows = batch.rows
        if self.network:
            types = [
                network_type(v) or self.fallback
                for v in batch.columns[self.network].cast(pa.string()).to_pylist()
            ]
        else:
            types = [self.fallback] * len(rows)
        for row, value in zip(rows, types, strict=True):
            if value is None:
                self.warn(report, "network type unknown", int(row),
                          "network type not recognised (power, lighting, water, sewer, gas, "
                          "heat, telecom)")  # fmt: skip
        if self.asset_id and self.asset_id in batch.columns:
            for row, value in zip(
                rows, batch.columns[self.asset_id].cast(pa.string()).to_pylist(), strict=True
            ):
                if value is None or not str(value).strip():
                    self.warn(report, "asset without id", int(row), "asset without an id")
        return (
            {}
            if "network_type" in batch.columns
            else {"network_type": pa.array(types, pa.string())}
        )

    def layer_defaults(self, attributes, geometry_type):
        if self.asset_id and geometry_type in ("Point", "MultiPoint"):
            return {"landmark_ref": self.asset_id}
        return {}
