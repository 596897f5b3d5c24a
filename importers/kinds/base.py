"""The base of the domain kinds: what a kind may change in the schema, how it converts and
checks each batch, and the shared helpers (finding a column by its many spellings, capped
warnings). A kind that forgets a required method fails loudly (NotImplementedError)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import shapely

from ..naming import column_name

__all__ = ["Batch", "Kind", "find_attribute", "true_area_ha"]

MAX_WARNINGS_PER_CHECK = 50


@dataclass
class Batch:
    """One batch as a kind sees it: typed columns by attribute name, geometries in EPSG:3857
    and the source row number of each feature."""

    columns: dict[str, pa.Array]
    geoms: np.ndarray
    rows: np.ndarray


def find_attribute(attributes: list[dict], candidates: list[str]) -> str | None:
    """Name of the first attribute whose name or source column matches a candidate
    (candidates are compared transliterated: "Кадастровий номер" == "kadastrovyi_nomer")."""
    keys = {}
    for attribute in attributes:
        for spelling in (attribute["name"], attribute.get("source") or ""):
            if spelling:
                keys.setdefault(column_name(spelling), attribute["name"])
    for candidate in candidates:
        if column_name(candidate) in keys:
            return keys[column_name(candidate)]
    return None


def true_area_ha(geoms_3857: np.ndarray) -> np.ndarray:
    """Ground area in hectares of Web-Mercator geometries (scale 1/cos(lat) per axis)."""
    y = shapely.get_coordinates(shapely.centroid(geoms_3857))[:, 1] if len(geoms_3857) else []
    lat = 2 * np.arctan(np.exp(np.asarray(y) / 6378137.0)) - np.pi / 2
    return shapely.area(geoms_3857) * np.cos(lat) ** 2 / 10_000


class Kind:
    """A domain kind. Subclasses must implement ``schema`` and ``check``."""

    name = ""

    def __init__(self, options):
        self.options = options
        self.counts: Counter[str] = Counter()

    def schema(self, attributes: list[dict]) -> tuple[list[dict], dict[str, str]]:
        """(final attribute list, renames {file attribute name: final name}). Computed
        attributes (not from the file) are those no file column maps to."""
        raise NotImplementedError

    def convert(self, attribute: dict, column: pa.Array) -> pa.Array | None:
        """Own conversion of a file column into ``attribute``'s type (None: the default cast)."""
        return None

    def check(self, batch: Batch, report) -> dict[str, pa.Array]:
        """Validate one batch (warnings into ``report``); return the computed columns."""
        raise NotImplementedError

    def check_table(self, cursor, table: str, report) -> None:
        """Checks over the whole staged table (e.g. uniqueness), run before the swap."""

    def layer_defaults(self, attributes: list[dict], geometry_type: str) -> dict:
        """Layer fields this kind sets when the caller did not (e.g. the landmark field)."""
        return {}

    def finish(self, report) -> None:
        for what, n in sorted(self.counts.items()):
            if n > MAX_WARNINGS_PER_CHECK:
                report.warnings.append(f"{what}: {n} features in all")

    def warn(self, report, what: str, row: int | None, message: str) -> None:
        """A warning about one feature, at most MAX_WARNINGS_PER_CHECK of each sort."""
        if row is None and message in report.warnings:
            return  # a file-wide remark (e.g. a missing column) is made once, not per batch
        self.counts[what] += 1
        if self.counts[what] <= MAX_WARNINGS_PER_CHECK:
            report.warnings.append(f"row {row}: {message}" if row is not None else message)

    def warn_many(self, report, what: str, flagged: np.ndarray, rows: np.ndarray, message):
        """``warn`` for each batch index in ``flagged`` (source row from ``rows``);
        ``message(i)`` is formatted only under the cap: a million flags cost a counter."""
        room = max(MAX_WARNINGS_PER_CHECK - self.counts[what], 0)
        for i in flagged[:room]:
            self.warn(report, what, int(rows[i]), message(int(i)))
        self.counts[what] += max(len(flagged) - room, 0)
