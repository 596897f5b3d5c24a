"""/healthz and /readyz: JSON, no authentication, 200 when the database answers."""

import pytest
import requests

from geoportal.ops import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_auth_or_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["database_ms"] >= 0


def test_readyz_is_503_with_retry_after_when_the_query_times_out(client, monkeypatch):
    """A database slower than the timeout is not ready: the probe's own timeout fires."""
    monkeypatch.setattr(health.conf, "READY_TIMEOUT_MS", 1)
    monkeypatch.setattr(health, "PROBE_SQL", "SELECT pg_sleep(0.2)")  # really slow
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == str(health.core_conf.RETRY_AFTER)
    assert response.json()["database"] == "unavailable"
    assert response.json()["error"] == "OperationalError"  # QueryCanceled


def test_probes_over_http(portal_server):
    for path in ("/healthz", "/readyz"):
        response = requests.get(portal_server + path, timeout=10)
        assert response.status_code == 200, path
        assert response.json()["status"] == "ok"
    assert requests.post(portal_server + "/healthz", timeout=10).status_code == 405
