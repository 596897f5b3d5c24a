"""QGIS 3.22 from Debian as a real client of the view, download and tile services: it loads the
WMS layer and renders it (pixels where the data are, none elsewhere), the WFS layer (every
feature, and a subset string QGIS pushes to the server as a filter), OAPIF at ``/ogc`` without the
slash, and the vector tiles; a staff-only layer is not in the WMS for anonymous callers (QGIS
can't load it) nor in the CSW (OWSLib, as QGIS's MetaSearch uses it), and is for staff.

QGIS runs in Debian's own /usr/bin/python3 (tests/clients/qgis_client.py) as a subprocess;
the tests are skipped, saying why, where that Python has no qgis.core."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

SYSTEM_PYTHON = "/usr/bin/python3"
CLIENT = Path(__file__).with_name("qgis_client.py")


@cache
def qgis_missing() -> str | None:
    """Why QGIS can't run here, or None."""
    if not os.path.exists(SYSTEM_PYTHON):
        return f"{SYSTEM_PYTHON} not found"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, timeout=60
    )
    if probe.returncode:
        return (
            f"{SYSTEM_PYTHON} cannot import qgis.core (apt-get install --no-install-recommends "
            "python3-qgis qgis-providers; scripts/install-system-deps.sh does): "
            + (probe.stderr.strip().splitlines() or ["?"])[-1]
        )
    return None


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(qgis_missing() is not None, reason=qgis_missing() or ""),
]


def box_3857(layer, half):
    from layers.dynamic import feature_model

    p = feature_model(layer).objects.order_by("fid").first().geom.point_on_surface
    return [p.x - half, p.y - half, p.x + half, p.y + half]


def run_qgis(cfg: dict) -> dict:
    """qgis_client.py's JSON for ``cfg``, run with a fresh HOME (QGIS's profile and its network
    cache, which would otherwise answer for a server of an earlier run)."""
    with tempfile.TemporaryDirectory(prefix="qgis-home-") as home:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": home,
            "XDG_RUNTIME_DIR": home,
            "QT_QPA_PLATFORM": "offscreen",
            "QGIS_CLIENT_SAVE": os.environ.get("QGIS_CLIENT_SAVE", ""),
        }
        run = subprocess.run(
            [SYSTEM_PYTHON, str(CLIENT), json.dumps(cfg)],
            capture_output=True, text=True, timeout=600, env=env,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def qgis(portal_server, django_db_blocker, demo_layers):
    """What QGIS saw of the portal (qgis_client.py's JSON) and the database's own counts."""
    from django.db.models import Count

    from layers.dynamic import feature_model

    with django_db_blocker.unblock():
        parcels = demo_layers["parcels"]
        model = feature_model(parcels)
        value = (
            model.objects.values("purpose").annotate(n=Count("fid")).order_by("-n")[0]["purpose"]
        )
        expected = {
            "count": model.objects.count(),
            "filtered": model.objects.filter(purpose=value).count(),
        }
        bbox = box_3857(parcels, 150)
    cfg = {
        "base": portal_server,
        "layer": "parcels",
        "typename": "hromada:parcels",
        "field": "purpose",
        "value": value,
        "bbox": bbox,
        "empty_bbox": [bbox[0] + 2e5, bbox[1] + 2e5, bbox[2] + 2e5, bbox[3] + 2e5],
        "staff_layer": "manholes",
    }
    anonymous = run_qgis(cfg)
    staff = run_qgis({**cfg, "username": "planner", "password": PASSWORD})
    seen = {**anonymous, **staff, "messages": anonymous["messages"] + staff["messages"]}
    return seen, expected


def test_wms_layer_renders_where_the_data_are(qgis):
    seen, _ = qgis
    assert seen["wms"]["valid"], seen["messages"]
    assert seen["wms"]["pixels"] > 500 and seen["wms"]["empty_pixels"] == 0


def test_wfs_layer_has_every_feature_and_the_filter_reaches_the_server(qgis):
    seen, expected = qgis
    assert seen["wfs"]["valid"], seen["messages"]
    assert seen["wfs"]["count"] == expected["count"]
    assert seen["wfs"]["subset_applied"]
    assert seen["wfs"]["filtered_count"] == expected["filtered"] < expected["count"]


def test_oapif_loads_from_ogc_without_the_slash(qgis):
    seen, expected = qgis
    assert seen["oapif"]["valid"], seen["messages"]
    assert seen["oapif"]["count"] == expected["count"]


def test_vector_tiles_load_and_draw(qgis):
    seen, _ = qgis
    assert seen["vector_tiles"]["valid"], seen["messages"]
    assert seen["vector_tiles"]["pixels"] > 500


def test_staff_layer_absent_from_wms_for_anonymous_present_for_staff(qgis):
    seen, _ = qgis
    assert not seen["wms_staff_anonymous"]["valid"]
    assert seen["wms_staff_signed_in"]["valid"], seen["wms_staff_signed_in"]


def test_staff_layer_absent_from_csw_for_anonymous_present_for_staff(portal_server, demo_layers):
    from owslib.csw import CatalogueServiceWeb

    def titles(**auth):
        csw = CatalogueServiceWeb(f"{portal_server}/csw", timeout=60, **auth)
        csw.getrecords2(maxrecords=100, esn="full")
        return {record.title for record in csw.records.values()}

    staff_title = demo_layers["manholes"].title_uk
    assert staff_title not in titles()
    assert demo_layers["parcels"].title_uk in titles()
    assert staff_title in titles(username="planner", password=PASSWORD)
