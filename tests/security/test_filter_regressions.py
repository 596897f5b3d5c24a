"""Inputs the filter fuzzers found that once gave a 500, kept as fixed examples (fast)."""

from __future__ import annotations

import json

import pytest
import requests
from django.db import DataError
from django.test import RequestFactory

from core.errors import ErrorMiddleware

from .hostile import assert_clean, wfs_get_feature

pytestmark = pytest.mark.django_db

FES = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'
WFS_CASES = {
    "empty-value-reference": f"<fes:Filter {FES}><fes:PropertyIsNull><fes:ValueReference>"
    "</fes:ValueReference></fes:PropertyIsNull></fes:Filter>",
    "infinite-bbox": f"<fes:Filter {FES}><fes:BBOX><fes:ValueReference>name</fes:ValueReference>"
    '<gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>0 0</gml:lowerCorner>'
    "<gml:upperCorner>0 1e309</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter>",
}
CQL_CASES = {
    "json-list": ("[]", "cql2-json"),
    "json-literal": (json.dumps("x"), "cql2-json"),
    "text-on-geometry": ("geom = '\\'", "cql2-text"),
}


@pytest.mark.parametrize("case", list(WFS_CASES))
def test_wfs_filter(security_server, case):
    response = wfs_get_feature(security_server, WFS_CASES[case])
    assert response.status_code == 400
    assert "ExceptionReport" in response.text
    assert_clean(response, case)


@pytest.mark.parametrize("case", list(CQL_CASES))
@pytest.mark.parametrize(
    "path", ["/ogc/collections/bus-stops/items", "/api/v1/layers/bus-stops/features/"]
)
def test_cql2_filter(security_server, case, path):
    text, lang = CQL_CASES[case]
    response = requests.get(
        security_server + path, params={"filter": text, "filter-lang": lang}, timeout=30
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-filter"
    assert_clean(response, case)


def test_a_value_postgresql_refuses_is_the_clients_400():
    middleware = ErrorMiddleware(lambda request: None)
    request = RequestFactory().get("/ogc/collections/x/items")
    error = DataError('invalid input syntax for type bigint: "abc"')
    response = middleware.process_exception(request, error)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["code"] == "invalid-value" and "bigint" not in response.content.decode()
