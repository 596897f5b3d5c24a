"""Coordinate systems of delivered files: resolving them, and explaining data that lands
outside the hromada (swapped axes, wrong zone) instead of guessing silently.

pyproj knows every EPSG system, including the UCS-2000 regional systems (EPSG 9831-9865) that
PostGIS's own spatial_ref_sys lacks, so all reprojection happens here, before the data reaches
the database.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .errors import ImportFailed

__all__ = ["crs_choices", "diagnose_outside", "extent_3857", "resolve_crs", "to_storage"]

# Zone families of Ukrainian metric systems: a file in the wrong zone of its family is the most
# common delivery mistake, so the diagnosis tries the neighbours.
ZONE_FAMILIES = [
    list(range(6381, 6388)),  # UCS-2000 / Ukraine TM zones 7-13
    list(range(5562, 5566)),  # UCS-2000 / Gauss-Kruger zones 4-7
    list(range(5570, 5577)),  # UCS-2000 / 3-degree Gauss-Kruger zones 7-13
    list(range(28404, 28408)),  # Pulkovo 1942 / Gauss-Kruger zones 4-7 (SK-42)
    list(range(7825, 7832)),  # Pulkovo 1942 / CS63 zones X1-X7 (SK-63)
]


def resolve_crs(declared, override: str | None, file_label: str) -> CRS:
    """The CRS to read a file in: ``override`` (--crs) wins, else what the file declares."""
    source = override or declared
    if not source:
        raise ImportFailed(
            f"{file_label}: the file declares no coordinate system; give one with --crs "
            "(e.g. EPSG:6385 for UCS-2000 / Ukraine TM zone 11)",
            code="crs-missing",
        )
    try:
        return CRS.from_user_input(source)
    except CRSError as exc:
        raise ImportFailed(
            f"{file_label}: unknown coordinate system {source!r}: {exc}", code="crs-unknown"
        ) from exc


@lru_cache(maxsize=64)
def _transformer(src_wkt: str, dst: str = "EPSG:3857") -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(src_wkt), CRS.from_user_input(dst), always_xy=True)


def to_storage(geoms: np.ndarray, crs: CRS, swap: bool = False) -> np.ndarray:
    """Reproject shapely geometries to the storage system (EPSG:3857)."""
    transformer = _transformer(crs.to_wkt())

    def fn(coords):
        x, y = (coords[:, 1], coords[:, 0]) if swap else (coords[:, 0], coords[:, 1])
        xx, yy = transformer.transform(x, y)
        return np.column_stack([xx, yy])

    return shapely.transform(geoms, fn)


def extent_3857(extent_lonlat) -> shapely.Geometry:
    t = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    minx, miny = t.transform(extent_lonlat[0], extent_lonlat[1])
    maxx, maxy = t.transform(extent_lonlat[2], extent_lonlat[3])
    return shapely.box(minx, miny, maxx, maxy)


def diagnose_outside(sample: np.ndarray, crs: CRS, extent_lonlat) -> str:
    """Why do these source geometries (in ``crs``) miss the hromada? One readable clause."""
    box = extent_3857(extent_lonlat)
    sample = sample[~shapely.is_empty(sample)][:200]
    if len(sample) == 0:
        return "no usable coordinates"

    def share_inside(geoms):
        try:
            moved = shapely.centroid(geoms)
            return float(np.mean(shapely.intersects(moved, box)))
        except Exception:  # noqa: BLE001 - a failed candidate transform just does not fit
            return 0.0

    if share_inside(to_storage(sample, crs, swap=True)) > 0.5:
        return "the X and Y columns look swapped (in Ukrainian geodetic files X is the northing)"
    epsg = crs.to_epsg()
    for family in ZONE_FAMILIES:
        if epsg in family:
            for other in family:
                if other != epsg and share_inside(to_storage(sample, CRS.from_epsg(other))) > 0.5:
                    return f"the data fit EPSG:{other} ({CRS.from_epsg(other).name}): wrong zone?"
    for candidates in ZONE_FAMILIES:
        for other in candidates:
            if share_inside(to_storage(sample, CRS.from_epsg(other))) > 0.5:
                return (
                    f"the coordinates fit EPSG:{other} ({CRS.from_epsg(other).name}): wrong --crs?"
                )
    return "check the coordinate system (--crs) and the axis order"


# The systems offered first on the upload page: degrees, then Ukraine's (UCS-2000 TM zones,
# Gauss-Kruger zones, geographic), then the older Soviet ones still found in archives.
UKRAINIAN_FIRST = [4326, *range(6381, 6388), *range(5558, 5566), *range(5570, 5577), 3857,
                   *range(28404, 28408)]  # fmt: skip
DEGREES = 4326


@lru_cache(maxsize=1)
def _epsg_names() -> tuple[tuple[int, str], ...]:
    from pyproj.database import query_crs_info

    return tuple(
        (int(info.code), info.name)
        for info in query_crs_info(auth_name="EPSG", allow_deprecated=False)
        if info.code.isdigit()
    )


def crs_choices(query: str = "", limit: int = 30) -> list[dict]:
    """CRSs from pyproj's EPSG database matching ``query`` (a code or part of a name), the
    Ukrainian systems first: [{"code": "EPSG:6385", "name": ...}]."""
    names = dict(_epsg_names())
    words = query.strip().lower().removeprefix("epsg:").split()
    order = {code: i for i, code in enumerate(UKRAINIAN_FIRST)}
    found = [
        (code, name)
        for code, name in names.items()
        if all(w in str(code) or w in name.lower() for w in words)
    ]
    found.sort(key=lambda item: (order.get(item[0], len(order)), item[0]))
    out = []
    for code, name in found[:limit]:
        if code == DEGREES:
            name = _("довгота/широта в градусах (WGS 84)")
        out.append({"code": f"EPSG:{code}", "name": name})
    return out
