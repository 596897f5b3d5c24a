/* Planner tools on the createMap API they are given: measure a distance or an area, select an
 * area to export its features (GeoJSON, CSV, GeoPackage) or download it as an HTML map, print.
 *
 * Measuring ends with a double click, the "finish" button, Enter or Escape; the two clicks of
 * a double click add one point, not two; an area never crosses itself (a point whose edges
 * would cross the outline is refused, and so is finishing across it). Numbers are written in
 * the page's language (uk: 1 234,5 м², decimal comma). */

import { legendItemHtml } from "./legend.js";
import { escapeHtml, byId } from "./util.js";

/* Spherical polygon area (same formula as Leaflet.draw's geodesicArea), m². */
export function geodesicArea(latlngs) {
  const R = 6378137, d2r = Math.PI / 180;
  let area = 0;
  for (let i = 0; i < latlngs.length; i++) {
    const p1 = latlngs[i], p2 = latlngs[(i + 1) % latlngs.length];
    area += (p2.lng - p1.lng) * d2r * (2 + Math.sin(p1.lat * d2r) + Math.sin(p2.lat * d2r));
  }
  return Math.abs(area * R * R / 2);
}
/* A number in the page's language: "1 234,57" in Ukrainian, "1,234.57" in English. */
export function fmtNumber(value, digits) {
  const lang = document.documentElement.lang === "en" ? "en" : "uk-UA";
  return new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
function fmtLength(m) {
  return m >= 1000 ? interpolate(gettext("%s км"), [fmtNumber(m / 1000, 2)]) : interpolate(gettext("%s м"), [fmtNumber(Math.round(m), 0)]);
}
function fmtArea(a) {
  return a >= 10000 ? interpolate(gettext("%s га"), [fmtNumber(a / 10000, 3)]) : interpolate(gettext("%s м²"), [fmtNumber(Math.round(a), 0)]);
}

/* Whether segments ab and cd cross (touching at a shared end point does not count). */
function crosses(a, b, c, d) {
  const o = (p, q, r) => Math.sign((q.lng - p.lng) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lng - p.lng));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}
/* Whether adding `p` to the open outline `pts` (and closing it back to pts[0]) keeps it simple. */
export function keepsSimple(pts, p) {
  const n = pts.length;
  if (n < 2) return true;
  const last = pts[n - 1];
  for (let i = 0; i < n - 2; i++) if (crosses(last, p, pts[i], pts[i + 1])) return false;
  for (let i = 1; i < n - 1; i++) if (crosses(p, pts[0], pts[i], pts[i + 1])) return false;
  return true;
}

function measureText(mode, points) {
  if (mode === "distance") {
    let d = 0;
    for (let i = 1; i < points.length; i++) d += points[i - 1].distanceTo(points[i]);
    return interpolate(gettext("Відстань: %s"), [fmtLength(d)]);
  }
  return points.length > 2 ? interpolate(gettext("Площа: %s"), [fmtArea(geodesicArea(points))]) : gettext("Додайте ще точки");
}

function exportsHtml(webmap, bbox) {
  const { config } = webmap;
  const slugs = webmap.activeSlugs().filter((s) => webmap.layer(s).geometry_type !== "Raster");
  const items = slugs.map((s) => {
    const base = config.exportUrl.replace("{slug}", s) + `?bbox=${bbox}&format=`;
    return `<li><strong>${escapeHtml(webmap.layer(s).title)}</strong>: ` +
      ["geojson", "csv", "gpkg"].map((f) => `<a href="${base}${f}" download>${f.toUpperCase()}</a>`).join(" · ") + "</li>";
  }).join("");
  const share = `${config.shareUrl}?bbox=${bbox}&layers=${slugs.filter((s) => webmap.layer(s).access === "public").join(",")}`;
  return `<h3>${gettext("Виділена область")}</h3><p><small>${bbox}</small></p>` +
    (items ? `<h4>${gettext("Експорт об'єктів")}</h4><ul class="exports">${items}</ul>` : `<p class="empty">${gettext("Увімкніть шари для експорту")}</p>`) +
    `<p><a class="button" id="share-link" href="${share}" download="map.html">${gettext("Завантажити карту як HTML")}</a></p>`;
}

