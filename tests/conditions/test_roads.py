"""Pothole and road-surface reports degrade a segment's published condition while they are
open and restore it when they are closed; the kilometres by condition follow."""

import json

import pytest

from tests.conditions.conftest import lonlat

pytestmark = [pytest.mark.usefixtures("registers"), pytest.mark.django_db]

REPORTS = "/api/v1/reports"


def _item(client, segment) -> dict:
    r = client.get(f"/ogc/collections/road-condition/items/{segment.pk}", {"f": "json"})
    assert r.status_code == 200, r.content[:300]
    return r.json()["properties"]


def _km(client, settlement) -> dict:
    rows = client.get("/api/v1/conditions/roads/figures").json()["rows"]
    return next(r for r in rows if r["settlement"] == settlement)["km_by_condition"]


def test_pothole_reports_degrade_and_restore(client, dispatcher):
    from geoportal.conditions.models import Segment

    segment = Segment.objects.filter(condition="good", length_m__gt=100).order_by("pk").first()
    assert _item(client, segment)["condition"] == "good"
    km_before = _km(client, segment.settlement)
    mid = segment.geom.interpolate_normalized(0.5)
    lon, lat = lonlat(mid)
    ids = []
    answers = {"pothole": {"size": "30–100 см"}, "road-surface": {}}
    for category in ("pothole", "road-surface"):
        body = {"category": category, "lat": lat, "lon": lon, "located_by": "pin",
                "answers": answers[category], "description": "Яма"}  # fmt: skip
        r = client.post(REPORTS, json.dumps(body), content_type="application/json")
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])
    item = _item(client, segment)
    assert item["condition"] == "fair" and item["inspected_condition"] == "good"
    assert item["open_reports"] == 2
    km = _km(client, segment.settlement)
    assert km["fair"] == pytest.approx(km_before["fair"] + segment.length_m / 1000, abs=0.002)

    client.force_login(dispatcher)
    for rid in ids:
        r = client.post(f"{REPORTS}/{rid}/status", json.dumps({"status": "resolved"}),
                        content_type="application/json")  # fmt: skip
        assert r.status_code == 200, r.content
    item = _item(client, segment)
    assert item["condition"] == "good" and item["open_reports"] == 0
    assert _km(client, segment.settlement) == km_before


def test_legend_counts_segments(client):
    legend = client.get("/api/v1/conditions/roads/legend").json()
    from geoportal.conditions.models import Segment

    assert legend["total"] == Segment.objects.count()
    assert [c["value"] for c in legend["classes"]] == ["good", "fair", "poor", "critical"]
    assert client.get("/api/v1/conditions/nothing/legend").status_code == 404
    assert client.get("/api/v1/conditions/roads/figures", {"by": "x\x00"}).status_code == 400
