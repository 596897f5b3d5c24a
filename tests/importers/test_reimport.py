"""Re-imports that cannot surprise (issue 20): a zipped shapefile without its .dbf is refused; a
re-import that changes the geometry type or drops columns needs --schema replace; a dry run is
a preview with counts; versions never repeat, so a layer deleted and re-created under its slug
serves its own tiles; one import of a layer at a time; the watched folder names layers by the
national transliteration, refuses two files feeding one layer and sees a sidecar's change."""

from __future__ import annotations

import io
import json
import threading
import zipfile

import mapbox_vector_tile
import morecantile
import pyogrio
import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from importers.errors import ImportFailed
from importers.locks import LOCK_CLASS, _key
from importers.pipeline import ImportOptions, import_vector
from layers.models import Layer

pytestmark = pytest.mark.django_db
TMS = morecantile.tms.get("WebMercatorQuad")


def _square(lon, lat, d=0.0005):
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


def _geojson(path, rows, geometry="Polygon"):
    features = []
    for i, props in enumerate(rows):
        lon, lat = 32.77 + i * 0.001, 48.12
        coords = _square(lon, lat) if geometry == "Polygon" else [lon, lat]
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": geometry, "coordinates": coords}})  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def _zipped_shapefile(tmp_path, drop=()):
    folder = tmp_path / "shp"
    folder.mkdir()
    src = _geojson(tmp_path / "src.geojson", [{"name": "a"}, {"name": "b"}, {"name": "c"}])
    df = pyogrio.read_dataframe(src)
    pyogrio.write_dataframe(df, folder / "lots.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for part in folder.iterdir():
            if part.suffix not in drop:
                zf.write(part, part.name)
    path = tmp_path / "lots.zip"
    path.write_bytes(buf.getvalue())
    return path


def test_zipped_shapefile_without_dbf_is_refused_on_one_line(tmp_path):
    path = _zipped_shapefile(tmp_path, drop=(".dbf",))
    with pytest.raises(CommandError, match=r"lots.zip: the shapefile lots.shp has no lots.dbf"):
        call_command("import_layer", str(path), "--layer", "nodbf")
    assert not Layer.objects.filter(slug="nodbf").exists()


def test_zipped_shapefile_with_dbf_imports_its_attributes(tmp_path):
    path = _zipped_shapefile(tmp_path)
    import_vector(path, ImportOptions(slug="withdbf"))
    assert Layer.objects.get(slug="withdbf").attribute_names() == ["name"]


def test_geometry_change_needs_schema_replace(tmp_path):
    polygons = _geojson(tmp_path / "a.geojson", [{"name": "a"}, {"name": "b"}])
    points = _geojson(tmp_path / "b.geojson", [{"name": "a"}], geometry="Point")
    import_vector(polygons, ImportOptions(slug="flip"))
    before = Layer.objects.get(slug="flip")
    with pytest.raises(CommandError, match=r"geometry MultiPolygon -> Point.*--schema replace"):
        call_command("import_layer", str(points), "--layer", "flip")
    after = Layer.objects.get(slug="flip")
    assert (after.version, after.geometry_type, after.feature_count) == (
        before.version, "MultiPolygon", 2
    )  # fmt: skip
    call_command("import_layer", str(points), "--layer", "flip", "--schema", "replace")
    assert Layer.objects.get(slug="flip").geometry_type == "Point"


def test_lost_column_needs_schema_replace(tmp_path):
    both = _geojson(tmp_path / "a.geojson", [{"name": "a", "purpose": "x"}])
    fewer = _geojson(tmp_path / "b.geojson", [{"name": "a"}])
    import_vector(both, ImportOptions(slug="cols"))
    with pytest.raises(ImportFailed, match="columns dropped: purpose") as caught:
        import_vector(fewer, ImportOptions(slug="cols"))
    assert caught.value.status == 409 and caught.value.code == "schema-change"
    assert Layer.objects.get(slug="cols").attribute_names() == ["name", "purpose"]


def test_dry_run_is_a_preview_with_counts(tmp_path, capsys):
    old = _geojson(tmp_path / "a.geojson", [{"n": "1"}, {"n": "2"}, {"n": "3"}])
    import_vector(old, ImportOptions(slug="preview"))
    version = Layer.objects.get(slug="preview").version
    # row 1 the same, row 2 re-attributed, row 3 gone... and two new ones further east
    new = _geojson(tmp_path / "b.geojson", [{"n": "1"}, {"n": "X"}, {"n": "new"}, {"n": "new2"}])
    data = json.loads(new.read_text())
    data["features"][2]["geometry"]["coordinates"] = _square(32.80, 48.12)
    data["features"][3]["geometry"]["coordinates"] = _square(32.81, 48.12)
    new.write_text(json.dumps(data))
    call_command("import_layer", str(new), "--layer", "preview", "--dry-run")
    out = capsys.readouterr().out
    assert "DRY RUN, a preview: nothing was written" in out
    assert "would add 2, remove 1, change 1, keep 1 unchanged" in out
    assert Layer.objects.get(slug="preview").version == version


def test_dry_run_lists_a_schema_change_as_a_warning(tmp_path, capsys):
    import_vector(_geojson(tmp_path / "a.geojson", [{"n": "1"}]), ImportOptions(slug="dryflip"))
    points = _geojson(tmp_path / "b.geojson", [{"n": "1"}], geometry="Point")
    call_command("import_layer", str(points), "--layer", "dryflip", "--dry-run")
    captured = capsys.readouterr()
    assert "warning: the schema changes: geometry MultiPolygon -> Point" in captured.err


def _tile(client, slug, lon, lat):
    t = TMS.tile(lon + 0.00025, lat + 0.00025, 16)
    response = client.get(f"/tiles/{slug}/{t.z}/{t.x}/{t.y}.mvt")
    assert response.status_code == 200
    return response


def test_deleted_and_recreated_layer_serves_its_own_tiles(tmp_path, monkeypatch, client):
    from tiles import conf as tile_conf
    from tiles import registry

    monkeypatch.setattr(tile_conf, "CACHE_DIR", str(tmp_path / "cache"))
    registry.reset()
    first = _geojson(tmp_path / "a.geojson", [{"name": "перша"}])
    import_vector(first, ImportOptions(slug="reborn"))
    old_version = Layer.objects.get(slug="reborn").version
    before = _tile(client, "reborn", 32.77, 48.12)
    Layer.objects.get(slug="reborn").delete()
    registry.reset()
    second = _geojson(tmp_path / "b.geojson", [{"name": "друга"}])
    import_vector(second, ImportOptions(slug="reborn"))
    assert Layer.objects.get(slug="reborn").version > old_version
    after = _tile(client, "reborn", 32.77, 48.12)
    assert after["ETag"] != before["ETag"]
    names = [f["properties"].get("name") for f in mapbox_vector_tile.decode(after.content)["reborn"]["features"]]  # fmt: skip
    assert names == ["друга"]
    registry.reset()


def _hold_lock(slug):
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, _key(slug)])
    return other


