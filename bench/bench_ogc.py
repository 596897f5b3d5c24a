"""Analyst API benchmark on the 1M-parcel bench table: WFS GetFeature COUNT=1000 in 50 fixed
~1.2 km bboxes (GeoJSON and GML 3.2) through the portal (django-gisserver under gunicorn)
and through MapServer 8 WFS (CGI, bench/peers/mapserver.py) on the same data, in one run.
Then OGC API - Features items limit=1000 in the same bboxes, portal vs pygeoapi
(bench/peers/pygeoapi_peer.py), and a full-layer streaming GeoJSON export of the 1M parcels
with the worker's peak RSS before and after (flat memory = the export streams).
Reports p50/p95 latency, mean body size and ratios.

Run: .venv/bin/python bench/bench_ogc.py [--quick]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import requests
from common import (
    ensure_bench_data,
    pg_dsn,
    print_table,
    record_summary,
    start_portal,
    summarize,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers.mapserver import start_mapserver  # noqa: E402
from peers.pygeoapi_peer import start_pygeoapi  # noqa: E402


def bboxes(n=50, seed=11):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        lon = 32.26 + rnd.uniform(-0.15, 0.15)
        lat = 48.51 + rnd.uniform(-0.1, 0.1)
        out.append((lon, lat, lon + 0.0162, lat + 0.0108))  # ~1.2 km x 1.2 km
    return out


def bbox_param(b):  # WFS 2.0 with urn EPSG:4326: lat,lon order
    return f"{b[1]},{b[0]},{b[3]},{b[2]},urn:ogc:def:crs:EPSG::4326"


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def peak_rss_mb(pids: list[int]) -> float:
    best = 0.0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return best


def run(session, url_of, boxes, check):
    for b in boxes[:3]:  # warm-up (connections, caches)
        session.get(url_of(b)).raise_for_status()
    samples, sizes = [], []
    for b in boxes:
        t = time.perf_counter()
        r = session.get(url_of(b))
        body = r.content
        samples.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
        check(body)
        sizes.append(len(body))
    return summarize(samples), sum(sizes) / len(sizes)


def main():
    quick = "--quick" in sys.argv
    ensure_bench_data(verbose=True)
    boxes = bboxes(10 if quick else 50)
    export_layer = "buildings" if quick else "parcels"  # 200k / 1M features
    portal, stop_portal, master = start_portal(workers=1)
    ms_url, stop_ms = start_mapserver(pg_dsn())
    session = requests.Session()

    def is_json(body):
        assert body.lstrip()[:1] == b"{", body[:200]

    def is_gml(body):
        assert b"FeatureCollection" in body[:2000], body[:300]

    def portal_wfs(fmt):
        return lambda b: (
            f"{portal}/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels"
            f"&COUNT=1000&BBOX={bbox_param(b)}" + (f"&OUTPUTFORMAT={fmt}" if fmt else "")
        )

    def ms_wfs(fmt):
        return lambda b: (
            f"{ms_url}&SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels"
            f"&COUNT=1000&BBOX={bbox_param(b)}" + (f"&OUTPUTFORMAT={fmt}" if fmt else "")
        )

    rows = []
    try:
        cases = [
            ("WFS GeoJSON", portal_wfs("geojson"), ms_wfs("geojson"), is_json),
            ("WFS GML 3.2", portal_wfs(None), ms_wfs(None), is_gml),
        ]
        for name, ours, theirs, check in cases:
            s_ours, size_ours = run(session, ours, boxes, check)
            s_ms, size_ms = run(session, theirs, boxes, check)
            rows.append(
                [
                    name,
                    s_ours["p50"],
                    s_ours["p95"],
                    s_ms["p50"],
                    s_ms["p95"],
                    s_ours["p50"] / s_ms["p50"],
                    int(size_ours),
                    int(size_ms),
                ]
            )
        stop_ms()
        stop_ms = None
        # OGC API - Features items, limit=1000, the same bboxes (CRS84 lon,lat)
        pg_url, stop_pg = start_pygeoapi(pg_dsn())
        try:
            bbox_q = "{:.6f},{:.6f},{:.6f},{:.6f}"
            s_ours, size_ours = run(
                session,
                lambda b: (
                    f"{portal}/ogc/collections/parcels/items?limit=1000&bbox=" + bbox_q.format(*b)
                ),
                boxes,
                is_json,
            )
            s_pg, size_pg = run(
                session,
                lambda b: (
                    f"{pg_url}/collections/parcels/items?f=json&limit=1000&bbox="
                    + bbox_q.format(*b)
                ),
                boxes,
                is_json,
            )
        finally:
            stop_pg()
        ogc_row = [
            "OGC API items",
            s_ours["p50"],
            s_ours["p95"],
            s_pg["p50"],
            s_pg["p95"],
            s_ours["p50"] / s_pg["p50"],
            int(size_ours),
            int(size_pg),
        ]
        rss_before = peak_rss_mb(worker_pids(master))
        # full-layer streaming GeoJSON export (authenticated would skip the rate limit;
        # one anonymous request fits the bucket)
        t = time.perf_counter()
        total = 0
        with session.get(
            f"{portal}/api/v1/layers/{export_layer}/export/?format=geojson", stream=True
        ) as r:
            r.raise_for_status()
            for chunk in r.iter_content(1 << 20):
                total += len(chunk)
        export_s = time.perf_counter() - t
        rss = peak_rss_mb(worker_pids(master))
    finally:
        if stop_ms:
            stop_ms()
        stop_portal()
    print_table(
        f"WFS GetFeature COUNT=1000, {len(boxes)} fixed ~1.2 km bboxes, 1M parcels"
        " (one client, sequential; goal: portal p50 < 50 ms)",
        [
            "request",
            "portal p50 ms",
            "portal p95 ms",
            "MapServer p50 ms",
            "MapServer p95 ms",
            "portal/MapServer p50",
            "portal bytes",
            "MapServer bytes",
        ],
        rows,
    )
    print_table(
        f"OGC API - Features items limit=1000, same {len(boxes)} bboxes (peer: pygeoapi)",
        ["request", "portal p50 ms", "portal p95 ms", "pygeoapi p50 ms", "pygeoapi p95 ms",
         "portal/pygeoapi p50", "portal bytes", "pygeoapi bytes"],
        [ogc_row],
    )  # fmt: skip
    for row in rows:
        record_summary(f"{row[0]} p50 ms (1000 parcels)", row[1], "MapServer 8", row[3], "< 50")
    record_summary(
        "OGC API items p50 ms (1000 parcels)", ogc_row[1], "pygeoapi", ogc_row[3], "< 50"
    )
    record_summary(
        f"full {export_layer} export: worker RSS growth MB", rss - rss_before, None, None, "< 50"
    )
    print_table(
        f"Full-layer streaming GeoJSON export of layer {export_layer} (one gunicorn worker)",
        ["seconds", "MB sent", "worker peak RSS before MB", "worker peak RSS after MB"],
        [[export_s, total / 1e6, rss_before, rss]],
    )


if __name__ == "__main__":
    main()
