"""Rasters like vectors (issue 20): a bad CRS or a truncated GeoTIFF is one line on the CLI
with no traceback, leaves no folder behind and is in the import records; successful raster
imports are recorded, kept, and rolled back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core import conf
from importers.models import ImportRun
from layers.models import Layer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
FLOOD = ROOT / "fixtures/demo/environment/flood_depth.tif"


@pytest.fixture
def raster_dir(tmp_path, monkeypatch):
    folder = tmp_path / "rasters"
    folder.mkdir()
    monkeypatch.setattr(conf, "RASTER_DIR", str(folder))
    return folder


def test_bad_crs_is_one_line_and_recorded(raster_dir):
    with pytest.raises(
        CommandError, match=r"^flood_depth.tif: unknown coordinate system 'EPSG:99999'"
    ):
        call_command("import_layer", str(FLOOD), "--layer", "bad-crs", "--crs", "EPSG:99999")
    assert not (raster_dir / "bad-crs").exists()
    run = ImportRun.objects.get(layer_slug="bad-crs")
    assert run.status == "failed" and "unknown coordinate system" in run.error


def test_truncated_geotiff_is_one_line_without_paths(raster_dir, tmp_path):
    cut = tmp_path / "cut.tif"
    cut.write_bytes(FLOOD.read_bytes()[:20000])
    with pytest.raises(CommandError) as caught:
        call_command("import_layer", str(cut), "--layer", "cut-raster")
    message = str(caught.value)
    assert message.startswith("cut.tif: cannot be read as a raster") and "\n" not in message
    assert str(tmp_path) not in message
    assert (
        not (raster_dir / "cut-raster").exists()
        and not Layer.objects.filter(slug="cut-raster").exists()
    )
    assert ImportRun.objects.get(layer_slug="cut-raster").status == "failed"  # fmt: skip


def test_raster_versions_are_kept_and_rolled_back(raster_dir, tmp_path, capsys):
    second = tmp_path / "flood2.tif"
    shutil.copy(FLOOD, second)
    call_command("import_layer", str(FLOOD), "--layer", "flood-v")
    first = Layer.objects.get(slug="flood-v")
    call_command("import_layer", str(second), "--layer", "flood-v")
    newer = Layer.objects.get(slug="flood-v")
    assert newer.raster_path != first.raster_path and newer.source_file == "flood2.tif"
    call_command("import_layer", "--layer", "flood-v", "--list-versions")
    assert str(first.version) in capsys.readouterr().out
    call_command("import_layer", "--layer", "flood-v", "--rollback")
    rolled = Layer.objects.get(slug="flood-v")
    assert rolled.raster_path == first.raster_path and rolled.version > newer.version
    assert rolled.source_file == "flood_depth.tif"  # the admin shows the file now live
    runs = list(ImportRun.objects.filter(layer_slug="flood-v").order_by("started_at"))
    assert [r.status for r in runs] == ["done", "done", "done"]
    assert runs[-1].file_name == f"rollback to version {first.version}"
