"""The two interoperability gaps of the download services: OWSLib 0.35's GET GetFeature puts
the filter into QUERY= (applied as FILTER now, never ignored), and /ogc without the slash
answers the landing page itself (QGIS 3.22 can't follow the relative redirect)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

pytestmark = pytest.mark.django_db


def test_owslib_get_getfeature_filter_is_applied(portal_server, demo_layers):
    from owslib.etree import etree
    from owslib.fes2 import PropertyIsGreaterThan
    from owslib.wfs import WebFeatureService

    service = WebFeatureService(f"{portal_server}/wfs", version="2.0.0")
    flt = etree.tostring(PropertyIsGreaterThan("area_ha", "0.5").toXML()).decode()
    fes = f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">{flt}</fes:Filter>'
    typename = next(n for n in service.contents if n.endswith("parcels"))
    resp = service.getfeature(typename=[typename], filter=fes, maxfeatures=5000)  # GET
    root = ET.fromstring(resp.read())
    values = [float(el.text) for el in root.iter("{https://geoportal.example/hromada}area_ha")]
    assert values and all(v > 0.5 for v in values)


def test_query_that_is_not_a_filter_is_refused(portal_server):
    r = requests.get(f"{portal_server}/wfs", params={
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "parcels",
        "COUNT": 5, "QUERY": "area_ha > 0.5"})  # fmt: skip
    assert r.status_code == 400 and b"ExceptionReport" in r.content and b"QUERY" in r.content


def test_ogc_without_slash_serves_the_landing_page(portal_server):
    r = requests.get(
        f"{portal_server}/ogc", allow_redirects=False, headers={"Accept": "application/json"}
    )
    assert r.status_code == 200
    assert any(link["rel"] == "data" for link in r.json()["links"])
