"""The report API is in the OpenAPI document (drf-spectacular)."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_report_endpoints(client):
    r = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    paths = r.json()["paths"] if r["Content-Type"].endswith("json") else r.content.decode()
    for path in ("/api/v1/reports", "/api/v1/reports/nearby", "/api/v1/reports/{id}/confirm",
                 "/api/v1/reports/{id}/status"):  # fmt: skip
        assert path in paths
