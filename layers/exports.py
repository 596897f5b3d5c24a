"""Exports of a layer or a selection (bbox, CQL2 filter, fid list) in a chosen CRS: GeoJSON
(layers.geojson's writer) and CSV streamed from a server-side cursor in chunks; GeoPackage,
zipped Shapefile (CP1251 with .cpg) and KML written by pyogrio to a temp file chunk by chunk,
then handed over open and already unlinked.

Plain functions; the HTTP view is layers.rest.Export. Errors are core.errors.PortalErrors.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.contrib.gis.db.models.functions import AsWKB, AsWKT, Transform
from django.utils.translation import gettext as _

from core.encoding import spreadsheet_cell
from core.errors import PortalError

from . import geojson
from .query import parse_crs

__all__ = ["FORMATS", "STREAMED", "check_format", "open_file", "stream", "write_file"]

CHUNK = 5000
FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "shp": ("application/zip", "zip"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
}
STREAMED = {"geojson", "csv"}  # written row by row as the response goes out
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


def stream(fmt: str, layer, qs, crs):
    """Text chunks of the selection ``qs`` in a streamed format (``STREAMED``)."""
    if fmt == "geojson":
        return geojson.stream(layer, qs, crs, chunk_size=CHUNK)
    return stream_csv(layer, qs, crs)


def stream_csv(layer, qs, crs):
    """CSV with a WKT geometry column, UTF-8 with BOM (Excel opens Cyrillic right)."""
    names = layer.attribute_names()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["fid", *names, "wkt"])
    yield "\ufeff" + buf.getvalue()
    rows = qs.values_list("fid", *names, AsWKT(geojson.output_geometry(crs)))
    n = 0
    buf.seek(0)
    buf.truncate()
    for row in rows.iterator(chunk_size=CHUNK):
        writer.writerow(map(spreadsheet_cell, row))  # imported text may start with "="
        n += 1
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def open_file(layer, qs, fmt: str, crs):
    """The written file (``write_file``) open for reading; its temp directory is already gone
    (unlinked files stay readable through the handle, which the response closes)."""
    path = write_file(layer, qs, fmt, crs)
    handle = open(path, "rb")  # noqa: SIM115 (the caller's FileResponse closes it)
    for sibling in path.parent.iterdir():
        os.unlink(sibling)
    os.rmdir(path.parent)
    return handle


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
