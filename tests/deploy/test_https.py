"""HTTPS end to end, as deployed: the project's nginx (deploy/nginx/geoportal.conf, rendered
by localserver.start_nginx as the nginx image renders it) terminating TLS with a self-signed
certificate in front of gunicorn running the portal with PRODUCTION settings
(GEOPORTAL_DEBUG=0, no GEOPORTAL_ALLOW_HTTP). Checks the HTTP -> HTTPS redirect, HSTS and the
security headers on the portal's pages, on static files and on cached tiles nginx serves
itself, Secure cookies, https:// links in TileJSON and WFS capabilities, the request id in
nginx's access log, and the one upload limit."""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests

from geoportal.ops.localserver import gunicorn, start_nginx, stop
from tests.conftest import server_env

pytestmark = pytest.mark.django_db
UPLOAD_MB = 1


@pytest.fixture(scope="module")
def certificate():
    folder = Path(tempfile.mkdtemp(prefix="geoportal-tls-"))
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    yield cert, key
    shutil.rmtree(folder, ignore_errors=True)


def production_env() -> dict:
    env = server_env()
    env.pop("GEOPORTAL_ALLOW_HTTP", None)
    env.update(
        DJANGO_SETTINGS_MODULE="geoportal.settings",
        GEOPORTAL_DEBUG="0",
        GEOPORTAL_ALLOWED_HOSTS="127.0.0.1,localhost",
        GEOPORTAL_TRUSTED_PROXIES='["127.0.0.1"]',
        GEOPORTAL_TILE_ACCEL_REDIRECT="/_tilecache/",
    )
    return env


@pytest.fixture(scope="module")
def deployed(django_db_setup, certificate):
    workdir = Path(tempfile.mkdtemp(prefix="geoportal-nginx-"))
    workdir.chmod(0o755)
    env = production_env()
    cache_dir = Path(env["GEOPORTAL_TILE_CACHE_DIR"])
    cache_dir.mkdir(parents=True, exist_ok=True)
    with gunicorn(env, workers=1, threads=4, timeout=60) as upstream:
        ports, proc = start_nginx(
            workdir, upstream=upstream, cache_dir=cache_dir, static_dir=workdir / "static",
            tls=certificate, max_upload_mb=UPLOAD_MB,
        )  # fmt: skip
        session = requests.Session()
        session.verify = str(certificate[0])
        session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify
        try:
            yield {"https": f"https://localhost:{ports['main']}",
                   "http": f"http://localhost:{ports['http']}", "upstream": upstream,
                   "session": session, "workdir": workdir, "cache": cache_dir}  # fmt: skip
        finally:
            stop(proc)
    shutil.rmtree(workdir, ignore_errors=True)


SECURITY = ("Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
            "Referrer-Policy", "Permissions-Policy")  # fmt: skip


def assert_security_headers(r: requests.Response):
    missing = [h for h in SECURITY if h not in r.headers]
    assert not missing, f"{r.url}: no {missing}"
    assert "max-age=31536000" in r.headers["Strict-Transport-Security"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_plain_http_is_redirected_to_https(deployed):
    r = requests.get(f"{deployed['http']}/wfs?SERVICE=WFS", allow_redirects=False, timeout=10)
    assert r.status_code == 301
    assert (
        r.headers["Location"].startswith("https://localhost")
        and "/wfs?SERVICE=WFS" in r.headers["Location"]
    )
    acme = requests.get(f"{deployed['http']}/.well-known/acme-challenge/x", timeout=10)
    assert acme.status_code == 404  # served from the ACME folder, not redirected


def test_the_portal_behind_tls_sends_hsts_csp_and_secure_cookies(deployed):
    s = deployed["session"]
    page = s.get(f"{deployed['https']}/accounts/login/", timeout=30)
    assert page.status_code == 200
    assert_security_headers(page)
    csp = page.headers.get("Content-Security-Policy-Report-Only") or page.headers.get(
        "Content-Security-Policy"
    )
    assert csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    cookie = page.headers.get("Set-Cookie", "")
    assert "csrftoken=" in cookie and "Secure" in cookie and "HttpOnly" not in cookie.split(";")[0]
    assert page.headers.get("X-Request-ID")


def test_links_behind_tls_are_https(deployed, demo_layers):
    s = deployed["session"]
    public = next(
        lay for lay in demo_layers.values() if lay.access == "public" and not lay.is_raster
    )
    tilejson = s.get(f"{deployed['https']}/tiles/{public.slug}.json", timeout=30)
    assert tilejson.status_code == 200, tilejson.text[:300]
    assert all(t.startswith("https://localhost") for t in tilejson.json()["tiles"])
    caps = s.get(f"{deployed['https']}/wfs?SERVICE=WFS&REQUEST=GetCapabilities", timeout=60)
    assert caps.status_code == 200
    links = set(re.findall(r'"(https?://localhost[^"]*)"', caps.text))
    assert links and all(u.startswith(deployed["https"]) for u in links), links


def test_gunicorn_alone_redirects_plain_http_but_not_the_probes(deployed):
    upstream = deployed["upstream"]
    r = requests.get(f"{upstream}/accounts/login/", allow_redirects=False, timeout=10)
    assert r.status_code == 301 and r.headers["Location"].startswith("https://")
    assert requests.get(f"{upstream}/healthz", timeout=10).status_code == 200


def test_static_files_and_cached_tiles_carry_the_security_headers(deployed, demo_layers):
    s, static = deployed["session"], deployed["workdir"] / "static"
    (static / "app.0123456789ab.js").write_text("console.log(1)")
    (static / "plain.css").write_text("body{}")
    hashed = s.get(f"{deployed['https']}/static/app.0123456789ab.js", timeout=10)
    assert hashed.status_code == 200
    assert_security_headers(hashed)
    assert "immutable" in hashed.headers["Cache-Control"]
    plain = s.get(f"{deployed['https']}/static/plain.css", timeout=10)
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]
    assert_security_headers(plain)

    tile = deployed["cache"] / "public" / "zz-test-layer" / "3" / "4" / "2.mvt"
    tile.parent.mkdir(parents=True, exist_ok=True)
    tile.write_bytes(b"\x1a\x00")
    r = s.get(f"{deployed['https']}/tiles/zz-test-layer/3/4/2.mvt", timeout=10)
    assert r.status_code == 200 and r.content == b"\x1a\x00"  # from the cache, by nginx
    assert_security_headers(r)
    request_id = r.headers["X-Request-ID"]
    log = (deployed["workdir"] / "access.log").read_text().splitlines()
    records = [json.loads(line) for line in log]
    assert any(rec["request_id"] == request_id and rec["uri"].endswith("2.mvt") for rec in records)


def test_one_upload_limit(deployed):
    s = deployed["session"]
    too_big = b"x" * (UPLOAD_MB * 1024 * 1024 + 1024)
    r = s.post(f"{deployed['https']}/api/v1/reports", data=too_big, timeout=30)
    assert r.status_code == 413
