"""Layer-store design check: one typed table per layer (ours) against one generic features
table with JSONB attributes, on the 1M-parcel bench data, for the queries the portal runs most:
a ~1.2 km bbox of features with attributes, the same sorted by an attribute, and an attribute
filter. Prints p50/p95 (ms) over 50 fixed bboxes and the ratio generic/typed.

Run: .venv/bin/python bench/bench_storage.py [--quick]
"""

from __future__ import annotations

import random
import sys
import time

import psycopg
from common import ensure_bench_data, pg_dsn, print_table, summarize


def bboxes(n=50, seed=7):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        lon = 32.26 + rnd.uniform(-0.15, 0.15)
        lat = 48.51 + rnd.uniform(-0.1, 0.1)
        out.append((lon, lat, lon + 0.0162, lat + 0.0108))  # ~1.2 km x 1.2 km
    return out


def timed(conn, sql, params_list):
    samples, rows = [], 0
    for params in params_list:
        t = time.perf_counter()
        rows += len(conn.execute(sql, params).fetchall())
        samples.append((time.perf_counter() - t) * 1000)
    return summarize(samples), rows / len(params_list)


def main():
    quick = "--quick" in sys.argv
    ensure_bench_data(verbose=True)
    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        have = conn.execute("SELECT to_regclass('public.features_generic') IS NOT NULL").fetchone()[
            0
        ]
        if not have:
            print("building the generic JSONB table for comparison (~1 min)...", file=sys.stderr)
            conn.execute(
                "CREATE TABLE public.features_generic AS SELECT 1 AS layer_id, fid, "
                "jsonb_build_object('cadnum', cadnum, 'purpose', purpose, 'area_ha', area_ha) AS attrs, geom "
                "FROM layerdata.parcels"
            )
            conn.execute("CREATE INDEX ON public.features_generic USING gist (geom)")
            conn.execute("CREATE INDEX ON public.features_generic (layer_id)")
            conn.execute("VACUUM ANALYZE public.features_generic")
        boxes = bboxes(10 if quick else 50)
        env = "ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 3857)"
        queries = {
            "bbox, all attributes": (
                f"SELECT fid, cadnum, purpose, area_ha, ST_AsBinary(geom) FROM layerdata.parcels WHERE geom && {env}",
                f"SELECT fid, attrs->>'cadnum', attrs->>'purpose', (attrs->>'area_ha')::float8, ST_AsBinary(geom) "
                f"FROM public.features_generic WHERE layer_id = 1 AND geom && {env}",
            ),
            "bbox, sorted by area": (
                f"SELECT fid, cadnum, area_ha FROM layerdata.parcels WHERE geom && {env} ORDER BY area_ha DESC LIMIT 1000",
                f"SELECT fid, attrs->>'cadnum', (attrs->>'area_ha')::float8 AS a FROM public.features_generic "
                f"WHERE layer_id = 1 AND geom && {env} ORDER BY a DESC LIMIT 1000",
            ),
            "bbox + attribute filter": (
                f"SELECT fid FROM layerdata.parcels WHERE geom && {env} AND purpose = '02.01' AND area_ha > 0.1",
                f"SELECT fid FROM public.features_generic WHERE layer_id = 1 AND geom && {env} "
                f"AND attrs->>'purpose' = '02.01' AND (attrs->>'area_ha')::float8 > 0.1",
            ),
        }
        rows = []
        for name, (typed_sql, generic_sql) in queries.items():
            for sql in (typed_sql, generic_sql):  # warm
                timed(conn, sql, boxes[:3])
            typed, n = timed(conn, typed_sql, boxes)
            generic, _ = timed(conn, generic_sql, boxes)
            rows.append(
                [
                    name,
                    round(n),
                    typed["p50"],
                    typed["p95"],
                    generic["p50"],
                    generic["p95"],
                    generic["p50"] / typed["p50"],
                ]
            )
        print_table(
            "Layer store: typed table per layer vs generic JSONB table (1M parcels, 1.2 km bbox, ms)",
            [
                "query",
                "rows",
                "typed p50",
                "typed p95",
                "generic p50",
                "generic p95",
                "generic/typed",
            ],
            rows,
        )


if __name__ == "__main__":
    main()
