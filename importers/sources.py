"""Where features come from: a GDAL-readable file (through pyogrio's Arrow stream) or the
land-cadastre XML exchange file (our own reader). Both give the pipeline the same two things:
``info`` (fields, dtypes, geometry type, CRS, feature count) and ``batches()`` of Arrow record
batches with the geometry as WKB, so everything after reading is one code path.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from . import conf
from .cadastre_xml import CadastreXmlSource
from .errors import ImportFailed, gdal_message
from .source_base import BATCH_SIZE, Source
from .spreadsheet import SPREADSHEETS, as_csv
from .uploads import check_archive

__all__ = ["BATCH_SIZE", "OgrSource", "Source", "check_encoding", "csv_in_degrees", "open_source"]

# Coordinate columns of a CSV that names none: the spellings seen in municipal registers.
CSV_COORDINATES = {
    "X_POSSIBLE_NAMES": "lon,lng,long,longitude,x,easting,довгота",
    "Y_POSSIBLE_NAMES": "lat,latitude,y,northing,широта",
    "GEOM_POSSIBLE_NAMES": "wkt,geometry,geom",
    "KEEP_GEOM_COLUMNS": "NO",
}


def open_source(path: Path, options, label: str) -> Source:
    """The reader for ``path``: the cadastre XML reader for ``.xml``, GDAL for the rest."""
    if path.suffix.lower() == ".xml":
        return CadastreXmlSource(path, options, label)
    return OgrSource(path, options, label)


DEGREE_COLUMNS = ({"lon", "lng", "long", "longitude", "довгота"}, {"lat", "latitude", "широта"})


def csv_in_degrees(path: Path) -> bool:
    """Whether a CSV's header names longitude and latitude columns (lon/lat, longitude/latitude,
    довгота/широта): such a file is in degrees (WGS 84) when it says nothing else."""
    if path.suffix.lower() != ".csv":
        return False
    with open(path, "rb") as f:
        header = f.readline().decode("utf-8-sig", "replace").strip().lower()
    sep = ";" if header.count(";") > header.count(",") else ","
    names = {n.strip().strip('"') for n in header.split(sep)}
    return all(names & spellings for spellings in DEGREE_COLUMNS)


def _check_csv_complete(path: Path, label: str) -> None:
    """A CSV cut off in the middle of a row (an interrupted download or copy) would import its
    first rows silently: refuse a last line with fewer fields than the header."""
    with open(path, "rb") as f:
        header = f.readline()
        f.seek(max(0, path.stat().st_size - 65536))
        tail = f.read()
    if not header or tail.endswith((b"\n", b"\r")):
        return
    last = tail.splitlines()[-1] if tail.splitlines() else b""
    sep = b";" if header.count(b";") > header.count(b",") else b","
    if last.count(sep) < header.count(sep):
        raise ImportFailed(
            f"{label}: the last line has {last.count(sep) + 1} of the header's "
            f"{header.count(sep) + 1} fields and no line end: the file looks truncated",
            code="truncated",
        )


def _check_shapefile_parts(path: Path, label: str) -> None:
    """A zipped shapefile without its .dbf would import with every attribute empty: refuse it,
    naming the missing part (GDAL itself reads the geometry alone without a word)."""
    with zipfile.ZipFile(path) as zf:
        names = {n.lower() for n in zf.namelist()}
    for name in sorted(n for n in names if n.endswith(".shp")):
        stem = name[:-4]
        if stem + ".dbf" not in names:
            raise ImportFailed(
                f"{label}: the shapefile {Path(name).name} has no {Path(stem).name}.dbf beside it "
                "in the archive: its attributes are missing; deliver .shp, .shx, .dbf and .prj "
                "together",
                code="shapefile-incomplete",
            )


class OgrSource(Source):
    """Any vector format GDAL reads: GeoJSON, GeoPackage, Shapefile (loose or zipped), CSV,
    KML/KMZ, DXF."""

    def __init__(self, path: Path, options, label: str):
        super().__init__(path, options, label)
        self.gdal_path = str(path)
        if path.suffix.lower() in SPREADSHEETS:  # read through a CSV copy (coordinate columns)
            self.gdal_path = str(as_csv(path, self, label, options.layer_in_file))
            options.layer_in_file = None
            path = Path(self.gdal_path)
        if path.suffix.lower() == ".csv" and not {"X_POSSIBLE_NAMES", "GEOM_POSSIBLE_NAMES"} & set(
            options.open_options
        ):
            options.open_options = {**CSV_COORDINATES, **options.open_options}
        if path.suffix.lower() == ".csv":
            _check_csv_complete(path, label)
        if path.suffix.lower() in (".zip", ".kmz"):
            check_archive(path, label)
            try:
                with zipfile.ZipFile(path) as zf:
                    bad = zf.testzip()
            except (zipfile.BadZipFile, OSError) as exc:
                raise ImportFailed(
                    f"{label}: not a readable zip archive (truncated or damaged): {exc}",
                    code="bad-zip",
                ) from exc
            if bad:
                raise ImportFailed(f"{label}: damaged zip member {bad!r}", code="bad-zip")
            _check_shapefile_parts(path, label)
        if path.suffix.lower() == ".kmz" and "LIBKML" not in pyogrio.list_drivers():
            # a KMZ is a zip holding doc.kml: without LIBKML, the KML driver reads it in place
            with zipfile.ZipFile(path) as zf:
                kml = next((n for n in zf.namelist() if n.lower().endswith(".kml")), "doc.kml")
            self.gdal_path = f"/vsizip/{path}/{kml}"

    def read_info(self) -> dict:
        options, label = self.options, self.label
        try:
            layers = pyogrio.list_layers(self.gdal_path)
        except (DataSourceError, DataLayerError, OSError) as exc:
            raise ImportFailed(
                f"{label}: cannot be read as a vector file: {gdal_message(exc)}",
                code="unreadable",
            ) from exc
        names = [str(n) for n, _ in layers]
        if options.layer_in_file and options.layer_in_file not in names:
            raise ImportFailed(
                f"{label}: no layer {options.layer_in_file!r} in the file (it has: {', '.join(names)})",
                code="layer-not-found",
            )
        if not options.layer_in_file and len(names) > 1:
            with_geometry = [str(n) for n, g in layers if g]
            if len(with_geometry) != 1:
                raise ImportFailed(
                    f"{label}: the file has several layers ({', '.join(names)}); choose one with --layer-in-file",
                    code="layer-ambiguous",
                )
            options.layer_in_file = with_geometry[0]
        try:
            info = pyogrio.read_info(
                self.gdal_path,
                layer=options.layer_in_file,
                encoding=options.encoding,
                **options.open_options,
            )
        except (DataSourceError, DataLayerError, OSError) as exc:
            raise ImportFailed(f"{label}: {gdal_message(exc)}", code="unreadable") from exc
        if not info.get("geometry_type"):
            raise ImportFailed(
                f"{label}: no geometry found (for CSV, name the coordinate columns x/y, lon/lat "
                "or wkt, or give them with open options X_POSSIBLE_NAMES/Y_POSSIBLE_NAMES)",
                code="no-geometry",
            )
        if info.get("driver") == "ESRI Shapefile" and self.path.suffix.lower() == ".shp":
            if not any(self.path.with_suffix(s).exists() for s in (".dbf", ".DBF")):
                raise ImportFailed(
                    f"{label}: the shapefile has no .dbf beside it ({self.path.stem}.dbf): "
                    "its attributes are missing; deliver .shp, .shx, .dbf and .prj together",
                    code="shapefile-incomplete",
                )
        return info

    def batches(self) -> Iterator[tuple[int, pa.RecordBatch, str]]:
        try:
            with pyogrio.raw.open_arrow(
                self.gdal_path,
                layer=self.options.layer_in_file,
                encoding=self.options.encoding,
                batch_size=BATCH_SIZE,
                use_pyarrow=True,
                **self.options.open_options,
            ) as (meta, reader):
                geometry_name = meta.get("geometry_name") or "wkb_geometry"
                first = 1
                for batch in reader:
                    yield first, batch, geometry_name
                    first += batch.num_rows
        except (DataSourceError, DataLayerError) as exc:
            raise ImportFailed(f"{self.label}: {gdal_message(exc)}", code="unreadable") from exc


# Latin-1 letters that Cyrillic text in CP1251 turns into when read as Latin-1.
_MOJIBAKE = re.compile(r"[\u00c0-\u00ff]{3,}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _check_length(column, name: str, label: str, first_row: int) -> None:
    """A text value longer than MAX_TEXT_CHARS is refused with its row: no register field is
    that long, and one would bloat every tile, page and export of the layer."""
    lengths = pc.utf8_length(column)
    longest = pc.max(lengths).as_py()
    if longest is not None and longest > conf.MAX_TEXT_CHARS:
        row = first_row + pc.index(lengths, longest).as_py()
        raise ImportFailed(
            f"{label}: column {name!r}, row {row}: text of {longest:,} characters (at most "
            f"{conf.MAX_TEXT_CHARS:,}); is this the right column or file?",
            code="value-too-long",
        )


def check_encoding(batch, label: str, options, first_row: int = 1) -> None:
    """Refuse text that is not valid in its encoding, or plainly Cyrillic read in the wrong
    one (CP1251 read as Latin-1); the error names the column and the row."""
    hint = "give --encoding cp1251 (or the right one)"
    for field_ in batch.schema:
        if not pa.types.is_string(field_.type) and not pa.types.is_large_string(field_.type):
            continue
        column = batch.column(field_.name)
        try:
            column.validate(full=True)
        except pa.ArrowInvalid:
            for i, raw in enumerate(column.cast(pa.binary()).to_pylist()):
                try:
                    (raw or b"").decode("utf-8")
                except UnicodeDecodeError:
                    raise ImportFailed(
                        f"{label}: column {field_.name!r}, row {first_row + i}: text is not "
                        f"UTF-8 ({raw[:30]!r}): wrong encoding; {hint}",
                        code="wrong-encoding",
                    ) from None
        _check_length(column, field_.name, label, first_row)
        if first_row != 1:
            continue
        values = [v for v in column.slice(0, 200).to_pylist() if v]
        bad = [v for v in values if _MOJIBAKE.search(v) and not _CYRILLIC.search(v)]
        if values and len(bad) > len(values) / 3:
            raise ImportFailed(
                f"{label}: column {field_.name!r} reads as {bad[0][:30]!r}: Cyrillic text in the "
                f"wrong encoding{'' if options.encoding else ' (no .cpg?)'}; {hint}",
                code="wrong-encoding",
            )
