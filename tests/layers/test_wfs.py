"""WFS 2.0 at /wfs: capabilities per caller, GetFeature (formats, filters, paging, CRS axis
order), bad input as OWS exceptions, and real clients (GDAL's WFS driver, OWSLib)."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
import requests

pytestmark = pytest.mark.django_db

OWS = "{http://www.opengis.net/ows/1.1}"
WFS = "{http://www.opengis.net/wfs/2.0}"
AUTH = ("planner", "demo-pass-123")


def body(response) -> bytes:
    if response.streaming:
        response._cached = getattr(response, "_cached", None) or b"".join(
            response.streaming_content
        )
        return response._cached
    return response.content


def wfs(client, **params):
    return client.get("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", **params})


def type_names(xml: bytes) -> set[str]:
    root = ET.fromstring(xml)
    return {el.text.split(":")[-1] for el in root.iter(f"{WFS}Name")}


def exception_code(response) -> str:
    root = ET.fromstring(body(response))
    return root.find(f"{OWS}Exception").get("exceptionCode")


def test_capabilities_show_only_visible_layers(client, demo_layers):
    anon = type_names(body(wfs(client, REQUEST="GetCapabilities")))
    # power poles and manholes stay staff-only (street-light poles are public: issue 17)
    assert "parcels" in anon and "power-poles" not in anon and "manholes" not in anon
    assert "flood-depth" not in anon  # rasters are not feature types
    client.login(username="planner", password="demo-pass-123")
    staff = type_names(body(wfs(client, REQUEST="GetCapabilities")))
    assert {"power-poles", "manholes", "parcels"} <= staff


def test_staff_layer_is_unknown_to_anonymous(client, demo_layers):
    r = wfs(client, REQUEST="GetFeature", TYPENAMES="manholes", COUNT=1)
    assert r.status_code in (400, 404) and b"Traceback" not in body(r)
    assert exception_code(r) in ("InvalidParameterValue", "NotFound")


def test_describe_feature_type_is_typed(client, demo_layers):
    r = wfs(client, REQUEST="DescribeFeatureType", TYPENAMES="parcels")
    assert r.status_code == 200
    text = body(r).decode()
    assert 'name="cadnum" type="string"' in text
    assert 'name="area_ha" type="double"' in text
    assert "gml:" in text and "PropertyType" in text


def test_getfeature_geojson_default_4326_and_paging(client, demo_layers):
    parcels = demo_layers["parcels"]
    r = wfs(client, REQUEST="GetFeature", TYPENAMES="parcels", COUNT=5, OUTPUTFORMAT="geojson")
    assert r.status_code == 200
    data = json.loads(body(r))
    assert len(data["features"]) == 5
    x, y = data["features"][0]["geometry"]["coordinates"][0][0][0]
    minlon, minlat, maxlon, maxlat = parcels.extent
    assert minlon - 0.01 <= x <= maxlon + 0.01 and minlat - 0.01 <= y <= maxlat + 0.01
    ids1 = [f["id"] for f in data["features"]]
    r2 = wfs(
        client, REQUEST="GetFeature", TYPENAMES="parcels", COUNT=5, STARTINDEX=5,
        OUTPUTFORMAT="geojson",
    )  # fmt: skip
    data2 = json.loads(body(r2))
    ids2 = [f["id"] for f in data2["features"]]
    assert not set(ids1) & set(ids2)


def test_hits_match_feature_count(client, demo_layers):
    r = wfs(client, REQUEST="GetFeature", TYPENAMES="parcels", RESULTTYPE="hits")
    root = ET.fromstring(body(r))
    assert int(root.get("numberMatched")) == demo_layers["parcels"].feature_count


def _first_coord(client, srs):
    r = wfs(
        client, REQUEST="GetFeature", TYPENAMES="bus-stops", COUNT=1, SRSNAME=srs,
        SORTBY="fid ASC",
    )  # fmt: skip
    assert r.status_code == 200, body(r)[:500]
    pos = ET.fromstring(body(r)).iter("{http://www.opengis.net/gml/3.2}pos")
    return [float(v) for v in next(pos).text.split()]


def test_axis_order_per_srsname(client, demo_layers):
    lat_lon = _first_coord(client, "urn:ogc:def:crs:EPSG::4326")
    lon_lat = _first_coord(client, "urn:ogc:def:crs:OGC::CRS84")
    assert 47 < lat_lon[0] < 49.5 and 31 < lat_lon[1] < 34  # lat first
    assert lon_lat == pytest.approx([lat_lon[1], lat_lon[0]], abs=1e-9)
    merc = _first_coord(client, "urn:ogc:def:crs:EPSG::3857")
    assert 3.4e6 < merc[0] < 3.8e6 and 6.0e6 < merc[1] < 6.3e6
    tm11 = _first_coord(client, "urn:ogc:def:crs:EPSG::6385")
    # UCS-2000 / Ukraine TM zone 11: northing first (EPSG axis order), ~5.33e6 N, ~0.3e6 E
    assert 5.2e6 < tm11[0] < 5.5e6 and 1e5 < tm11[1] < 5e5


def test_fes_filter_comparison_and_spatial(client, demo_layers):
    fes = (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">'
        "<fes:PropertyIsLike wildCard='*' singleChar='.' escapeChar='!'>"
        "<fes:ValueReference>cadnum</fes:ValueReference><fes:Literal>35*</fes:Literal>"
        "</fes:PropertyIsLike></fes:Filter>"
    )
    r = wfs(client, REQUEST="GetFeature", TYPENAMES="parcels", FILTER=fes, RESULTTYPE="hits")
    assert r.status_code == 200, body(r)[:500]
    assert int(ET.fromstring(body(r)).get("numberMatched")) > 0


@pytest.mark.parametrize(
    "params,status,code",
    [
        ({"REQUEST": "GetFeature", "TYPENAMES": "no-such-layer"}, 400, "InvalidParameterValue"),
        ({"REQUEST": "GetFeature", "TYPENAMES": "parcels", "FILTER": "<fes:Filter"}, 400, None),
        ({"REQUEST": "GetFeature", "TYPENAMES": "parcels", "COUNT": "-1"}, 400, None),
        (
            {"REQUEST": "GetFeature", "TYPENAMES": "parcels", "SRSNAME": "EPSG:99999"},
            400,
            None,
        ),
        (
            {
                "REQUEST": "GetFeature",
                "TYPENAMES": "parcels",
                "FILTER": '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">'
                "<fes:PropertyIsEqualTo><fes:ValueReference>nope</fes:ValueReference>"
                "<fes:Literal>1</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>",
            },
            400,
            None,
        ),
        (
            {
                "REQUEST": "GetFeature",
                "TYPENAMES": "parcels",
                "FILTER": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                '<!ENTITY b "&a;&a;&a;&a;">]><fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">'
                "<fes:PropertyIsEqualTo><fes:ValueReference>cadnum</fes:ValueReference>"
                "<fes:Literal>&b;</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>",
            },
            400,
            None,
        ),
    ],
    ids=[
        "unknown-type",
        "malformed-fes",
        "negative-count",
        "bad-crs",
        "missing-prop",
        "xml-entity",
    ],
)
def test_bad_input_is_an_ows_exception(client, demo_layers, params, status, code):
    r = wfs(client, **params)
    assert r.status_code == status, body(r)[:600]
    assert b"ExceptionReport" in body(r) and b"Traceback" not in body(r)
    if code:
        assert exception_code(r) == code


def test_start_index_beyond_end_is_empty(client, demo_layers):
    r = wfs(
        client, REQUEST="GetFeature", TYPENAMES="parcels", STARTINDEX=10_000_000,
        OUTPUTFORMAT="geojson",
    )  # fmt: skip
    assert r.status_code == 200
    assert json.loads(body(r))["features"] == []


# -- real clients against the live server -------------------------------------------------


def ogr(*args, env=None):
    return subprocess.run(args, capture_output=True, text=True, timeout=180, env=env)


def test_gdal_lists_public_layers_and_staff_with_credentials(portal_server):
    anon = ogr("ogrinfo", "-ro", "-q", f"WFS:{portal_server}/wfs")
    assert anon.returncode == 0, anon.stderr
    assert "parcels" in anon.stdout and "manholes" not in anon.stdout
    staff = ogr(
        "ogrinfo", "-ro", "-q", "--config", "GDAL_HTTP_USERPWD", "planner:demo-pass-123",
        f"WFS:{portal_server}/wfs",
    )  # fmt: skip
    assert staff.returncode == 0, staff.stderr
    assert "manholes" in staff.stdout


def test_ogr2ogr_copies_layer_with_filters(portal_server, demo_layers, tmp_path):
    import pyogrio

    from layers.dynamic import feature_model

    out = tmp_path / "parcels.gpkg"
    r = ogr(
        "ogr2ogr", "--config", "OGR_WFS_PAGE_SIZE", "1000", "-f", "GPKG", str(out),
        f"WFS:{portal_server}/wfs", "parcels", "-nln", "parcels", "-nlt", "PROMOTE_TO_MULTI",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    df = pyogrio.read_dataframe(out)
    assert len(df) == demo_layers["parcels"].feature_count
    assert {"cadnum", "purpose", "area_ha"} <= set(df.columns)
    model = feature_model(demo_layers["parcels"])
    source = model.objects.order_by("fid").first()
    geom = source.geom.transform(4326, clone=True)
    row = df[df["cadnum"] == source.cadnum].iloc[0]
    x0, y0 = geom.coords[0][0][0]
    x1, y1 = row.geometry.geoms[0].exterior.coords[0]
    assert abs(x0 - x1) < 1e-7 and abs(y0 - y1) < 1e-7
    # attribute filter and bbox
    minlon, minlat, maxlon, maxlat = demo_layers["parcels"].extent
    midlon, midlat = (minlon + maxlon) / 2, (minlat + maxlat) / 2
    out2 = tmp_path / "sel.gpkg"
    r = ogr(
        "ogr2ogr", "-f", "GPKG", str(out2), f"WFS:{portal_server}/wfs", "parcels",
        "-where", "area_ha > 0.1", "-spat", str(minlon), str(minlat), str(midlon), str(midlat),
        "-nln", "sel",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    sel = pyogrio.read_dataframe(out2)
    assert 0 < len(sel) < len(df)
    assert (sel["area_ha"] > 0.1).all()


def test_owslib_getfeature_with_fes_filter(portal_server, demo_layers):
    from owslib.etree import etree
    from owslib.fes2 import PropertyIsGreaterThan
    from owslib.wfs import WebFeatureService

    service = WebFeatureService(f"{portal_server}/wfs", version="2.0.0")
    assert "parcels" in "".join(service.contents)
    flt = etree.tostring(PropertyIsGreaterThan("area_ha", "0.5").toXML()).decode()
    fes = f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">{flt}</fes:Filter>'
    typename = next(n for n in service.contents if n.endswith("parcels"))
    resp = service.getfeature(typename=[typename], filter=fes, method="POST")
    root = ET.fromstring(resp.read())
    values = [float(el.text) for el in root.iter("{https://geoportal.example/hromada}area_ha")]
    assert values and all(v > 0.5 for v in values)
    expected = requests.get(
        f"{portal_server}/wfs",
        params={"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                "TYPENAMES": "parcels", "RESULTTYPE": "hits", "FILTER": fes},
    )  # fmt: skip
    assert int(ET.fromstring(expected.content).get("numberMatched")) == len(values)


def test_stored_queries_and_get_feature_by_id(client, demo_layers):
    listed = body(wfs(client, REQUEST="ListStoredQueries"))
    assert b"GetFeatureById" in listed
    r = wfs(
        client,
        REQUEST="GetFeature",
        STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
        ID="parcels.1",
    )
    assert r.status_code == 200, body(r)[:400]
    assert b"parcels" in body(r) and b"cadnum" in body(r)
    r = wfs(client, REQUEST="GetPropertyValue", TYPENAMES="parcels", VALUEREFERENCE="cadnum",
            COUNT=3)  # fmt: skip
    assert r.status_code == 200 and body(r).count(b"<wfs:member") == 3


def test_large_anonymous_getfeature_is_rate_limited(client, demo_layers, fresh_buckets):
    responses = [
        wfs(client, REQUEST="GetFeature", TYPENAMES="bus-stops", RESULTTYPE="results")
        for _ in range(11)
    ]
    assert [r.status_code for r in responses] == [200] * 10 + [429]
    refused = responses[10]  # an OWS exception, as WFS clients read errors, with Retry-After
    assert int(refused["Retry-After"]) > 0 and refused["Content-Type"].startswith("text/xml")
    assert b'exceptionCode="OperationProcessingFailed"' in refused.content


@pytest.mark.parametrize(
    "srs,lat_first",
    [
        ("urn:ogc:def:crs:EPSG::4326", True),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", True),
        ("EPSG:4326", False),  # legacy short form: x/y (lon/lat), as GeoServer and GDAL expect
        ("urn:ogc:def:crs:OGC::CRS84", False),
    ],
)
def test_axis_order_of_each_4326_form(client, demo_layers, srs, lat_first):
    a, b = _first_coord(client, srs)
    lat, lon = (a, b) if lat_first else (b, a)
    assert 47 < lat < 49.5 and 31 < lon < 34, (srs, a, b)
