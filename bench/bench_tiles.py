"""Tile benchmark on 1M parcels / 200k buildings (the bench database, see common.py).

Uncached tile latency (p50/p95, sizes) at z10-z14 and z16 over a fixed, seeded tile list
(the peers' list; z11, z12, z14 added with the same generator), one
client, sequential, for:
- raw ST_AsMVT SQL over one persistent connection (the floor; same columns as the portal's
  full-detail tile);
- the portal, cache off, the parcels layer at full detail (min zoom 0, every attribute);
- the portal, cache off, with the layer settings a municipality would use for a layer this big
  (parcels from z14, attributes from z15, and below z14 the cadastral overviews of
  tiles.overviews: zones at z10-z11, quarters at z12-z13; see SHOWN);
- MapServer 8 MVT (CGI) on the same table.
Then cached throughput (wrk from a second process, loopback): through the app server alone
(gunicorn running geoportal.wsgi: public cached tiles answered by tiles/fastpath.py in front of
the Django views, as WhiteNoise does for static files), through the Django views only,
through nginx with the project's own deploy/nginx/geoportal.conf reading the public cache
directly, and staff-only tiles with an API token through the app server alone (tiles/fastpath.py
with the token's cached access decision) and through nginx + X-Accel-Redirect after it.

Run: .venv/bin/python bench/bench_tiles.py [--quick]    (make bench-tiles)
Needs Debian's nginx, wrk, cgi-mapserver (scripts/install-system-deps.sh).
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import morecantile
import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402 -- common also puts the project root on sys.path
    ensure_bench_data,
    pg_dsn,
    print_table,
    record_summary,
    setup_django,
    start_portal,
    summarize,
    time_ms,
)
from peers.mapserver import start_mapserver  # noqa: E402

from geoportal.ops import localserver  # noqa: E402
from geoportal.ops.localserver import stop  # noqa: E402

TMS = morecantile.tms.get("WebMercatorQuad")
BBOX = (32.0563, 48.3750, 32.4637, 48.6450)  # extent of the synthetic data (lon/lat)
ZOOMS = (10, 11, 12, 13, 14, 16)
# Timed passes over each zoom's tile list (full-detail z10 tiles take seconds: one pass).
PASSES = {10: 1, 11: 1, 12: 2, 13: 3, 14: 3, 16: 3}
FULL = {"min_zoom": 0, "tile_settings": {}}
# What a hromada would set for layers of this size: parcels from z14 (a z10 tile holds up to
# 500k parcels, 17 MB; at z13 a 30 m parcel is under 2 screen pixels), geometry only until z15
# (attributes are half the bytes), and below z14 the cadastral zones and quarters (the
# overviews the parcels role gets by default; given here, the bench layer has no role).
# The demo's own parcels start at z15.
SHOWN = {
    "parcels": {
        "min_zoom": 14,
        "tile_settings": {
            "attributes_by_zoom": {"0": [], "15": ["cadnum", "purpose", "area_ha"]},
            "overviews": None,  # tiles.overviews.CADASTRAL, set once Django is set up
        },
    },
    "buildings": {
        "min_zoom": 14,
        "tile_settings": {"attributes_by_zoom": {"0": [], "15": ["street", "housenumber"]}},
    },
}
RAW_SQL = """SELECT ST_AsMVT(q, 'parcels', 4096, 'geom', 'fid') FROM (
  SELECT fid, cadnum, purpose, area_ha,
         ST_AsMVTGeom(geom, ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS geom
  FROM layerdata.parcels
  WHERE geom && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096)) q"""


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    tile = TMS.tile(lon, lat, z)
    return tile.x, tile.y


def tiles_for_zoom(z: int, count: int, seed: int = 20261122) -> list[tuple[int, int, int]]:
    """The peers' fixed tile list (shared/notes/peers/tiles.py, same seed)."""
    x0, y1 = lonlat_to_tile(BBOX[0], BBOX[1], z)
    x1, y0 = lonlat_to_tile(BBOX[2], BBOX[3], z)
    candidates = []
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            n = 2**z
            lon = (x + 0.5) / n * 360.0 - 180.0
            lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / n))))
            if z <= 10 or (BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]):
                candidates.append((z, x, y))
    rnd = random.Random(seed + z)
    if len(candidates) >= count:
        return sorted(rnd.sample(candidates, count))
    return [candidates[i % len(candidates)] for i in range(count)]


