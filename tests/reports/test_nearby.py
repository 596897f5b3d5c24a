"""Before submitting: open reports of the same category nearby, confirm, subscribe."""

import json

import pytest

from geoportal.reports.models import Confirmation, Subscription

from .conftest import create_report

pytestmark = pytest.mark.django_db


def test_nearby_lists_open_reports_of_the_category_only(client):
    near = create_report(client)
    other_category = create_report(client, category="other")
    far = create_report(client, lat=48.13, lon=32.79)
    r = client.get("/api/v1/reports/nearby", {"lat": 48.1101, "lon": 32.7641,
                                              "category": "light-out"})  # fmt: skip
    assert r.status_code == 200
    ids = [x["id"] for x in r.json()["reports"]]
    assert near in ids and far not in ids and other_category not in ids
    assert client.get("/api/v1/reports/nearby", {"lat": "x"}).status_code == 400
    bad = client.get("/api/v1/reports/nearby", {"lat": 48.11, "lon": 32.76, "category": "zzz"})
    assert bad.status_code == 400 and "category" in bad.json()["errors"]
    # Off the globe (found by schemathesis: was a 500 from the coordinate transform).
    for lat, lon in [(-1e-21, -5.8e16), (91, 32.76), ("nan", 32.76), (48.11, "inf")]:
        bad = client.get("/api/v1/reports/nearby", {"lat": lat, "lon": lon})
        assert bad.status_code == 400 and "lat" in bad.json()["errors"], (lat, lon)


def test_confirm_once_per_address_and_subscribe(client):
    pk = create_report(client)
    r = client.post(f"/api/v1/reports/{pk}/confirm")
    assert r.status_code == 201 and r.json()["confirmations"] == 1
    r = client.post(f"/api/v1/reports/{pk}/confirm")
    assert r.status_code == 200 and r.json() == {"id": pk, "confirmations": 1, "added": False}
    r = client.post(f"/api/v1/reports/{pk}/confirm", REMOTE_ADDR="10.0.0.7")
    assert r.json()["confirmations"] == 2
    assert Confirmation.objects.filter(report_id=pk).count() == 2
    r = client.post(f"/api/v1/reports/{pk}/subscribe", json.dumps({"email": "n@example.org"}),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 201
    r = client.post(f"/api/v1/reports/{pk}/subscribe", json.dumps({"email": "nope"}),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "email" in r.json()["errors"]
    assert list(Subscription.objects.filter(report_id=pk).values_list("email", flat=True)) == [
        "n@example.org"
    ]
    assert client.post("/api/v1/reports/999999999/confirm").status_code == 404
