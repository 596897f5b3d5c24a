"""One validation layer (core.validation) for every API: the inputs an outside probe turned into
500s are the client's 400 in that API's own error format, naming the parameter, and error bodies
never show library internals."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import PortalError
from core.validation import (
    clean_text,
    parse_bbox,
    parse_date_or_datetime,
    parse_interval,
    parse_number,
)

pytestmark = pytest.mark.django_db

FES = 'xmlns:fes="http://www.opengis.net/fes/2.0"'
EQUAL = (
    "<fes:PropertyIsEqualTo><fes:ValueReference>name</fes:ValueReference>"
    "<fes:Literal>1</fes:Literal></fes:PropertyIsEqualTo>"
)
POINT_1E308 = {"op": "s_intersects", "args": [{"property": "geometry"},
               {"type": "Point", "coordinates": [1e308, 0]}]}  # fmt: skip

# (path, query, the parameter the error must name or None, expected code)
PROBES = [
    ("/ogc/collections/parcels/items", {"datetime": "2024-02-30"}, "datetime", "invalid-datetime"),
    ("/api/v1/layers/parcels/features/", {"datetime": "2024-02-30"}, "datetime", "invalid-datetime"),
    ("/ogc/collections/parcels/items", {"datetime": "2024-05-02/2024-05-01"}, "datetime", "invalid-datetime"),
    ("/ogc/collections/parcels/items", {"bbox": "32.7,48.1,32.8,95"}, "bbox", "out-of-range"),
    ("/ogc/collections/parcels/items", {"bbox": "NaN,48.1,32.8,48.2"}, "bbox", "invalid-number"),
    ("/ogc/collections/parcels/items", {"bbox": "-inf,48.1,inf,48.2"}, "bbox", "invalid-number"),
    ("/ogc/collections/parcels/items", {"filter": "S_INTERSECTS(geometry,POINT(0 95))"}, "filter", "out-of-range"),
    ("/ogc/collections/parcels/items", {"filter-lang": "cql2-json", "filter": json.dumps(POINT_1E308)}, "filter", "out-of-range"),
    ("/ogc/collections/parcels/items", {"area_ha": "abc"}, "area_ha", "invalid-number"),
    ("/ogc/collections/parcels/items", {"reg_date": "2024-02-30"}, "reg_date", "invalid-datetime"),
    ("/api/v1/layers/parcels/features/", {"area_ha": "abc"}, "area_ha", "invalid-number"),
    ("/api/v1/layers/parcels/export/", {"format": "csv", "bbox": "32.7,48.1,32.8,95"}, "bbox", "out-of-range"),
]  # fmt: skip


@pytest.mark.parametrize("path, query, parameter, code", PROBES)
def test_hostile_values_are_a_400_naming_the_parameter(
    client, demo_layers, path, query, parameter, code
):
    response = client.get(path, query)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["detail"].startswith(parameter)


@pytest.mark.parametrize(
    "text",
    ["S_INTERSECTS(geometry,", "name = ", "CASEI(name) = 'x'", "name LIKE 5 5", "((("],
)
def test_filter_errors_never_show_library_internals(client, demo_layers, text):
    response = client.get("/ogc/collections/bus-stops/items", {"filter": text})
    assert response.status_code == 400
    for internal in ("<class", "pygeofilter", "lark", "Token(", "Traceback"):
        assert internal not in response.content.decode()


def _wfs_post(client, filter_xml):
    body = (
        '<wfs:GetFeature service="WFS" version="2.0.0" count="1" '
        f'xmlns:wfs="http://www.opengis.net/wfs/2.0" {FES}>'
        f'<wfs:Query typeNames="bus-stops"><fes:Filter>{filter_xml}</fes:Filter></wfs:Query>'
        "</wfs:GetFeature>"
    )
    return client.post("/wfs", body, content_type="application/xml")


def test_wfs_deeply_nested_filter_is_an_ows_exception(client, demo_layers):
    assert _wfs_post(client, "<fes:Not>" * 20 + EQUAL + "</fes:Not>" * 20).status_code == 200
    response = _wfs_post(client, "<fes:Not>" * 3000 + EQUAL + "</fes:Not>" * 3000)
    assert response.status_code == 400
    assert b"OperationParsingFailed" in response.content and b"nested deeper" in response.content


def test_wfs_function_with_a_negative_argument_is_an_ows_exception(client, demo_layers):
    substring = (
        '<fes:PropertyIsEqualTo><fes:Function name="strSubstring">'
        "<fes:ValueReference>name</fes:ValueReference><fes:Literal>-5</fes:Literal>"
        "<fes:Literal>3</fes:Literal></fes:Function><fes:Literal>Ce</fes:Literal>"
        "</fes:PropertyIsEqualTo>"
    )
    response = _wfs_post(client, substring)
    assert response.status_code == 400 and b"InvalidParameterValue" in response.content


# --- properties of the validation layer ---------------------------------------------------


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_numbers_are_finite_or_refused(value):
    try:
        parsed = parse_number(repr(value), "x")
    except PortalError as exc:
        assert exc.status == 400 and exc.detail.startswith("x:")
    else:
        assert parsed == parsed and abs(parsed) != float("inf")


@settings(max_examples=200)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=4, max_size=4))
def test_a_geographic_bbox_is_on_the_globe_or_refused(corners):
    try:
        x0, y0, x1, y1 = parse_bbox(",".join(map(repr, corners)))
    except PortalError as exc:
        assert exc.status == 400 and exc.extra["parameter"] == "bbox"
    else:
        assert -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90


@given(st.integers(1, 9999), st.integers(-3, 16), st.integers(-3, 40))
def test_dates_exist_on_the_calendar_or_are_refused(year, month, day):
    import datetime

    text = (
        f"{year:04d}-{month:02d}-{day:02d}" if month >= 0 and day >= 0 else f"{year}-{month}-{day}"
    )
    try:
        expected = datetime.date(year, month, day)
    except ValueError:
        expected = None
    try:
        parsed = parse_date_or_datetime(text, "d", "date")
    except PortalError:
        parsed = None
    assert parsed == expected


@given(st.text(max_size=60))
def test_intervals_are_ordered_or_refused(text):
    try:
        start, end = parse_interval(text)
    except PortalError as exc:
        assert exc.code == "invalid-datetime"
    else:
        assert start is None or end is None or str(start) <= str(end) or "T" in text


@given(st.text(max_size=50))
def test_stored_text_has_no_control_characters(text):
    try:
        cleaned = clean_text(text, "description", limit=40)
    except PortalError as exc:
        assert exc.code in ("too-long", "control-character")
    else:
        assert len(cleaned) <= 40 and not any(
            ord(c) < 32 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F for c in cleaned
        )
