"""The command line: import_layer options (kind, landmark fields, rollback, URL source),
import_watched for periodic updates, and errors as one line with a non-zero exit."""

import functools
import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from importers import conf
from importers.errors import ImportFailed
from importers.versions import rollback
from layers.models import Layer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _points(path, rows, extra=""):
    lines = ["lon,lat,Номер,Вулиця" + extra] + [
        f"{32.764 + i * 1e-4},48.110,{i},вулиця Миру" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _count(table):
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM layerdata.{table}")
        return cur.fetchone()[0]


def test_landmark_fields_by_their_file_names(tmp_path):
    path = _points(tmp_path / "opory.csv", 3)
    call_command("import_layer", str(path), "--layer", "cli-poles", "--kind", "utility",
                 "--crs", "EPSG:4326", "--landmark-ref", "Номер", "--address", "Вулиця,Номер")  # fmt: skip
    layer = Layer.objects.get(slug="cli-poles")
    assert (layer.kind, layer.landmark_ref, layer.address_fields) == (
        "utility",
        "nomer",
        "vulytsia,nomer",
    )


def test_unknown_landmark_field_is_one_line_naming_it(tmp_path):
    path = _points(tmp_path / "opory.csv", 3)
    with pytest.raises(CommandError, match=r"--landmark-ref 'pole_no': no such field.*Номер"):
        call_command("import_layer", str(path), "--layer", "cli-poles", "--crs", "EPSG:4326",
                     "--landmark-ref", "pole_no")  # fmt: skip
    assert not Layer.objects.filter(slug="cli-poles").exists()


def test_rollback_restores_data_and_schema(tmp_path):
    first = _points(tmp_path / "a.csv", 3)
    second = tmp_path / "b.csv"
    second.write_text("lon,lat,code\n32.764,48.110,X\n", "utf-8")
    call_command("import_layer", str(first), "--layer", "cli-roll", "--crs", "EPSG:4326")
    call_command("import_layer", str(second), "--layer", "cli-roll", "--crs", "EPSG:4326",
                 "--schema", "replace")  # fmt: skip
    layer = Layer.objects.get(slug="cli-roll")
    assert (layer.attribute_names(), _count("cli_roll")) == (["code"], 1)
    second_version = layer.version
    call_command("import_layer", "--layer", "cli-roll", "--rollback")
    layer.refresh_from_db()
    assert layer.version > second_version and layer.feature_count == _count("cli_roll") == 3
    assert layer.attribute_names() == ["nomer", "vulytsia"]
    with pytest.raises(CommandError, match="version 7 is not kept"):
        call_command("import_layer", "--layer", "cli-roll", "--rollback", "7")
    # Version 0 (the admin's "before the first import") is refused, not read as "the newest".
    with pytest.raises(ImportFailed, match="version 0 is not kept"):
        rollback("cli-roll", 0)


@pytest.fixture
def file_server(tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_source_is_fetched_and_capped(tmp_path, file_server, monkeypatch):
    _points(tmp_path / "remote.csv", 5)
    call_command(
        "import_layer", f"{file_server}/remote.csv", "--layer", "cli-url", "--crs", "EPSG:4326"
    )
    layer = Layer.objects.get(slug="cli-url")
    assert layer.feature_count == 5 and layer.source_file.endswith("/remote.csv")
    monkeypatch.setattr(conf, "MAX_UPLOAD_MB", 0)
    with pytest.raises(CommandError, match="larger than the upload limit"):
        call_command(
            "import_layer", f"{file_server}/remote.csv", "--layer", "cli-url", "--crs", "EPSG:4326"
        )
    with pytest.raises(CommandError, match="HTTP 404"):
        call_command("import_layer", f"{file_server}/missing.csv", "--layer", "cli-url")
    assert Layer.objects.get(slug="cli-url").version == layer.version


def test_watched_folder_imports_changed_files_only(tmp_path):
    _points(tmp_path / "watched-poles.csv", 4)
    (tmp_path / "watched-poles.import.json").write_text(
        json.dumps({"crs": "EPSG:4326", "kind": "utility", "landmark_ref": "Номер"}), "utf-8"
    )
    (tmp_path / "notes.txt").write_text("not data")
    call_command("import_watched", str(tmp_path), "--once")
    layer = Layer.objects.get(slug="watched-poles")
    assert (layer.feature_count, layer.landmark_ref) == (4, "nomer")
    call_command("import_watched", str(tmp_path), "--once")  # unchanged: skipped
    assert Layer.objects.get(slug="watched-poles").version == layer.version
    first_version = layer.version
    _points(tmp_path / "watched-poles.csv", 6)
    call_command("import_watched", str(tmp_path), "--once")
    layer.refresh_from_db()
    assert layer.version > first_version and layer.feature_count == 6


@pytest.fixture
def forget_broken_runs():
    yield
    other = connections.create_connection("default")  # outside the test's transaction
    try:
        with other.cursor() as cur:  # the subprocess committed its failed run record
            cur.execute("DELETE FROM importers_importrun WHERE layer_slug = 'cli-broken'")
    finally:
        other.close()


def test_cli_error_is_one_line_and_nonzero_exit(tmp_path, forget_broken_runs):
    from tests.conftest import server_env

    broken = tmp_path / "broken.geojson"
    broken.write_text("{ not json")
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_layer", str(broken), "--layer", "cli-broken"],
        cwd=ROOT, env=server_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "broken.geojson" in lines[0], proc.stderr
