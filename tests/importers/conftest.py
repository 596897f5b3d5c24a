"""A live gunicorn over the test database with a small upload cap (1 MB), for upload tests,
and a session logged in as a staff member (the demo planner)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import ROOT, _free_port, server_env


@pytest.fixture(scope="module")
def upload_server(django_db_setup, tmp_path_factory):
    port = _free_port()
    env = server_env() | {
        "GEOPORTAL_IMPORT_MAX_UPLOAD_MB": "1",
        "GEOPORTAL_IMPORT_UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", "1", "--threads", "4", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("gunicorn did not start")
    yield f"http://127.0.0.1:{port}", env["GEOPORTAL_IMPORT_UPLOAD_DIR"]
    proc.terminate()
    proc.wait(timeout=10)


def login(base: str, username: str, password: str = "demo-pass-123") -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    assert response.ok
    return session
