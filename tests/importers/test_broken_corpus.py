"""A corpus of broken files of every supported format (empty, truncated, wrong encoding, wrong
CRS, no geometry, a huge attribute), built here: each gives the CLI one clear line naming the
file and a non-zero exit, never a traceback or a library warning."""

import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
FAR = (-73.98, 40.75)  # New York: far outside the hromada


def _frame(x=32.764, y=48.110, name="Площа", rows=3):
    import geopandas as gpd
    import shapely

    points = [shapely.Point(x + i * 1e-4, y) for i in range(rows)]
    return gpd.GeoDataFrame({"name": [name] * rows}, geometry=points, crs="EPSG:4326")


def _write(frame, path: Path, driver: str) -> Path:
    import pyogrio

    pyogrio.write_dataframe(frame, path, driver=driver)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _shapefile_zip(tmp: Path, frame, drop=(), encoding="UTF-8") -> Path:
    folder = tmp / "shp"
    folder.mkdir(exist_ok=True)
    import pyogrio

    pyogrio.write_dataframe(frame, folder / "zones.shp", encoding=encoding)
    members = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix not in drop}
    return _zip(tmp / "zones.zip", members)


def _cadastre(tmp: Path, points: str) -> Path:
    text = (
        "<?xml version='1.0' encoding='utf-8'?><UkrainianCadastralExchangeFile><InfoPart>"
        "<MetricInfo><CoordinateSystem><USC2000/></CoordinateSystem><PointInfo>"
        f"{points}</PointInfo><Polylines/></MetricInfo><CadastralZoneInfo>"
        "<CadastralZoneNumber>3521910100:02</CadastralZoneNumber><CadastralQuarters>"
        "<CadastralQuarterInfo><CadastralQuarterNumber>033</CadastralQuarterNumber><Parcels>"
        "<ParcelInfo><ParcelMetricInfo><ParcelID>0001</ParcelID></ParcelMetricInfo>"
        "</ParcelInfo></Parcels></CadastralQuarterInfo></CadastralQuarters></CadastralZoneInfo>"
        "</InfoPart></UkrainianCadastralExchangeFile>"
    )
    path = tmp / "quarter.xml"
    path.write_text(text, "utf-8")
    return path


def _geotiff(tmp: Path, *, crs="EPSG:4326", x=32.7, y=48.2, truncate=False) -> Path:
    import rasterio
    from rasterio.transform import from_origin

    path = tmp / "depth.tif"
    with rasterio.open(path, "w", driver="GTiff", width=64, height=64, count=1, dtype="float32",
                       crs=crs, transform=from_origin(x, y, 0.001, 0.001)) as dst:  # fmt: skip
        dst.write(np.ones((1, 64, 64), dtype="float32"))
    if truncate:
        path.write_bytes(path.read_bytes()[:600])
    return path


HUGE = "я" * 300_000
NO_PLACEMARK_GEOMETRY = (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                         b"<Document><Placemark><name>x</name></Placemark></Document></kml>")  # fmt: skip
DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": "KML", "dxf": "DXF"}


def _base_frame(breakage: str):
    return {"crs": _frame(*FAR), "huge": _frame(name=HUGE)}.get(breakage, _frame())


def _csv(tmp: Path, breakage: str) -> Path:
    frame = _base_frame(breakage)
    frame = frame.assign(lon=frame.geometry.x, lat=frame.geometry.y).drop(columns="geometry")
    text = frame.to_csv(index=False)
    path = tmp / "zones.csv"
    if breakage == "nogeom":
        text = "name,comment\nПлоща,так\n"
    elif breakage == "truncated":  # cut in the middle of the last row
        text = text[: text.rstrip().rfind(",")]
    if breakage == "encoding":
        path.write_bytes(text.encode("cp1251"))
    else:
        path.write_text(text, "utf-8")
    return path


def _ogr_file(tmp: Path, fmt: str, breakage: str) -> Path:
    frame = _base_frame(breakage)
    if fmt == "dxf":
        frame = frame[["geometry"]]
    path = _write(frame, tmp / f"zones.{fmt}", DRIVERS[fmt])
    if breakage == "truncated":
        path.write_bytes(path.read_bytes()[: max(40, path.stat().st_size // 3)])
    elif breakage == "encoding":
        path.write_bytes(path.read_text("utf-8").encode("cp1251"))
    elif breakage == "nogeom" and fmt == "geojson":
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "x"}, "geometry": None}]}))  # fmt: skip
    elif breakage == "nogeom" and fmt == "gpkg":
        import pyogrio

        path.unlink()
        pyogrio.write_dataframe(frame.drop(columns="geometry"), path, driver="GPKG")
    elif breakage == "nogeom" and fmt == "kml":
        path.write_bytes(NO_PLACEMARK_GEOMETRY)
    elif breakage == "nogeom":
        path.write_text("0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n")
    return path


