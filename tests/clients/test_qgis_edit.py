"""QGIS 3.22 edits a layer in place through WFS-T (issue 20): as an editor it changes an
attribute, moves a point, adds a feature and deletes one in one edit session and commits; the
portal has all four, recorded as the editor's; anonymously QGIS may not commit, and nothing
changes. Skipped, saying why, where Debian's Python has no qgis.core (tests/clients/test_qgis.py)."""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connections

from tests.clients.test_qgis import SYSTEM_PYTHON, qgis_missing
from tests.conftest import PASSWORD

CLIENT = Path(__file__).with_name("qgis_edit.py")
SLUG = "qgis-edit-poles"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(qgis_missing() is not None, reason=qgis_missing() or ""),
]


def run_edit(cfg: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="qgis-home-") as home:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "XDG_RUNTIME_DIR": home,
               "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
        run = subprocess.run(
            [SYSTEM_PYTHON, str(CLIENT), json.dumps(cfg)],
            capture_output=True, text=True, timeout=600, env=env,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _committed(work):
    """Run ``work`` on a connection of its own (committed: the server process sees it)."""
    out = {}

    def target():
        try:
            out["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return out.get("value")


@pytest.fixture(scope="module")
def poles(portal_server, django_db_blocker, tmp_path_factory):
    from importers.pipeline import ImportOptions, import_vector
    from layers.models import Layer

    features = [
        {"type": "Feature", "properties": {"num": f"Q-{i}"},
         "geometry": {"type": "Point", "coordinates": [32.77 + i * 1e-3, 48.12]}}
        for i in range(4)
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("qgis-edit") / "poles.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    with django_db_blocker.unblock():
        _committed(lambda: import_vector(path, ImportOptions(slug=SLUG, title_uk="Опори")))
    yield portal_server
    with django_db_blocker.unblock():
        _committed(lambda: Layer.objects.filter(slug=SLUG).delete())


def _state():
    from layers.dynamic import feature_model
    from layers.models import FeatureEdit, Layer

    def read():
        layer = Layer.objects.get(slug=SLUG)
        rows = {f.num: (round(f.geom.transform(4326, clone=True).x, 5),
                        round(f.geom.transform(4326, clone=True).y, 5))
                for f in feature_model(layer).objects.all()}  # fmt: skip
        edits = sorted(
            (e.action, e.user.username if e.user else None, e.via)
            for e in FeatureEdit.objects.filter(layer=layer)
        )
        return rows, edits

    return _committed(read)


CFG = {"typename": f"hromada:{SLUG}", "find": "Q-1", "new_num": "QGIS-1", "move_to": [32.785, 48.125],
       "add": {"num": "QGIS-NEW", "lon": 32.79, "lat": 48.13}, "delete": "Q-3"}  # fmt: skip


def test_anonymous_qgis_cannot_commit(poles, django_db_blocker):
    with django_db_blocker.unblock():
        before = _state()
    out = run_edit({**CFG, "base": poles})
    assert out["valid"] and out["found"], out
    assert out["committed"] is False, out
    with django_db_blocker.unblock():
        assert _state() == before


def test_qgis_commits_an_edit_session_through_wfs_t(poles, django_db_blocker):
    out = run_edit({**CFG, "base": poles, "username": "planner", "password": PASSWORD})
    assert out["valid"] and out["can_change"] and out["can_add"] and out["can_delete"], out
    assert out["committed"], json.dumps(out, ensure_ascii=False)
    with django_db_blocker.unblock():
        rows, edits = _state()
    assert rows["QGIS-1"] == (32.785, 48.125)
    assert rows["QGIS-NEW"] == (32.79, 48.13)
    assert "Q-3" not in rows and "Q-1" not in rows and rows["Q-0"] == (32.77, 48.12)
    assert {a for a, _, _ in edits} == {"insert", "update", "delete"}
    assert {(u, v) for _, u, v in edits} == {("planner", "wfs-t")}
