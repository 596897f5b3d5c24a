"""WFS-T (issue 20): Insert, Update and Delete by an editor through /wfs, seen in OGC API items
and tiles at once, recorded and revertible; refused with the OWS exception for the anonymous,
for a signed-in non-editor and for a browser without the CSRF token; bad values refused
whole, nothing half-applied; OWSLib reads the inserted feature back."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import mapbox_vector_tile
import morecantile
import pytest

from importers.pipeline import ImportOptions, import_vector
from layers.editing import revert
from layers.models import FeatureEdit, Layer

pytestmark = pytest.mark.django_db
OWS = "{http://www.opengis.net/ows/1.1}"
WFS = "{http://www.opengis.net/wfs/2.0}"
FES = "{http://www.opengis.net/fes/2.0}"
TMS = morecantile.tms.get("WebMercatorQuad")
SLUG = "wfst-poles"


def basic(username, password="demo-pass-123"):
    """The user's API token header (as QGIS's Basic credentials, not a browser: no CSRF), or
    HTTP Basic itself for ``password``-checked tests (slow: a password hash per request)."""
    from rest_framework.authtoken.models import Token

    if password is None:
        token = base64.b64encode(f"{username}:demo-pass-123".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {token}"}
    key = Token.objects.get_or_create(user__username=username, defaults={"user": _user(username)})
    return {"HTTP_AUTHORIZATION": f"Token {key[0].key}"}


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def poles(tmp_path, monkeypatch):
    from tiles import conf as tile_conf
    from tiles import registry

    monkeypatch.setattr(tile_conf, "CACHE_DIR", str(tmp_path / "cache"))
    registry.reset()
    features = [
        {"type": "Feature", "properties": {"num": f"P-{i}", "height": 9.5, "installed": "2020-05-01"},
         "geometry": {"type": "Point", "coordinates": [32.77 + i * 1e-3, 48.12]}}
        for i in range(3)
    ]  # fmt: skip
    path = tmp_path / "poles.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    import_vector(path, ImportOptions(slug=SLUG, title_uk="Опори"))
    layer = Layer.objects.get(slug=SLUG)
    attrs = [dict(a) for a in layer.attributes]
    for a in attrs:
        if a["name"] == "installed":
            a["type"] = "date"
    yield layer
    registry.reset()


def transaction(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<wfs:Transaction service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" '
        f'xmlns:hromada="https://geoportal.example/hromada">{body}</wfs:Transaction>'
    )


def insert(num="NEW-1", lon=32.78, lat=48.125, height="7.5"):
    return transaction(
        f"<wfs:Insert><hromada:{SLUG}><hromada:num>{num}</hromada:num>"
        f"<hromada:height>{height}</hromada:height><hromada:geom>"
        f'<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{lat} {lon}</gml:pos></gml:Point>'
        f"</hromada:geom></hromada:{SLUG}></wfs:Insert>"
    )


def update(fid, num, lon=None, lat=None):
    geometry = (
        f'<wfs:Property><wfs:ValueReference>geom</wfs:ValueReference><wfs:Value>'
        f'<gml:Point srsName="EPSG:4326"><gml:pos>{lon} {lat}</gml:pos></gml:Point></wfs:Value></wfs:Property>'
        if lon is not None else ""
    )  # fmt: skip
    return transaction(
        f'<wfs:Update typeName="hromada:{SLUG}"><wfs:Property><wfs:ValueReference>num'
        f"</wfs:ValueReference><wfs:Value>{num}</wfs:Value></wfs:Property>{geometry}"
        f'<fes:Filter><fes:ResourceId rid="{SLUG}.{fid}"/></fes:Filter></wfs:Update>'
    )


def delete(fid):
    return transaction(
        f'<wfs:Delete typeName="hromada:{SLUG}"><fes:Filter><fes:ResourceId rid="{SLUG}.{fid}"/>'
        "</fes:Filter></wfs:Delete>"
    )


def post(client, body, **headers):
    return client.post("/wfs", body, content_type="text/xml", **headers)


def items(client):
    response = client.get(f"/ogc/collections/{SLUG}/items", {"f": "json"})
    assert response.status_code == 200
    return {f["id"]: f for f in response.json()["features"]}


def tile_nums(client, lon, lat):
    t = TMS.tile(lon, lat, 16)
    response = client.get(f"/tiles/{SLUG}/{t.z}/{t.x}/{t.y}.mvt")
    if response.status_code == 204:
        return []
    return sorted(f["properties"]["num"] for f in mapbox_vector_tile.decode(response.content)[SLUG]["features"])  # fmt: skip


def exception_code(response) -> str:
    return ET.fromstring(response.content).find(f"{OWS}Exception").get("exceptionCode")


def test_capabilities_advertise_transaction(client, poles):
    xml = client.get("/wfs", {"SERVICE": "WFS", "REQUEST": "GetCapabilities"}).content
    root = ET.fromstring(xml)
    operations = {op.get("name") for op in root.iter(f"{OWS}Operation")}
    assert "Transaction" in operations
    constraint = next(
        c for c in root.iter(f"{OWS}Constraint") if c.get("name") == "ImplementsTransactionalWFS"
    )
    assert constraint.find(f"{OWS}DefaultValue").text == "TRUE"  # fmt: skip


def test_editor_inserts_updates_deletes_seen_in_items_and_tiles(client, poles):
    version = poles.version
    assert tile_nums(client, 32.78, 48.125) == []
    response = post(client, insert(), **basic("planner"))
    assert response.status_code == 200, response.content
    root = ET.fromstring(response.content)
    assert root.find(f"{WFS}TransactionSummary/{WFS}totalInserted").text == "1"
    rid = root.find(f"{WFS}InsertResults/{WFS}Feature/{FES}ResourceId").get("rid")
    fid = int(rid.split(".")[1])
    feature = items(client)[fid]
    assert feature["properties"]["num"] == "NEW-1" and feature["properties"]["height"] == 7.5
    assert feature["geometry"]["coordinates"] == pytest.approx([32.78, 48.125])
    assert tile_nums(client, 32.78, 48.125) == ["NEW-1"]
    assert Layer.objects.get(slug=SLUG).version > version

    response = post(client, update(fid, "MOVED", lon=32.79, lat=48.13), **basic("planner"))
    assert response.status_code == 200, response.content
    assert items(client)[fid]["geometry"]["coordinates"] == pytest.approx([32.79, 48.13])
    assert tile_nums(client, 32.78, 48.125) == [] and tile_nums(client, 32.79, 48.13) == ["MOVED"]

    response = post(client, delete(fid), **basic("planner"))
    assert response.status_code == 200, response.content
    assert fid not in items(client) and tile_nums(client, 32.79, 48.13) == []
    edits = list(FeatureEdit.objects.filter(layer=poles).order_by("pk"))
    assert [(e.action, e.user.username, e.via) for e in edits] == [
        ("insert", "planner", "wfs-t"), ("update", "planner", "wfs-t"), ("delete", "planner", "wfs-t"),
    ]  # fmt: skip
    assert edits[1].before["properties"]["num"] == "NEW-1"
    assert edits[1].after["properties"]["num"] == "MOVED"


def test_edits_are_revertible_in_order(client, poles):
    fid = min(items(client))
    assert post(client, update(fid, "FIXED"), **basic("planner")).status_code == 200
    edit = FeatureEdit.objects.get(layer=poles, fid=fid)
    revert(edit, user=None)
    assert items(client)[fid]["properties"]["num"] == "P-0"
    assert post(client, delete(fid), **basic("planner")).status_code == 200
    assert fid not in items(client)
    revert(FeatureEdit.objects.filter(layer=poles, action="delete").get(), user=None)
    assert items(client)[fid]["properties"]["num"] == "P-0"


@pytest.mark.parametrize(
    "who, status, code",
    [(None, 401, "PermissionDenied"), ("dispatcher", 403, "PermissionDenied"),
     ("analyst", 403, "PermissionDenied")],
    ids=["anonymous", "staff-non-editor", "analyst"],
)  # fmt: skip
def test_non_editors_are_refused_with_the_ows_exception(client, poles, who, status, code):
    before = sorted(items(client))
    for body in (insert(), delete(before[0])):
        response = post(client, body, **(basic(who) if who else {}))
        assert response.status_code == status and exception_code(response) == code
    assert sorted(items(client)) == before and not FeatureEdit.objects.filter(layer=poles).exists()


def test_anonymous_gets_a_basic_challenge_and_basic_works(client, poles):
    assert 'Basic realm="geoportal"' in post(client, insert())["WWW-Authenticate"]
    assert post(client, insert(), **basic("planner", password=None)).status_code == 200


def test_a_signed_in_browser_without_csrf_token_is_refused(poles):
    from django.contrib.auth import get_user_model
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(get_user_model().objects.get(username="planner"))
    response = post(browser, insert())
    assert response.status_code == 403 and exception_code(response) == "PermissionDenied"


@pytest.mark.parametrize(
    "body",
    [
        insert(height="NaN"),
        insert(height="1e999"),
        insert(num="bad\x01char"),
        insert(lon=40.0, lat=60.0),  # far outside the hromada
        insert(lon="nan", lat="nan"),
        update(999999, "GONE"),
        transaction('<wfs:Delete typeName="hromada:wfst-poles"><fes:Filter><fes:PropertyIsEqualTo>'
                    "<fes:ValueReference>num</fes:ValueReference><fes:Literal>P-1</fes:Literal>"
                    "</fes:PropertyIsEqualTo></fes:Filter></wfs:Delete>"),
        transaction(f'<wfs:Delete typeName="hromada:parcels"><fes:Filter><fes:ResourceId rid="{SLUG}.1"/></fes:Filter></wfs:Delete>'),
        insert() + "<garbage",
        transaction("<wfs:Replace/>"),
    ],
    ids=["nan", "infinite", "control-char", "outside", "nan-coords", "gone", "non-id-filter",
         "id-of-another-layer", "malformed", "replace"],
)  # fmt: skip
def test_bad_transactions_are_refused_whole(client, poles, body):
    before = items(client)
    response = post(client, body, **basic("planner"))
    assert 400 <= response.status_code < 500, response.content
    assert exception_code(response)
    assert items(client) == before


def test_one_bad_action_rolls_back_the_good_ones(client, poles):
    before = items(client)
    body = (
        insert().replace("</wfs:Transaction>", "")
        + update(999999, "X").split('xmlns:hromada="https://geoportal.example/hromada">')[1]
    )
    response = post(client, body, **basic("planner"))
    assert response.status_code == 400 and items(client) == before
