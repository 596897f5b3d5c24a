"""Utility outages: an outage's lifecycle by time (planned -> on -> gone, with no job run),
the address search through the locator, the Atom feed, the CSV import's checks (row numbers,
nothing saved) and hostile parameters."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = [pytest.mark.usefixtures("registers"), pytest.mark.django_db]

ATOM = "{http://www.w3.org/2005/Atom}"


def _outage(hours_from_now, hours_long, addresses="вулиця Тополина: 1-7", service="water"):
    from geoportal.conditions.models import Outage
    from geoportal.conditions.outages import resolve_area

    start = timezone.now() + timedelta(hours=hours_from_now)
    return Outage.objects.create(service=service, kind="planned", starts_at=start,
                                 ends_at=start + timedelta(hours=hours_long), addresses=addresses,
                                 area=resolve_area(addresses), reason="Ремонт")  # fmt: skip


def _ids(client, **params):
    r = client.get("/api/v1/outages", params)
    assert r.status_code == 200, r.content
    return {f["id"]: f["properties"]["active"] for f in r.json()["features"]}


def test_lifecycle_by_time(client):
    o = _outage(2, 4)
    assert _ids(client)[o.pk] is False  # planned
    at = (timezone.now() + timedelta(hours=3)).isoformat()
    assert _ids(client, at=at)[o.pk] is True  # on
    later = (timezone.now() + timedelta(hours=7)).isoformat()
    assert o.pk not in _ids(client, at=later)  # ended: gone by itself
    assert o.pk not in _ids(client, planned="0")  # not on yet


def test_address_search(client):
    now = _outage(-1, 3, addresses="вулиця Тополина: 5")
    soon = _outage(24, 2, addresses="вулиця Тополина", service="electricity")
    r = client.get("/api/v1/outages/check", {"address": "вулиця Тополина, 5"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["affected_now"] is True
    assert now.pk in [o["id"] for o in body["now"]]
    assert soon.pk in [o["id"] for o in body["planned"]]
    far = client.get("/api/v1/outages/check", {"lat": 48.09, "lon": 32.70}).json()
    assert far["affected_now"] is False and all(o["id"] != soon.pk for o in far["planned"])


def test_feed_lists_current_outages(client):
    o = _outage(1, 2)
    r = client.get("/api/v1/outages/feed.atom")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any("водопостачання" in (t or "") for t in titles)
    assert any(
        f"outage-{o.pk}" in (e.find(f"{ATOM}link").get("href")) for e in root.iter(f"{ATOM}entry")
    )


def test_csv_import_checks_every_row(tmp_path):
    from geoportal.conditions.models import Outage

    before = Outage.objects.count()
    path = tmp_path / "outages.csv"
    path.write_text(
        "service,kind,starts_at,ends_at,addresses,reason,contact\n"
        "вода,планове,2026-12-03 09:00,2026-12-03 17:00,вулиця Тополина: 1; вулиця Тополина: 3,Ремонт,0800\n"
        "пиво,планове,2026-12-03 09:00,2026-12-03 17:00,вулиця Тополина: 1,,\n"
        "газ,аварійне,2026-12-03 09:00,2026-12-02 17:00,вулиця Тополина: 1,,\n"
        "газ,аварійне,2026-02-30 09:00,2026-12-02 17:00,вулиця Тополина: 1,,\n"
        "газ,аварійне,2026-12-03 09:00,2026-12-03 17:00,вулиця Неіснуюча: 1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_outages", str(path))
    message = str(caught.value)
    assert "row 2: unknown service 'пиво'" in message
    assert "row 3: ends_at is not after starts_at" in message
    assert "row 4: starts_at and ends_at" in message
    assert "row 5: невідома вулиця: вулиця Неіснуюча" in message
    assert Outage.objects.count() == before
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n"
                    + path.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")  # fmt: skip
    call_command("import_outages", str(path), verbosity=0)
    assert Outage.objects.count() == before + 1


@pytest.mark.parametrize("params", [
    {"at": "2026-02-30T10:00:00Z"}, {"at": "NaN"}, {"at": "x" * 5000},
])  # fmt: skip
def test_bad_moment_is_400(client, params):
    r = client.get("/api/v1/outages", params)
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("params", [
    {"lat": "NaN", "lon": "32.7"}, {"lat": "95", "lon": "32.7"}, {"address": "вул\x00"},
    {"address": ""}, {"address": "x" * 500},
])  # fmt: skip
def test_bad_check_is_400(client, params):
    r = client.get("/api/v1/outages/check", params)
    assert r.status_code == 400, (params, r.status_code)


def test_pages_render(client):
    for url in ("/outages/", "/budget/"):
        r = client.get(url)
        assert r.status_code == 200, url
