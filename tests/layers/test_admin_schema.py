"""The layer admin (issue 20): the slug is fixed once a layer exists, with the reason on the
page; schema edits change the table with the registry (rename, add, type change whose values
convert) or are refused with a reason, and the OGC API and REST keep answering."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from importers.pipeline import ImportOptions, import_vector
from layers.models import Layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def lots(tmp_path):
    features = [
        {"type": "Feature", "properties": {"name": f"ділянка {i}", "code": str(i), "note": "x1"},
         "geometry": {"type": "Point", "coordinates": [32.77 + i * 1e-3, 48.12]}}
        for i in range(3)
    ]  # fmt: skip
    path = tmp_path / "lots.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    import_vector(path, ImportOptions(slug="admin-lots", title_uk="Ділянки"))
    return Layer.objects.get(slug="admin-lots")


@pytest.fixture
def planner_client(client):
    client.force_login(get_user_model().objects.get(username="planner"))
    return client


def _form_data(layer: Layer, **changes) -> dict:
    data = {
        "title_uk": layer.title_uk, "title_en": layer.title_en, "description_uk": "",
        "description_en": "", "category": layer.category, "kind": layer.kind, "role": "",
        "attributes": json.dumps(layer.attributes), "style": json.dumps(layer.style),
        "access": layer.access, "min_zoom": layer.min_zoom, "max_zoom": layer.max_zoom,
        "tile_settings": "{}", "sort_order": layer.sort_order, "landmark_ref": "",
        "street_name_field": "", "address_fields": "", "source": "", "licence": "",
        "attribution": "",
    }  # fmt: skip
    data.update(changes)
    return data


def _post(client, layer, **changes):
    return client.post(f"/admin/layers/layer/{layer.pk}/change/", _form_data(layer, **changes))


def _items(client, slug):
    response = client.get(f"/ogc/collections/{slug}/items", {"f": "json"})
    assert response.status_code == 200, response.content[:300]
    return [f["properties"] for f in response.json()["features"]]


def test_slug_is_fixed_with_the_reason(planner_client, lots):
    page = planner_client.get(f"/admin/layers/layer/{lots.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="slug"' not in text and "не можна змінити" in text
    response = _post(planner_client, lots, slug="renamed")
    assert response.status_code == 302
    assert Layer.objects.filter(slug="admin-lots").exists()
    assert not Layer.objects.filter(slug="renamed").exists()


def test_rename_and_add_migrate_the_table(planner_client, lots):
    attributes = [dict(a) for a in lots.attributes]
    attributes[0]["name"] = "title"
    attributes.append({"name": "purpose", "type": "string", "title_uk": "Призначення"})
    response = _post(planner_client, lots, attributes=json.dumps(attributes))
    assert response.status_code == 302, response.content[:500]
    rows = _items(planner_client, "admin-lots")
    assert rows[0]["title"] == "ділянка 0" and rows[0]["purpose"] is None
    assert "name" not in rows[0]
    rest = planner_client.get("/api/v1/layers/admin-lots/features/")
    assert rest.status_code == 200


def test_type_change_converts_or_is_refused(planner_client, lots):
    attributes = [dict(a) for a in lots.attributes]
    attributes[1]["type"] = "integer"  # "0", "1", "2": they convert
    assert _post(planner_client, lots, attributes=json.dumps(attributes)).status_code == 302
    assert [r["code"] for r in _items(planner_client, "admin-lots")] == [0, 1, 2]
    lots.refresh_from_db()
    attributes = [dict(a) for a in lots.attributes]
    attributes[2]["type"] = "integer"  # "x1" does not
    response = _post(planner_client, lots, attributes=json.dumps(attributes))
    assert response.status_code == 200 and "не перетворюються" in response.content.decode()
    assert Layer.objects.get(slug="admin-lots").attribute("note")["type"] == "string"
    assert [r["note"] for r in _items(planner_client, "admin-lots")] == ["x1"] * 3


def test_removing_a_field_is_refused_with_the_reason(planner_client, lots):
    attributes = [dict(a) for a in lots.attributes][:2]
    response = _post(planner_client, lots, attributes=json.dumps(attributes))
    assert response.status_code == 200
    assert "не можна видалити" in response.content.decode()
    assert Layer.objects.get(slug="admin-lots").attribute_names() == ["name", "code", "note"]
    assert len(_items(planner_client, "admin-lots")) == 3


def test_style_form_writes_the_keys_the_map_reads(planner_client, lots):
    lots.style = {"radius": 6, "color": "#111111"}
    lots.save()
    page = planner_client.get(f"/admin/layers/layer/{lots.pk}/change/").content.decode()
    assert 'name="style_label"' in page and 'value="#111111"' in page
    response = _post(planner_client, lots, style=json.dumps(lots.style), style_color="#aa0000",
                     style_fill="#00aa00", style_width="2.5", style_opacity="0.8",
                     style_fill_opacity="0.3", style_label="name")  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    style = Layer.objects.get(pk=lots.pk).style
    assert style == {"radius": 6, "color": "#aa0000", "fillColor": "#00aa00", "weight": 2.5,
                     "opacity": 0.8, "fillOpacity": 0.3, "label": "name"}  # fmt: skip
    bad = _post(planner_client, lots, style_color="red", style_opacity="2", style_label="nope")
    assert bad.status_code == 200 and Layer.objects.get(pk=lots.pk).style == style
