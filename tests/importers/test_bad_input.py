"""Bad input fails with a specific error naming the file, row or element, and the database is
left unchanged: the layer's version, feature count and data are exactly as before."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from importers import sources
from importers.errors import ImportFailed
from importers.pipeline import ImportOptions, import_vector
from layers.models import Layer

pytestmark = pytest.mark.django_db
SLUG = "bad-input-zones"
DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
QUARTER = DEMO / "cadastre" / "quarter_02033.xml"


def _polygon_file(path, n):
    x, y, d = 32.764, 48.110, 0.001
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    feats = [
        {
            "type": "Feature",
            "properties": {"n": i},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for i in range(n)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def _state():
    layer = Layer.objects.get(slug=SLUG)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT md5(string_agg(n::text || ST_AsText(geom), ',' ORDER BY fid)) FROM layerdata.{SLUG.replace('-', '_')}"
        )
        digest = cur.fetchone()[0]
    return layer.version, layer.feature_count, layer.attributes, digest


@pytest.fixture
def existing(tmp_path):
    import_vector(_polygon_file(tmp_path / "zones.geojson", 2), ImportOptions(slug=SLUG))
    return _state()


def _shapefile(folder: Path, encoding: str = "UTF-8", cpg: str | None = "UTF-8") -> Path:
    import geopandas as gpd
    import shapely

    folder.mkdir(exist_ok=True)
    frame = gpd.GeoDataFrame(
        {"nazva": ["Центральна площа", "Соборна вулиця"]},
        geometry=[
            shapely.box(32.764, 48.110, 32.765, 48.111),
            shapely.box(32.766, 48.110, 32.767, 48.111),
        ],
        crs="EPSG:4326",
    )
    path = folder / "zones.shp"
    frame.to_file(path, encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def _case(name, tmp_path: Path) -> tuple[Path, dict]:
    if name == "geojson-not-json":
        path = tmp_path / "broken.geojson"
        path.write_text('{"type": "FeatureCollection", "features": [ {')
        return path, {}
    if name == "truncated-zip":
        shp = _shapefile(tmp_path / "shp")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for part in shp.parent.iterdir():
                zf.write(part, part.name)
        path = tmp_path / "zones.zip"
        path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
        return path, {}
    if name == "shapefile-without-dbf":
        shp = _shapefile(tmp_path / "shp")
        shp.with_suffix(".dbf").unlink()
        return shp, {}
    if name == "wrong-encoding":
        # CP1251 text and no .cpg: GDAL reads it as Latin-1 ("Öåíòðàëüíà")
        return _shapefile(tmp_path / "shp", encoding="cp1251", cpg=None), {}
    if name == "wrong-encoding-declared":
        # CP1251 text whose .cpg claims Windows-1252: GDAL recodes it into "Öåíòðàëüíà ïëîùà"
        return _shapefile(tmp_path / "shp", encoding="cp1251", cpg="1252"), {}
    if name == "csv-without-coordinates":
        path = tmp_path / "zones.csv"
        path.write_text("nazva,shyrota_x,dovgota_y\nПлоща,48.11,32.76\n", "utf-8")
        return path, {}
    if name == "xml-not-cadastre":
        path = tmp_path / "plan.xml"
        path.write_text("<?xml version='1.0'?><GeneralPlan><Zone/></GeneralPlan>", "utf-8")
        return path, {}
    if name == "xml-billion-laughs":
        path = tmp_path / "laughs.xml"
        path.write_text(
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            "<UkrainianCadastralExchangeFile>&lol3;</UkrainianCadastralExchangeFile>",
            "utf-8",
        )
        return path, {}
    if name == "xml-broken-boundary-chain":
        text = QUARTER.read_text("utf-8").replace("<P>2</P><P>3</P>", "<P>2</P><P>9999</P>", 1)
        path = tmp_path / "quarter.xml"
        path.write_text(text, "utf-8")
        return path, {}
    if name == "zip-path-escape":
        path = tmp_path / "escape.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(
                "../outside/zones.geojson", _polygon_file(tmp_path / "z.geojson", 1).read_text()
            )
        return path, {}
    if name == "zip-bomb":
        path = tmp_path / "bomb.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("zones.geojson", b" " * (16 << 20))
        return path, {}
    raise AssertionError(name)


CASES = {
    "geojson-not-json": "broken.geojson",
    "truncated-zip": "zones.zip: not a readable zip archive",
    "shapefile-without-dbf": "zones.shp: the shapefile has no .dbf",
    "wrong-encoding": "zones.shp: column .nazva.*wrong encoding.*--encoding cp1251",
    "wrong-encoding-declared": "zones.shp: column 'nazva' reads as 'Öåíòðàëüíà.*wrong encoding",
    "csv-without-coordinates": "zones.csv: no geometry found",
    "xml-not-cadastre": "plan.xml: not the cadastre schema: root element 'GeneralPlan'",
    "xml-billion-laughs": "laughs.xml: the XML declares a DTD or entities",
    "xml-broken-boundary-chain": "quarter.xml: Polyline/PL ULID 2 refers to point 9999",
    "zip-path-escape": "escape.zip: member '../outside/zones.geojson'.*escapes the upload folder",
    "zip-bomb": "bomb.zip: member 'zones.geojson' inflates .*zip bomb",
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_named_and_changes_nothing(case, existing, tmp_path):
    path, extra = _case(case, tmp_path)
    with pytest.raises(ImportFailed, match=CASES[case]):
        import_vector(path, ImportOptions(slug=SLUG, **extra))
    assert _state() == existing


def test_failure_in_a_later_batch_rolls_back_the_whole_import(existing, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "BATCH_SIZE", 2)
    path = tmp_path / "zones.csv"
    rows = [f"{32.764 + i * 1e-4},48.110,{i}" for i in range(6)] + ["32.765,48.111,seven"]
    path.write_text("lon,lat,n\n" + "\n".join(rows) + "\n", "utf-8")
    declared = [{"name": "n", "type": "integer"}]
    with pytest.raises(
        ImportFailed, match=r"column 'n' \(rows 7\+\): values do not fit type integer"
    ):
        import_vector(path, ImportOptions(slug=SLUG, crs="EPSG:4326", attributes=declared))
    assert _state() == existing
    with connection.cursor() as cur:  # no staging table left behind either
        cur.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename LIKE %s",
            [SLUG.replace("-", "_") + "__new%"],
        )
        assert cur.fetchone()[0] == 0


def test_wrong_encoding_imports_with_the_right_one(existing, tmp_path):
    shp = _case("wrong-encoding", tmp_path)[0]
    import_vector(shp, ImportOptions(slug="bad-input-enc", encoding="cp1251"))
    with connection.cursor() as cur:
        cur.execute("SELECT nazva FROM layerdata.bad_input_enc ORDER BY fid")
        assert [r[0] for r in cur.fetchall()] == ["Центральна площа", "Соборна вулиця"]
    shutil.rmtree(shp.parent)


def test_cancelled_import_rolls_back_and_is_recorded(existing, tmp_path, monkeypatch):
    from importers.models import ImportRun

    monkeypatch.setattr(sources, "BATCH_SIZE", 1)
    path = _polygon_file(tmp_path / "newer.geojson", 5)

    def cancel_after_two(read, total):
        if read >= 2:
            raise ImportFailed("cancelled by staff", code="cancelled")

    with pytest.raises(ImportFailed, match="cancelled"):
        import_vector(path, ImportOptions(slug=SLUG), progress=cancel_after_two)
    assert _state() == existing
    assert ImportRun.objects.filter(layer_slug=SLUG).first().status == "cancelled"
