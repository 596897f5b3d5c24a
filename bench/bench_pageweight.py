"""Page weight: bytes a phone transfers on the map page's first load (cold cache), as the
deployed portal serves it -- static files collected by the production storage (hashed names
and whitenoise's brotli/gzip files beside them, geoportal/ops/staticstorage.py) -- against the
same load with compression refused (``Accept-Encoding: identity``), in one run.

Phone profile: 390x844, device scale 3, touch, uk-UA, Chromium (Debian's) through Playwright.
Bytes are what crossed the wire (response headers + encoded bodies, Playwright's
``request.sizes()``) from ``goto`` until the map is ready and the network has been idle 1 s.

Runs on the developer database with the demo hromada loaded (`manage.py load_demo`):
    .venv/bin/python bench/bench_pageweight.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from common import print_table, record_summary  # noqa: E402

from geoportal.ops.localserver import gunicorn  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "uk-UA",
}
GOAL_KB = 300


def kind(url: str, content_type: str) -> str:
    if "/tiles/" in url:
        return "tiles"
    if url.endswith(".js") or "javascript" in content_type:
        return "scripts"
    if url.endswith(".css") or "css" in content_type:
        return "styles"
    if "font" in content_type or url.endswith((".woff2", ".woff", ".ttf")):
        return "fonts"
    if content_type.startswith("image/"):
        return "images"
    if "html" in content_type:
        return "page"
    return "data (JSON, other)"


def first_load(browser, url: str, headers: dict) -> dict[str, int]:
    """{kind: bytes} of one cold-cache load of the map page."""
    ctx = browser.new_context(**PHONE, extra_http_headers=headers)
    page = ctx.new_page()
    sizes: dict[str, int] = defaultdict(int)

    def finished(request):
        response = request.response()
        if response is None:
            return
        s = request.sizes()
        ctype = response.headers.get("content-type", "")
        sizes[kind(request.url, ctype)] += s["responseBodySize"] + s["responseHeadersSize"]

    page.on("requestfinished", finished)
    page.goto(url + "/", wait_until="load")
    page.wait_for_function("document.documentElement.dataset.ready === 'map'", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    ctx.close()
    return dict(sizes)


def measure(url: str, runs: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for name, headers in (("compressed", {}), ("identity", {"Accept-Encoding": "identity"})):
            loads = [first_load(browser, url, headers) for _ in range(runs)]
            kinds = sorted({k for load in loads for k in load})
            out[name] = {k: statistics.median(load.get(k, 0) for load in loads) for k in kinds}
            out[name]["total"] = statistics.median(sum(load.values()) for load in loads)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one load per variant")
    args = parser.parse_args()
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "geoportal.settings",
            "GEOPORTAL_HASHED_STATIC": "1",
            "GEOPORTAL_STATIC_ROOT": str(static),
            "GEOPORTAL_TILE_CACHE_DIR": str(static.parent / (static.name + "-tiles")),
            "GEOPORTAL_LOG_LEVEL": "ERROR",
            "GEOPORTAL_ACCESS_LOG_LEVEL": "WARNING",
        }
    )
    env.setdefault("GEOPORTAL_ALLOW_HTTP", "1")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    runs = 1 if args.quick else args.runs
    with gunicorn(env, workers=2, threads=2, timeout=60) as url:
        result = measure(url, runs)
    kinds = sorted({k for r in result.values() for k in r if k != "total"})
    rows = [
        [k, result["compressed"].get(k, 0) / 1024, result["identity"].get(k, 0) / 1024]
        for k in kinds + ["total"]
    ]
    for row in rows:
        row.append(row[1] / row[2] if row[2] else 0.0)
    print_table(
        f"Map page first load, phone 390x844 uk-UA, cold cache, median of {runs} "
        f"(goal: <= {GOAL_KB} KB transferred)",
        ["resource", "KB compressed", "KB identity", "ratio"],
        rows,
    )
    total = result["compressed"]["total"] / 1024
    record_summary(
        "map page first load, phone, KB",
        total,
        "same, no compression",
        rows[-1][2],
        f"<= {GOAL_KB}",
    )


if __name__ == "__main__":
    main()
