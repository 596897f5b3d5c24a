"""TileJSON 3.0.0 for single and composite vector layers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_single_layer_tilejson(client, tile_cache, demo_layers):
    response = client.get("/tiles/parcels.json")
    assert response.status_code == 200 and response["ETag"]
    body = response.json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"] == ["http://testserver/tiles/parcels/{z}/{x}/{y}.mvt"]
    # minzoom 10: the cadastral zones and quarters below the parcels' own z15 (tiles.overviews)
    assert body["minzoom"] == 10 and body["maxzoom"] == 22
    west, south, east, north = body["bounds"]
    assert 32.4 < west < east < 33.1 and 47.9 < south < north < 48.4
    lon, lat, zoom = body["center"]
    assert west < lon < east and south < lat < north and 10 <= zoom <= 22
    assert body["attribution"]
    (vector_layer,) = body["vector_layers"]
    assert vector_layer["id"] == "parcels"
    assert vector_layer["fields"]["cadnum"] == "Кадастровий номер"
    assert body["styles"]["parcels"] == "http://testserver/api/v1/layers/parcels/style/"
    style = client.get("/api/v1/layers/parcels/style/")
    assert style.status_code == 200
    again = client.get("/tiles/parcels.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_composite_tilejson(client, tile_cache):
    body = client.get("/tiles/settlements,buildings,streets.json").json()
    assert [v["id"] for v in body["vector_layers"]] == ["settlements", "buildings", "streets"]
    assert body["minzoom"] == 9
    assert body["tiles"][0].endswith("/tiles/settlements,buildings,streets/{z}/{x}/{y}.mvt")
    assert {v["id"]: v["minzoom"] for v in body["vector_layers"]}["buildings"] == 15


def test_fields_follow_attributes_by_zoom(client, tile_cache):
    from layers.models import Layer

    parcels = Layer.objects.get(slug="parcels")
    parcels.tile_settings = {
        "attributes_by_zoom": {"15": ["cadnum"], "18": ["area_ha"]},
        "overviews": [],  # no zones and quarters (their fields are tested in test_overviews)
    }
    parcels.save()
    fields = client.get("/tiles/parcels.json").json()["vector_layers"][0]["fields"]
    assert set(fields) == {"cadnum", "area_ha"}
