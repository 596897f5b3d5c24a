"""OGC API - Features at /ogc/: core resources, items with bbox/filters/paging/sort/CRS,
access rules, problem+json for bad input, and real clients (GDAL OAPIF, OWSLib)."""

from __future__ import annotations

import subprocess

import pytest

from layers.dynamic import feature_model

pytestmark = pytest.mark.django_db


def items(client, slug, **params):
    return client.get(f"/ogc/collections/{slug}/items", params)


def test_landing_conformance_collections_api(client, demo_layers):
    assert client.get("/ogc/").json()["links"]
    conf = client.get("/ogc/conformance").json()["conformsTo"]
    assert any("ogcapi-features-3" in c for c in conf)
    ids = {c["id"] for c in client.get("/ogc/collections").json()["collections"]}
    assert "parcels" in ids and "manholes" not in ids and "flood-depth" not in ids
    assert client.get("/ogc/api").json()["openapi"].startswith("3.0")
    q = client.get("/ogc/collections/parcels/queryables").json()
    assert q["properties"]["area_ha"]["type"] == "number"


def test_staff_collection_is_404_for_anonymous(client, demo_layers):
    r = client.get("/ogc/collections/manholes/items")
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
    client.login(username="planner", password="demo-pass-123")
    assert client.get("/ogc/collections/manholes/items", {"limit": 2}).status_code == 200


def test_paging_links_and_stable_order(client, demo_layers):
    first = items(client, "parcels", limit=7).json()
    assert first["numberReturned"] == 7
    assert first["numberMatched"] == demo_layers["parcels"].feature_count
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(nxt.replace("http://testserver", "")).json()
    a = [f["id"] for f in first["features"]]
    b = [f["id"] for f in second["features"]]
    assert a == sorted(a) and not set(a) & set(b) and b[0] > a[-1]


def test_cql2_text_json_and_property_filter(client, demo_layers):
    model = feature_model(demo_layers["parcels"])
    expected = model.objects.filter(area_ha__gt=0.5).count()
    r = items(client, "parcels", filter="area_ha > 0.5", limit=1)
    assert r.status_code == 200, r.content
    assert r.json()["numberMatched"] == expected
    r = items(
        client, "parcels", limit=1, **{"filter-lang": "cql2-json"},
        filter='{"op": ">", "args": [{"property": "area_ha"}, 0.5]}',
    )  # fmt: skip
    assert r.json()["numberMatched"] == expected
    parcel = model.objects.order_by("fid").first()
    r = items(client, "parcels", cadnum=parcel.cadnum).json()
    assert [f["id"] for f in r["features"]] == [parcel.fid]
    lon, lat = parcel.geom.point_on_surface.transform(4326, clone=True).coords
    r = items(client, "parcels", filter=f"S_INTERSECTS(geometry, POINT({lon} {lat}))").json()
    assert parcel.fid in [f["id"] for f in r["features"]]


