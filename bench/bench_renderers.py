"""Vector-tile renderers inside Leaflet, side by side in one run in headless Chromium on the
portal's own basemap tiles (/tiles/settlements,buildings,streets,hromada-boundary/z/x/y.mvt):
protomaps-leaflet 5.1.0 (canvas, label placement; the portal's renderer) and
leaflet.vectorgrid 1.3 (SVG; the previous one), both from node_modules, and with --maplibre DIR
(a scratch folder outside the repo where `npm i maplibre-gl@4 @maplibre/maplibre-gl-leaflet` ran)
MapLibre GL JS as a Leaflet layer (WebGL; SwiftShader in headless Chromium). MapLibre's time is
to its "idle" event divided by the tile requests it made; its labels would need a glyph server
(SDF fonts), which the bench does not provide.

For each zoom: wall time from adding the layer to its "load" event divided by the tiles it drew
(tiles fetched over HTTP from gunicorn, each run in a fresh browser context, so both renderers
pay the same fetch), whether it places labels, and hit-testing of a point (bus stop), a line
(street) and a polygon (building): protomaps by queryTileFeaturesDebug, vectorgrid by a click
on the feature's pixel (its "click" event with the feature's properties, page errors counted).

Runs on the developer database with the demo hromada loaded (`manage.py load_demo`):
    .venv/bin/python -m bench.bench_renderers [--runs 5] [--maplibre /tmp/maplibre-scratch]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

from bench.common import print_table, summarize  # noqa: E402
from geoportal.ops.localserver import gunicorn  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
BASE = "settlements,buildings,streets,hromada-boundary"
NODE = ROOT / "node_modules"
SCRIPTS = {
    "protomaps-leaflet 5.1.0": NODE / "protomaps-leaflet/dist/protomaps-leaflet.js",
    "leaflet.vectorgrid 1.3": NODE / "leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js",
}
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
<script src="/static/vendor/leaflet/leaflet.js"></script><script src="/__bench__/renderer.js"></script>
</head><body style="margin:0"><div id="map" style="width:1024px;height:768px"></div></body></html>"""

ADD = r"""([kind, url, z, lat, lon]) => new Promise((resolve) => {
  if (!L.DomEvent.fakeStop) L.DomEvent.fakeStop = (e) => L.DomEvent.stopPropagation(e);
  const map = L.map("map", { zoomControl: false }).setView([lat, lon], z);
  const white = { color: "#999", weight: 2, fill: true, fillColor: "#ddd", fillOpacity: 1, radius: 5 };
  let layer;
  if (kind.startsWith("protomaps")) {
    const P = protomapsL;
    const paintRules = ["settlements", "buildings"].map((d) => ({ dataLayer: d, symbolizer: new P.PolygonSymbolizer({ fill: "#ddd", stroke: "#999", width: 1 }) }))
      .concat(["streets", "hromada-boundary"].map((d) => ({ dataLayer: d, symbolizer: new P.LineSymbolizer({ color: "#999", width: 2 }) })));
    const labelRules = [{ dataLayer: "streets", symbolizer: new P.LineLabelSymbolizer({ labelProps: ["name"], fill: "#333" }) },
      { dataLayer: "buildings", symbolizer: new P.CenteredTextSymbolizer({ labelProps: ["housenum"], fill: "#333" }) }];
    layer = P.leafletLayer({ url, paintRules, labelRules, maxDataZoom: 18, levelDiff: 0, maxZoom: 20 });
  } else if (kind.startsWith("maplibre")) {
    const fill = (id) => ({ id, type: "fill", source: "b", "source-layer": id, paint: { "fill-color": "#ddd", "fill-outline-color": "#999" } });
    const line = (id) => ({ id, type: "line", source: "b", "source-layer": id, paint: { "line-color": "#999", "line-width": 2 } });
    const style = { version: 8, sources: { b: { type: "vector", tiles: [url], maxzoom: 18 } },
      layers: [fill("settlements"), fill("buildings"), line("streets"), line("hromada-boundary"),
        { id: "bus-stops", type: "circle", source: "b", "source-layer": "bus-stops", paint: { "circle-radius": 5, "circle-color": "#393" } }] };
    layer = L.maplibreGL({ style, interactive: false }).addTo(map);
    window.layer = layer;
    const t0 = performance.now();
    layer.getMaplibreMap().once("idle", () => {
      const tiles = performance.getEntriesByType("resource").filter((e) => e.name.includes("/tiles/")).length;
      resolve({ ms: performance.now() - t0, tiles });
    });
    window.map = map;
    return;
  } else {
    const styles = {};
    url.split("/tiles/")[1].split("/")[0].split(",").forEach((s) => { styles[s] = white; });
    layer = L.vectorGrid.protobuf(url, { vectorTileLayerStyles: styles, interactive: true, maxNativeZoom: 20, maxZoom: 20,
      getFeatureId: (f) => f.id });
    layer.on("click", (e) => { window.clicked = e.layer.properties; });
  }
  window.layer = layer;
  let tiles = 0;
  layer.on("tileload", () => { tiles += 1; });
  const t0 = performance.now();
  layer.on("load", () => setTimeout(() => resolve({ ms: performance.now() - t0, tiles }), 0));
  layer.addTo(map);
  window.map = map;
})"""

PICK_ML = r"""([lat, lon, name]) => {
  const gl = window.layer.getMaplibreMap();
  const p = gl.project([lon, lat]);
  return gl.queryRenderedFeatures([[p.x - 8, p.y - 8], [p.x + 8, p.y + 8]]).some((f) => f.sourceLayer === name);
}"""

