"""The database is away (a restart, a failover): API calls get 503 + Retry-After as
problem+json, the readiness probe says so, liveness stays 200. Real HTTP against a gunicorn
whose DATABASE_URL points where no PostgreSQL listens (a closed TCP port / a missing socket)."""

import pytest
import requests

from geoportal.ops.localserver import free_port, gunicorn
from tests.conftest import server_env

pytestmark = pytest.mark.django_db

API_PATHS = [
    "/api/v1/layers/",
    "/api/v1/layers/parcels/features/?limit=1",
    "/api/v1/search/?q=school",
    "/ogc/collections",
    "/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0",
]


@pytest.fixture(
    scope="module",
    params=[
        "postgresql://postgres@127.0.0.1:{port}/geoportal",
        "postgresql://postgres@%2Fnonexistent%2Fsocket-dir:5432/geoportal",
    ],
    ids=["closed-port", "missing-socket"],
)
def dead_db_server(request, django_db_setup):
    env = server_env()
    env["DATABASE_URL"] = request.param.format(port=free_port())
    env["GEOPORTAL_RETRY_AFTER"] = "17"
    env["GEOPORTAL_DB_CONNECT_TIMEOUT"] = "2"
    with gunicorn(env, workers=1, threads=1, timeout=60) as url:
        yield url


@pytest.mark.parametrize("path", API_PATHS)
def test_api_is_503_with_retry_after(dead_db_server, path):
    response = requests.get(dead_db_server + path, timeout=30)
    assert response.status_code == 503, response.text[:300]
    assert response.headers["Retry-After"] == "17"
    if path.startswith("/wfs"):  # an OGC web service answers in its own error format
        assert response.headers["Content-Type"].startswith("text/xml")
        assert (
            "<ows:ExceptionReport" in response.text and "OperationProcessingFailed" in response.text
        )
    else:
        assert response.headers["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "database-unavailable" and body["status"] == 503
    # no connection string, host or driver message leaks to the client
    assert "postgres" not in response.text.lower() and "socket" not in response.text.lower()


def test_probes_tell_the_load_balancer(dead_db_server):
    live = requests.get(dead_db_server + "/healthz", timeout=30)
    assert live.status_code == 200
    ready = requests.get(dead_db_server + "/readyz", timeout=30)
    assert ready.status_code == 503
    assert ready.headers["Retry-After"] == "17"
    assert ready.json()["database"] == "unavailable"
