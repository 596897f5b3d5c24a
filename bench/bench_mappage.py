"""The map page's first load on a phone, and Lighthouse's mobile scores, for this checkout and
(optionally) an earlier one in the same run on the same database:

- bytes transferred on a cold cache (390x844, device scale 3, touch; the page at z16 in the
  town centre): as served here; "static compressed": the static files' text as gzip -6 (what
  whitenoise's compressed storage sends), the rest (page, APIs, tiles) as served; "all
  compressed": every body gzip -6 (a proxy compressing the JSON and the tiles too); goal <= 300 KB;
- time to a labelled map: navigation start to every tile layer drawn (#map-loading hidden;
  the labels are painted into the tiles);
- Lighthouse 12.2.3 (node_modules/.bin/lighthouse, mobile preset, Debian's chromium headless):
  performance (goal >= 90) and accessibility (goal >= 95).

Runs on the developer database with the demo hromada loaded (`manage.py load_demo`):
    .venv/bin/python -m bench.bench_mappage [--runs 3] [--before /tmp/portal-before]
where --before is an unpacked earlier commit (`git archive <commit> | tar -x -C DIR`, its
geoportal/static/vendor copied in), served by the same virtualenv.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

from bench.common import print_table, summarize  # noqa: E402
from geoportal.ops.localserver import free_port, stop, wait_listening  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
VIEW = "/#map=16/48.1105/32.7630"
TEXT = ("javascript", "css", "html", "json", "svg")


def serve(root: Path):
    env = dict(os.environ, PYTHONPATH=str(root), GEOPORTAL_HASHED_STATIC="0",
               GEOPORTAL_ACCESS_LOG_LEVEL="WARNING", GEOPORTAL_LOG_LEVEL="ERROR")  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "geoportal.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "2", "--threads", "2", "--timeout", "60", "--log-level", "warning"],
        cwd=root, env=env,
    )  # fmt: skip
    wait_listening(port, proc, name="gunicorn")
    return f"http://127.0.0.1:{port}", proc


def first_load(browser, url: str) -> dict:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                              is_mobile=True, has_touch=True, locale="uk-UA")  # fmt: skip
    page = ctx.new_page()
    sizes = {"served": 0, "compressed": 0, "all": 0, "requests": 0, "unread": 0}

    def done(request):
        response = request.response()
        if response is None:
            return
        served = request.sizes()["responseBodySize"]
        kind = response.headers.get("content-type", "")
        plain = response.headers.get("content-encoding") is None
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a body the page already consumed (fetch streams)
            body = b""
        packed = len(gzip.compress(body, 6)) if plain and body else served
        sizes["unread"] += int(plain and not body and served > 0)
        static = "/static/" in request.url and any(t in kind for t in TEXT)
        sizes["served"] += served
        sizes["compressed"] += packed if static else served
        sizes["all"] += packed
        sizes["requests"] += 1

    page.on("requestfinished", done)
    t0 = time.perf_counter()
    page.goto(url + VIEW)
    page.wait_for_function("document.documentElement.dataset.ready === 'map'", timeout=60000)
    page.wait_for_function("document.getElementById('map-loading').hidden === true", timeout=60000)
    sizes["labelled_ms"] = (time.perf_counter() - t0) * 1000
    page.wait_for_timeout(500)  # late requests (labels API, fonts) still count as bytes
    ctx.close()
    return sizes


def lighthouse(url: str) -> dict:
    out = subprocess.run(
        [str(ROOT / "node_modules/.bin/lighthouse"), url + VIEW, "--output=json", "--quiet",
         "--only-categories=performance,accessibility", "--chrome-path=/usr/bin/chromium",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"),
    )  # fmt: skip
    if out.returncode != 0:
        return {"performance": float("nan"), "accessibility": float("nan")}
    cats = json.loads(out.stdout)["categories"]
    return {k: round(cats[k]["score"] * 100) for k in ("performance", "accessibility")}


def measure(root: Path, runs: int, lh: bool) -> dict:
    from playwright.sync_api import sync_playwright

    url, proc = serve(root)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=ARGS
            )
            first_load(browser, url)  # warm the server (tile cache, connections)
            loads = [first_load(browser, url) for _ in range(runs)]
            browser.close()
        scores = lighthouse(url) if lh else {}
    finally:
        stop(proc)
    return {"loads": loads, **scores}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, default=None, help="an earlier checkout to compare")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    portals = {"this checkout": ROOT}
    if args.before:
        portals["before"] = args.before.resolve()
    rows = []
    for name, root in portals.items():
        r = measure(root, args.runs, not args.no_lighthouse)
        last = r["loads"][-1]
        t = summarize([x["labelled_ms"] for x in r["loads"]])
        rows.append([name, last["requests"], last["served"] / 1024, last["compressed"] / 1024,
                     last["all"] / 1024 if not last["unread"] else f"n/a ({last['unread']} unread)",
                     t["p50"], t["p95"], r.get("performance", "-"), r.get("accessibility", "-")])  # fmt: skip
    print_table(
        f"map page, phone 390x844 cold cache, {VIEW} ({args.runs} loads; Lighthouse mobile, 1 run)",
        ["portal", "requests", "KB served", "KB static compressed", "KB all compressed (<= 300)",
         "labelled map p50 ms",
         "p95 ms", "Lighthouse performance (>= 90)", "accessibility (>= 95)"],
        rows,
    )  # fmt: skip


if __name__ == "__main__":
    main()
