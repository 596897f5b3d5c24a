"""Exports of a layer or a selection (bbox, CQL2 filter, fid list) as GeoJSON, CSV (streamed
from a server-side cursor in chunks), GeoPackage, zipped Shapefile (CP1251 with .cpg) and KML
(written by pyogrio to a temp file chunk by chunk, then streamed), in a chosen CRS.

Plain functions; the HTTP view is layers.exports_api.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.contrib.gis.db.models.functions import AsGeoJSON, AsWKB, AsWKT, Transform
from django.utils.translation import gettext as _

from core.errors import PortalError

from .ogcapi import FlipCoordinates
from .query import flip_axes, parse_crs

__all__ = ["FORMATS", "stream_geojson", "stream_csv", "write_file"]

CHUNK = 5000
FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "shp": ("application/zip", "zip"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
}
DRIVERS = {"gpkg": "GPKG", "shp": "ESRI Shapefile", "kml": "KML"}


def check_format(fmt: str) -> str:
    fmt = (fmt or "geojson").lower()
    if fmt not in FORMATS:
        raise PortalError(
            _("Непідтримуваний формат: %(f)s") % {"f": fmt},
            code="unsupported-format",
            supported=sorted(FORMATS),
        )
    return fmt


def _geom(crs, *, allow_flip=True):
    expr = Transform("geom", parse_crs(crs))
    if allow_flip and flip_axes(crs):
        expr = FlipCoordinates(expr)
    return expr


def stream_geojson(layer, qs, crs):
    """GeoJSON text chunks; the queryset is read through a server-side cursor."""
    code = parse_crs(crs)
    names = layer.attribute_names()
    precision = 8 if code in (4326, 5561) else 3
    yield '{"type":"FeatureCollection","features":[\n'
    first = True
    batch = []
    rows = qs.values_list("fid", *names, AsGeoJSON(_geom(crs), precision=precision))
    for row in rows.iterator(chunk_size=CHUNK):
        props = json.dumps(
            dict(zip(names, row[1:-1], strict=True)), ensure_ascii=False, default=str
        )
        sep = "" if first else ",\n"
        first = False
        batch.append(
            f'{sep}{{"type":"Feature","id":{row[0]},"geometry":{row[-1] or "null"},'
            f'"properties":{props}}}'
        )
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    batch.append("\n]}\n")
    yield "".join(batch)


def stream_csv(layer, qs, crs):
    """CSV with a WKT geometry column, UTF-8 with BOM (Excel opens Cyrillic right)."""
    names = layer.attribute_names()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["fid", *names, "wkt"])
    yield "\ufeff" + buf.getvalue()
    rows = qs.values_list("fid", *names, AsWKT(_geom(crs)))
    n = 0
    buf.seek(0)
    buf.truncate()
    for row in rows.iterator(chunk_size=CHUNK):
        writer.writerow(row)
        n += 1
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def write_file(layer, qs, fmt: str, crs) -> Path:
    """Write the selection with pyogrio in chunks to a temp file; a .zip for Shapefile."""
    import numpy as np
    from pyogrio.raw import write as ogr_write

    code = 4326 if fmt == "kml" else parse_crs(crs)
    names = layer.attribute_names()
    tmp = Path(tempfile.mkdtemp(prefix="export-"))
    base = layer.slug.replace("-", "_")
    path = tmp / f"{base}.{'shp' if fmt == 'shp' else fmt}"
    options = {"encoding": "CP1251"} if fmt == "shp" else {}
    rows = qs.values_list("fid", *names, AsWKB(Transform("geom", code)))
    geometry_type = layer.geometry_type if layer.geometry_type != "Geometry" else "Unknown"
    written = 0

    def flush(chunk):
        nonlocal written
        fields = ["fid", *names]
        columns = [np.array([r[i] for r in chunk], dtype=object) for i in range(len(fields))]
        for i, a in enumerate(layer.attributes, start=1):
            t = a.get("type")
            if t in ("integer", "float") and all(v is not None for v in columns[i]):
                columns[i] = columns[i].astype("int64" if t == "integer" else "float64")
            elif t in ("date", "datetime", "string", "boolean") or t is None:
                columns[i] = np.array(
                    [None if v is None else str(v) for v in columns[i]], dtype=object
                )
        columns[0] = columns[0].astype("int64")
        geometry = np.array([bytes(r[-1]) if r[-1] is not None else None for r in chunk], object)
        ogr_write(
            str(path),
            geometry,
            columns,
            fields,
            layer=base,
            driver=DRIVERS[fmt],
            geometry_type=geometry_type,
            crs=f"EPSG:{code}",
            append=written > 0,
            **options,
        )
        written += len(chunk)

    chunk = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            flush(chunk)
            chunk = []
    if chunk or not written:
        if not chunk:
            raise PortalError(_("Вибірка порожня: нічого експортувати"), code="empty-selection")
        flush(chunk)
    if fmt != "shp":
        return path
    zpath = tmp / f"{base}.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        for part in sorted(tmp.glob(f"{base}.*")):
            if part.suffix != ".zip":
                z.write(part, part.name)
    return zpath
