"""The figure docs/architecture.md quotes for the demo hromada: a 1.2 km bbox query over the demo
parcels (``layerdata.parcels``, all attributes and the geometry) on the embedded cluster,
200 boxes centred on seeded random parcels, p50/p95 over one connection.

Run: .venv/bin/python bench/bench_demo_bbox.py (after `make load-demo`)
"""

from __future__ import annotations

import random
import time

import psycopg
from common import print_table, summarize

from devtools.pgcluster import default_cluster


def main() -> None:
    with psycopg.connect(default_cluster().url()) as conn:
        centres = conn.execute(
            "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) c FROM layerdata.parcels "
            "ORDER BY fid) s"
        ).fetchall()
        rnd = random.Random(7)
        times, rows = [], []
        for _ in range(200):
            x, y = rnd.choice(centres)
            started = time.perf_counter()
            found = conn.execute(
                "SELECT *, ST_AsBinary(geom) FROM layerdata.parcels "
                "WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 3857)",
                (x - 600, y - 600, x + 600, y + 600),
            ).fetchall()
            times.append((time.perf_counter() - started) * 1000)
            rows.append(len(found))
    s = summarize(times)
    print_table(
        "Demo parcels: bbox query (embedded cluster)",
        ["query", "parcels in demo", "mean rows", "p50 ms", "p95 ms"],
        [
            [
                "1.2 km bbox, all attributes",
                len(centres),
                round(sum(rows) / len(rows)),
                s["p50"],
                s["p95"],
            ]
        ],
    )


if __name__ == "__main__":
    main()
