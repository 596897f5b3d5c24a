"""Shared helpers of the benchmarks: the bench database with realistic data sizes, a portal
server over it, and table printing.

The bench database (``geoportal_bench`` on the embedded cluster, or BENCH_DATABASE_URL) holds
the peers' tables made by data/gen_data.sql (1,000,000 parcels and 200,000 buildings around
Kropyvnytskyi, in 4326 with a 3857 copy: the same tables MapServer and pygeoapi read) and the
portal's own layers ``parcels`` and ``buildings`` in its layer store, so every figure compares
like with like in one run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoportal.ops.localserver import start_gunicorn, stop  # noqa: E402

BENCH_DB = "geoportal_bench"
# The synthetic data sit around Kropyvnytskyi: the bench portal serves that area.
BENCH_HROMADA = {"center": [32.26, 48.51], "extent": [31.9, 48.3, 32.6, 48.7], "zoom": 13}

__all__ = [
    "BENCH_DB",
    "bench_env",
    "ensure_bench_data",
    "pg_dsn",
    "print_table",
    "record_summary",
    "repeat_ms",
    "setup_django",
    "start_portal",
    "summarize",
    "time_ms",
]


def _cluster():
    from devtools.pgcluster import default_cluster

    return default_cluster()


def pg_dsn() -> dict:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        import psycopg.conninfo

        return psycopg.conninfo.conninfo_to_dict(url)
    return _cluster().dsn(BENCH_DB)


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    d = pg_dsn()
    return f"postgresql://{d['user']}@{quote(str(d['host']), safe='')}:{d['port']}/{d['dbname']}"


def bench_env() -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url()
    env["GEOPORTAL_HROMADA"] = json.dumps(BENCH_HROMADA)
    env["GEOPORTAL_LOG_LEVEL"] = "ERROR"
    env["GEOPORTAL_ACCESS_LOG_LEVEL"] = "WARNING"  # no access log: the peers write none either
    env.setdefault("GEOPORTAL_TILE_CACHE_DIR", str(ROOT / "var" / "bench-tiles"))
    return env


def setup_django() -> None:
    """Configure Django in this process against the bench database."""
    os.environ.update(
        {k: v for k, v in bench_env().items() if k.startswith(("DATABASE_URL", "GEOPORTAL_"))}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    import django

    django.setup()


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        conn.execute(sql)


def ensure_bench_data(verbose: bool = True) -> None:
    """Bench DB, migrations, peers' tables and the portal's parcels/buildings layers (idempotent)."""
    import psycopg

    def say(msg):
        if verbose:
            print(msg, file=sys.stderr, flush=True)

    if not os.environ.get("BENCH_DATABASE_URL"):
        cluster = _cluster()
        cluster.start()
        cluster.ensure_database(BENCH_DB)
    env = bench_env()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        have = conn.execute(
            "SELECT to_regclass('public.parcels') IS NOT NULL AND to_regclass('public.buildings') IS NOT NULL"
        ).fetchone()[0]
        if have:
            have = conn.execute("SELECT count(*) FROM public.parcels").fetchone()[0] == 1_000_000
        if not have:
            say("generating 1,000,000 parcels and 200,000 buildings (gen_data.sql, ~30 s)...")
            d = pg_dsn()
            subprocess.run(
                [
                    "psql",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-h",
                    str(d["host"]),
                    "-p",
                    str(d["port"]),
                    "-U",
                    d["user"],
                    "-d",
                    d["dbname"],
                    "-f",
                    str(ROOT / "bench" / "data" / "gen_data.sql"),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        for table, geomtype, columns in (
            ("parcels", "MultiPolygon", "cadnum text, purpose text, area_ha double precision"),
            ("buildings", "MultiPolygon", "street text, housenumber text"),
        ):
            exists = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL", [f"layerdata.{table}"]
            ).fetchone()[0]
            if exists:
                continue
            say(f"copying public.{table} into the layer store as layerdata.{table}...")
            names = ", ".join(c.split()[0] for c in columns.split(", "))
            conn.execute(
                f"CREATE TABLE layerdata.{table} (fid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, {columns}, geom geometry({geomtype},3857) NOT NULL)"
            )
            conn.execute(
                f"INSERT INTO layerdata.{table} (fid, {names}, geom) OVERRIDING SYSTEM VALUE "
                f"SELECT id, {names.replace('area_ha', 'area_ha::float8')}, ST_Multi(geom3857) FROM public.{table} ORDER BY id"
            )
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('layerdata.{table}', 'fid'), (SELECT max(fid) FROM layerdata.{table}))"
            )
            conn.execute(f"CREATE INDEX {table}_bench_geom ON layerdata.{table} USING gist (geom)")
            conn.execute(f"VACUUM ANALYZE layerdata.{table}")
    _register_layers(env)


def _register_layers(env: dict) -> None:
    code = r"""
