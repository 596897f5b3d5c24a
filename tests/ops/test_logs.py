"""Structured access logs: one record per request with request id, method, path, status,
duration and role; X-Request-ID in and out; the JSON formatter's output."""

import json
import logging

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from geoportal.ops.logs import JsonFormatter, RequestContextFilter, request_id_var

pytestmark = pytest.mark.django_db


def access_records(caplog):
    return [r for r in caplog.records if r.name == "geoportal.access"]


def test_one_access_record_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger="geoportal.access")
    response = client.get("/api/v1/layers/?x=1", HTTP_X_REQUEST_ID="abc-123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc-123"
    (record,) = access_records(caplog)
    assert record.request_id == "abc-123"
    assert (record.method, record.path, record.status) == ("GET", "/api/v1/layers/", 200)
    assert record.role == "anonymous"
    assert 0 < record.duration_ms < 60_000


def test_request_id_generated_when_missing_or_unsafe(client, caplog):
    caplog.set_level(logging.INFO, logger="geoportal.access")
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nInjected: 1")["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second
    assert [r.request_id for r in access_records(caplog)] == [first, second]


def test_records_status_of_errors_and_role(client, caplog):
    caplog.set_level(logging.INFO, logger="geoportal.access")
    staff = User.objects.create_user("log-staff", is_staff=True)
    client.force_login(staff)
    client.get("/api/v1/layers/no-such-layer/")
    superuser = User.objects.create_superuser("log-root")
    token = Token.objects.create(user=superuser)
    client.logout()
    client.get("/api/v1/layers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    records = access_records(caplog)
    assert [(r.status, r.role) for r in records] == [(404, "staff"), (200, "superuser")]


def test_analyst_and_resident_roles(client, caplog):
    from geoportal.accounts.roles import ANALYSTS, assign_role

    caplog.set_level(logging.INFO, logger="geoportal.access")
    analyst = User.objects.create_user("log-analyst")
    assign_role(analyst, ANALYSTS)
    resident = User.objects.create_user("log-resident")
    for user in (analyst, resident):
        client.force_login(user)
        client.get("/healthz")
    assert [r.role for r in access_records(caplog)] == ["analyst", "resident"]


def test_json_formatter_writes_one_object_per_line_with_request_id():
    record = logging.makeLogRecord(
        {"name": "geoportal.access", "levelname": "INFO", "msg": "GET %s", "args": ("/x",)}
    )
    record.status = 200
    token = request_id_var.set("rid-1")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    doc = json.loads(line)
    assert doc["message"] == "GET /x" and doc["status"] == 200 and doc["request_id"] == "rid-1"
    assert doc["level"] == "INFO" and doc["logger"] == "geoportal.access"
    assert doc["time"].endswith("+00:00")


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_log_format_from_the_environment(fmt):
    """GEOPORTAL_LOG_FORMAT picks the console formatter of settings.LOGGING (real config)."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('geoportal.access').info('GET /x 200', extra={'status': 200})"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "geoportal.settings"}
    env.update(GEOPORTAL_LOG_FORMAT=fmt, GEOPORTAL_ACCESS_LOG_LEVEL="INFO")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    if fmt == "json":
        doc = json.loads(line)
        assert doc["message"] == "GET /x 200" and doc["status"] == 200
        assert doc["logger"] == "geoportal.access"
    else:
        assert line.endswith("INFO geoportal.access [None] GET /x 200")