def test_second_import_of_a_layer_is_refused_while_one_runs(tmp_path):
    path = _geojson(tmp_path / "a.geojson", [{"name": "a"}])
    other = _hold_lock("busy")  # as an import in another process holds it
    try:
        with pytest.raises(ImportFailed, match="an import of layer 'busy' is running") as caught:
            import_vector(path, ImportOptions(slug="busy"))
        assert caught.value.status == 409
        with pytest.raises(CommandError, match="an import of layer 'busy' is running"):
            call_command("import_layer", str(path), "--layer", "busy")
    finally:
        other.close()
    import_vector(path, ImportOptions(slug="busy"))  # the lock went with its session
    assert Layer.objects.get(slug="busy").feature_count == 1


def test_national_transliteration_names_watched_layers(tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    _geojson(folder / "ділянки.geojson", [{"name": "a"}])
    _geojson(folder / "Земельні ділянки 2026.geojson", [{"name": "a"}, {"name": "b"}])
    call_command("import_watched", str(folder), "--once")
    assert Layer.objects.get(slug="dilianky").feature_count == 1
    assert Layer.objects.get(slug="zemelni-dilianky-2026").feature_count == 2


def test_watched_files_feeding_one_layer_are_refused(tmp_path, capsys):
    folder = tmp_path / "watched"
    folder.mkdir()
    _geojson(folder / "ділянки.geojson", [{"name": "a"}])
    _geojson(folder / "dilianky.geojson", [{"name": "a"}], geometry="Point")
    with pytest.raises(CommandError, match="2 file"):
        call_command("import_watched", str(folder), "--once")
    err = capsys.readouterr().err
    assert "dilianky.geojson: not imported: dilianky.geojson, ділянки.geojson all feed layer 'dilianky'" in err  # fmt: skip
    assert not Layer.objects.filter(slug="dilianky").exists()
    (folder / "dilianky.import.json").write_text(json.dumps({"slug": "dilianky-points"}))
    call_command("import_watched", str(folder), "--once")  # a sidecar names one apart
    assert Layer.objects.get(slug="dilianky-points").geometry_type == "Point"
    assert Layer.objects.get(slug="dilianky").geometry_type == "MultiPolygon"


def test_watched_sidecar_change_is_a_change(tmp_path):
    folder = tmp_path / "watched"
    folder.mkdir()
    _geojson(folder / "lots.geojson", [{"name": "a"}])
    sidecar = folder / "lots.import.json"
    sidecar.write_text(json.dumps({"title_uk": "Ділянки"}), "utf-8")
    call_command("import_watched", str(folder), "--once")
    version = Layer.objects.get(slug="lots").version
    call_command("import_watched", str(folder), "--once")
    assert Layer.objects.get(slug="lots").version == version  # nothing changed: skipped
    sidecar.write_text(json.dumps({"title_uk": "Земельні ділянки"}), "utf-8")
    call_command("import_watched", str(folder), "--once")
    layer = Layer.objects.get(slug="lots")
    assert (layer.title_uk, layer.version > version) == ("Земельні ділянки", True)


def test_csv_with_lon_lat_needs_no_crs(tmp_path, capsys):
    path = tmp_path / "poles.csv"
    path.write_text("longitude,latitude,num\n32.764,48.110,1\n32.765,48.111,2\n", "utf-8")
    call_command("import_layer", str(path), "--layer", "lonlat")
    layer = Layer.objects.get(slug="lonlat")
    assert layer.feature_count == 2 and "EPSG:4326" in layer.source_crs
    assert "longitude/latitude in degrees" in capsys.readouterr().err
    plain = tmp_path / "plain.csv"
    plain.write_text("x,y,num\n500000,5330000,1\n", "utf-8")
    with pytest.raises(CommandError, match="declares no coordinate system"):
        call_command("import_layer", str(plain), "--layer", "plainxy")


def test_two_imports_creating_one_layer_never_hit_the_unique_slug(tmp_path):
    """Threads on connections of their own, as two upload jobs: one wins; the other, if they
    overlapped, gets the lock's clear error, never "duplicate key value"."""
    rows = [{"name": f"n{i}"} for i in range(1500)]
    paths = [_geojson(tmp_path / f"{i}.geojson", rows) for i in range(2)]
    barrier, errors = threading.Barrier(2), []

    def run(path):
        try:
            barrier.wait()
            import_vector(path, ImportOptions(slug="race", allow_outside_extent=True))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert all("is running" in e for e in errors), errors
        assert not any("duplicate key" in e for e in errors)
    finally:  # the threads committed: clean up on a connection outside the test's transaction
        cleaner = threading.Thread(target=_delete_committed, args=("race",))
        cleaner.start()
        cleaner.join()


def _delete_committed(slug):
    from importers.models import ImportRun

    try:
        Layer.objects.filter(slug=slug).delete()  # its tables go with it (layers.signals)
        ImportRun.objects.filter(layer_slug=slug).delete()
    finally:
        connections.close_all()
