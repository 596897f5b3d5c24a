"""Every delivered format imports a real-looking sample from fixtures/demo into real PostGIS:
the land-cadastre XML exchange file, DXF from CAD and KMZ (the rest load with the demo)."""

import shutil
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from importers.cadastre_xml import read_parcels
from importers.errors import ImportFailed
from importers.pipeline import ImportOptions, import_vector
from layers.models import Layer

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
QUARTER = DEMO / "cadastre" / "quarter_02033.xml"


def _rows(sql):
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_cadastre_xml_parcels_with_numbers_areas_and_polygons():
    report = import_vector(QUARTER, ImportOptions(slug="xml-quarter"))
    assert (report.read, report.imported, report.rejected) == (21, 21, [])
    layer = Layer.objects.get(slug="xml-quarter")
    assert layer.kind == "cadastral"  # the XML reader's default kind
    assert "Ukraine TM zone 11" in layer.source_crs
    rows = _rows(
        "SELECT cadnum, area_ha, area_geom_ha, purpose, ownership, area_mismatch "
        "FROM layerdata.xml_quarter ORDER BY cadnum"
    )
    assert rows[0][0] == "3521910100:02:033:0001"
    assert rows[0][3:5] == ("02.01", "приватна")
    # the boundary chain Point -> PL -> Lines closes into polygons of the declared area
    assert all(abs(r[1] - r[2]) / r[1] < 0.01 and r[5] is False for r in rows)
    # the same parcels as the demo GeoPackage, in the same place (X = northing, Y = easting)
    same = _rows(
        "SELECT count(*) FROM layerdata.xml_quarter x JOIN layerdata.parcels p "
        "ON p.cadnum = x.cadnum AND ST_Area(ST_SymDifference(p.geom, x.geom)) < 0.01 * ST_Area(p.geom)"
    )
    assert same == [(21,)]


def test_cadastre_xml_crs_from_the_declaration_and_override():
    _cols, _geoms, _problems, crs = read_parcels(QUARTER, "q.xml")
    assert crs.to_epsg() == 6385
    _cols, _geoms, _problems, crs = read_parcels(QUARTER, "q.xml", "EPSG:5574")
    assert crs.to_epsg() == 5574


def test_cadastre_xml_sk63_zone_from_easting_prefix(tmp_path):
    text = QUARTER.read_text(encoding="utf-8").replace("<USC2000/>", "<SC63><X/></SC63>")
    # move eastings into SK-63 zone X4 (x_0 = 4 300 000 m): the prefix names the zone
    import re

    text = re.sub(r"<Y>(\d+\.\d+)</Y>", lambda m: f"<Y>{float(m[1]) + 4_000_000:.2f}</Y>", text)
    path = tmp_path / "sk63.xml"
    path.write_text(text, encoding="utf-8")
    _cols, _geoms, _problems, crs = read_parcels(path, "sk63.xml")
    assert crs.to_epsg() == 7828


def test_dxf_from_cad_imports_with_crs():
    report = import_vector(
        DEMO / "masterplan" / "red_lines.dxf",
        ImportOptions(slug="red-lines", crs="EPSG:6385", kind="masterplan"),
    )
    assert report.imported == report.read == 12  # both sides of 6 streets
    assert _rows("SELECT DISTINCT GeometryType(geom) FROM layerdata.red_lines") == [("LINESTRING",)]


def test_dxf_without_crs_asks_for_one():
    with pytest.raises(ImportFailed, match="red_lines.dxf.*--crs"):
        import_vector(DEMO / "masterplan" / "red_lines.dxf", ImportOptions(slug="red-lines"))


def test_kmz_imports(tmp_path):
    shutil.copy(DEMO / "trade" / "advertising.kml", tmp_path / "doc.kml")
    kmz = tmp_path / "advertising.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(tmp_path / "doc.kml", "doc.kml")
    report = import_vector(kmz, ImportOptions(slug="adv-kmz"))
    assert report.imported == report.read == 80
    assert Layer.objects.get(slug="adv-kmz").feature_count == 80


def test_shapefile_checksum_covers_its_attribute_file(tmp_path):
    """An edit of a shapefile's attributes only (.dbf) is a change: the watched folder and the
    demo loader re-import it."""
    import geopandas as gpd
    from shapely.geometry import Point

    from importers.pipeline import file_checksum

    path = tmp_path / "poles.shp"
    gpd.GeoDataFrame({"nomer": ["17"]}, geometry=[Point(32.764, 48.11)], crs=4326).to_file(path)
    before, shp = file_checksum(path), path.read_bytes()
    gpd.GeoDataFrame({"nomer": ["18"]}, geometry=[Point(32.764, 48.11)], crs=4326).to_file(path)
    assert path.read_bytes() == shp  # the geometry file is the same
    assert file_checksum(path) != before
