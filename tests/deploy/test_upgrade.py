"""An upgrade from the previous release: the database of v0.1.0 (commit a51c6b7, the tag this
issue starts from; the test uses the commit, since tags may not travel with a clone) made by
that release's own code and migrations, with data in it, then migrated by today's start-up
command (manage.py migrate_on_start). The data must come through, and today's migrations must
reverse and apply again."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from tests.conftest import ROOT, server_env

PREVIOUS_RELEASE = "a51c6b7"  # v0.1.0
DB = "geoportal_upgrade_check"

MAKE_DATA = """
from django.contrib.gis.geos import Point
from geoportal.reports.models import Category, Report
from layers.models import Layer
Layer.objects.create(slug="upgrade-wells", title_uk="Криниці", access="staff",
                     attributes=[{"name": "depth", "type": "float"}])
Layer.objects.create(slug="upgrade-parks", title_uk="Парки", access="public")
Report.objects.create(category=Category.objects.first(), location=Point(3647000, 6125000, srid=3857),
                      located_by="pin", description="Яма", email="old@example.org", name="Олена")
print("made")
"""


def run(cwd: Path, args: list[str], env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{args}: {done.stderr[-3000:]}"
    return done


@pytest.fixture
def old_release():
    if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"],
                      capture_output=True).returncode != 0:  # fmt: skip
        pytest.fail(
            f"commit {PREVIOUS_RELEASE} (v0.1.0) is not in this clone: git fetch --unshallow"
        )
    folder = Path(tempfile.mkdtemp(prefix="geoportal-v0.1.0-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE],
                             capture_output=True, check=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def scratch_db():
    """A new, empty database on the test run's server (not the test database)."""
    settings = connection.settings_dict
    if settings.get("PASSWORD") or not str(settings["HOST"]).startswith("/"):
        pytest.skip("made for the embedded cluster's socket")
    server = quote(settings["HOST"], safe="")
    admin = f"postgresql://{settings['USER']}@{server}:{settings['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    yield f"postgresql://{settings['USER']}@{server}:{settings['PORT']}/{DB}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


def test_a_database_of_the_previous_release_migrates_to_today(old_release, scratch_db):
    old_env = {k: v for k, v in server_env().items() if not k.startswith("GEOPORTAL_")}
    old_env.update(DATABASE_URL=scratch_db, DJANGO_SETTINGS_MODULE="geoportal.settings",
                   GEOPORTAL_LOG_LEVEL="ERROR")  # fmt: skip
    run(old_release, ["manage.py", "migrate", "--noinput", "-v", "0"], old_env)
    assert "made" in run(old_release, ["manage.py", "shell", "-c", MAKE_DATA], old_env).stdout

    env = server_env()
    env["DATABASE_URL"] = scratch_db
    run(ROOT, ["manage.py", "migrate_on_start", "-v", "0"], env)
    with psycopg.connect(scratch_db) as conn:
        layers = dict(conn.execute(
            "SELECT slug, access FROM layers_layer WHERE slug LIKE 'upgrade-%'").fetchall())  # fmt: skip
        assert layers == {"upgrade-wells": "staff", "upgrade-parks": "public"}
        attributes = conn.execute(
            "SELECT attributes FROM layers_layer WHERE slug = 'upgrade-wells'").fetchone()[0]  # fmt: skip
        assert attributes == [{"name": "depth", "type": "float"}]
        report = conn.execute(
            "SELECT email, name, description, personal_data_erased_at FROM reports_report"
        ).fetchall()
        assert report == [("old@example.org", "Олена", "Яма", None)]
        applied = {r[0] for r in conn.execute(
            "SELECT app || '.' || name FROM django_migrations").fetchall()}  # fmt: skip
        assert "layers.0005_reader_sees_public_layers" in applied
        assert "reports.0006_personal_data_erasure" in applied

    # Today's migrations reverse (a release can be rolled back) and apply again.
    run(ROOT, ["manage.py", "migrate", "reports", "0005", "-v", "0"], env)
    run(ROOT, ["manage.py", "migrate", "layers", "0003", "-v", "0"], env)
    out = run(ROOT, ["manage.py", "showmigrations", "--plan"], env).stdout
    assert "[ ]  reports.0006_personal_data_erasure" in out
    assert "[ ]  layers.0005_reader_sees_public_layers" in out
    run(ROOT, ["manage.py", "migrate_on_start", "-v", "0"], env)
    with psycopg.connect(scratch_db) as conn:
        assert conn.execute("SELECT count(*) FROM reports_report").fetchone()[0] == 1
