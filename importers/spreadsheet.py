"""Spreadsheets (XLSX, ODS) as CSV: GDAL reads a sheet as a table without geometry, so the
sheet is written once to a temporary CSV (every cell as text, as the finance department typed
it) and read like any CSV: coordinates from lon/lat or wkt columns, the kinds' checks on the
text. The temporary folder goes when the source object does."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

import pyarrow.csv as pacsv
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from .errors import ImportFailed, gdal_message

__all__ = ["SPREADSHEETS", "as_csv"]

SPREADSHEETS = (".xlsx", ".ods")


def as_csv(path: Path, owner, label: str, sheet: str | None = None) -> Path:
    """A CSV copy of the spreadsheet's sheet (the first, or ``sheet``), removed with ``owner``."""
    options = {"HEADERS": "FORCE", "FIELD_TYPES": "STRING"}
    try:
        layers = [str(n) for n, _ in pyogrio.list_layers(str(path))]
        if sheet and sheet not in layers:
            raise ImportFailed(f"{label}: no sheet {sheet!r} (the file has: {', '.join(layers)})",
                               code="layer-not-found")  # fmt: skip
        _meta, table = pyogrio.read_arrow(str(path), layer=sheet or layers[0], **options)
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise ImportFailed(f"{label}: cannot be read as a spreadsheet: {gdal_message(exc)}",
                           code="unreadable") from exc  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="geoportal-sheet-"))
    weakref.finalize(owner, shutil.rmtree, folder, True)
    out = folder / (path.stem + ".csv")
    keep = [c for c in table.column_names if c not in ("OGC_FID", "wkb_geometry", "")]
    pacsv.write_csv(table.select(keep), out)
    return out