PICK_PM = r"""([lat, lon, name]) => {
  const hits = []; window.layer.queryTileFeaturesDebug(lon, lat, 8).forEach((v) => hits.push(...v));
  return hits.some((h) => h.layerName === name);
}"""


def _targets():
    import django

    django.setup()
    from django.db import connection

    sql = {
        "point (bus stop)": "SELECT ST_Y(c), ST_X(c) FROM layerdata.bus_stops, LATERAL"
        " ST_Transform(geom, 4326) c ORDER BY fid LIMIT 1",
        "line (street)": "SELECT ST_Y(c), ST_X(c) FROM layerdata.streets, LATERAL"
        " ST_Transform(ST_LineInterpolatePoint(ST_GeometryN(ST_LineMerge(geom), 1), 0.5), 4326) c"
        " WHERE name <> '' ORDER BY ST_Length(geom) DESC LIMIT 1",
        "polygon (building)": "SELECT ST_Y(c), ST_X(c) FROM layerdata.buildings, LATERAL"
        " ST_Transform(ST_PointOnSurface(geom), 4326) c WHERE ST_Area(geom) > 300 ORDER BY fid LIMIT 1",
    }
    out = {}
    with connection.cursor() as cur:
        for key, q in sql.items():
            cur.execute(q)
            out[key] = cur.fetchone()
    return out


def _page(browser, url: str, kind: str):
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    body = "\n".join(Path(f).read_text() for f in SCRIPTS[kind].split("|")) if isinstance(
        SCRIPTS[kind], str) else SCRIPTS[kind].read_text()  # fmt: skip
    page.route(
        "**/__bench__/renderer.js", lambda r: r.fulfill(body=body, content_type="text/javascript")
    )
    page.route("**/__bench__/", lambda r: r.fulfill(body=PAGE, content_type="text/html"))
    page.goto(f"{url}/__bench__/")
    return ctx, page, errors


def _hit(page, kind: str, target, layer: str, errors: list) -> str:
    lat, lon = target
    if kind.startswith("protomaps"):
        return "yes" if page.evaluate(PICK_PM, [lat, lon, layer]) else "no"
    if kind.startswith("maplibre"):
        return "yes" if page.evaluate(PICK_ML, [lat, lon, layer]) else "no"
    x, y = page.evaluate(
        "([a, b]) => { const p = window.map.latLngToContainerPoint([a, b]); return [p.x, p.y]; }",
        [lat, lon],
    )
    before = len(errors)
    page.evaluate("window.clicked = null")
    page.mouse.click(x, y)
    page.wait_for_timeout(200)
    if len(errors) > before:
        return "error: " + errors[-1][:60]
    return "yes" if page.evaluate("window.clicked !== null") else "no"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--maplibre", type=Path, default=None, help="scratch node_modules' parent")
    args = parser.parse_args()
    if args.maplibre:
        nm = args.maplibre / "node_modules"
        SCRIPTS["maplibre-gl 4.7 + maplibre-gl-leaflet"] = (
            f"{nm / 'maplibre-gl/dist/maplibre-gl.js'}|{nm / '@maplibre/maplibre-gl-leaflet/leaflet-maplibre-gl.js'}"
        )
    targets = _targets()
    centre = targets["polygon (building)"]
    from playwright.sync_api import sync_playwright

    rows, hits = [], []
    with gunicorn(None, workers=2, threads=2, timeout=60) as url, sync_playwright() as p:
        gl = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]  # WebGL for MapLibre
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=[a for a in ARGS if a != "--disable-gpu"] + gl)  # fmt: skip
        tile_url = f"{url}/tiles/{BASE}/{{z}}/{{x}}/{{y}}.mvt"
        for z in (14, 16, 18):
            per = {}
            for kind in SCRIPTS:
                samples = []
                for run in range(args.runs + 1):
                    ctx, page, _ = _page(browser, url, kind)
                    r = page.evaluate(ADD, [kind, tile_url, z, centre[0], centre[1]])
                    if run:  # the first run warms the server's tile cache for both
                        samples.append(r["ms"] / max(r["tiles"], 1))
                    ctx.close()
                per[kind] = summarize(samples)
            vg = per["leaflet.vectorgrid 1.3"]
            for kind, s in per.items():
                rows.append([f"z{z}", kind, s["p50"], s["p95"], s["p50"] / vg["p50"]])
        for kind in SCRIPTS:
            labels = {"p": "yes (placed, collision)", "l": "no", "m": "needs a glyph server"}[
                kind[0]
            ]
            row = [kind, labels]
            for key, layer in (("point (bus stop)", "bus-stops"), ("line (street)", "streets"),
                               ("polygon (building)", "buildings")):  # fmt: skip
                lat, lon = targets[key]
                t_url = (
                    f"{url}/tiles/{layer if layer == 'bus-stops' else BASE}/{{z}}/{{x}}/{{y}}.mvt"
                )
                ctx, page, errors = _page(browser, url, kind)
                page.evaluate(ADD, [kind, t_url, 18, lat, lon])
                row.append(_hit(page, kind, (lat, lon), layer, errors))
                ctx.close()
            hits.append(row)
        browser.close()
    print_table("render time per tile (headless Chromium 1024x768, basemap tiles; ratio vs vectorgrid)",
                ["zoom", "renderer", "p50 ms/tile", "p95 ms/tile", "ratio"], rows)  # fmt: skip
    print_table(
        "labels and hit-testing at z18", ["renderer", "labels", "point", "line", "polygon"], hits
    )
    print(f"({args.runs} runs per renderer and zoom after one warm-up)")


if __name__ == "__main__":
    main()
