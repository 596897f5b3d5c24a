"""Score the locator on the synthetic towns, each loaded into a database of its own with the
portal configured as that town's hromada (GEOPORTAL_HROMADA), and print test-half figures by
phrasing family.

    .venv/bin/python -m bench.locator_eval.generate       # once (seeded; committed output)
    .venv/bin/python -m bench.locator_eval.run [--half tune|test] [--json out.json]
        [--latency 100000]   # also time locate() with that many extra landmarks

Databases ``locator_eval_<town>`` are created on the portal's PostgreSQL (DATABASE_URL, else
the embedded cluster of devtools.pgcluster), migrated and loaded with ``manage.py load_demo
--dir bench/data/locator_eval/<town>`` (a second run reuses them). Goals: references >= 98 %
within 10 m, text-only descriptions >= 90 % within 50 m, confident (>= 0.5) and more than 50 m
wrong < 1 %, a pole number alone never confident.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from .generate import FAMILIES, OUT
from .towns import TOWNS, build, hromada_config

ROOT = Path(__file__).resolve().parents[2]
WRONG_M = 50.0


def _base_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    sys.path.insert(0, str(ROOT))
    from devtools.pgcluster import default_cluster

    default_cluster().start()
    return default_cluster().url()


def _with_db(url: str, name: str) -> str:
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


def town_env(slug: str) -> dict:
    import psycopg

    base = _base_url()
    name = f"locator_eval_{slug}"
    with psycopg.connect(_with_db(base, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_with_db(base, name),
        GEOPORTAL_HROMADA=json.dumps(hromada_config(build(slug)), ensure_ascii=False),
        GEOPORTAL_ALLOW_HTTP="1",
        GEOPORTAL_SECRET_KEY=env.get("GEOPORTAL_SECRET_KEY", "locator-eval"),
        GEOPORTAL_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="geoportal.settings",
    )
    return env


def load_town(slug: str, env: dict) -> None:
    py = sys.executable
    for args in (["migrate", "-v0"], ["load_demo", "--dir", str(OUT / slug)]):
        subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip


def score_here(slug: str, half: str, extra: int = 0) -> list[dict]:
    """Run the town's items of ``half`` through locate() (in this process, whose environment
    is the town's); with ``extra`` synthetic poles and manholes added to the registry first
    (bench_locator.add_synthetic, removed at the end) and a warm-up pass, for latency."""
    import django

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    django.setup()
    from bench_locator import add_synthetic, remove_synthetic

    from geoportal.locator.evaluation import load_items, run_item
    from geoportal.locator.registry import ensure_fresh

    remove_synthetic()
    ensure_fresh(now=True)
    items = [i for i in load_items(OUT / slug / "items.jsonl") if i["half"] == half]
    if extra:
        add_synthetic(extra)
        ensure_fresh(now=True)
        for item in items:
            run_item(item)
    try:
        return _runs(items, slug)
    finally:
        remove_synthetic()


def _runs(items: list[dict], slug: str) -> list[dict]:
    from geoportal.locator.evaluation import run_item

    runs = []
    for item in items:
        r = run_item(item)
        r.update(family=item["family"], text=item["text"], town=slug)
        r["error"] = None if math.isinf(r["error"]) else round(r["error"], 1)
        runs.append(r)
    return runs


def summarise(runs: list[dict]) -> list[list]:
    rows = []
    for fam in [*FAMILIES, "all"]:
        rs = [r for r in runs if fam in ("all", r["family"])]
        if not rs:
            continue

        def err(r):
            return math.inf if r["error"] is None else r["error"]

        refs = [r for r in rs if r["type"] == "ref"]
        texts = [r for r in rs if r["type"] == "text"]
        alone = [r for r in rs if r["type"] == "alone"]
        cw = [r for r in rs if r["confidence"] >= 0.5 and err(r) > WRONG_M]
        rows.append([
            fam, len(rs),
            100 * sum(err(r) <= 10 for r in refs) / len(refs) if refs else None,
            100 * sum(err(r) <= 50 for r in texts) / len(texts) if texts else None,
            100 * sum(err(r) <= 50 for r in rs) / len(rs),
            100 * len(cw) / len(rs),
            100 * sum(r["confidence"] >= 0.5 for r in alone) / len(alone) if alone else None,
        ])  # fmt: skip
    return rows


def latency_rows(runs: list[dict]) -> list[list]:
    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    rows = []
    for fam in [*FAMILIES, "all"]:
        ms = [r["ms"] for r in runs if fam in ("all", r["family"])]
        if ms:
            rows.append([fam, len(ms), pct(ms, 0.5), pct(ms, 0.95), max(ms)])
    return rows


HEADERS = ["family", "n", "refs % ≤10 m", "text % ≤50 m", "all % ≤50 m", "% conf & wrong",
           "alone % confident"]  # fmt: skip


def print_rows(title: str, rows: list[list]) -> None:
    print(f"\n{title}")
    widths = [16, 5, 13, 13, 12, 15, 18]
    print(
        "".join(
            h.rjust(w) if i else h.ljust(w)
            for i, (h, w) in enumerate(zip(HEADERS, widths, strict=True))
        )
    )
    for row in rows:
        cells = []
        for i, (v, w) in enumerate(zip(row, widths, strict=True)):
            text = "–" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
            cells.append(text.ljust(w) if i == 0 else text.rjust(w))
        print("".join(cells))


def main(argv: list[str]) -> None:
    half = argv[argv.index("--half") + 1] if "--half" in argv else "test"
    extra = int(argv[argv.index("--latency") + 1]) if "--latency" in argv else 0
    if "--score" in argv:  # child: one town, this process's environment is the town's
        slug = argv[argv.index("--score") + 1]
        print(json.dumps(score_here(slug, half, extra), ensure_ascii=False))
        return
    runs = []
    for slug in TOWNS:
        env = town_env(slug)
        load_town(slug, env)
        out = subprocess.run(
            [sys.executable, "-m", "bench.locator_eval.run", "--score", slug, "--half", half,
             "--latency", str(extra)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        town_runs = json.loads(out.stdout.strip().splitlines()[-1])
        print_rows(f"{slug}: {half} half, {len(town_runs)} reports", summarise(town_runs))
        runs += town_runs
    print_rows(f"both towns: {half} half, {len(runs)} reports", summarise(runs))
    if extra:
        print(f"\nlocate() latency, in-process, each town's registry + {extra:,} synthetic "
              "landmarks (ms; no peer server locates free text)")  # fmt: skip
        print(f"{'family':16}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}")
        for fam, n, p50, p95, top in latency_rows(runs):
            print(f"{fam:16}{n:>5}{p50:>9.1f}{p95:>9.1f}{top:>9.1f}")
    if "--json" in argv:
        Path(argv[argv.index("--json") + 1]).write_text(json.dumps(runs, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
