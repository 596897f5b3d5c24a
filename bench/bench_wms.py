"""View and discovery services on the bench database, over HTTP, one client, in one run:

- WMS GetMap 512x512 PNG of the 1M bench parcels at z15 and z16 scales (fixed boxes), the portal
  (gunicorn, /wms) beside MapServer 8 mapscript in a long-running process on the same table and
  style (bench/peers/mapserver.py ``start_mapscript_wms``: no CGI start-up); goal portal p50 <=
  MapServer p50;
- CSW GetRecords of 10 records (goal p50 < 50 ms);
- WMS GetCapabilities with 100 layers (the two bench layers and 98 registered here over views of
  the buildings, removed afterwards; goal p50 < 100 ms).

Run: .venv/bin/python bench/bench_wms.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

import requests
from common import (
    ROOT,
    bench_env,
    ensure_bench_data,
    pg_dsn,
    print_table,
    record_summary,
    start_portal,
    summarize,
    time_ms,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers.mapserver import start_mapscript_wms  # noqa: E402

EXTRA = 98  # with parcels and buildings: 100 layers in the capabilities
RES = {15: 4.777, 16: 2.389}  # metres per pixel at the equator's scale (Web Mercator)
CENTRE = (3591000.0, 6190000.0)  # EPSG:3857, inside the bench data around lon 32.26 lat 48.51

_LAYERS = r"""
import sys, django
django.setup()
from django.db import connection
from layers.models import Layer
n = int(sys.argv[1])
slugs = [f"bench-wms-{i:03d}" for i in range(n)]
old = list(Layer.objects.filter(slug__startswith="bench-wms-").values_list("slug", flat=True))
with connection.cursor() as cur:
    for s in old:  # views first: a deleted layer drops its table (layers.signals)
        cur.execute(f'DROP VIEW IF EXISTS layerdata."{s.replace("-", "_")}"')
    Layer.objects.filter(slug__in=old).delete()
    if n:
        src = Layer.objects.get(slug="buildings")
        for s in slugs:
            t = s.replace("-", "_")
            cur.execute(f'CREATE VIEW layerdata."{t}" AS SELECT * FROM layerdata.buildings')
            Layer.objects.create(slug=s, title_uk=f"Шар {s}", title_en=s, category=src.category,
                attributes=src.attributes, geometry_type=src.geometry_type, access="public",
                feature_count=src.feature_count, extent=src.extent)
print(Layer.objects.filter(access="public").count())
"""


def set_extra_layers(n: int) -> int:
    """Register ``n`` extra public layers (0 removes them); the number of public layers."""
    out = subprocess.run(
        [sys.executable, "-c", _LAYERS, str(n)],
        env={**bench_env(), "DJANGO_SETTINGS_MODULE": "geoportal.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit("registering the bench layers failed: " + out.stderr.strip().splitlines()[-1])
    return int(out.stdout.strip().splitlines()[-1])


def boxes(z: int, n: int, seed: int = 16) -> list[str]:
    rnd = random.Random(seed + z)
    half = 256 * RES[z]
    out = []
    for _ in range(n):
        x = CENTRE[0] + rnd.uniform(-15000, 15000)
        y = CENTRE[1] + rnd.uniform(-10000, 10000)
        out.append(f"{x - half:.2f},{y - half:.2f},{x + half:.2f},{y + half:.2f}")
    return out


def getmap(bbox: str) -> dict:
    return {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "parcels",
            "STYLES": "", "CRS": "EPSG:3857", "BBOX": bbox, "WIDTH": "512", "HEIGHT": "512",
            "FORMAT": "image/png", "TRANSPARENT": "TRUE"}  # fmt: skip


def fetch(session, url: str, params: dict, media: str) -> int:
    r = session.get(url, params=params, timeout=120)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media), (
        r.status_code,
        r.content[:300],
    )
    return len(r.content)


def measure(session, url: str, cases: list[dict], media: str, runs: int) -> tuple[dict, float]:
    """Latency summary and mean body size of ``runs`` rounds over ``cases`` after one warm-up."""
    for params in cases:
        fetch(session, url, params, media)
    samples, sizes = [], []
    for _ in range(runs):
        for params in cases:
            size, ms = time_ms(fetch, session, url, params, media)
            samples.append(ms)
            sizes.append(size)
    return summarize(samples), sum(sizes) / len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer boxes and rounds")
    args = parser.parse_args()
    n_boxes, runs = (5, 2) if args.quick else (20, 3)
    ensure_bench_data()
    session = requests.Session()
    portal, stop_portal, _ = start_portal(workers=2, threads=1)
    peer, stop_peer = start_mapscript_wms(pg_dsn())
    rows = []
    try:
        for z in (15, 16):
            cases = [getmap(b) for b in boxes(z, n_boxes)]
            ours, size = measure(session, f"{portal}/wms", cases, "image/png", runs)
            theirs, size_peer = measure(session, peer, cases, "image/png", runs)
            rows.append([f"GetMap 512x512 PNG z{z} (1M parcels)", ours["p50"], ours["p95"],
                         theirs["p50"], theirs["p95"], ours["p50"] / theirs["p50"],
                         int(size), int(size_peer)])  # fmt: skip
            record_summary(f"WMS GetMap 512 PNG z{z} p50 ms", ours["p50"],
                           "MapServer 8 mapscript", theirs["p50"], "<= peer")  # fmt: skip
    finally:
        stop_peer()
    print_table(
        f"WMS GetMap, {n_boxes} fixed boxes x {runs} rounds, one client"
        " (goal: portal p50 <= MapServer p50)",
        ["request", "portal p50 ms", "portal p95 ms", "MapServer p50 ms", "MapServer p95 ms",
         "portal/MapServer p50", "portal bytes", "MapServer bytes"],
        rows,
    )  # fmt: skip
    stop_portal()
    measure_discovery(session, runs * 10)


def measure_discovery(session, runs: int) -> None:
    """CSW GetRecords 10 and WMS GetCapabilities with 100 layers (a portal started after they
    are registered, so its snapshot of the registry has them)."""
    layers = set_extra_layers(EXTRA)
    portal, stop_portal, _ = start_portal(workers=2, threads=1)
    try:
        csw = {"service": "CSW", "version": "2.0.2", "request": "GetRecords",
               "typenames": "csw:Record", "elementsetname": "brief",
               "resulttype": "results", "maxrecords": "10"}  # fmt: skip
        caps = {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"}
        rows = []
        for name, path, params, media, goal in (
            ("CSW GetRecords 10 (2.0.2, brief)", "/csw", csw, "application/xml", 50),
            (f"WMS GetCapabilities ({layers} layers)", "/wms", caps, "text/xml", 100),
        ):
            s, size = measure(session, portal + path, [params], media, runs)
            rows.append([name, s["p50"], s["p95"], goal, int(size)])
            record_summary(f"{name} p50 ms", s["p50"], None, None, f"< {goal}")
    finally:
        stop_portal()
        set_extra_layers(0)
    print_table(
        f"Discovery and capabilities, {runs} runs each after a warm-up, one client",
        ["request", "p50 ms", "p95 ms", "goal p50 ms", "bytes"],
        rows,
    )


if __name__ == "__main__":
    main()
