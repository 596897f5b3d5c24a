"""Editing features through the REST API (issue 20: PUT was 405) and reverting in the admin:
an editor creates, changes and deletes a feature with GeoJSON; anonymous 401, non-editor 403,
bad bodies 400 (never a 500); the admin's record reverts an edit."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from layers.models import FeatureEdit
from tests.layers.test_wfst import SLUG, basic, items, poles  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
URL = f"/api/v1/layers/{SLUG}/features/"


def feature(num="API-1", lon=32.781, lat=48.121, **extra):
    return json.dumps({"type": "Feature", "properties": {"num": num, **extra},
                       "geometry": {"type": "Point", "coordinates": [lon, lat]}})  # fmt: skip


def test_editor_creates_changes_and_deletes(client, poles):  # noqa: F811
    created = client.post(URL, feature(), content_type="application/json", **basic("planner"))
    assert created.status_code == 201, created.content
    fid = created.json()["id"]
    assert items(client)[fid]["properties"]["num"] == "API-1"
    changed = client.put(f"{URL}{fid}/", json.dumps({"properties": {"height": 11.5}}),
                         content_type="application/json", **basic("planner"))  # fmt: skip
    assert changed.status_code == 200 and changed.json()["properties"]["height"] == 11.5
    moved = client.patch(f"{URL}{fid}/", feature("API-2", 32.782, 48.122),
                         content_type="application/json", **basic("planner"))  # fmt: skip
    assert moved.json()["geometry"]["coordinates"] == pytest.approx([32.782, 48.122])
    assert client.delete(f"{URL}{fid}/", **basic("planner")).status_code == 204
    assert fid not in items(client)
    assert [e.via for e in FeatureEdit.objects.filter(layer=poles)] == ["api"] * 4


@pytest.mark.parametrize("who, status", [(None, 401), ("dispatcher", 403), ("analyst", 403)])
def test_non_editors_are_refused(client, poles, who, status):  # noqa: F811
    before = items(client)
    headers = basic(who) if who else {}
    fid = min(before)
    assert (
        client.post(URL, feature(), content_type="application/json", **headers).status_code
        == status
    )
    assert (
        client.put(
            f"{URL}{fid}/", feature(), content_type="application/json", **headers
        ).status_code
        == status
    )
    assert client.delete(f"{URL}{fid}/", **headers).status_code == status
    assert items(client) == before  # fmt: skip


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", '{"properties": 5}', feature(height="NaN"), feature(lon=float("nan")),
     feature(installed="2026-02-30"), feature(nope="x"), "[" * 100000 + "]" * 100000,
     json.dumps({"properties": {}, "geometry": {"type": "Point", "coordinates": "x"}}),
     feature(lon=10.0, lat=10.0)],
    ids=["text", "list", "props-not-object", "nan-value", "nan-coord", "impossible-date",
         "unknown-field", "deep", "bad-coords", "outside"],
)  # fmt: skip
def test_bad_bodies_are_400_with_a_code(client, poles, body):  # noqa: F811
    before = items(client)
    response = client.post(URL, body, content_type="application/json", **basic("planner"))
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] and items(client) == before


def test_admin_reverts_an_edit(client, poles):  # noqa: F811
    fid = min(items(client))
    client.put(f"{URL}{fid}/", json.dumps({"properties": {"num": "WRONG"}}),
               content_type="application/json", **basic("planner"))  # fmt: skip
    edit = FeatureEdit.objects.get(layer=poles, fid=fid)
    client.force_login(get_user_model().objects.get(username="planner"))
    page = client.get("/admin/layers/featureedit/")
    assert page.status_code == 200 and "WRONG" not in page.content.decode()[:0]
    response = client.post("/admin/layers/featureedit/", {"action": "revert_edits",
                           "_selected_action": [edit.pk]}, follow=True)  # fmt: skip
    assert response.status_code == 200
    client.logout()
    assert items(client)[fid]["properties"]["num"] == "P-0"
    assert FeatureEdit.objects.filter(reverts=edit, via="admin").exists()
