"""Every endpoint kind x every role x a public, a staff-only and a restricted layer, over real
HTTP. A layer the caller may not see is absent from every listing, and every per-layer URL
answers exactly as for a layer that never existed (same status, same body but for the name):
nothing reveals that it exists."""

from __future__ import annotations

import morecantile
import pytest

from .conftest import RESTRICTED

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "staff", "analyst", "superuser"]
LAYERS = {"public": "bus-stops", "staff": "power-poles", "restricted": RESTRICTED}
MISSING = "no-such-layer"
ALLOWED = {
    "public": set(ROLES),
    "staff": {"staff", "superuser"},
    "restricted": {"analyst", "superuser"},
}
WFS = "/wfs?SERVICE=WFS&VERSION=2.0.0"


@pytest.fixture(scope="module")
def samples(restricted_layer, django_db_blocker):
    """Per layer: its first feature's fid, search term and a z16 tile holding it."""
    from django.db import connection

    from layers.models import Layer

    out = {}
    with django_db_blocker.unblock(), connection.cursor() as cur:
        for slug in LAYERS.values():
            layer = Layer.objects.get(slug=slug)
            cur.execute(
                f'SELECT fid, "{layer.landmark_ref}"::text, ST_X(p), ST_Y(p) FROM '
                f"layerdata.{layer.table_name}, LATERAL ST_Transform(geom, 4326) p "
                "ORDER BY fid LIMIT 1"
            )
            fid, term, lon, lat = cur.fetchone()
            tile = morecantile.tms.get("WebMercatorQuad").tile(lon, lat, 16)
            out[slug] = {"fid": fid, "term": term, "tile": f"16/{tile.x}/{tile.y}"}
    out[MISSING] = out[LAYERS["public"]]
    return out


# -- per-layer URLs: allowed = 200, denied = the same answer as for a layer that does not exist
PER_LAYER = {
    "layer-detail": lambda s, x: f"/api/v1/layers/{s}/",
    "schema": lambda s, x: f"/api/v1/layers/{s}/schema/",
    "style": lambda s, x: f"/api/v1/layers/{s}/style/",
    "features": lambda s, x: f"/api/v1/layers/{s}/features/?limit=2",
    "feature": lambda s, x: f"/api/v1/layers/{s}/features/{x['fid']}/",
    "export": lambda s, x: f"/api/v1/layers/{s}/export/?format=geojson",
    "wfs-describe": lambda s, x: f"{WFS}&REQUEST=DescribeFeatureType&TYPENAMES={s}",
    "wfs-getfeature": lambda s, x: f"{WFS}&REQUEST=GetFeature&TYPENAMES={s}&COUNT=2",
    "wfs-feature-by-id": lambda s, x: (
        f"{WFS}&REQUEST=GetFeature&STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById"
        f"&ID={s}.{x['fid']}"
    ),
    "ogc-collection": lambda s, x: f"/ogc/collections/{s}",
    "ogc-queryables": lambda s, x: f"/ogc/collections/{s}/queryables",
    "ogc-items": lambda s, x: f"/ogc/collections/{s}/items?limit=2",
    "ogc-item": lambda s, x: f"/ogc/collections/{s}/items/{x['fid']}",
    "tile": lambda s, x: f"/tiles/{s}/{x['tile']}.mvt",
    "tilejson": lambda s, x: f"/tiles/{s}.json",
    "webmap-feature": lambda s, x: f"/api/v1/webmap/features/{s}/{x['fid']}/",
}

# -- listings: allowed = the layer's name is in the document, denied = it is nowhere in it
LISTINGS = {
    "layer-list": lambda s, x: "/api/v1/layers/",
    "search": lambda s, x: f"/api/v1/search/?limit=50&q={x['term']}",
    "wfs-capabilities": lambda s, x: f"{WFS}&REQUEST=GetCapabilities",
    "ogc-collections": lambda s, x: "/ogc/collections",
    "ogc-openapi": lambda s, x: "/ogc/api",
    "map-page": lambda s, x: "/",
}
NEVER_LISTS = {"map-page"}  # loads its layers from the API: may only ever leave them out


def _normalised(response, slug: str) -> tuple:
    text = response.text.replace(slug, "<layer>")
    return response.status_code, response.headers.get("Content-Type"), text


def _listed(kind: str, response, slug: str) -> bool:
    assert response.status_code == 200, (kind, response.status_code, response.text[:200])
    if kind == "search":
        return slug in {r["layer"] for r in response.json()["results"]}
    if kind == "layer-list":
        return slug in {layer["slug"] for layer in response.json()}
    return slug in response.text


@pytest.mark.parametrize("kind", [*PER_LAYER, *LISTINGS])
def test_access_matrix(kind, role_sessions, security_server, samples):
    build = PER_LAYER.get(kind) or LISTINGS[kind]
    wrong = []
    for role, session in role_sessions.items():
        missing = None
        if kind in PER_LAYER:
            missing = session.get(security_server + build(MISSING, samples[MISSING]), timeout=60)
            assert missing.status_code in (400, 404), (kind, missing.status_code)
        for level, slug in LAYERS.items():
            expected = role in ALLOWED[level]
            response = session.get(security_server + build(slug, samples[slug]), timeout=60)
            if kind in LISTINGS:
                got = _listed(kind, response, slug)
            else:
                got = response.status_code == 200
                # (a missing layer's status is 400 or 404, asserted above: so is an equal denial)
                if not got and _normalised(response, slug) != _normalised(missing, MISSING):
                    wrong.append(f"{role}/{level}: denied unlike a missing layer (leaks existence)")
                    continue
            if kind in NEVER_LISTS and not got:
                continue
            if got != expected:
                wrong.append(
                    f"{role}/{level}: {'allowed' if got else 'denied'} ({response.status_code}),"
                    f" expected {'allowed' if expected else 'denied'}"
                )
    assert not wrong, f"{kind}:\n" + "\n".join(wrong)


def test_parcel_card_for_every_role(role_sessions, security_server, django_db_blocker):
    """The parcel card is public (parcels are a public layer) and the same for everybody."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cur:
        cur.execute("SELECT min(fid) FROM layerdata.parcels")
        fid = cur.fetchone()[0]
    bodies = set()
    for role, session in role_sessions.items():
        response = session.get(f"{security_server}/api/v1/parcels/{fid}/card/", timeout=60)
        assert response.status_code == 200, role
        bodies.add(response.text)
        missing = session.get(f"{security_server}/api/v1/parcels/999999999/card/", timeout=60)
        assert missing.status_code == 404, role
    assert len(bodies) == 1
