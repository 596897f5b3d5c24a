"""Geometry hygiene of imported features: repair (make_valid, counted), one geometry family
per layer (single parts promoted to Multi*, one-part MultiPoints unwrapped)."""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["expected_family", "inside_box", "repair", "singles", "unify"]


def unify(geoms: np.ndarray, target: str) -> np.ndarray:
    """Single parts into Multi* for a multi layer; 3D already dropped by the reader."""
    if target.startswith("Multi"):
        type_ids = shapely.get_type_id(geoms)
        single = {"MultiPolygon": 3, "MultiLineString": 1, "MultiPoint": 0}[target]
        mask = type_ids == single
        if mask.any():
            parts = geoms[mask]
            builder = {
                "MultiPolygon": shapely.multipolygons,
                "MultiLineString": shapely.multilinestrings,
                "MultiPoint": shapely.multipoints,
            }[target]
            geoms = geoms.copy()
            geoms[mask] = builder(parts, indices=np.arange(len(parts)))
    elif target == "Point":
        type_ids = shapely.get_type_id(geoms)
        mask = (type_ids == 4) & (shapely.get_num_geometries(geoms) == 1)
        if mask.any():
            geoms = geoms.copy()
            geoms[mask] = shapely.get_geometry(geoms[mask], 0)
    return geoms


def expected_family(target: str) -> set[int]:
    return {
        "Point": {0},
        "MultiPoint": {4},
        "MultiLineString": {5},
        "MultiPolygon": {6},
    }.get(target, set(range(8)))


def repair(geoms: np.ndarray, target: str) -> tuple[np.ndarray, np.ndarray]:
    """(geometries with the invalid ones made valid, mask of those that were invalid)."""
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        if target in ("MultiPolygon", "MultiLineString"):
            # make_valid may return a collection; keep the parts of the layer's dimension
            dim = 2 if target == "MultiPolygon" else 1
            fixed = np.array([extract(g, dim) for g in fixed], dtype=object)
        geoms[invalid] = fixed
    return geoms, invalid


def extract(geom, dim: int):
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    if not parts:
        return shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    return shapely.union_all(parts)


def singles(families) -> list[int]:
    # A multi layer accepts single parts too (they are promoted); a Point layer accepts
    # one-part MultiPoints (they are unwrapped).
    extra = []
    if 6 in families:
        extra.append(3)
    if 5 in families:
        extra.append(1)
    if 4 in families:
        extra.append(0)
    if 0 in families:
        extra.append(4)
    return extra


def inside_box(geoms: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Whether each geometry's bounding box meets ``box`` (minx, miny, maxx, maxy): plain numpy
    on the bounds, several times faster than envelope-intersects through GEOS."""
    bounds = shapely.bounds(geoms)
    return (
        (bounds[:, 0] <= box[2])
        & (bounds[:, 2] >= box[0])
        & (bounds[:, 1] <= box[3])
        & (bounds[:, 3] >= box[1])
    )
