"""GEOPORTAL_DEBUG=0 is production: `check --deploy` has nothing to say with only a secret key
set, the portal refuses to start without one (one line, no traceback), and the plain-HTTP
switch is explicit."""

import secrets
import subprocess
import sys

from tests.conftest import ROOT


def manage(*args, **env):
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_SETTINGS_MODULE": "geoportal.settings",
            "DATABASE_URL": "postgis://nobody@127.0.0.1:9/none"}  # fmt: skip
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**base, **env})  # fmt: skip


def test_check_deploy_is_clean_in_production():
    done = manage("check", "--deploy", "--fail-level", "WARNING",
                  GEOPORTAL_DEBUG="0", GEOPORTAL_SECRET_KEY=secrets.token_urlsafe(50))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_no_secret_key_refuses_to_start_in_one_line():
    for env in ({"GEOPORTAL_DEBUG": "0"}, {}):  # the default is production too
        done = manage("check", **env)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: GEOPORTAL_SECRET_KEY is not set")
    old_default = "dev-only-insecure-key-set-GEOPORTAL_SECRET_KEY-in-production"
    done = manage("check", GEOPORTAL_SECRET_KEY=old_default)
    assert done.returncode == 1 and "GEOPORTAL_SECRET_KEY" in done.stderr


def settings_of(**env) -> dict:
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k) for k in ('SECURE_SSL_REDIRECT', "
            "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
            "'SECURE_PROXY_SSL_HEADER')}))")  # fmt: skip
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "geoportal.settings",
            "DATABASE_URL": "postgis://nobody@127.0.0.1:9/none",
            "GEOPORTAL_SECRET_KEY": secrets.token_urlsafe(50)}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**base, **env})  # fmt: skip
    assert done.returncode == 0, done.stderr
    import json

    return json.loads(done.stdout)


def test_https_is_the_default_and_plain_http_must_be_asked_for():
    prod = settings_of()
    assert prod["SECURE_SSL_REDIRECT"] and prod["SESSION_COOKIE_SECURE"]
    assert prod["CSRF_COOKIE_SECURE"] and prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    intranet = settings_of(GEOPORTAL_ALLOW_HTTP="1")
    assert not intranet["SECURE_SSL_REDIRECT"] and not intranet["SESSION_COOKIE_SECURE"]
    assert intranet["SECURE_HSTS_SECONDS"] == 0