def _shp(tmp: Path, breakage: str) -> Path:
    frame = {"crs": _frame(*FAR), "huge": _frame(name="я" * 250)}.get(breakage, _frame())
    if breakage == "nogeom":
        return _shapefile_zip(tmp, frame, drop=(".shp", ".shx"))
    if breakage == "encoding":
        return _shapefile_zip(tmp, frame, drop=(".cpg",), encoding="cp1251")
    path = _shapefile_zip(tmp, frame)
    if breakage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def _kmz(tmp: Path, breakage: str) -> Path:
    kml = _write(_base_frame(breakage), tmp / "doc.kml", "KML").read_bytes()
    path = _zip(
        tmp / "zones.kmz", {"doc.kml": NO_PLACEMARK_GEOMETRY if breakage == "nogeom" else kml}
    )
    if breakage == "truncated":
        path.write_bytes(path.read_bytes()[:60])
    return path


def _xml(tmp: Path, breakage: str) -> Path:
    point = "<Point><UIDP>1</UIDP><PN>1</PN><X>{x}</X><Y>{y}</Y></Point>"
    if breakage == "nogeom":
        return _cadastre(tmp, "")
    if breakage == "crs":
        return _cadastre(tmp, point.format(x=1.0, y=2.0))
    path = _cadastre(tmp, point.format(x=5330000.1, y=5388000.2))
    if breakage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    elif breakage == "encoding":
        path.write_bytes(path.read_text("utf-8").replace("utf-8", "ascii").encode("cp1251"))
    return path


def _tif(tmp: Path, breakage: str) -> Path:
    if breakage == "truncated":
        return _geotiff(tmp, truncate=True)
    if breakage == "crs":
        return _geotiff(tmp, x=FAR[0], y=FAR[1])
    return _geotiff(tmp, crs=None)  # nogeom: no georeferencing


def _build(case: str, tmp: Path) -> tuple[Path, list[str]]:
    """The broken file of ``case`` ("format:breakage") and the extra CLI arguments."""
    fmt, breakage = case.split(":")
    if breakage == "empty":
        name = {"shp": "zones.zip", "kmz": "zones.kmz", "tif": "depth.tif"}.get(fmt, f"zones.{fmt}")
        (tmp / name).write_bytes(b"")
        return tmp / name, []
    if fmt == "csv":
        return _csv(tmp, breakage), ["--crs", "EPSG:4326"]
    if fmt in DRIVERS:
        return _ogr_file(tmp, fmt, breakage), []
    builders = {"shp": _shp, "kmz": _kmz, "xml": _xml, "tif": _tif}
    return builders[fmt](tmp, breakage), []


CASES = [
    *(f"{fmt}:{b}" for fmt in ("geojson", "gpkg", "kml", "dxf", "csv", "shp", "kmz", "xml")
      for b in ("empty", "truncated", "crs", "nogeom")),
    "geojson:encoding", "kml:encoding", "csv:encoding", "shp:encoding", "xml:encoding",
    "geojson:huge", "gpkg:huge", "csv:huge", "kml:huge",
    "tif:empty", "tif:truncated", "tif:crs", "tif:nogeom",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_broken_file_is_one_clear_line(case, tmp_path):
    path, extra = _build(case, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # numpy "mean of empty slice" and kin
        with pytest.raises(CommandError) as raised:
            call_command("import_layer", str(path), "--layer", "broken-corpus", *extra)
    message = str(raised.value)
    assert path.name in message, message
    assert "\n" not in message.strip() and "Traceback" not in message
    for internal in ("<class", "Error(", str(tmp_path)):  # no library reprs, no server paths
        assert internal not in message, message


def test_cadastre_file_without_points_from_the_cli(tmp_path):
    """The whole CLI: exit 1, one line on stderr (as the land-cadastre templates without a
    survey, e.g. 4624280900.xml, gave a traceback and numpy warnings)."""
    from tests.conftest import server_env

    path, _extra = _build("xml:nogeom", tmp_path)
    proc = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "manage.py", "import_layer", str(path),
         "--layer", "broken-corpus", "--dry-run"],
        cwd=ROOT, env=server_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "quarter.xml: no coordinates" in lines[0], proc.stderr
