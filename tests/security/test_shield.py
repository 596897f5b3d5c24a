"""Critical infrastructure stays inside (geoportal/locator/shield.py): no public path lets an
anonymous caller learn a staff-only manhole's or power pole's position to better than its
250 m grid cell, however many calls it makes, while residents still report by the numbers and
staff see the exact place.

The proof is invariance: what an anonymous caller gets does not change when an asset moves
within its cell, nor when the phone fix moves within a cell; so no number of calls can tell
where in the cell the asset is (the cell's circumradius is 177 m, the 50 m the rule asks for
is far inside it)."""

import json

import pytest
from django.contrib.gis.geos import Point

from geoportal.locator import conf, geo
from geoportal.locator.models import Landmark
from geoportal.locator.shield import coarse_point

pytestmark = pytest.mark.django_db

STAFF_KINDS = ("manhole", "pole")


def staff_assets(registry, n=None):
    rows = (
        Landmark.objects.filter(layer__access="staff", kind__in=STAFF_KINDS)
        .exclude(ref="")
        .select_related("layer")
        .order_by("layer_id", "fid")
    )
    rows = list(rows)
    return rows if n is None else rows[:: max(1, len(rows) // n)][:n]


def locate(client, **body):
    return client.post("/api/v1/locate", json.dumps(body), content_type="application/json")


def points_of(body: dict) -> list[tuple[float, float]]:
    pts = [(c["lon"], c["lat"]) for c in body.get("candidates", [])]
    if body.get("lat") is not None:
        pts.append((body["lon"], body["lat"]))
    return pts


def cell_centre_lonlat(geom) -> tuple[float, float]:
    return geo.to_lonlat(*coarse_point(geom.x, geom.y))


def test_anonymous_answers_give_only_cell_centres(client, registry):
    assets = staff_assets(registry)
    assert len(assets) > 500  # the demo's manholes and power poles
    centres = {
        (round(x, 5), round(y, 5)) for x, y in map(cell_centre_lonlat, (a.geom for a in assets))
    }
    staff_slugs = {a.layer.slug for a in assets}
    # Since issue 17 street-light poles are public and numbered like power poles: an answer
    # may be a public landmark's own place (some stand a metre from a manhole); any other
    # point is a cell centre, never at a staff asset (within 2 m on the ground).
    exact = [(a.geom.x, a.geom.y) for a in assets]
    public = [(p.geom.x, p.geom.y) for p in Landmark.objects.filter(layer__access="public")
              if p.geom.geom_type == "Point"]  # fmt: skip
    near = 0
    for asset in staff_assets(registry, 60):
        response = locate(client, landmarks=[asset.ref])
        assert response.status_code in (200, 422)
        body = response.json()
        for lon, lat in points_of(body):
            if (round(lon, 5), round(lat, 5)) in centres:
                continue
            xy = geo.to_xy(lon, lat)
            if min(geo.ground_m(xy, p) for p in public) < 0.5:
                continue  # a public landmark, answered exactly
            assert min(geo.ground_m(xy, e) for e in exact) > 2, (asset.ref, lon, lat)
        for c in body.get("candidates", []):
            assert c["layer"] not in staff_slugs  # a staff layer is never named either
        x, y = geo.to_xy(*cell_centre_lonlat(asset.geom))
        near += geo.ground_m((x, y), (asset.geom.x, asset.geom.y)) < 50
    # the cell centre happens to be near some assets; nothing tells which (see below)
    assert near < 60 * 0.3


def test_moving_an_asset_inside_its_cell_changes_nothing_anyone_sees(client, registry):
    cell = conf.SHIELD_CELL_M * geo.mpp()
    for asset in staff_assets(registry, 15):
        before = locate(client, landmarks=[asset.ref]).content
        cx, cy = coarse_point(asset.geom.x, asset.geom.y)
        for dx, dy in ((-0.4, -0.4), (0.4, 0.3), (0.0, 0.45)):  # elsewhere in the same cell
            moved = Point(cx + dx * cell, cy + dy * cell, srid=3857)
            Landmark.objects.filter(pk=asset.pk).update(geom=moved)
            assert locate(client, landmarks=[asset.ref]).content == before, asset.ref
        Landmark.objects.filter(pk=asset.pk).update(geom=asset.geom)


def test_gps_probes_inside_a_cell_learn_nothing(client, registry):
    """The GPS tie-break and the confidence a fix adds would be a distance oracle; the answer
    about a hidden asset depends only on the fix's cell."""
    asset = staff_assets(registry, 5)[2]
    cx, cy = coarse_point(asset.geom.x, asset.geom.y)
    cell = conf.SHIELD_CELL_M * geo.mpp()
    answers = set()
    for dx, dy in ((0, 0), (-0.45, 0.2), (0.3, -0.45), (0.45, 0.45), (-0.2, -0.1)):
        lon, lat = geo.to_lonlat(cx + dx * cell, cy + dy * cell)
        body = locate(client, landmarks=[asset.ref], lat=lat, lon=lon, accuracy_m=5).json()
        answers.add(json.dumps({k: body[k] for k in ("lat", "lon", "confidence", "candidates")}))
    assert len(answers) == 1


def test_staff_see_the_exact_asset(client, registry, django_user_model):
    asset = staff_assets(registry, 5)[1]
    client.force_login(django_user_model.objects.get(username="dispatcher"))
    body = locate(client, landmarks=[asset.ref]).json()
    lon, lat = geo.to_lonlat(asset.geom.x, asset.geom.y)
    assert any(
        abs(c["lon"] - lon) < 1e-6 and abs(c["lat"] - lat) < 1e-6 for c in body["candidates"]
    )


def test_a_report_by_a_manhole_number_is_exact_for_staff_and_a_cell_for_everyone(client, registry):
    from django.core.cache import cache

    from geoportal.reports.models import Report

    cache.clear()
    asset = next(
        a for a in staff_assets(registry) if a.kind == "manhole"
        and Landmark.objects.filter(ref_norm=a.ref_norm, kind="manhole").count() == 1
    )  # fmt: skip
    r = client.post(
        "/api/v1/reports",
        json.dumps(
            {"category": "other", "landmarks": [asset.ref], "description": "Люк провалився"}
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    report = Report.objects.get(pk=pk)
    assert report.location.distance(asset.geom) < 1  # stored exactly
    centre = cell_centre_lonlat(asset.geom)
    exact = geo.to_lonlat(asset.geom.x, asset.geom.y)

    def at_centre(lon, lat):
        return abs(lon - centre[0]) < 1e-6 and abs(lat - centre[1]) < 1e-6

    assert at_centre(r.json()["lon"], r.json()["lat"])  # the submitter's own answer
    listed = {
        f["id"]: f["geometry"]["coordinates"]
        for f in client.get("/api/v1/reports/").json()["features"]
    }
    assert at_centre(*listed[pk])
    detail = client.get(f"/api/v1/reports/{pk}").json()
    assert at_centre(detail["lon"], detail["lat"])
    o311 = client.get(f"/open311/v2/requests/{pk}.json").json()[0]
    assert at_centre(o311["long"], o311["lat"])
    # bbox and radius probes around the exact point find nothing unless they hold the cell centre
    d = 0.0002
    box = f"{exact[0] - d},{exact[1] - d},{exact[0] + d},{exact[1] + d}"
    inside = {f["id"] for f in client.get("/api/v1/reports/", {"bbox": box}).json()["features"]}
    assert (pk in inside) == (abs(centre[0] - exact[0]) < d and abs(centre[1] - exact[1]) < d)
    client.force_login(
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username="dispatcher")
    )
    staff_points = client.get("/reports/dashboard/").content.decode()
    assert f'"lat": {round(exact[1], 7)}' in staff_points  # the dashboard's map has the exact point
