"""Open311 GeoReport v2 through plain HTTP against a live gunicorn (requests), validated
against the spec's JSON Schemas (open311_schemas/, CC BY 3.0) and parsed as XML."""

import json
from pathlib import Path

import pytest
import requests
from jsonschema import Draft7Validator
from lxml import etree
from referencing import Registry
from referencing.jsonschema import DRAFT7

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "open311_schemas"
PRIVATE = ["Тарас", "Приватний", "taras@example.org", "+380501112233"]


def validator(name: str) -> Draft7Validator:
    resources = [(p.name, DRAFT7.create_resource(json.loads(p.read_text())))
                 for p in SCHEMAS.glob("*.json")]  # fmt: skip
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft7Validator(schema, registry=Registry().with_resources(resources))


def check(name: str, doc) -> None:
    errors = list(validator(name).iter_errors(doc))
    assert not errors, [e.message for e in errors]


@pytest.fixture(scope="module")
def api(portal_server, django_db_blocker):
    from geoportal.reports.models import ApiKey

    with django_db_blocker.unblock():  # committed: the server sees it
        key, _ = ApiKey.objects.get_or_create(name="test-bot")
    return portal_server + "/open311/v2", key.key


@pytest.fixture(scope="module")
def created(api):
    base, key = api
    r = requests.post(base + "/requests.json", timeout=30, data={
        "api_key": key, "service_code": "manhole", "lat": 48.1101, "long": 32.7642,
        "description": "Відкритий люк біля зупинки", "attribute[state]": "відкритий",
        "first_name": "Тарас", "last_name": "Приватний", "email": "taras@example.org",
        "phone": "+380501112233",
    })  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body) == 1 and body[0]["service_request_id"].isdigit()
    return body[0]["service_request_id"]