def timed(fetch, tiles, passes: int = 1) -> tuple[dict, list[int]]:
    """Warm every distinct tile once, then time the list ``passes`` times: (latency summary,
    sizes of one pass). More passes steady the percentiles of millisecond-fast tiles."""
    for tile in dict.fromkeys(tiles):
        fetch(*tile)
    times, sizes = [], []
    for n in range(passes):
        for tile in tiles:
            size, ms = time_ms(fetch, *tile)
            times.append(ms)
            if n == 0:
                sizes.append(size)
    return summarize(times), sizes


def configure(slug: str, **fields) -> None:
    from layers.models import Layer

    layer = Layer.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(layer, name, value)
    layer.save()


def wrk(
    url: str, paths: list[str], seconds: int, headers: dict | None = None, connections: int = 16
) -> dict:
    """Requests/s and p50 latency from wrk -t2 -c``connections`` rotating over ``paths``."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = ", ".join(f'"{p}"' for p in paths)
        script.write(
            f"local paths = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n"
            "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
        )
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    cmd += ["-s", script.name]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50[2]]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk {url}: {errors[1]} error responses\n{out}")
    return {"rps": rps, "p50": float(p50[1]) * scale}


def start_nginx(django_url: str, cache_dir: Path, workdir: Path):
    """Debian's nginx running the project's deploy/nginx/geoportal.conf (paths swapped, plain
    HTTP: the TLS handshake is not what this bench measures)."""
    ports, proc = localserver.start_nginx(
        workdir, upstream=django_url, cache_dir=cache_dir, static_dir=workdir / "static", tls=None
    )
    return f"http://127.0.0.1:{ports['main']}", functools.partial(stop, proc)


def staff_token() -> str:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    user, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    return Token.objects.get_or_create(user=user)[0].key


def mapserver_tile(z: int, x: int, y: int) -> str:
    """What follows MapServer's endpoint URL for one parcels MVT tile."""
    return f"&mode=tile&tilemode=gmap&tile={x}+{y}+{z}&layers=parcels3857&map.imagetype=mvt"


def raw_fetch(cursor):
    """(z, x, y) -> bytes of the tile from RAW_SQL over ``cursor``'s connection."""

    def raw(z, x, y):
        cursor.execute(RAW_SQL, {"z": z, "x": x, "y": y}, prepare=True, binary=True)
        data = cursor.fetchone()[0]
        return len(data or b"")

    return raw


def portal_fetch(session, portal: str):
    """(z, x, y) -> bytes of the portal's parcels tile (200, or 204 where the layer is hidden)."""

    def portal_tile(z, x, y):
        r = session.get(f"{portal}/tiles/parcels/{z}/{x}/{y}.mvt")
        assert r.status_code in (200, 204), (r.status_code, r.text[:200])
        return len(r.content)

    return portal_tile


def mapserver_fetch(session, ms_url: str):
    """(z, x, y) -> bytes of MapServer's parcels tile."""

    def fetch(z, x, y):
        r = session.get(ms_url + mapserver_tile(z, x, y))
        assert r.status_code == 200, (r.status_code, r.text[:200])
        return len(r.content)

    return fetch


def measure_uncached(session, tiles: dict, zooms, ms_url: str, stops: list) -> dict:
    """{(server, zoom): timed(...)} for raw SQL, the portal with cache off (full detail, then
    the layer settings; left with the latter) and MapServer, over the ``zooms`` tile lists."""
    results: dict[tuple[str, int], tuple[dict, list[int]]] = {}
    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        raw = raw_fetch(conn.cursor())
        for z in zooms:
            results["raw SQL", z] = timed(raw, tiles[z], PASSES[z])
    portal, stop, _ = start_portal(workers=3, threads=2, extra_env={"GEOPORTAL_TILE_CACHE": "0"})
    stops.append(stop)
    portal_tile = portal_fetch(session, portal)
    for name, settings in (("portal, full detail", FULL), ("portal, layer settings", SHOWN)):
        configure("parcels", **(settings.get("parcels", settings)))
        for z in zooms:
            results[name, z] = timed(portal_tile, tiles[z], PASSES[z])
    ms_tile = mapserver_fetch(session, ms_url)
    for z in zooms:
        results["MapServer 8", z] = timed(ms_tile, tiles[z], PASSES[z])
    return results


