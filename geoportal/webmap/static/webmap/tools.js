/* Planner tools on the createMap API they are given: measure a distance or an area, select an
 * area to export its features (GeoJSON, CSV, GeoPackage) or download it as an HTML map, print. */

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
function fmtLength(m) {
  return m >= 1000 ? interpolate(gettext("%s км"), [(m / 1000).toFixed(2)]) : interpolate(gettext("%s м"), [Math.round(m)]);
}
function fmtArea(a) {
  return a >= 10000 ? interpolate(gettext("%s га"), [(a / 10000).toFixed(3)]) : interpolate(gettext("%s м²"), [Math.round(a)]);
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
  const draw = (layer) => { if (drawn) map.removeLayer(drawn); drawn = layer ? layer.addTo(map) : null; };
  function setMode(next) {
    mode = next;
    webmap.setTool(mode);
    document.querySelectorAll("[data-tool]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === mode)));
    map.getContainer().classList.toggle("drawing", !!mode);
    if (mode) map.doubleClickZoom.disable(); else map.doubleClickZoom.enable();
  }
  document.querySelectorAll("[data-tool]").forEach((b) => b.addEventListener("click", () => {
    points = [];
    draw(null);
    setMode(mode === b.dataset.tool ? null : b.dataset.tool);
    byId("tool-output").textContent = mode ? gettext("Клацайте на карті; подвійний клік завершує.") : "";
  }));
  map.on("click", (e) => {
    if (!mode) return;
    points.push(e.latlng);
    if (mode === "select") {
      if (points.length < 2) { draw(L.circleMarker(e.latlng, { radius: 4 })); return; }
      const bounds = L.latLngBounds(points);
      draw(L.rectangle(bounds, { color: "#005bbb", weight: 2, fillOpacity: 0.05 }));
      setMode(null);
      const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(",");
      webmap.openInfo(exportsHtml(webmap, bbox));
      return;
    }
    draw(mode === "area" && points.length > 2 ? L.polygon(points, { color: "#d7191c" }) : L.polyline(points, { color: "#d7191c", dashArray: "6 4" }));
    byId("tool-output").textContent = measureText(mode, points);
  });
  map.on("dblclick", () => { if (mode === "distance" || mode === "area") setMode(null); });  // the result stays
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
