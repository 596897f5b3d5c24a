"""Layers found by role, not by slug: the demo's parcels, master-plan zones, streets,
settlements, facilities and bus stops loaded again under a hromada's own slugs (``zemli``,
``zonuvannia``, ...) with their roles set, through the demo loader's manifest ``role`` key and
``import_layer --role``. The demo's own layers give their roles up and become staff-only, so
nothing an anonymous resident gets can come from a slug the code knows.

The parcel card, search, street labels, the accessibility view, the layer-panel groups, the
map page's ``config.roles``, the layer API, the admin and the locator's named places are run
against it, and each must answer from the renamed layers; the migration's roles from kinds too. Everything happens in the test's transaction
(rolled back): the session's demo stays as loaded.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from pathlib import Path

import pyogrio
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from geoportal.locator import registry
from geoportal.locator.models import Landmark
from geoportal.webmap.groups import panel_groups
from layers.models import Access, Layer, LayerKind
from layers.roles import layer_for, role_map, visible_layer_for
from layers.storage import qualified

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
CADNUM = re.compile(r"^\d{10}:\d{2}:\d{3}:\d{4}$")
# demo slug -> (the hromada's slug, role)
RENAMED = {
    "parcels": ("zemli", "parcels"),
    "masterplan-zones": ("zonuvannia", "zones"),
    "streets": ("vulytsi", "streets"),
    "settlements": ("naseleni-punkty", "settlements"),
    "facilities": ("zaklady", "facilities"),
}
ROLES = {role: slug for slug, role in RENAMED.values()} | {"stops": "zupynky"}
PARCELS_KEPT = 1500  # a compact copy: the first parcels of the town (they lie in its zones)


def _manifest(tmp_path: Path) -> Path:
    """A manifest of the renamed layers (absolute file paths into fixtures/demo), with roles
    and a category the panel groups do not list, so only the role can place them."""
    demo = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    entries = []
    for entry in demo["layers"]:
        if entry["slug"] not in RENAMED:
            continue
        slug, role = RENAMED[entry["slug"]]
        entry = {**entry, "slug": slug, "role": role, "category": "other",
                 "file": str(DEMO / entry["file"])}  # fmt: skip
        if slug == "zemli":
            parcels = pyogrio.read_dataframe(
                DEMO / "cadastre/parcels.gpkg", layer="parcels", max_features=PARCELS_KEPT
            )
            entry["file"] = str(tmp_path / "zemli.gpkg")
            pyogrio.write_dataframe(parcels, entry["file"], layer="parcels", driver="GPKG")
        entries.append(entry)
    (tmp_path / "manifest.json").write_text(json.dumps({"layers": entries}), encoding="utf-8")
    return tmp_path


@pytest.fixture
def hromada(demo_layers, tmp_path):
    """{role: Layer} of a hromada whose layers have its own slugs."""
    if "parcels" not in demo_layers:
        pytest.skip("needs the demo hromada")
    Layer.objects.update(role="")
    Layer.objects.filter(slug__in=[*RENAMED, "bus-stops"]).update(access=Access.STAFF)
    call_command("load_demo", dir=str(_manifest(tmp_path)), stdout=io.StringIO())
    call_command(
        "import_layer", str(DEMO / "bus_stops.geojson"), "--layer", "zupynky", "--role", "stops",
        "--title", "Пункти посадки", "--category", "other", "--landmark-ref", "name",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    layers = {layer.role: layer for layer in Layer.objects.exclude(role="")}
    assert {role: layer.slug for role, layer in layers.items()} == ROLES
    return layers


def _parcel_in_zone() -> tuple[int, str, str, str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.fid, p.cadnum, z.code, z.name"
            f" FROM {qualified('zemli')} p JOIN {qualified('zonuvannia')} z"
            " ON ST_Within(p.geom, z.geom) ORDER BY p.fid LIMIT 1"
        )
        row = cur.fetchone()
    assert row is not None, "no parcel of the compact copy lies inside a zone"
    return row


def test_roles_are_found_and_follow_access(hromada):
    assert layer_for("parcels").slug == "zemli"
    assert layer_for("") is None
    assert visible_layer_for(AnonymousUser(), "zones").slug == "zonuvannia"
    Layer.objects.filter(slug="zonuvannia").update(access=Access.STAFF)
    assert visible_layer_for(AnonymousUser(), "zones") is None
    assert role_map(AnonymousUser()) == {r: s for r, s in ROLES.items() if r != "zones"}


def test_parcel_card_with_cadnum_and_zone(hromada, client):
    fid, cadnum, code, name = _parcel_in_zone()
    response = client.get(f"/api/v1/parcels/{fid}/card/")
    assert response.status_code == 200
    card = response.json()
    assert card["layer"] == "zemli" and card["fid"] == fid
    assert card["cadnum"] == cadnum and CADNUM.match(card["cadnum"])
    assert card["zones"][0]["code"] == code and card["zones"][0]["name"] == name
    assert card["zones"][0]["share"] == 1.0
    titles = {a["name"]: a["title"] for a in card["attributes"]}
    assert titles["cadnum"] == "Кадастровий номер"


def test_card_without_the_role_is_a_clean_404(hromada, client):
    fid, _cadnum, _code, _name = _parcel_in_zone()
    Layer.objects.filter(slug="zonuvannia").update(role="")
    assert client.get(f"/api/v1/parcels/{fid}/card/").json()["zones"] == []
    Layer.objects.filter(slug="zemli").update(role="")
    response = client.get(f"/api/v1/parcels/{fid}/card/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "parcel-not-found"


def test_search_finds_parcels_streets_and_facilities(hromada, client):
    _fid, cadnum, _code, _name = _parcel_in_zone()
    results = client.get("/api/v1/search/", {"q": cadnum}).json()["results"]
    assert [(r["layer"], r["kind"], r["label"]) for r in results][:1] == [
        ("zemli", "parcel", cadnum)
    ]
    streets = client.get("/api/v1/search/", {"q": "Незалежності"}).json()["results"]
    assert any(r["layer"] == "vulytsi" and "Незалежності" in r["label"] for r in streets)
    with connection.cursor() as cur:
        cur.execute(f"SELECT name FROM {qualified('zaklady')} ORDER BY fid LIMIT 1")
        facility = cur.fetchone()[0]
    found = client.get("/api/v1/search/", {"q": facility}).json()["results"]
    assert ("zaklady", "facility", facility) in [(r["layer"], r["kind"], r["label"]) for r in found]
    assert not {r["layer"] for r in results + streets + found} & {"parcels", "streets"}


def test_street_labels_name_the_streets(hromada, client):
    labels = client.get("/api/v1/webmap/street-labels/").json()["labels"]
    with connection.cursor() as cur:
        cur.execute(f"SELECT DISTINCT name FROM {qualified('vulytsi')}")
        names = {r[0] for r in cur.fetchall()}
    assert len(labels) > 50
    assert {label["name"] for label in labels} <= names
    assert "вулиця Незалежності" in {label["name"] for label in labels}


def test_accessibility_view_lists_the_facilities(hromada, client):
    data = client.get("/api/v1/webmap/facilities/").json()
    features = data["features"]
    assert len(features) == hromada["facilities"].feature_count > 0
    assert all(f["properties"]["name"] for f in features)
    wheelchair = [f for f in features if "wheelchair" in f["properties"]["needs"]]
    assert 0 < len(wheelchair) < len(features)


def test_panel_groups_place_layers_by_role(hromada):
    groups = {g["key"]: g for g in panel_groups(AnonymousUser())}
    placed = {
        "cadastre": "zemli", "masterplan": "zonuvannia", "roads": "vulytsi",
        "boundaries": "naseleni-punkty", "accessibility": "zaklady", "transport": "zupynky",
    }  # fmt: skip
    for key, slug in placed.items():
        assert slug in groups[key]["slugs"], key
    assert groups["cadastre"]["roles"] == ["parcels"]
    assert groups["cadastre"]["categories"] == ["cadastre"]
    listed = {s for g in groups.values() for s in g["slugs"]}
    assert not listed & set(RENAMED)  # the staff-only originals are not named to residents
    assert "transport-routes" in groups["transport"]["slugs"]  # by its style's panel_group


def test_map_page_config_and_layer_api_carry_roles(hromada, client):
    config = client.get("/").context["config"]
    assert config["roles"] == ROLES
    assert "zemli" in next(g for g in config["groups"] if g["key"] == "cadastre")["slugs"]
    layers = {item["slug"]: item for item in client.get("/api/v1/layers/").json()}
    assert layers["zemli"]["role"] == "parcels" and layers["communal-property"]["role"] == ""
    report_form = client.get("/reports/new/").context["config"]
    assert report_form["roles"] == ROLES


def test_locator_takes_named_places_and_settlements_by_role(hromada):
    facilities, stops = hromada["facilities"], hromada["stops"]
    assert registry.source_config(facilities) == "place:name"
    assert registry.layer_kind(stops) == "stop"
    assert registry.build_landmarks(facilities, force=True) > 0
    settlements = set(
        Landmark.objects.filter(layer=facilities).values_list("settlement", flat=True)
    )
    assert "м. Долинська" in settlements


def test_one_layer_per_role(hromada, tmp_path):
    with pytest.raises(CommandError, match="role 'parcels' belongs to layer 'zemli'"):
        call_command(
            "import_layer", str(DEMO / "settlements.geojson"), "--layer", "inshi-zemli",
            "--role", "parcels", stdout=io.StringIO(),
        )  # fmt: skip
    assert not Layer.objects.filter(slug="inshi-zemli").exists()
    other = Layer(slug="inshi-zemli", title_uk="Інші", role="parcels")
    with pytest.raises(ValidationError, match="Цю роль уже має інший шар"):
        other.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    Layer.objects.create(slug="bez-roli", title_uk="Без ролі")  # blank roles do not collide
    Layer.objects.create(slug="bez-roli-2", title_uk="Без ролі 2")


def test_demo_loader_gives_unchanged_layers_their_role_and_group(demo_layers):
    """A database loaded before layers had roles: the loader sets them without re-importing."""
    if "parcels" not in demo_layers:
        pytest.skip("needs the demo hromada")
    routes = Layer.objects.get(slug="transport-routes")
    Layer.objects.filter(slug="streets").update(role="")
    Layer.objects.filter(pk=routes.pk).update(
        style={k: v for k, v in routes.style.items() if k != "panel_group"}
    )
    streets_version = Layer.objects.get(slug="streets").version
    call_command("load_demo", only=["streets", "transport-routes"], stdout=io.StringIO())
    streets, routes_now = Layer.objects.get(slug="streets"), Layer.objects.get(pk=routes.pk)
    assert streets.role == "streets" and streets.version == streets_version  # not re-imported
    assert routes_now.style == routes.style and routes_now.version > routes.version
    assert routes_now.data_updated_at == routes.data_updated_at


def test_admin_lists_and_filters_by_role(hromada, admin_client):
    page = admin_client.get("/admin/layers/layer/", {"role__exact": "parcels"})
    assert page.status_code == 200
    assert "zemli" in page.content.decode() and 'name="form-0-role"' in page.content.decode()
    assert list(page.context["cl"].result_list) == [hromada["parcels"]]


def test_migration_gives_roles_only_to_unambiguous_kinds(hromada):
    migration = importlib.import_module("layers.migrations.0004_layer_role")
    Layer.objects.update(role="")
    migration.roles_from_kinds(apps, None)
    assert {layer.slug: layer.role for layer in Layer.objects.exclude(role="")} == {}
    Layer.objects.exclude(slug__in=["zemli", "zonuvannia"]).filter(
        kind__in=[LayerKind.CADASTRAL, LayerKind.MASTERPLAN]
    ).update(kind=LayerKind.GENERIC)
    migration.roles_from_kinds(apps, None)
    assert {layer.slug: layer.role for layer in Layer.objects.exclude(role="")} == {
        "zemli": "parcels", "zonuvannia": "zones",
    }  # fmt: skip


def test_demo_layers_keep_their_panel_groups(demo_layers, admin_user):
    """Groups that used to list the demo's slugs take the same layers by role, category or
    the manifest's style.panel_group."""
    if "parcels" not in demo_layers:
        pytest.skip("needs the demo hromada")
    group = {slug: g["key"] for g in panel_groups(admin_user) for slug in g["slugs"]}
    expected = {
        "parcels": "cadastre", "communal-property": "communal", "masterplan-zones": "masterplan",
        "streets": "roads", "bus-stops": "transport", "transport-routes": "transport",
        "parking-zones": "parking", "flood-depth": "hazards", "landslide-zones": "hazards",
        "rivers": "heritage", "facilities": "accessibility", "street-light-poles": "utilities",
        "hromada-boundary": "boundaries", "settlements": "boundaries", "buildings": "topographic",
        "advertising-structures": "advertising", "street-trade": "trade", "landfills": "landfills",
    }  # fmt: skip
    assert {slug: group.get(slug) for slug in expected} == expected
    assert set(demo_layers) <= set(group)  # every demo layer is in a group (other tests' may not)