def report_uncached(results: dict, zooms, counts: dict) -> None:
    """The latency table (if anything was timed) and the summary rows of the shown zooms."""
    latency_rows = []
    for z in zooms:
        floor, ms = results["raw SQL", z][0]["p50"], results["MapServer 8", z][0]["p50"]
        for name in ("raw SQL", "portal, full detail", "portal, layer settings", "MapServer 8"):
            stats, sizes = results[name, z]
            shown = any(sizes)
            latency_rows.append(
                [
                    f"z{z}",
                    name if shown or name != "portal, layer settings" else name + " (204)",
                    stats["p50"],
                    stats["p95"],
                    sum(sizes) / len(sizes) / 1024,
                    max(sizes) / 1024,
                    stats["p50"] - floor,
                    stats["p50"] / ms,
                ]
            )
    for z in zooms:
        floor, ms = results["raw SQL", z][0]["p50"], results["MapServer 8", z][0]["p50"]
        stats, sizes = results["portal, layer settings", z]
        if not any(sizes):
            continue  # the layer is not shown at this zoom (204)
        goal = f"<= {floor + 2:.1f}" if z == 16 else "< 100"
        what = {10: "zone overview", 11: "zone overview", 12: "quarter overview"}.get(z, "")
        what = what or ("quarter overview" if z == 13 else "parcel")
        record_summary(f"uncached {what} tile z{z} p50 ms", stats["p50"], "MapServer 8", ms, goal)
        record_summary(f"uncached {what} tile z{z} p95 ms", stats["p95"], None, None, "< 100")
        record_summary(f"largest {what} tile z{z} KB", max(sizes) / 1024, None, None, "< 500")
    if latency_rows:
        print_table(
            "Uncached vector tiles, parcels (1M), one client, sequential; "
            f"tiles per zoom {counts}, timed passes {PASSES}; goals: z16 within 2 ms of raw SQL, p95 < 100 ms and "
            "< 500 KB at every zoom from z10 (z10-z13: overviews under layer settings), faster than MapServer",
            ["zoom", "server", "p50 ms", "p95 ms", "mean KB", "max KB", "p50 - raw ms", "p50 / MapServer"],
            latency_rows,
        )  # fmt: skip


def measure_public_cached(session, paths, workdir: Path, stops: list, seconds: int):
    """Cached public tiles through the deployed app (fast path), the Django views only and
    nginx reading the cache: (rows, portal URL, nginx URL); the portal seeds the cache."""
    cache_dir = workdir / "cache"
    for slug, settings in SHOWN.items():
        configure(slug, **settings)
    env = {
        "GEOPORTAL_TILE_CACHE_DIR": str(cache_dir),
        "GEOPORTAL_TILE_ACCEL_REDIRECT": "/_tilecache/",
    }
    portal, stop, _ = start_portal(workers=3, threads=2, extra_env=env)
    stops.append(stop)
    for path in paths:  # seed the cache through the portal
        assert session.get(portal + path).status_code == 200
    assert (cache_dir / "public" / "parcels").is_symlink()
    nginx, stop_nginx = start_nginx(portal, cache_dir, workdir / "nginx")
    stops.append(stop_nginx)
    r = session.get(nginx + paths[0])  # nginx's own ETag: the file was read by nginx
    assert r.status_code == 200 and r.content and not r.headers["ETag"].startswith('"mvt-')
    django = wrk(portal, paths, seconds)
    rows = [["gunicorn 3x2, public, fast path (deployed app)", django["rps"], django["p50"]]]
    views, stop_views, _ = start_portal(
        workers=3, threads=2, extra_env=env, app="geoportal.wsgi:django_application"
    )
    stops.append(stop_views)
    assert session.get(views + paths[0]).status_code == 200
    via_views = wrk(views, paths, seconds)
    rows.append(["gunicorn 3x2, public, Django views only", via_views["rps"], via_views["p50"]])
    direct = wrk(nginx, paths, seconds)
    rows.append(["nginx, public (reads the cache itself)", direct["rps"], direct["p50"]])
    return rows, portal, nginx


def measure_staff_cached(session, paths, workdir: Path, stops: list, seconds: int) -> list:
    """Buildings made staff-only for the run, tiles fetched with a token through the app server
    alone (the fast path answers from the token's cached access decision) and through nginx +
    X-Accel-Redirect after it (main restores public access)."""
    token = staff_token()
    configure("buildings", access="staff")
    auth = {"Authorization": f"Token {token}"}
    staff_paths = [p.replace("/parcels/", "/buildings/") for p in paths]
    env = {"GEOPORTAL_TILE_CACHE_DIR": str(workdir / "cache")}
    alone, stop_alone, _ = start_portal(workers=3, threads=2, extra_env=env)
    stops.append(stop_alone)
    for path in staff_paths:
        assert session.get(alone + path, headers=auth).status_code in (200, 204)
    assert session.get(alone + staff_paths[0]).status_code == 404
    rows = [
        [
            "gunicorn 3x2, staff-only, token, fast path",
            *wrk(alone, staff_paths, seconds, auth).values(),
        ]
    ]
    stops.remove(stop_alone)
    stop_alone()  # one portal on the cores at a time
    env["GEOPORTAL_TILE_ACCEL_REDIRECT"] = "/_tilecache/"
    portal, stop, _ = start_portal(workers=3, threads=2, extra_env=env)
    stops.append(stop)
    nginx, stop_nginx = start_nginx(portal, workdir / "cache", workdir / "nginx-staff")
    stops.append(stop_nginx)
    assert session.get(nginx + staff_paths[0]).status_code == 404
    assert session.get(nginx + staff_paths[0], headers=auth).status_code in (200, 204)
    rows.append(
        [
            "nginx + X-Accel-Redirect, staff-only, token",
            *wrk(nginx, staff_paths, seconds, auth).values(),
        ]
    )
    return rows


