"""Issue 13: in English, code-list values (ownership form, purpose, facility types) stayed
Ukrainian. The parcel card, the accessibility list and the layers API's schema carry English
titles from layers.codelists; Ukrainian pages keep the data's own words."""

from __future__ import annotations

import pytest

from geoportal.webmap.accessibility import facilities
from geoportal.webmap.cards import parcel_card
from layers.codelists import display_value, purpose_section

pytestmark = pytest.mark.django_db


def _a_parcel(demo_layers, ownership):
    from layers.dynamic import feature_model

    return feature_model(demo_layers["parcels"]).objects.filter(ownership=ownership).first()


def test_parcel_card_in_english_and_ukrainian(demo_layers):
    parcel = _a_parcel(demo_layers, "комунальна")
    en = parcel_card(None, parcel.fid, "en")
    uk = parcel_card(None, parcel.fid, "uk")
    assert (en["ownership"], uk["ownership"]) == ("communal", "комунальна")
    assert en["purp_name"].endswith(parcel.purpose) and en["purp_name"].isascii()
    assert uk["purp_name"] == parcel.purp_name
    rows = {a["name"]: a["value"] for a in en["attributes"]}
    assert rows["ownership"] == "communal"


def test_facility_types_in_english(demo_layers):
    en = {f["properties"]["type"] for f in facilities(None, "en")["features"]}
    uk = {f["properties"]["type"] for f in facilities(None, "uk")["features"]}
    assert {"school", "pharmacy", "post office"} <= en and "школа" in uk
    assert all(t.isascii() or "ЦНАП" in t for t in en)  # every demo type has its title


def test_layers_api_schema_has_the_english_values(client, demo_layers):
    layers = client.get("/api/v1/layers/", HTTP_ACCEPT="application/json").json()
    layers = layers if isinstance(layers, list) else layers["results"]
    facilities_layer = next(la for la in layers if la["role"] == "facilities")
    kind = next(a for a in facilities_layer["attributes"] if a["name"] == "type")
    assert kind["values_en"]["аптека"] == "pharmacy"


def test_values_outside_the_list_stay_as_they_are(demo_layers):
    parcels = demo_layers["parcels"]
    assert display_value(parcels, "ownership", "спільна", "en") == "спільна"
    assert display_value(parcels, "ownership", "приватна", "uk") == "приватна"
    assert purpose_section("99.01", "en") is None and purpose_section("02.01", "uk") is None
    assert purpose_section("02.01", "en") == "residential development, 02.01"
