"""The mixed-traffic load run (bench/load.py + bench/locustfile.py) against a gunicorn over the
test database: every kind of request is made and none fails. Slow: `make test-long`;
GEOPORTAL_LOAD_SECONDS sets the duration (CI: 30 s)."""

import os

import pytest

from bench import load
from tests.conftest import server_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_mixed_traffic_without_errors(monkeypatch, capsys):
    monkeypatch.setattr(load, "SECONDS", int(os.environ.get("GEOPORTAL_LOAD_SECONDS", "30")))
    monkeypatch.setattr(load, "USERS", 10)
    result = load.run(server_env())
    assert load.report(result) == 0, capsys.readouterr().out
    rows = {row["Name"]: row for row in result["rows"]}
    for kind in ("tile", "search", "WFS GetFeature", "feature info (OGC items, click bbox)"):
        assert int(rows[kind]["Request Count"]) > 0, kind
        assert int(rows[kind]["Failure Count"]) == 0, kind
    assert int(rows["Aggregated"]["Failure Count"]) == 0
