"""Faults on a throwaway cluster (see conftest): PostgreSQL restarted under an import and under
report intake, a gunicorn worker killed mid-request, and a full disk under the tile cache.

Each test says what must survive: the previous data of a layer, every accepted report and no
half-saved one, the other requests, the tiles themselves.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import geopandas as gpd
import morecantile
import numpy as np
import pytest
import requests
import shapely

from core import conf

SLUG = "fault-parcels"
BIG = 300_000  # about 5-10 s of import here: long enough to restart the server in the middle


def parcels_file(path, n: int) -> str:
    """``n`` small square parcels on a grid inside the hromada's extent (EPSG:4326 GPKG)."""
    minlon, minlat, maxlon, maxlat = conf.HROMADA["extent"]
    side = int(np.ceil(np.sqrt(n)))
    step_lon = (maxlon - minlon) * 0.5 / side
    step_lat = (maxlat - minlat) * 0.5 / side
    i = np.arange(n)
    x0 = minlon + (maxlon - minlon) * 0.25 + (i % side) * step_lon
    y0 = minlat + (maxlat - minlat) * 0.25 + (i // side) * step_lat
    geoms = shapely.box(x0, y0, x0 + step_lon * 0.8, y0 + step_lat * 0.8)
    frame = gpd.GeoDataFrame(
        {"name": np.char.add("ділянка ", i.astype(str)), "area": np.full(n, 0.05)},
        geometry=geoms,
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    return str(path)


def layer_state(portal) -> tuple[int, int]:
    version = portal.query("SELECT version FROM layers_layer WHERE slug = %s", SLUG)[0][0]
    count = portal.query("SELECT count(*) FROM layerdata.fault_parcels")[0][0]
    return version, count


def last_run(portal) -> tuple[str, str]:
    return portal.query(
        "SELECT status, error FROM importers_importrun WHERE layer_slug = %s "
        "ORDER BY id DESC LIMIT 1",
        SLUG,
    )[0]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    base = tmp_path_factory.mktemp("fault-data")
    return {
        "small": parcels_file(base / "small.gpkg", 1_000),
        "big": parcels_file(base / "big.gpkg", BIG),
    }


@pytest.fixture(scope="module")
def loaded(throwaway, files):
    done = throwaway.manage("import_layer", files["small"], "--layer", SLUG, "--access", "public")
    assert done.returncode == 0, done.stderr
    return layer_state(throwaway)


def _wait_for_copy(portal, proc, timeout=120) -> None:
    """Block until the import's COPY into its staging table is under way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"import ended before the restart: {proc.stderr.read()}"
        rows = portal.query(
            "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY %%' AND pid <> pg_backend_pid()"
        )
        if rows[0][0]:
            return
        time.sleep(0.05)
    raise AssertionError("the import never reached COPY")


def test_postgres_restart_during_import_keeps_old_data_then_retry_works(throwaway, files, loaded):
    version, count = loaded
    proc = throwaway.popen_manage("import_layer", files["big"], "--layer", SLUG)
    _wait_for_copy(throwaway, proc)
    throwaway.restart(down_seconds=1.0)
    _out, err = proc.communicate(timeout=120)

    assert proc.returncode != 0
    assert "Traceback" not in err, err
    last_line = err.strip().splitlines()[-1]
    assert "database" in last_line.lower() or "postgresql" in last_line.lower(), last_line
    assert layer_state(throwaway) == (version, count), "the interrupted import changed the layer"
    status, error = last_run(throwaway)
    assert status == "failed" and error

    retry = throwaway.manage("import_layer", files["big"], "--layer", SLUG)
    assert retry.returncode == 0, retry.stderr
    new_version, new_count = layer_state(throwaway)
    assert new_version > version and new_count == BIG  # versions come from one sequence
    assert last_run(throwaway)[0] == "done"


REPORT = {"category": "other", "located_by": "pin", "description": "Зламана лавка біля зупинки"}


def _report_body() -> dict:
    minlon, minlat, maxlon, maxlat = conf.HROMADA["extent"]
    return {**REPORT, "lat": (minlat + maxlat) / 2, "lon": (minlon + maxlon) / 2}


def test_postgres_down_during_report_intake_is_503_and_nothing_half_saved(throwaway, gunicorn):
    base, _master = gunicorn(workers=1)
    before = throwaway.query("SELECT count(*) FROM reports_report")[0][0]
    first = requests.post(f"{base}/api/v1/reports", json=_report_body(), timeout=30)
    assert first.status_code == 201, first.text

    throwaway.cluster.stop()
    try:
        down = requests.post(f"{base}/api/v1/reports", json=_report_body(), timeout=30)
        assert down.status_code == 503, down.text
        assert int(down.headers["Retry-After"]) > 0
        assert down.headers["Content-Type"].startswith("application/problem+json")
        assert "Traceback" not in down.text and "psycopg" not in down.text
    finally:
        throwaway.cluster.start()

    again = requests.post(f"{base}/api/v1/reports", json=_report_body(), timeout=30)
    assert again.status_code == 201, again.text
    accepted = {first.json()["id"], again.json()["id"]}
    rows = throwaway.query("SELECT id FROM reports_report WHERE id > 0")
    assert len(rows) == before + 2 and accepted <= {r[0] for r in rows}


def _children(pid: int) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def test_killed_worker_mid_request_loses_only_that_request(throwaway, gunicorn, loaded):
    base, master = gunicorn(workers=1)
    url = f"{base}/api/v1/layers/{SLUG}/export/?format=geojson"
    assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
    (worker,) = _children(master.pid)

    with requests.get(url, stream=True, timeout=60) as streaming:
        assert streaming.status_code == 200
        stream = streaming.iter_content(16_384)
        received = next(stream)
        os.kill(worker, signal.SIGKILL)
        with pytest.raises(requests.exceptions.RequestException):
            for chunk in stream:
                received += chunk
            json.loads(received)  # a cut stream is no JSON document

    deadline = time.monotonic() + 60  # a new worker boots Django: seconds on a busy machine
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=15).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    assert _children(master.pid) and worker not in _children(master.pid)
    whole = requests.get(url, timeout=120)
    assert whole.status_code == 200
    assert len(whole.json()["features"]) == layer_state(throwaway)[1]


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tiny tmpfs needs root")
def test_full_disk_under_tile_cache_still_serves_tiles(throwaway, gunicorn, loaded, tmp_path):
    capacity = 16 * 1024
    cache = tmp_path / "tiny-cache"
    cache.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={capacity}", "tmpfs", str(cache)], check=True
    )
    try:
        base, _master = gunicorn(workers=1, GEOPORTAL_TILE_CACHE_DIR=str(cache))
        extent = throwaway.query("SELECT extent FROM layers_layer WHERE slug = %s", SLUG)[0][0]
        tms = morecantile.tms.get("WebMercatorQuad")
        served = 0
        for z in (13, 14, 15, 16):
            for t in list(tms.tiles(*extent, [z]))[:30]:
                r = requests.get(f"{base}/tiles/{SLUG}/{t.z}/{t.x}/{t.y}.mvt", timeout=30)
                assert r.status_code in (200, 204), (t, r.status_code, r.text[:200])
                served += len(r.content)
        cached = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
        assert served > 2 * capacity, (
            "the tiles must outgrow the disk for this test to mean anything"
        )
        assert cached <= capacity < served  # writes failed for lack of space, requests did not
    finally:
        subprocess.run(["umount", "-l", str(cache)], check=False)