import django, os
django.setup()
from layers.models import Layer
from layers.storage import table_stats
specs = {
    "parcels": ("Земельні ділянки (бенчмарк)", "cadastre", [
        {"name": "cadnum", "type": "string", "title_uk": "Кадастровий номер", "title_en": "Cadastral number", "unit": None},
        {"name": "purpose", "type": "string", "title_uk": "Цільове призначення", "title_en": "Purpose", "unit": None},
        {"name": "area_ha", "type": "float", "title_uk": "Площа", "title_en": "Area", "unit": "га"}]),
    "buildings": ("Будівлі (бенчмарк)", "topographic", [
        {"name": "street", "type": "string", "title_uk": "Вулиця", "title_en": "Street", "unit": None},
        {"name": "housenumber", "type": "string", "title_uk": "Номер будинку", "title_en": "House number", "unit": None}]),
}
for slug, (title, category, attributes) in specs.items():
    layer, created = Layer.objects.get_or_create(slug=slug, defaults=dict(
        title_uk=title, title_en=slug, category=category, attributes=attributes,
        geometry_type="MultiPolygon", access="public"))
    if created or not layer.feature_count:
        layer.feature_count, layer.extent = table_stats(layer.table_name)
        layer.save()
"""
    subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "geoportal.settings"},
        check=True,
        cwd=ROOT,
    )


def start_portal(
    workers: int = 2,
    threads: int = 1,
    extra_env: dict | None = None,
    app: str = "geoportal.wsgi:application",
):
    """A gunicorn over the bench DB on a free loopback port: (base_url, stop_fn, pid).

    ``app`` "geoportal.wsgi:django_application" leaves out the public-tile fast path."""
    env = {**bench_env(), **(extra_env or {})}
    url, proc = start_gunicorn(env, workers=workers, threads=threads, timeout=300, app=app)
    return url, partial(stop, proc), proc.pid


def time_ms(fn, *args):
    """Call ``fn(*args)`` once: (what it returned, its wall time in milliseconds)."""
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) * 1000


def repeat_ms(fn, n: int) -> list[float]:
    """The wall times in milliseconds of ``n`` calls of ``fn()``, one after another."""
    return [time_ms(fn)[1] for _ in range(n)]


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    s = sorted(samples)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summarize(samples_ms: list[float]) -> dict:
    return {
        "p50": percentile(samples_ms, 50),
        "p95": percentile(samples_ms, 95),
        "mean": statistics.fmean(samples_ms) if samples_ms else float("nan"),
        "n": len(samples_ms),
    }


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    def fmt(v):
        if isinstance(v, float):
            return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.2f}"
        return str(v)

    cells = [[fmt(c) for c in row] for row in rows]
    widths = [
        max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h))
        for i, h in enumerate(header)
    ]
    print(f"\n## {title}")
    print(" | ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in cells:
        print(" | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    sys.stdout.flush()


if __name__ == "__main__":
    ensure_bench_data()
    print("bench data ready:", database_url())


SUMMARY = Path(os.environ.get("BENCH_SUMMARY", str(ROOT / "bench" / "results" / "summary.jsonl")))


def record_summary(
    metric: str, ours: float, peer: str | None, peer_value: float | None, goal: str | None
) -> None:
    """Add one row to the table `make bench` prints last (bench/summary.py): our figure, the
    peer's measured in the same run, and the goal as text such as "<= 50" or ">= 2000"."""
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    row = {"metric": metric, "ours": ours, "peer": peer, "peer_value": peer_value, "goal": goal}
    with SUMMARY.open("a") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
