"""The web map's JSON helpers and the shareable map, on the real demo in PostGIS: parcel card
(with master-plan zone), facilities by need, share download and the export_map command."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection

from core.errors import PortalError
from geoportal.webmap import accessibility, cards, export

pytestmark = pytest.mark.django_db
BBOX = "32.755,48.105,32.770,48.115"


@pytest.fixture
def demo(demo_layers):
    if "parcels" not in demo_layers:
        pytest.skip("needs the demo hromada")
    return demo_layers


def _parcel_in_zone():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.fid, p.cadnum, z.code FROM layerdata.parcels p"
            " JOIN layerdata.masterplan_zones z ON ST_Within(p.geom, z.geom) ORDER BY p.fid LIMIT 1"
        )
        return cur.fetchone()


def test_parcel_card_has_cadnum_and_zone(demo, client):
    fid, cadnum, code = _parcel_in_zone()
    response = client.get(f"/api/v1/parcels/{fid}/card/")
    assert response.status_code == 200
    card = response.json()
    assert card["cadnum"] == cadnum
    assert card["zones"][0]["code"] == code and card["zones"][0]["share"] == 1.0
    titles = {a["name"]: a["title"] for a in card["attributes"]}
    assert titles["cadnum"] == "Кадастровий номер"
    assert abs(card["measured_area_ha"] - card["area_ha"]) / card["area_ha"] < 0.2


def test_parcel_card_unknown_fid_is_404_problem(demo, client):
    response = client.get("/api/v1/parcels/999999999/card/")
    assert response.status_code == 404
    assert response.json()["code"] == "parcel-not-found"


def test_parcel_card_respects_access(demo):
    fid, _cadnum, _code = _parcel_in_zone()
    demo["parcels"].__class__.objects.filter(slug="parcels").update(access="staff")
    with pytest.raises(PortalError) as err:
        cards.parcel_card(AnonymousUser(), fid)
    assert err.value.status == 404
    planner = get_user_model().objects.get(username="planner")
    assert cards.parcel_card(planner, fid)["fid"] == fid


def test_zones_hidden_when_zone_layer_not_visible(demo):
    fid, _cadnum, _code = _parcel_in_zone()
    demo["parcels"].__class__.objects.filter(slug="masterplan-zones").update(access="staff")
    assert cards.parcel_card(AnonymousUser(), fid)["zones"] == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("так", True), ("+", True), ("1", True), (True, True), ("Ні", False), ("немає", False),
     ("-", False), ("0", False), (None, False), ("", False)],
)  # fmt: skip
def test_yes_spellings(value, expected):
    assert accessibility.is_yes(value) is expected


def test_facilities_by_need(demo, client):
    data = client.get("/api/v1/webmap/facilities/").json()
    assert {n["key"] for n in data["needs"]} >= {"wheelchair", "sign_language", "braille"}
    features = data["features"]
    assert len(features) == demo["facilities"].feature_count
    wheelchair = [f for f in features if "wheelchair" in f["properties"]["needs"]]
    assert 0 < len(wheelchair) < len(features)
    for f in wheelchair:
        assert set(f["properties"]["offers"]) & {"step_free_entrance", "ramp", "lift"}
    lon, lat = features[0]["geometry"]["coordinates"]
    assert 32.4 < lon < 33.1 and 47.9 < lat < 48.4


def test_share_download_public_layers(demo, client):
    response = client.get(f"/api/v1/webmap/share/?bbox={BBOX}&layers=parcels,buildings")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    assert "L.map" in html or "leaflet" in html.lower()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT cadnum FROM layerdata.parcels WHERE geom &&"
            " ST_Transform(ST_MakeEnvelope(32.755,48.105,32.770,48.115,4326),3857) LIMIT 1"
        )
        assert cur.fetchone()[0] in html


@pytest.mark.parametrize(
    ("query", "code", "status"),
    [("bbox=1,2&layers=parcels", "bad-bbox", 400),
     (f"bbox={BBOX}&layers=manholes", "layer-not-found", 404),
     (f"bbox={BBOX}&layers=", "no-layers", 400),
     (f"bbox={BBOX}&layers=flood-depth", "raster-not-exportable", 400)],
)  # fmt: skip
def test_share_bad_input(demo, client, query, code, status):
    response = client.get(f"/api/v1/webmap/share/?{query}")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_export_map_command(demo, tmp_path):
    out = tmp_path / "map.html"
    call_command("export_map", layers="parcels,streets", bbox=BBOX, out=str(out), verbosity=0)
    html = out.read_text(encoding="utf-8")
    title = "Земельні ділянки"
    assert title in html or json.dumps(title)[1:-1] in html
    assert '"FeatureCollection"' in html


def test_export_map_refuses_staff_layer(demo, tmp_path):
    with pytest.raises(CommandError, match="unknown layer 'manholes'"):
        call_command("export_map", layers="manholes", bbox=BBOX, out=str(tmp_path / "m.html"))


def test_build_map_local_assets(demo):
    html = export.build_map(AnonymousUser(), ["parcels"], export.parse_bbox(BBOX),
                            local_assets="/static/vendor/")  # fmt: skip
    assert "/static/vendor/leaflet/leaflet.js" in html


def test_street_labels(demo, client):
    labels = client.get("/api/v1/webmap/street-labels/").json()["labels"]
    assert labels
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT name FROM layerdata.streets")
        names = {r[0] for r in cur.fetchall()}
    assert {label["name"] for label in labels} <= names
    assert all(-90 <= label["angle"] <= 90 for label in labels)


def test_street_labels_follow_access(demo, client):
    demo["streets"].__class__.objects.filter(slug="streets").update(access="staff")
    assert client.get("/api/v1/webmap/street-labels/").json()["labels"] == []


def test_feature_info_for_permalink(demo, client):
    with connection.cursor() as cur:
        cur.execute("SELECT fid, name FROM layerdata.bus_stops ORDER BY fid LIMIT 1")
        fid, name = cur.fetchone()
    info = client.get(f"/api/v1/webmap/features/bus-stops/{fid}/").json()
    assert info["properties"]["name"] == name and info["fid"] == fid
    assert 32.4 < info["center"][0] < 33.1
    assert client.get("/api/v1/webmap/features/bus-stops/999999999/").status_code == 404
    response = client.get("/api/v1/webmap/features/manholes/1/")  # staff-only: as if absent
    assert response.status_code == 404 and response.json()["code"] == "layer-not-found"


def test_export_map_command_local_assets(demo, tmp_path):
    out = tmp_path / "map.html"
    call_command(
        "export_map", layers="parcels", bbox=BBOX, out=str(out),
        assets_url="https://portal.example/static/vendor/", verbosity=0,
    )  # fmt: skip
    assert "https://portal.example/static/vendor/leaflet/leaflet.js" in out.read_text()
