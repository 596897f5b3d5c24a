"""GeoJSON of layer features, the one writer behind the OGC API items and item, the REST
features API and the GeoJSON export.

The database writes each geometry (``ST_AsGeoJSON`` in the output CRS and its authority axis
order, see layers.query); Python only joins the per-row texts. ``collection`` is a generator:
an export streams from a server-side cursor and never holds the whole collection, while an
items page (at most one page of rows) may join its chunks in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Func

from .query import flip_axes, parse_crs

__all__ = ["FlipCoordinates", "collection", "feature", "output_geometry", "rows", "stream"]

#: Features joined into one text chunk of a streamed collection.
BATCH = 500


class FlipCoordinates(Func):
    function = "ST_FlipCoordinates"
    output_field = GeometryField()


@lru_cache(maxsize=32)
def precision(code: int) -> int:
    """Decimals of a coordinate: 8 for degrees (about 1 mm), 3 for metres (1 mm)."""
    from pyproj import CRS

    return 8 if CRS.from_epsg(code).is_geographic else 3


def output_geometry(crs: str | None):
    """The ``geom`` column in output CRS ``crs`` (an offered CRS; CRS84 when empty), in that
    CRS's authority axis order."""
    expression = Transform("geom", parse_crs(crs))
    if flip_axes(crs):
        expression = FlipCoordinates(expression)
    return expression


def rows(layer, qs, crs: str | None, chunk_size: int = 2000) -> Iterator[tuple]:
    """(fid, properties dict, geometry GeoJSON text or None) of each row of ``qs``."""
    names = layer.attribute_names()
    geometry = AsGeoJSON(output_geometry(crs), precision=precision(parse_crs(crs)))
    for row in qs.values_list("fid", *names, geometry).iterator(chunk_size=chunk_size):
        yield row[0], dict(zip(names, row[1:-1], strict=True)), row[-1]


def feature(fid, properties: dict, geometry: str | None) -> str:
    """One GeoJSON Feature; ``geometry`` is the database's GeoJSON text."""
    props = json.dumps(properties, ensure_ascii=False, default=str)
    geometry = geometry or "null"
    return f'{{"type":"Feature","id":{int(fid)},"geometry":{geometry},"properties":{props}}}'


def collection(features: Iterable[str], members: dict | None = None) -> Iterator[str]:
    """A FeatureCollection of ``features`` (Feature texts) in chunks, one feature a line;
    ``members`` (numberMatched, numberReturned, links) come before ``features``."""
    head = json.dumps({"type": "FeatureCollection", **(members or {})}, ensure_ascii=False)
    yield head[:-1] + ',"features":[\n'
    batch: list[str] = []
    for n, text in enumerate(features):
        batch.append(text if n == 0 else ",\n" + text)
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    batch.append("\n]}\n")
    yield "".join(batch)


def stream(layer, qs, crs: str | None, chunk_size: int = 5000) -> Iterator[str]:
    """The whole selection ``qs`` as a FeatureCollection, read through a server-side cursor."""
    return collection(feature(*row) for row in rows(layer, qs, crs, chunk_size))
