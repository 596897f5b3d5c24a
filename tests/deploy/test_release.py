"""What a new release does on start and serves: migrations under an advisory lock (a second
starter waits), tiles of another render version never reused, static files with hashed names."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection

from geoportal.ops.localserver import gunicorn
from tests.conftest import ROOT, server_env
from tiles import cache, conf

pytestmark = pytest.mark.django_db


def test_migrate_on_start_waits_for_the_lock_another_starter_holds(django_db_setup):
    from geoportal.ops.management.commands.migrate_on_start import LOCK_KEY

    env = server_env()
    settings = connection.settings_dict
    dsn = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"],
           "dbname": settings["NAME"]}  # fmt: skip
    with psycopg.connect(**dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        proc = subprocess.Popen([sys.executable, "manage.py", "migrate_on_start"], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        time.sleep(8)
        assert proc.poll() is None, "migrate_on_start did not wait for the lock"
        holder.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "migrations applied" in out


def test_tiles_of_another_render_version_are_not_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(conf, "CACHE_DIR", str(tmp_path))
    assert cache.invalidate_on_upgrade()  # a new cache gets its stamp
    tile = tmp_path / "parcels" / "3" / "14" / "1" / "2.mvt"
    tile.parent.mkdir(parents=True)
    tile.write_bytes(b"old")
    (tmp_path / "public").mkdir()
    os.symlink("../parcels/3", tmp_path / "public" / "parcels")
    assert not cache.invalidate_on_upgrade()  # same code: the cache stays
    assert tile.exists()
    old_etag = cache.etag("mvt", "3", True)
    monkeypatch.setattr(cache, "RENDER_VERSION", "r-next")
    assert cache.invalidate_on_upgrade()
    assert not tile.exists() and not os.path.lexists(tmp_path / "public" / "parcels")
    assert cache.etag("mvt", "3", True) != old_etag  # browsers' copies do not revalidate
    monkeypatch.setattr(conf, "STYLE_VERSION", "2")  # an operator's style bump does the same
    assert "r-next.2" in cache.etag("mvt", "3", True)
    assert cache.invalidate_on_upgrade()


def test_static_files_are_served_with_hashed_names(django_db_setup, tmp_path):
    env = server_env()
    env.update(GEOPORTAL_HASHED_STATIC="1", GEOPORTAL_STATIC_ROOT=str(tmp_path / "static"))
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                          cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").is_file()
    with gunicorn(env, workers=1, threads=2, timeout=60) as url:
        page = requests.get(f"{url}/accounts/login/", timeout=30)
        assert page.status_code == 200
        hashed = re.findall(r'/static/[^"]+\.[0-9a-f]{12}\.(?:css|js)', page.text)
        assert hashed, "no hashed static name in the page"
        assert requests.get(f"{url}{hashed[0]}", timeout=10).status_code == 200
    assert Path(tmp_path / "static").is_dir()