def measure_mapserver_cgi(ms_url: str, tiles, seconds: int) -> list:
    """Throughput of the same z16 tiles from MapServer's CGI, which renders every request."""
    ms_origin, ms_path = ms_url.split("/mapserv", 1)
    ms_paths = [f"/mapserv{ms_path}" + mapserver_tile(z, x, y) for z, x, y in dict.fromkeys(tiles)]
    ms = wrk(ms_origin, ms_paths, seconds, connections=4)  # the peers' measured setup
    return ["MapServer 8 CGI (no cache), z16, -c4", ms["rps"], ms["p50"]]


def report_cached(cached_rows: list[list], seconds: int, n_paths: int) -> None:
    django_rps = cached_rows[0][1]
    ms_rps = cached_rows[-1][1]
    record_summary(
        "cached z16 tiles, app server alone req/s", django_rps, "MapServer 8 CGI", ms_rps, ">= 2000"
    )
    record_summary(
        "cached z16 tiles, Django views req/s", cached_rows[1][1], "MapServer 8 CGI", ms_rps, None
    )
    record_summary(
        "cached z16 tiles via nginx req/s", cached_rows[2][1], "MapServer 8 CGI", ms_rps, ">= 20000"
    )
    for row in cached_rows[3:5]:  # staff-only: the app server alone, then behind nginx
        record_summary(
            f"cached z16 {row[0]} req/s", row[1], "public, app server", django_rps, ">= 3000"
        )
    print_table(
        f"Cached z16 tiles, wrk -t2 -c16 -d{seconds}s on loopback over {n_paths} tiles "
        "(goals: Django >= 2,000 req/s, nginx public >= 20,000 req/s, staff-only >= 3,000 req/s)",
        ["path", "requests/s", "p50 ms", "vs Django", "vs MapServer"],
        [row + [row[1] / django_rps, row[1] / cached_rows[-1][1]] for row in cached_rows],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer tiles, shorter wrk runs")
    parser.add_argument("--cached-only", action="store_true", help="skip the uncached part")
    args = parser.parse_args()
    counts = {10: 4, 11: 6, 12: 10, 13: 10, 14: 10, 16: 20}
    if not args.quick:
        counts = {10: 12, 11: 20, 12: 30, 13: 40, 14: 40, 16: 50}
    seconds = 5 if args.quick else 10
    ensure_bench_data(verbose=True)
    setup_django()
    from tiles.overviews import CADASTRAL

    SHOWN["parcels"]["tile_settings"]["overviews"] = CADASTRAL
    tiles = {z: tiles_for_zoom(z, counts[z]) for z in ZOOMS}
    zooms = ZOOMS if not args.cached_only else ()
    paths = [f"/tiles/parcels/{z}/{x}/{y}.mvt" for z, x, y in dict.fromkeys(tiles[16])]
    workdir = Path(tempfile.mkdtemp(prefix="bench-tiles-"))
    session = requests.Session()
    stops = []
    try:
        ms_url, stop_ms = start_mapserver(pg_dsn())
        stops.append(stop_ms)
        report_uncached(measure_uncached(session, tiles, zooms, ms_url, stops), zooms, counts)
        cached_rows, _portal, _nginx = measure_public_cached(
            session, paths, workdir, stops, seconds
        )
        cached_rows += measure_staff_cached(session, paths, workdir, stops, seconds)
        cached_rows.append(measure_mapserver_cgi(ms_url, tiles[16], seconds))
    finally:
        try:
            configure("buildings", access="public")
        except Exception as exc:  # noqa: BLE001 -- report, keep cleaning up
            print(f"could not restore buildings access: {exc}", file=sys.stderr)
        for stop in reversed(stops):
            stop()
        shutil.rmtree(workdir, ignore_errors=True)
    report_cached(cached_rows, seconds, len(paths))


if __name__ == "__main__":
    main()