def test_bbox_sortby_and_crs_axis_order(client, demo_layers):
    minlon, minlat, maxlon, maxlat = demo_layers["parcels"].extent
    mid = (minlon + maxlon) / 2, (minlat + maxlat) / 2
    box = f"{minlon},{minlat},{mid[0]},{mid[1]}"
    some = items(client, "parcels", bbox=box, limit=5, sortby="-area_ha").json()
    areas = [f["properties"]["area_ha"] for f in some["features"]]
    assert areas == sorted(areas, reverse=True) and 0 < some["numberMatched"]
    crs84 = items(client, "bus-stops", limit=1).json()["features"][0]
    fid = crs84["id"]
    lon, lat = crs84["geometry"]["coordinates"]
    r = client.get(
        f"/ogc/collections/bus-stops/items/{fid}",
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"},
    )
    assert r["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/4326>"
    assert r.json()["geometry"]["coordinates"] == pytest.approx([lat, lon], abs=1e-7)
    tm = client.get(
        f"/ogc/collections/bus-stops/items/{fid}",
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/6385"},
    ).json()["geometry"]["coordinates"]
    assert 5.2e6 < tm[0] < 5.5e6 and 1e5 < tm[1] < 5e5  # northing, easting
    lat_first = f"{mid[1]},{minlon},{maxlat},{mid[0]}"
    r = items(
        client, "parcels", limit=1, bbox=lat_first,
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"},
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["numberMatched"] > 0


@pytest.mark.parametrize(
    "slug,params,status,code",
    [
        ("nope", {}, 404, "not-found"),
        ("parcels", {"filter": "area_ha >>> 1"}, 400, "invalid-filter"),
        ("parcels", {"filter": "missing = 1"}, 400, "unknown-property"),
        ("parcels", {"limit": "-1"}, 400, "invalid-limit"),
        ("parcels", {"crs": "EPSG:99999"}, 400, "unsupported-crs"),
        ("parcels", {"bbox": "1,2,3"}, 400, "invalid-bbox"),
        ("parcels", {"sortby": "nope"}, 400, "unknown-property"),
        ("parcels", {"colour": "red"}, 400, "unknown-property"),
        (
            "parcels",
            {
                "filter": "S_INTERSECTS(geometry, POLYGON(("
                + ",".join(f"{32 + i * 1e-5} 48" for i in range(10000))
                + ",32 48)))"
            },
            400,
            "filter-too-complex",
        ),
    ],
    ids=["unknown", "syntax", "missing", "limit", "crs", "bbox", "sortby", "param", "10k-nodes"],
)
def test_bad_input_is_problem_json(client, demo_layers, slug, params, status, code):
    r = items(client, slug, **params)
    assert r.status_code == status, r.content[:400]
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["code"] == code


def test_offset_beyond_end_is_empty(client, demo_layers):
    r = items(client, "parcels", offset=10**9).json()
    assert r["features"] == [] and r["numberReturned"] == 0


def test_gdal_oapif_and_owslib(portal_server, demo_layers, tmp_path):
    out = tmp_path / "bus.gpkg"
    r = subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{portal_server}/ogc/", "bus-stops"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    import pyogrio

    assert len(pyogrio.read_dataframe(out)) == demo_layers["bus-stops"].feature_count
    from owslib.ogcapi.features import Features

    api = Features(f"{portal_server}/ogc/")
    ids = {c["id"] for c in api.collections()["collections"]}
    assert "bus-stops" in ids and "manholes" not in ids
    page1 = api.collection_items("parcels", limit=5)
    page2 = api.collection_items("parcels", limit=5, offset=5)
    assert len(page1["features"]) == 5 and page2["features"][0]["id"] > page1["features"][-1]["id"]


def test_regional_lcs_output_matches_pyproj(client, demo_layers):
    from pyproj import Transformer

    feature = items(client, "bus-stops", limit=1).json()["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    r = client.get(
        f"/ogc/collections/bus-stops/items/{feature['id']}",
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/9840"},
    )
    assert r.status_code == 200, r.content
    north, east = r.json()["geometry"]["coordinates"]
    expected = Transformer.from_crs(4326, 9840).transform(lat, lon)  # (northing, easting)
    assert north == pytest.approx(expected[0], abs=1.0) and east == pytest.approx(
        expected[1], abs=1.0
    )


def test_datetime_on_a_date_attribute(client, demo_layers):
    model = feature_model(demo_layers["parcels"])
    dates = sorted(d for d in model.objects.values_list("reg_date", flat=True) if d)
    mid = dates[len(dates) // 2]
    r = items(client, "parcels", datetime=f"../{mid.isoformat()}", limit=1)
    assert r.status_code == 200, r.content
    assert r.json()["numberMatched"] == model.objects.filter(reg_date__lte=mid).count()
    r = items(client, "parcels", datetime=mid.isoformat(), limit=1)
    assert r.json()["numberMatched"] == model.objects.filter(reg_date=mid).count()
    bad = items(client, "parcels", datetime="yesterday")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid-datetime"


def test_html_pages(client, demo_layers):
    r = client.get("/ogc/collections", {"f": "html"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert "parcels" in r.content.decode() and "manholes" not in r.content.decode()
    r = client.get("/ogc/collections/parcels/items", {"limit": 3}, HTTP_ACCEPT="text/html")
    text = r.content.decode()
    assert r["Content-Type"].startswith("text/html") and "cadnum" in text
    assert text.count("<tr>") == 4  # header + 3 features
    assert client.get("/ogc/", {"f": "pdf"}).json()["code"] == "invalid-f"


# -- /ogc/api is generated from the parameters' declaration ----------------------------------

#: A value the parser accepts and one it refuses, for the parameters whose schema has neither
#: bounds nor an enum to derive them from.
SAMPLES = {
    "bbox": ("32,48,33,49", "1,2,3"),
    "datetime": ("2020-01-01/..", "yesterday"),
    "filter": ("area_ha > 0.5", "area_ha >>> 1"),
    "sortby": ("-area_ha", "nope"),
}
OPERATION_URLS = {
    "landing": "/ogc/",
    "conformance": "/ogc/conformance",
    "collections": "/ogc/collections",
    "collection": "/ogc/collections/parcels",
    "queryables": "/ogc/collections/parcels/queryables",
    "items": "/ogc/collections/parcels/items",
    "item": "/ogc/collections/parcels/items/{fid}",
}


def _values(schema, name) -> tuple[list, list]:
    """(accepted, refused) values of a documented parameter, from its schema."""
    if "enum" in schema:
        return list(schema["enum"]), ["not-" + str(schema["enum"][0])]
    if schema["type"] == "integer":
        low, high = schema["minimum"], schema["maximum"]
        return [low, high, schema["default"]], [low - 1, high + 1, "ten"]
    good, bad = SAMPLES[name]
    return [good], [bad]


def test_openapi_is_valid_and_generated_from_the_declaration(client, demo_layers):
    import jsonschema
    import schemathesis
    from schemathesis.specs.openapi.definitions import OPENAPI_30

    from layers.ogcapi.parameters import taken_by

    doc = client.get("/ogc/api").json()
    jsonschema.Draft4Validator(OPENAPI_30).validate(doc)  # the OpenAPI 3.0 schema itself
    assert len(list(schemathesis.openapi.from_dict(doc).get_all_operations())) == 7
    operations = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    assert set(operations) == set(OPERATION_URLS)
    for name, operation in operations.items():
        documented = {p["name"]: p for p in operation.get("parameters", [])}
        assert documented.keys() == {p.name for p in taken_by(name)}, name
    items_params = {p["name"] for p in operations["items"]["parameters"]}
    assert {"datetime", "f", "filter-crs", "limit", "bbox-crs"} <= items_params


def test_every_documented_parameter_is_read_with_its_documented_bounds(client, demo_layers):
    """Each documented query parameter of each operation: its accepted values answer 200, the
    values outside its schema (bounds, enum) are the 400 whose locator names it."""
    client.login(username="planner", password="demo-pass-123")  # not rate-limited
    fid = feature_model(demo_layers["parcels"]).objects.order_by("fid").first().fid
    doc = client.get("/ogc/api").json()
    wrong = []
    for ops in doc["paths"].values():
        operation = ops["get"]
        url = OPERATION_URLS[operation["operationId"]].format(fid=fid)
        for param in operation.get("parameters", []):
            if param["in"] != "query":
                continue
            accepted, refused = _values(param["schema"], param["name"])
            for value in accepted:
                r = client.get(url, {param["name"]: value})
                if r.status_code != 200:
                    wrong.append(
                        f"{url} {param['name']}={value}: {r.status_code} {r.content[:200]}"
                    )
            for value in refused:
                r = client.get(url, {param["name"]: value})
                if r.status_code != 400 or r.json().get("locator") != param["name"]:
                    wrong.append(f"{url} {param['name']}={value}: not refused ({r.status_code})")
    assert not wrong, "\n".join(wrong)
    # anything undocumented on items is not silently ignored
    r = items(client, "parcels", **{"properties": "cadnum"})
    assert r.status_code == 400 and r.json()["locator"] == "properties"
