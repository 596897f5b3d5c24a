"""End to end: a light-out report on a working pole changes its public state within the same
request cycle (vector tile, OGC API item, legend count), the dispatcher's confirmation and
the crew's work move it on, the repair brings it back to working after the set days; several
reports on one pole are one incident; staff-only poles are never published as points."""

import json
import math
from datetime import timedelta

import mapbox_vector_tile
import pytest
from django.utils import timezone

from tests.conditions.conftest import lonlat

pytestmark = [pytest.mark.usefixtures("registers"), pytest.mark.django_db]

REPORTS = "/api/v1/reports"


def _lonely_pole():
    """A working pole with no other pole within ~26 m (a pin near it is about it alone)."""

    from geoportal.conditions.models import Pole

    for pole in Pole.objects.filter(state="working").order_by("pk")[:300]:
        if not Pole.objects.filter(geom__dwithin=(pole.geom, 40)).exclude(pk=pole.pk).exists():
            return pole
    pytest.fail("no lonely pole in the demo")


def _report(client, pole, category="light-out", offset_m=0.0):
    lon, lat = lonlat(pole.geom)
    body = {"category": category, "lat": lat + offset_m / 111_320, "lon": lon, "located_by": "pin",
            "description": "Не світить"}  # fmt: skip
    r = client.post(REPORTS, json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def _status(client, report_id, status, note=""):
    r = client.post(f"{REPORTS}/{report_id}/status", json.dumps({"status": status, "note": note}),
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content


def _tile(lon, lat, z):
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def _tile_state(client, pole) -> str:
    lon, lat = lonlat(pole.geom)
    z, x, y = _tile(lon, lat, 16)
    r = client.get(f"/tiles/lighting-condition/{z}/{x}/{y}.mvt")
    assert r.status_code == 200, r.status_code
    data = b"".join(r.streaming_content) if r.streaming else r.content
    layer = mapbox_vector_tile.decode(data)["lighting-condition"]
    return next(f["properties"]["state"] for f in layer["features"] if f["id"] == pole.pk)


def _ogc_state(client, pole) -> str:
    r = client.get(f"/ogc/collections/lighting-condition/items/{pole.pk}", {"f": "json"})
    assert r.status_code == 200, r.content[:300]
    return r.json()["properties"]["state"]


def _legend(client) -> dict:
    r = client.get("/api/v1/conditions/lighting/legend")
    assert r.status_code == 200
    return {c["value"]: c["count"] for c in r.json()["classes"]}


def test_report_confirm_repair_working(client, dispatcher, django_user_model):
    from geoportal.conditions import registers
    from geoportal.conditions.models import Pole

    pole = _lonely_pole()
    before = _legend(client)
    assert _tile_state(client, pole) == "working" and _ogc_state(client, pole) == "working"

    first = _report(client, pole, offset_m=8)  # a pin 8 m off the only pole around
    assert _tile_state(client, pole) == "reported"
    assert _ogc_state(client, pole) == "reported"
    after = _legend(client)
    assert after["reported"] == before["reported"] + 1
    assert after["working"] == before["working"] - 1

    second = _report(client, pole)  # another resident, same pole: the same incident
    pole.refresh_from_db()
    assert pole.incidents.count() == 1 and pole.incidents.get().links.count() == 2

    client.force_login(dispatcher)
    _status(client, first, "confirmed")
    assert _ogc_state(client, pole) == "confirmed"
    _status(client, first, "in_progress")
    assert _tile_state(client, pole) == "in_repair"
    _status(client, second, "rejected", note="Дубль")  # still one open
    assert _ogc_state(client, pole) == "in_repair"
    _status(client, first, "resolved")
    assert _tile_state(client, pole) == "repaired" and _ogc_state(client, pole) == "repaired"
    incident = pole.incidents.get()
    assert incident.closed_at is not None and incident.repaired_at is not None

    assert registers.expire_repaired(now=timezone.now() + timedelta(days=3)) == 0
    assert registers.expire_repaired(now=timezone.now() + timedelta(days=8)) >= 1
    assert _ogc_state(client, pole) == "working"
    states = list(Pole.objects.get(pk=pole.pk).events.values_list("state", flat=True))
    assert states == ["reported", "confirmed", "in_repair", "repaired", "working"]
    figures = client.get("/api/v1/conditions/lighting/figures", {"by": "street"}).json()
    row = next(
        r
        for r in figures["rows"]
        if r["street"] == pole.street and r["settlement"] == pole.settlement
    )
    assert row["mean_days_to_repair"] is not None and row["mean_days_to_repair"] < 1


def test_pin_between_two_poles_links_none(client):
    from django.contrib.gis.geos import Point

    from geoportal.conditions.models import IncidentReport, Pole

    pole = _lonely_pole()
    # a second pole ~10 m east (15 units of 3857 at 48° N): a pin between them names neither
    other = Pole.objects.create(number="999", street=pole.street, settlement=pole.settlement,
                                geom=Point(pole.geom.x + 15, pole.geom.y, srid=3857))  # fmt: skip
    mid = Point(pole.geom.x + 7.5, pole.geom.y, srid=3857)
    lon, lat = lonlat(mid)
    body = {"category": "light-out", "lat": lat, "lon": lon, "located_by": "pin"}
    r = client.post(REPORTS, json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    assert not IncidentReport.objects.filter(report_id=r.json()["id"]).exists()
    other.delete()
    r = client.post(REPORTS, json.dumps(body), content_type="application/json")
    assert IncidentReport.objects.get(report_id=r.json()["id"]).incident.pole_id == pole.pk


def test_other_categories_change_nothing(client):
    from geoportal.conditions.models import IncidentReport

    pole = _lonely_pole()
    rid = _report(client, pole, category="missing-sign")
    assert not IncidentReport.objects.filter(report_id=rid).exists()
    assert _ogc_state(client, pole) == "working"


def test_staff_only_poles_publish_streets(client):
    from geoportal.conditions import publish
    from layers.models import Layer, LayerRole

    source = Layer.objects.get(role=LayerRole.STREET_LIGHTS)
    source.access = "staff"
    source.save()
    layer = publish.lighting()
    assert layer.geometry_type == "MultiLineString" and "number" not in layer.attribute_names()
    r = client.get("/ogc/collections/lighting-condition/items", {"f": "json", "limit": 500})
    assert r.status_code == 200
    features = r.json()["features"]
    assert features and all(f["geometry"]["type"] == "MultiLineString" for f in features)
    assert all("number" not in f["properties"] for f in features)
    legend = client.get("/api/v1/conditions/lighting/legend").json()
    assert legend["property"] == "share_working" and legend["total"] == len(features)
    rows = client.get("/api/v1/conditions/lighting/figures").json()["rows"]
    assert rows and all(0 <= r["share_working"] <= 100 for r in rows)


def test_export_is_open_data(client):
    r = client.get("/api/v1/layers/lighting-condition/export/", {"format": "csv"})
    assert r.status_code == 200
    body = b"".join(r.streaming_content) if r.streaming else r.content
    assert "state" in body.decode("utf-8").splitlines()[0]
