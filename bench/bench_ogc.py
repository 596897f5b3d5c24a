"""Analyst API benchmark on the 1M-parcel bench table: WFS GetFeature COUNT=1000 in 50 fixed
~1.2 km bboxes (GeoJSON and GML 3.2) through the portal (django-gisserver under gunicorn)
and through MapServer 8 WFS on the same data, in one run: as CGI (a process per request) and
under FastCGI (long-running mapserv processes behind nginx, bench/peers/mapserver.py); and the
floor: the same 1000 rows as one GeoJSON document from one SQL statement over one persistent
connection (what any server on this database must at least pay).
Then OGC API - Features items limit=1000 in the same bboxes, portal vs pygeoapi
(bench/peers/pygeoapi_peer.py), and a full-layer streaming GeoJSON export of the 1M parcels
with the worker's peak RSS before and after (flat memory = the export streams).
Reports p50/p95 latency, mean body size and ratios; goals: WFS and OGC API p50 <= 2x the floor
and <= 0.5x MapServer FastCGI.

Run: .venv/bin/python bench/bench_ogc.py [--quick]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import psycopg
import requests
from common import (
    ensure_bench_data,
    pg_dsn,
    print_table,
    record_summary,
    start_portal,
    summarize,
    time_ms,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers.mapserver import start_mapserver, start_mapserver_fastcgi  # noqa: E402
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
        r, ms = time_ms(session.get, url_of(b))
        body = r.content
        samples.append(ms)
        r.raise_for_status()
        check(body)
        sizes.append(len(body))
    return summarize(samples), sum(sizes) / len(sizes)


def is_json(body):
    assert body.lstrip()[:1] == b"{", body[:200]


def is_gml(body):
    assert b"FeatureCollection" in body[:2000], body[:300]


def wfs_get_feature(endpoint: str, fmt: str | None):
    """bbox -> URL of a WFS GetFeature COUNT=1000 at ``endpoint`` (which ends in ? or &),
    in ``fmt`` (None: the server's default, GML 3.2)."""
    return lambda b: (
        f"{endpoint}SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels"
        f"&COUNT=1000&BBOX={bbox_param(b)}" + (f"&OUTPUTFORMAT={fmt}" if fmt else "")
    )


# The floor: the portal's 1000 rows (its WFS/OGC API order: fid) as one GeoJSON document, in
# one statement, EPSG:4326 with 7 decimals as the portal writes them.
FLOOR_SQL = """SELECT json_build_object('type', 'FeatureCollection', 'features',
    coalesce(json_agg(json_build_object('type', 'Feature', 'id', fid,
      'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 7)::json,
      'properties', json_build_object('cadnum', cadnum, 'purpose', purpose, 'area_ha', area_ha))),
      '[]'::json))::text
  FROM (SELECT fid, cadnum, purpose, area_ha, geom FROM layerdata.parcels
        WHERE geom && ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 3857)
        ORDER BY fid LIMIT 1000) q"""


def measure_floor(boxes) -> tuple[dict, float]:
    """(latency summary, mean bytes) of FLOOR_SQL over one persistent connection, prepared."""
    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        cursor = conn.cursor()

        def one(b):
            cursor.execute(FLOOR_SQL, b, prepare=True)
            return cursor.fetchone()[0]

        for b in boxes[:3]:
            one(b)
        samples, sizes = [], []
        for b in boxes:
            body, ms = time_ms(one, b)
            samples.append(ms)
            sizes.append(len(body.encode()))
    return summarize(samples), sum(sizes) / len(sizes)


def compare_row(name: str, ours: tuple[dict, float], theirs: tuple[dict, float]) -> list:
    """One table row from two ``run`` results: latencies, the p50 ratio and mean body sizes."""
    (s_ours, size_ours), (s_peer, size_peer) = ours, theirs
    return [
        name,
        s_ours["p50"],
        s_ours["p95"],
        s_peer["p50"],
        s_peer["p95"],
        s_ours["p50"] / s_peer["p50"],
        int(size_ours),
        int(size_peer),
    ]


WFS_CASES = [("WFS GeoJSON", "geojson", is_json), ("WFS GML 3.2", None, is_gml)]


def measure_wfs(session, portal: str, boxes) -> tuple[list[list], dict]:
    """WFS GetFeature (GeoJSON, GML 3.2), the portal and MapServer 8 CGI in turn: one row
    each; and {case: run(...)} of MapServer 8 under FastCGI."""
    ours = {
        name: run(session, wfs_get_feature(f"{portal}/wfs?", fmt), boxes, check)
        for name, fmt, check in WFS_CASES
    }
    ms_url, stop_ms = start_mapserver(pg_dsn())
    try:
        rows = [
            compare_row(
                name, ours[name], run(session, wfs_get_feature(f"{ms_url}&", fmt), boxes, check)
            )
            for name, fmt, check in WFS_CASES
        ]
    finally:
        stop_ms()
    fcgi_url, stop_fcgi = start_mapserver_fastcgi(pg_dsn())
    try:
        fastcgi = {
            name: run(session, wfs_get_feature(f"{fcgi_url}&", fmt), boxes, check)
            for name, fmt, check in WFS_CASES
        }
    finally:
        stop_fcgi()
    return rows, fastcgi


def measure_ogc_api(session, portal: str, boxes) -> list:
    """OGC API - Features items, limit=1000, the same bboxes (CRS84 lon,lat), vs pygeoapi."""
    pg_url, stop_pg = start_pygeoapi(pg_dsn())
    bbox_q = "{:.6f},{:.6f},{:.6f},{:.6f}"
    try:
        ours = run(
            session,
            lambda b: (
                f"{portal}/ogc/collections/parcels/items?limit=1000&bbox=" + bbox_q.format(*b)
            ),
            boxes,
            is_json,
        )
        theirs = run(
            session,
            lambda b: (
                f"{pg_url}/collections/parcels/items?f=json&limit=1000&bbox=" + bbox_q.format(*b)
            ),
            boxes,
            is_json,
        )
    finally:
        stop_pg()
    return compare_row("OGC API items", ours, theirs)


def download(session, url: str) -> int:
    """Bytes of a streamed response, read in 1 MiB chunks."""
    total = 0
    with session.get(url, stream=True) as r:
        r.raise_for_status()
        for chunk in r.iter_content(1 << 20):
            total += len(chunk)
    return total


def measure_export(session, portal: str, master: int, layer: str) -> list:
    """Full-layer streaming GeoJSON export: [seconds, MB sent, worker peak RSS before, after]
    (authenticated would skip the rate limit; one anonymous request fits the bucket)."""
    rss_before = peak_rss_mb(worker_pids(master))
    total, ms = time_ms(download, session, f"{portal}/api/v1/layers/{layer}/export/?format=geojson")
    rss = peak_rss_mb(worker_pids(master))
    return [ms / 1000, total / 1e6, rss_before, rss]


def print_fair(boxes, rows: list[list], ogc_row: list, fastcgi: dict, floor: tuple) -> None:
    """The portal beside the SQL floor and MapServer under FastCGI, with the goals' ratios."""
    floor_p50 = floor[0]["p50"]
    table = [
        [
            "raw SQL floor (GeoJSON, one statement)",
            floor_p50,
            floor[0]["p95"],
            1.0,
            "",
            int(floor[1]),
        ]
    ]
    for row in rows:
        fcgi = fastcgi[row[0]][0]
        table.append(
            [
                f"MapServer 8 FastCGI, {row[0]}",
                fcgi["p50"],
                fcgi["p95"],
                fcgi["p50"] / floor_p50,
                "",
                int(fastcgi[row[0]][1]),
            ]
        )
    for row in rows + [ogc_row]:
        vs_fcgi = row[1] / fastcgi[row[0]][0]["p50"] if row[0] in fastcgi else ""
        table.append([f"portal, {row[0]}", row[1], row[2], row[1] / floor_p50, vs_fcgi, row[6]])
    print_table(
        f"Floor and fairer peer, COUNT/limit=1000, same {len(boxes)} bboxes "
        "(goals: portal p50 <= 2x the floor and <= 0.5x MapServer FastCGI)",
        ["server", "p50 ms", "p95 ms", "p50 / floor", "p50 / FastCGI", "bytes"],
        table,
    )
    for row in rows:
        fcgi = fastcgi[row[0]][0]["p50"]
        record_summary(
            f"{row[0]} p50 vs raw SQL floor ms",
            row[1],
            "raw SQL floor",
            floor_p50,
            f"<= {2 * floor_p50:.1f}",
        )
        record_summary(
            f"{row[0]} p50 vs MapServer FastCGI ms",
            row[1],
            "MapServer 8 FastCGI",
            fcgi,
            f"<= {0.5 * fcgi:.1f}",
        )
    record_summary(
        "OGC API items p50 vs raw SQL floor ms",
        ogc_row[1],
        "raw SQL floor",
        floor_p50,
        f"<= {2 * floor_p50:.1f}",
    )
    fcgi = fastcgi["WFS GeoJSON"][0]["p50"]
    record_summary("OGC API items p50 vs MapServer FastCGI (WFS GeoJSON) ms", ogc_row[1], "MapServer 8 FastCGI", fcgi, f"<= {0.5 * fcgi:.1f}")  # fmt: skip


def print_results(boxes, rows: list[list], ogc_row: list, layer: str, export: list) -> None:
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
    _, _, rss_before, rss = export
    record_summary(
        f"full {layer} export: worker RSS growth MB", rss - rss_before, None, None, "< 50"
    )
    print_table(
        f"Full-layer streaming GeoJSON export of layer {layer} (one gunicorn worker)",
        ["seconds", "MB sent", "worker peak RSS before MB", "worker peak RSS after MB"],
        [export],
    )


def main():
    quick = "--quick" in sys.argv
    ensure_bench_data(verbose=True)
    boxes = bboxes(10 if quick else 50)
    export_layer = "buildings" if quick else "parcels"  # 200k / 1M features
    portal, stop_portal, master = start_portal(workers=1)
    session = requests.Session()
    try:
        rows, fastcgi = measure_wfs(session, portal, boxes)
        ogc_row = measure_ogc_api(session, portal, boxes)
        export = measure_export(session, portal, master, export_layer)
    finally:
        stop_portal()
    floor = measure_floor(boxes)
    print_results(boxes, rows, ogc_row, export_layer, export)
    print_fair(boxes, rows, ogc_row, fastcgi, floor)


if __name__ == "__main__":
    main()
