"""REST features/schema/style and exports (GeoJSON, CSV, GeoPackage, zipped Shapefile with
CP1251 and .cpg, KML) of a layer or a selection, in a chosen CRS; access and rate limits."""

from __future__ import annotations

import io
import json
import zipfile

import pyogrio
import pytest

from layers.dynamic import feature_model

pytestmark = pytest.mark.django_db


def body(r) -> bytes:
    return b"".join(r.streaming_content) if r.streaming else r.content


@pytest.fixture(autouse=True)
def _fresh_buckets(fresh_buckets):
    """Full rate-limit buckets in every test."""


def test_schema_style_features(client, demo_layers):
    schema = client.get("/api/v1/layers/parcels/schema/").json()
    assert "cadnum" in [a["name"] for a in schema["attributes"]]
    assert "style" in client.get("/api/v1/layers/parcels/style/").json()
    r = client.get("/api/v1/layers/parcels/features/", {"limit": 3, "sortby": "-area_ha"})
    data = r.json()
    assert len(data["features"]) == 3
    fid = data["features"][0]["id"]
    one = client.get(f"/api/v1/layers/parcels/features/{fid}/").json()
    assert one["id"] == fid
    assert client.get("/api/v1/layers/manholes/features/").status_code == 404
    assert client.get("/api/v1/layers/manholes/export/").status_code == 404


def test_geojson_export_full_layer_and_crs(client, demo_layers):
    r = client.get("/api/v1/layers/bus-stops/export/", {"format": "geojson"})
    assert r.streaming and r["Content-Disposition"].endswith('bus-stops.geojson"')
    data = json.loads(body(r))
    assert len(data["features"]) == demo_layers["bus-stops"].feature_count
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert 32 < lon < 34 and 47.5 < lat < 48.8
    r = client.get("/api/v1/layers/bus-stops/export/", {"format": "geojson", "crs": "EPSG:6385"})
    n, e = json.loads(body(r))["features"][0]["geometry"]["coordinates"]
    assert 5.2e6 < n < 5.5e6 and 1e5 < e < 5e5


def test_csv_export_of_selection(client, demo_layers):
    model = feature_model(demo_layers["parcels"])
    fids = list(model.objects.order_by("fid").values_list("fid", flat=True)[:4])
    r = client.get(
        "/api/v1/layers/parcels/export/",
        {"format": "csv", "fids": ",".join(map(str, fids))},
    )
    text = body(r).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("fid,") and lines[0].endswith(",wkt")
    assert len(lines) == 5 and "POLYGON" in lines[1]


def test_csv_export_cells_cannot_run_as_formulas(client, demo_layers):
    """An imported attribute may start with "=" (OWASP CSV injection): the export neutralises
    it with a leading apostrophe, numbers stay numbers."""
    import csv
    import io

    model = feature_model(demo_layers["parcels"])
    fid = model.objects.order_by("fid").values_list("fid", flat=True)[0]
    model.objects.filter(fid=fid).update(purp_name='=HYPERLINK("http://evil","x")')
    r = client.get("/api/v1/layers/parcels/export/", {"format": "csv", "fids": str(fid)})
    row = next(csv.DictReader(io.StringIO(body(r).decode("utf-8-sig"))))
    assert row["purp_name"] == '\'=HYPERLINK("http://evil","x")' and row["fid"] == str(fid)


def test_gpkg_export_with_filter_in_ukrainian_crs(client, demo_layers, tmp_path):
    model = feature_model(demo_layers["parcels"])
    expected = model.objects.filter(area_ha__gt=0.5).count()
    r = client.get(
        "/api/v1/layers/parcels/export/",
        {"format": "gpkg", "crs": "EPSG:6385", "filter": "area_ha > 0.5"},
    )
    assert r.status_code == 200
    path = tmp_path / "p.gpkg"
    path.write_bytes(body(r))
    df = pyogrio.read_dataframe(path)
    assert len(df) == expected and (df["area_ha"] > 0.5).all()
    assert df.crs.to_epsg() == 6385


def test_shapefile_keeps_ukrainian_text(client, demo_layers, tmp_path):
    r = client.get("/api/v1/layers/streets/export/", {"format": "shp"})
    assert r.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(body(r)))
    names = z.namelist()
    assert {"streets.shp", "streets.dbf", "streets.shx", "streets.prj", "streets.cpg"} <= set(names)
    assert z.read("streets.cpg").decode().strip().upper() in ("CP1251", "1251", "ANSI 1251")
    z.extractall(tmp_path)
    df = pyogrio.read_dataframe(tmp_path / "streets.shp")
    source = set(feature_model(demo_layers["streets"]).objects.values_list("name", flat=True))
    assert set(df["name"]) == source
    assert any(ch in "".join(df["name"].dropna()) for ch in "іїєґ")


def test_kml_export(client, demo_layers, tmp_path):
    r = client.get("/api/v1/layers/bus-stops/export/", {"format": "kml"})
    assert r.status_code == 200 and b"<kml" in body(r)[:500]


@pytest.mark.parametrize(
    "params,code",
    [
        ({"format": "dwg"}, "unsupported-format"),
        ({"crs": "EPSG:1"}, "unsupported-crs"),
        ({"filter": "nope = 1"}, "unknown-property"),
        ({"fids": "a,b"}, "invalid-fids"),
    ],
)
def test_bad_export_requests(client, demo_layers, params, code):
    r = client.get("/api/v1/layers/parcels/export/", params)
    assert r.status_code == 400 and r.json()["code"] == code


def test_anonymous_exports_are_rate_limited(client, demo_layers):
    statuses = []
    for _ in range(12):
        r = client.get("/api/v1/layers/bus-stops/export/", {"format": "csv"})
        statuses.append(r.status_code)
        body(r)
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429
    assert int(r["Retry-After"]) > 0 and r.json()["code"] == "rate-limited"
    client.login(username="planner", password="demo-pass-123")
    assert client.get("/api/v1/layers/bus-stops/export/", {"format": "csv"}).status_code == 200
