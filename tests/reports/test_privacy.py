"""Private data (name, e-mail, phone, postal address, typed location, IP) never reaches the
public page, the public GeoJSON list, the nearby list or the report JSON."""

import json

import pytest

pytestmark = pytest.mark.django_db
PRIVATE = {
    "name": "Ганна Таємна",
    "email": "hanna.secret@example.org",
    "phone": "+380671234567",
    "postal_address": "вул. Потаємна, 13, кв. 666",
    "location_text": "біля мого будинку на Потаємній 13",
}


@pytest.fixture
def appeal(client):
    body = {"category": "road-surface", "lat": 48.111, "lon": 32.765, "is_appeal": True,
            "located_by": "pin", "description": "Просіла дорога", **PRIVATE}  # fmt: skip
    r = client.post("/api/v1/reports", json.dumps(body), content_type="application/json",
                    REMOTE_ADDR="10.66.66.66")  # fmt: skip
    assert r.status_code == 201, r.content
    return r


def leaks(text: str) -> list[str]:
    found = [v for v in PRIVATE.values() if v in text]
    found += [w for w in ("Таємна", "Потаємн", "hanna.secret", "1234567", "10.66.66.66")
              if w in text]  # fmt: skip
    return found


def test_private_fields_never_public(client, appeal):
    pk = appeal.json()["id"]
    assert not leaks(appeal.content.decode())
    page = client.get(f"/reports/{pk}/")
    assert page.status_code == 200 and "Просіла дорога" in page.content.decode()
    assert not leaks(page.content.decode())
    detail = client.get(f"/api/v1/reports/{pk}")
    assert detail.status_code == 200 and not leaks(detail.content.decode())
    listing = client.get("/api/v1/reports/", {"bbox": "32.7,48.0,32.8,48.2"})
    assert listing.status_code == 200
    assert pk in [f["id"] for f in listing.json()["features"]]
    assert not leaks(listing.content.decode())
    near = client.get("/api/v1/reports/nearby", {"lat": 48.111, "lon": 32.765,
                                                 "category": "road-surface"})  # fmt: skip
    assert pk in [x["id"] for x in near.json()["reports"]] and not leaks(near.content.decode())
    # Staff see the contact in the admin: the data is really stored, so the checks above bite.
    from geoportal.reports.models import Report

    stored = Report.objects.get(pk=pk)
    assert stored.email == PRIVATE["email"] and stored.ip == "10.66.66.66"


def test_public_list_filters(client, appeal):
    pk = appeal.json()["id"]
    outside = client.get("/api/v1/reports/", {"bbox": "32.0,47.0,32.1,47.1"}).json()
    assert pk not in [f["id"] for f in outside["features"]]
    assert pk in [
        f["id"] for f in client.get("/api/v1/reports/", {"status": "open"}).json()["features"]
    ]
    closed = client.get("/api/v1/reports/", {"status": "closed"}).json()
    assert pk not in [f["id"] for f in closed["features"]]
    for bad in ({"bbox": "1,2,3"}, {"bbox": "5,5,1,1"}, {"bbox": "-5e16,1,2,3"},
                {"bbox": "nan,1,2,3"}, {"status": "maybe"}):  # fmt: skip
        r = client.get("/api/v1/reports/", bad)
        assert r.status_code == 400 and r.json()["code"] == "invalid-filter"
    assert client.get("/reports/999999999/").status_code == 404