/* The measuring and area-selection tools: one mode at a time, it takes the map's clicks. */
function initDrawing(webmap) {
  const map = webmap.leaflet;
  let mode = null;  // "distance" | "area" | "select"
  let points = [];
  let drawn = null;
  let lastClick = null;
  const out = byId("tool-output");
  const draw = (layer) => { if (drawn) map.removeLayer(drawn); drawn = layer ? layer.addTo(map) : null; };
  function setMode(next) {
    mode = next;
    webmap.setTool(mode);
    document.querySelectorAll("[data-tool]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === mode)));
    map.getContainer().classList.toggle("drawing", !!mode);
    if (mode) map.doubleClickZoom.disable(); else map.doubleClickZoom.enable();
  }
  function say(text, finishable) {
    out.textContent = text;
    if (!finishable) return;
    const b = document.createElement("button");
    b.type = "button"; b.id = "tool-finish"; b.className = "tool-finish";
    b.textContent = gettext("Завершити");
    b.addEventListener("click", finish);
    out.append(" ", b);
  }
  function finish() {
    if (mode !== "distance" && mode !== "area") return;
    if (mode === "area" && points.length > 2 && !keepsSimple(points.slice(1), points[0])) {
      say(gettext("Контур перетинає сам себе: додайте іншу точку."), true);
      return;
    }
    const result = points.length > (mode === "area" ? 2 : 1) ? measureText(mode, points) : "";
    setMode(null);
    say(result, false);  // the result stays
  }
  document.querySelectorAll("[data-tool]").forEach((b) => b.addEventListener("click", () => {
    points = [];
    draw(null);
    setMode(mode === b.dataset.tool ? null : b.dataset.tool);
    say(mode ? gettext("Клацайте на карті; подвійний клік або «Завершити» завершує.") : "", mode === "distance" || mode === "area");
  }));
  map.on("click", (e) => {
    if (!mode) return;
    const now = Date.now();
    const twin = lastClick && now - lastClick.t < 400 && map.latLngToContainerPoint(lastClick.ll).distanceTo(e.containerPoint) < 6;
    lastClick = { t: now, ll: e.latlng };
    if (twin) return;  // the second click of a double click: finish() comes with the dblclick
    if (mode === "select") {
      points.push(e.latlng);
      if (points.length < 2) { draw(L.circleMarker(e.latlng, { radius: 4 })); return; }
      const bounds = L.latLngBounds(points);
      draw(L.rectangle(bounds, { color: "#005bbb", weight: 2, fillOpacity: 0.05 }));
      setMode(null);
      const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(",");
      webmap.openInfo(exportsHtml(webmap, bbox));
      return;
    }
    if (mode === "area" && !keepsSimple(points, e.latlng)) {
      say(gettext("Ця точка перетнула б контур: оберіть іншу."), true);
      return;
    }
    points.push(e.latlng);
    draw(mode === "area" && points.length > 2 ? L.polygon(points, { color: "#d7191c", interactive: false }) : L.polyline(points, { color: "#d7191c", dashArray: "6 4", interactive: false }));
    say(measureText(mode, points), true);
  });
  map.on("dblclick", finish);
  // A double click on a drawn shape or a tile layer's canvas may not reach the map's handler.
  map.getContainer().addEventListener("dblclick", () => { if (mode) finish(); });
  document.addEventListener("keydown", (e) => {
    if (!mode || (e.key !== "Enter" && e.key !== "Escape") || e.target.closest("input, textarea, select")) return;
    finish();
  });
}

function printLegend(webmap) {
  const { config } = webmap;
  byId("print-legend").innerHTML = `<h2>${escapeHtml(config.hromada)}</h2><ul>` +
    webmap.activeSlugs().map((s) => legendItemHtml(webmap, s)).join("") + `</ul><p>${new Date().toLocaleDateString(config.language)}</p>`;
}

export function initTools(webmap) {
  initDrawing(webmap);
  byId("print-button").addEventListener("click", () => {
    printLegend(webmap);
    webmap.preparePrint().then(() => window.print());  // the page-shaped map drawn first
  });
}