def test_services_json_and_xml(api):
    base, _ = api
    r = requests.get(base + "/services.json", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    check("services.json", r.json())
    codes = {s["service_code"] for s in r.json()}
    assert {"pothole", "light-out", "manhole", "other"} <= codes
    root = etree.fromstring(requests.get(base + "/services.xml", timeout=30).content)
    assert root.tag == "services" and root.find("service/service_code") is not None
    assert len(root.findall("service")) == len(codes)


def test_service_definition_from_the_questions(api):
    base, _ = api
    r = requests.get(base + "/services/manhole.json", timeout=30)
    check("service-definition.json", r.json())
    attrs = {a["code"]: a for a in r.json()["attributes"]}
    assert attrs["state"]["datatype"] == "singlevaluelist" and attrs["state"]["required"]
    assert {v["key"] for v in attrs["state"]["values"]} == {"відкритий", "зламана кришка", "просів"}
    root = etree.fromstring(requests.get(base + "/services/manhole.xml", timeout=30).content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None
    r = requests.get(base + "/services/nope.json", timeout=30)
    assert r.status_code == 404 and r.json()[0]["code"] == 404


def test_get_request_by_id_and_filters_without_private_data(api, created):
    base, _ = api
    for url in (f"/requests/{created}.json", f"/requests.json?service_request_id={created}"):
        r = requests.get(base + url, timeout=30)
        assert r.status_code == 200
        check("requests.json", r.json())
        item = r.json()[0]
        assert item["service_request_id"] == created and item["status"] == "open"
        assert item["service_code"] == "manhole" and abs(item["lat"] - 48.1101) < 1e-6
        assert item["agency_responsible"] == "КП «Водоканал»"
        assert not any(p in r.text for p in PRIVATE)
    xml = requests.get(base + f"/requests/{created}.xml", timeout=30)
    root = etree.fromstring(xml.content)
    assert root.tag == "service_requests" and root.findtext("request/status") == "open"
    assert not any(p in xml.content.decode() for p in PRIVATE)

    def ids(**params):
        r = requests.get(base + "/requests.json", params=params, timeout=30)
        assert r.status_code == 200, r.text
        if r.json():
            check("requests.json", r.json())
        return {x["service_request_id"] for x in r.json()}

    assert created in ids()
    assert created in ids(service_code="manhole,pothole", status="open")
    assert created not in ids(service_code="pothole")
    assert created not in ids(status="closed")
    assert created in ids(start_date="2020-01-01T00:00:00Z")
    assert created not in ids(start_date="2100-01-01T00:00:00Z")
    assert created not in ids(end_date="2020-01-01T00:00:00Z")
    assert requests.get(base + "/requests/999999999.json", timeout=30).status_code == 404


@pytest.mark.parametrize(
    "params, status, expected",
    [
        ({"start_date": "yesterday"}, 400, "start_date"),
        ({"status": "pending"}, 400, "status"),
        ({"service_request_id": "1;drop"}, 400, "service_request_id"),
        # well-formed but impossible, and beyond a bigint: were 500s
        ({"start_date": "2026-02-30"}, 400, "start_date"),
        ({"end_date": "2026-13-01T00:00:00Z"}, 400, "end_date"),
        ({"service_request_id": "99999999999999999999"}, 400, "service_request_id"),
        ({"service_request_id": "١٢"}, 400, "service_request_id"),
    ],
)
def test_bad_filters_are_spec_errors(api, params, status, expected):
    base, _ = api
    r = requests.get(base + "/requests.json", params=params, timeout=30)
    assert r.status_code == status
    assert r.json()[0]["code"] == status and expected in r.json()[0]["description"]
    x = requests.get(base + "/requests.xml", params=params, timeout=30)
    root = etree.fromstring(x.content)
    assert root.tag == "errors" and root.findtext("error/code") == str(status)


@pytest.mark.parametrize(
    "data, status, expected",
    [
        ({"service_code": "pothole", "lat": 48.11, "long": 32.76}, 403, "api_key"),
        ({"api_key": "wrong", "service_code": "pothole", "lat": 48.11, "long": 32.76}, 403,
         "api_key"),
        ({"service_code": "nope", "lat": 48.11, "long": 32.76}, 400, "category"),
        ({"service_code": "other", "lat": 50.45, "long": 30.52}, 400, "lat"),
        ({"service_code": "other"}, 400, "location"),
        ({"service_code": "pothole", "lat": 48.11, "long": 32.76}, 400, "answers.size"),
        ({"service_code": "other", "lat": 48.11, "long": 32.76,
          "description": "<b>x</b>"}, 400, "description"),
    ],
)  # fmt: skip
def test_post_errors(api, data, status, expected):
    base, key = api
    if "api_key" not in data and status != 403:
        data = {**data, "api_key": key}
    r = requests.post(base + "/requests.json", data=data, timeout=30)
    assert r.status_code == status, r.text
    assert all(e["code"] == status for e in r.json())
    assert any(expected in e["description"] for e in r.json())


def test_post_xml_and_text_location(api, registry):
    base, key = api
    r = requests.post(base + "/requests.xml", timeout=30, data={
        "api_key": key, "service_code": "manhole", "address_string": "люк К-204",
        "attribute[state]": "просів",
    })  # fmt: skip
    assert r.status_code == 200, r.text
    root = etree.fromstring(r.content)
    assert root.findtext("request/service_request_id").isdigit()


def test_request_id_beyond_a_bigint_is_not_found(api):
    base, _ = api
    r = requests.get(base + "/requests/99999999999999999999.json", timeout=30)
    assert r.status_code == 404 and r.json()[0]["code"] == 404


def test_openapi_document_lists_the_endpoints(api):
    base, _ = api
    doc = requests.get(base + "/openapi.json", timeout=30).json()
    assert doc["openapi"].startswith("3.") and doc["servers"] == [{"url": "/open311/v2"}]
    assert set(doc["paths"]) == {
        "/services.{format}", "/services/{service_code}.{format}",
        "/requests.{format}", "/requests/{service_request_id}.{format}",
    }  # fmt: skip
    assert set(doc["paths"]["/requests.{format}"]) == {"get", "post"}
