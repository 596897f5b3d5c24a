"""Import benchmark: 1,000,000 polygon parcels from a GeoPackage into PostGIS, our full import
(read in Arrow batches, reproject to 3857, validate and repair, cadastral checks, COPY, index,
atomic swap) against GDAL's own ``ogr2ogr -f PostgreSQL`` into the same database in the same
run. Each load runs as a child process; its peak RSS comes from os.wait4 (ru_maxrss). A 200k
run of our import shows whether memory stays flat as the file grows.

Run: .venv/bin/python bench/bench_import.py [--quick]   (--quick: 200k parcels only)
With the shared cluster of another checkout: BENCH_DATABASE_URL=postgresql://.../geoportal_bench
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, bench_env, ensure_bench_data, pg_dsn, print_table, record_summary

WORK = ROOT / "var" / "bench-import"
SLUG = "bench-import-parcels"
OGR_TABLE = "bench_ogr_parcels"


def pg_conn_string() -> str:
    d = pg_dsn()
    parts = [f"host={d['host']}", f"port={d['port']}", f"dbname={d['dbname']}", f"user={d['user']}"]
    if d.get("password"):
        parts.append(f"password={d['password']}")
    return "PG:" + " ".join(parts)


def export_gpkg(rows: int) -> Path:
    """The parcels of the bench DB as a GeoPackage (made once, kept in var/bench-import)."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"parcels_{rows // 1000}k.gpkg"
    if not path.exists():
        print(f"exporting {rows:,} parcels to {path.name} with ogr2ogr...", file=sys.stderr)
        sql = (
            "SELECT id, cadnum, purpose, area_ha::float8 AS area_ha, geom FROM public.parcels "
            f"WHERE id <= {rows} ORDER BY id"
        )
        tmp = path.with_suffix(".tmp.gpkg")
        tmp.unlink(missing_ok=True)
        subprocess.run(
            ["ogr2ogr", "-f", "GPKG", str(tmp), pg_conn_string(), "-sql", sql, "-nln", "parcels"],
            check=True,
        )
        tmp.rename(path)
    return path


def measured(cmd: list[str], env: dict) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a child process; its output goes to stderr."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=sys.stderr)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{cmd[0]} failed with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024  # Linux: kilobytes


def ogr2ogr(gpkg: Path, env: dict, reproject: bool) -> tuple[float, float]:
    cmd = ["ogr2ogr", "-f", "PostgreSQL", pg_conn_string(), str(gpkg), "parcels",
           "-nln", OGR_TABLE, "-overwrite", "-lco", "GEOMETRY_NAME=geom",
           "-lco", "SPATIAL_INDEX=GIST", "--config", "PG_USE_COPY", "YES"]  # fmt: skip
    if reproject:
        cmd += ["-t_srs", "EPSG:3857", "-nlt", "PROMOTE_TO_MULTI"]
    return measured(cmd, env)


def ours(gpkg: Path, env: dict, kind: str) -> tuple[float, float]:
    cmd = [sys.executable, str(ROOT / "manage.py"), "import_layer", str(gpkg),
           "--layer", SLUG, "--kind", kind, "--title", "Бенчмарк імпорту"]  # fmt: skip
    return measured(cmd, env)


def cleanup(env: dict) -> None:
    import psycopg

    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS public.{OGR_TABLE}")
    code = (
        "import django; django.setup()\n"
        "from layers.models import Layer\n"
        f"Layer.objects.filter(slug={SLUG!r}).delete()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "geoportal.settings"},
        cwd=ROOT,
        check=True,
    )


def main():
    quick = "--quick" in sys.argv
    ensure_bench_data(verbose=True)
    env = {**bench_env(), "GEOPORTAL_IMPORT_KEEP_VERSIONS": "1"}
    sizes = [200_000] if quick else [1_000_000, 200_000]
    rows = []
    for n in sizes:
        gpkg = export_gpkg(n)
        cleanup(env)
        runs = [
            ("ogr2ogr -f PostgreSQL (as is, no validation)", lambda g=gpkg: ogr2ogr(g, env, False)),
            (
                "ogr2ogr -t_srs EPSG:3857 -nlt PROMOTE_TO_MULTI",
                lambda g=gpkg: ogr2ogr(g, env, True),
            ),
            ("import_layer --kind generic (new layer)", lambda g=gpkg: ours(g, env, "generic")),
            (
                "import_layer --kind cadastral (replace, swap)",
                lambda g=gpkg: ours(g, env, "cadastral"),
            ),
        ]
        baseline = None
        for name, run in runs:
            print(f"{n:,}: {name}...", file=sys.stderr, flush=True)
            seconds, rss = run()
            baseline = baseline or seconds
            rows.append([f"{n // 1000}k", name, seconds, n / seconds, rss, seconds / baseline])
            if name.startswith("import_layer --kind cadastral"):
                goal = f"<= {2 * baseline:.1f}" if n >= 1_000_000 else None  # the goal is for 1M
                record_summary(f"import {n // 1000}k parcels s (cadastral, swap)", seconds,
                               "ogr2ogr", baseline, goal)  # fmt: skip
        cleanup(env)
    print_table(
        "Import of polygon parcels from a GeoPackage into PostGIS (child processes, same DB, same run)",
        ["features", "loader", "seconds", "features/s", "peak RSS MB", "time / ogr2ogr"],
        rows,
    )


if __name__ == "__main__":
    main()
