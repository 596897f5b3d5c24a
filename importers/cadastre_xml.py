"""Reader of the Ukrainian land-cadastre XML exchange file (обмінний файл, UAXML.xsd,
root ``UkrainianCadastralExchangeFile``): parcels with cadastral number, area, purpose,
ownership and their boundary polygons, in the coordinate system the file declares.

The file is a chain: ``MetricInfo/PointInfo/Point`` (UIDP, X = northing, Y = easting) ->
``Polyline/PL`` (ULID, a list of point ids) -> each parcel's ``Externals/Boundary/Lines/Line/ULID``
(and ``Internals`` for holes). The reader resolves that chain into polygons with shapely and
hands the pipeline Arrow batches like any GDAL source.

Parsed with defusedxml: a DTD (and so any entity, e.g. "billion laughs") is refused outright.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

import numpy as np
import pyarrow as pa
import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse
from pyproj import CRS

from core import conf

from .errors import ImportFailed
from .kinds.cadastral import OWNERSHIP
from .source_base import BATCH_SIZE, Source

__all__ = ["CadastreXmlSource", "declared_crs", "read_parcels"]

ROOT = "UkrainianCadastralExchangeFile"
FIELDS = [
    ("cadnum", "string"),
    ("area_ha", "float"),
    ("category", "string"),
    ("purpose", "string"),
    ("purp_name", "string"),
    ("ownership", "string"),
    ("settlement", "string"),
    ("address", "string"),
]
SQ_M = {"кв.м", "м2", "кв. м", "м.кв.", "sq.m"}


def _text(node: Element | None, path: str, default: str = "") -> str:
    found = node.find(path) if node is not None else None
    return (found.text or "").strip() if found is not None and found.text else default


def _parse(path, label: str) -> Element:
    try:
        tree = safe_parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ImportFailed(
            f"{label}: the XML declares a DTD or entities, which a cadastre exchange file never "
            f"needs; refused ({type(exc).__name__})",
            code="xml-unsafe",
        ) from exc
    except ParseError as exc:
        raise ImportFailed(f"{label}: not well-formed XML: {exc}", code="xml-malformed") from exc
    root = tree.getroot()
    if root.tag != ROOT:
        raise ImportFailed(
            f"{label}: not the cadastre schema: root element {root.tag!r} (expected {ROOT})",
            code="xml-not-cadastre",
        )
    return root


def _zone_from_prefix(eastings: np.ndarray, base: int, zones: range, label: str, what: str) -> int:
    """EPSG code of a zoned system whose eastings carry the zone number as a prefix."""
    prefix = np.floor(eastings / 1_000_000).astype(int)
    values, counts = np.unique(prefix, return_counts=True)
    zone = int(values[np.argmax(counts)]) if len(values) else -1
    if zone not in zones:
        raise ImportFailed(
            f"{label}: CoordinateSystem {what}: eastings (Y) ~{int(np.median(eastings))} carry no "
            "zone number this system knows; give --crs",
            code="crs-missing",
        )
    return base + zone - zones.start


def declared_crs(root: Element, eastings: np.ndarray, label: str) -> CRS:
    """The CRS of the file's ``MetricInfo/CoordinateSystem`` declaration.

    USC2000 names no zone: cadastral files use the "Ukraine TM" zones (x_0 = 300 000), or the
    3-degree Gauss-Kruger zones with the zone number prefixed to the easting; the zone comes from
    that prefix or else from the hromada's longitude (a setting). SC63 X-district zones come from
    the easting prefix (EPSG 7825-7831); the C, P and T districts are not in EPSG.
    """
    system = root.find("InfoPart/MetricInfo/CoordinateSystem")
    if system is None or len(system) == 0:
        raise ImportFailed(
            f"{label}: no InfoPart/MetricInfo/CoordinateSystem element; give --crs",
            code="crs-missing",
        )
    kind = system[0].tag
    median = float(np.median(eastings)) if len(eastings) else 0.0
    if kind == "USC2000":
        if median > 1_000_000:  # 3-degree GK with zone prefix, EPSG 5570-5576 (zones 7-13)
            return CRS.from_epsg(_zone_from_prefix(eastings, 5570, range(7, 14), label, kind))
        zone = round(conf.HROMADA["center"][0] / 3)  # Ukraine TM zone n: central meridian 3n
        return CRS.from_epsg(6381 + zone - 7)
    if kind == "SC63":
        district = system[0][0].tag if len(system[0]) else ""
        if district != "X":
            raise ImportFailed(
                f"{label}: CoordinateSystem SC63 district {district or '?'} is not in EPSG; "
                "give its PROJ definition with --crs",
                code="crs-missing",
            )
        return CRS.from_epsg(_zone_from_prefix(eastings, 7825, range(1, 8), label, "SC63/X"))
    if kind == "SC42":  # 6-degree Gauss-Kruger zones 4-7 (EPSG 28404-28407)
        return CRS.from_epsg(_zone_from_prefix(eastings, 28404, range(4, 8), label, kind))
    if kind == "SC42_3":  # Pulkovo 1942 3-degree GK zones 7-13 (EPSG 2523-2529)
        return CRS.from_epsg(_zone_from_prefix(eastings, 2523, range(7, 14), label, kind))
    if kind == "WGS84":
        return CRS.from_epsg(4326)
    raise ImportFailed(
        f"{label}: CoordinateSystem {kind} (registration {(system[0].text or '').strip()!r}) "
        "needs its definition: give --crs with a PROJ string or EPSG code",
        code="crs-missing",
    )


def _points(root: Element, label: str) -> dict[str, tuple[float, float]]:
    points = {}
    for point in root.iterfind("InfoPart/MetricInfo/PointInfo/Point"):
        uid = _text(point, "UIDP")
        try:
            # X is the northing, Y the easting: store as (easting, northing)
            points[uid] = (float(_text(point, "Y")), float(_text(point, "X")))
        except ValueError as exc:
            raise ImportFailed(
                f"{label}: PointInfo/Point UIDP {uid or '?'}: X/Y are not numbers",
                code="xml-bad-point",
            ) from exc
    return points


def _polylines(root: Element, points: dict, label: str) -> dict[str, shapely.LineString]:
    lines = {}
    for pl in root.iterfind("InfoPart/MetricInfo/Polyline/PL"):
        ulid = _text(pl, "ULID")
        ids = [(p.text or "").strip() for p in pl.iterfind("Points/P")]
        missing = [i for i in ids if i not in points]
        if missing:
            raise ImportFailed(
                f"{label}: Polyline/PL ULID {ulid} refers to point {missing[0]} that is not in "
                "PointInfo",
                code="xml-bad-polyline",
            )
        if len(ids) >= 2:
            lines[ulid] = shapely.LineString([points[i] for i in ids])
    return lines


def _rings(boundary_parent: Element | None, path: str, lines: dict) -> list:
    """Polygons formed by each ``Boundary`` under ``path`` (None if one does not close)."""
    result = []
    if boundary_parent is None:
        return result
    for boundary in boundary_parent.iterfind(path):
        ulids = [_text(line, "ULID") for line in boundary.iterfind("Lines/Line")]
        parts = [lines[u] for u in ulids if u in lines]
        if not parts or len(parts) != len(ulids):
            result.append(None)
            continue
        polygons = shapely.get_parts(shapely.polygonize(parts))
        result.append(shapely.union_all(polygons) if len(polygons) else None)
    return result


def read_parcels(path, label: str, crs_override: str | None = None):
    """(columns dict, WKB geometries, problems [(row, why)], CRS) of every parcel in the file."""
    root = _parse(path, label)
    points = _points(root, label)
    if not points:
        raise ImportFailed(f"{label}: no coordinates: InfoPart/MetricInfo/PointInfo has no Point, "
                           "so no parcel has a boundary (an extract without its survey)",
                           code="no-geometry")  # fmt: skip
    lines = _polylines(root, points, label)
    eastings = np.array([xy[0] for xy in points.values()], dtype=float)
    crs = CRS.from_user_input(crs_override) if crs_override else declared_crs(root, eastings, label)
    columns = {name: [] for name, _ in FIELDS}
    geoms, problems = [], []
    row = 0
    for zone in root.iterfind("InfoPart/CadastralZoneInfo"):
        zone_number = _text(zone, "CadastralZoneNumber")
        for quarter in zone.iterfind("CadastralQuarters/CadastralQuarterInfo"):
            quarter_number = _text(quarter, "CadastralQuarterNumber")
            for parcel in quarter.iterfind("Parcels/ParcelInfo"):
                row += 1
                metric = parcel.find("ParcelMetricInfo")
                parcel_id = _text(metric, "ParcelID")
                cadnum = f"{zone_number}:{quarter_number}:{parcel_id}" if parcel_id else ""
                unit = _text(metric, "Area/MeasurementUnit", "га").lower()
                size = _text(metric, "Area/Size")
                try:
                    area = float(size.replace(",", ".")) if size else None
                except ValueError:
                    area = None
                    problems.append((row, f"ParcelInfo {cadnum}: Area/Size {size!r} is no number"))
                if area is not None and unit in SQ_M:
                    area /= 10_000
                code = _text(parcel, "OwnershipInfo/Code")
                street = " ".join(
                    filter(
                        None,
                        [
                            _text(parcel, "ParcelLocationInfo/ParcelAddress/StreetType"),
                            _text(parcel, "ParcelLocationInfo/ParcelAddress/StreetName"),
                            _text(parcel, "ParcelLocationInfo/ParcelAddress/Building"),
                        ],
                    )
                )
                values = {
                    "cadnum": cadnum,
                    "area_ha": area,
                    "category": _text(parcel, "CategoryPurposeInfo/Category"),
                    "purpose": _text(parcel, "CategoryPurposeInfo/Purpose"),
                    "purp_name": _text(parcel, "CategoryPurposeInfo/Use"),
                    "ownership": OWNERSHIP.get(code, code),
                    "settlement": _text(parcel, "ParcelLocationInfo/Settlement"),
                    "address": street,
                }
                for name, value in values.items():
                    columns[name].append(value if value != "" else None)
                shells = _rings(metric, "Externals/Boundary", lines)
                holes = _rings(metric, "Externals/Internals/Boundary", lines) + _rings(
                    metric, "Internals/Boundary", lines
                )
                if not shells or any(s is None for s in shells):
                    problems.append(
                        (
                            row,
                            f"ParcelInfo {cadnum or parcel_id}: Externals/Boundary does not close",
                        )
                    )
                    geoms.append(None)
                    continue
                shape = shapely.union_all(shells)
                for hole in holes:
                    if hole is not None:
                        shape = shape.difference(hole)
                geoms.append(shapely.to_wkb(shape))
    if row == 0:
        raise ImportFailed(
            f"{label}: no InfoPart/CadastralZoneInfo/.../Parcels/ParcelInfo elements: no parcels",
            code="xml-no-parcels",
        )
    return columns, geoms, problems, crs


class CadastreXmlSource(Source):
    """The exchange file as a pipeline source (default kind: cadastral)."""

    default_kind = "cadastral"

    def _load(self):
        if not hasattr(self, "_data"):
            self._data = read_parcels(self.path, self.label, self.options.crs)
        return self._data

    def read_info(self) -> dict:
        columns, geoms, _problems, crs = self._load()
        return {
            "fields": np.array([name for name, _ in FIELDS], dtype=object),
            "dtypes": np.array(["float64" if t == "float" else "object" for _, t in FIELDS]),
            "geometry_type": "Polygon",
            "crs": crs.to_wkt(),
            "features": len(geoms),
            "driver": "UkrainianCadastralExchangeFile",
        }

    def batches(self) -> Iterator[tuple[int, pa.RecordBatch, str]]:
        columns, geoms, _problems, _crs = self._load()
        types = {"string": pa.string(), "float": pa.float64()}
        for start in range(0, len(geoms), BATCH_SIZE):
            end = start + BATCH_SIZE
            arrays = [pa.array(columns[name][start:end], type=types[t]) for name, t in FIELDS]
            arrays.append(pa.array(geoms[start:end], type=pa.binary()))
            names = [name for name, _ in FIELDS] + ["wkb_geometry"]
            yield start + 1, pa.RecordBatch.from_arrays(arrays, names=names), "wkb_geometry"

    @property
    def problems(self) -> list[tuple[int, str]]:
        return self._load()[2]
