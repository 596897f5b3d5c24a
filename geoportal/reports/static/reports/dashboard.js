/* The staff dashboard's map (/reports/dashboard/): the filtered reports as clustered markers,
 * or as a heatmap of server-side density cells (heatmap.json, ST_Square) redrawn on zoom with
 * cells of about CELL_PX screen pixels; on the portal's own basemap. The map element carries
 * its state for staff scripts and tests: data-basemap ("ready" | "none"), data-heat
 * ("loading" | "ready" | "error") and data-heat-cells. Publishes the automation hook
 * "dashboard". */

import { addBasemap } from "../webmap/basemap.js";
import { escapeHtml, pageData, publish, byId } from "../webmap/util.js";

const CELL_PX = 24;
const RAMP = [[255, 224, 138], [253, 141, 60], [215, 25, 28]];

function colour(t) {
  const k = Math.min(1.999, t * 2), i = Math.floor(k), f = k - i;
  const c = RAMP[i].map((v, j) => Math.round(v + (RAMP[i + 1][j] - v) * f));
  return `rgb(${c.join(",")})`;
}

function mode() {
  return document.querySelector("input[name=map-mode]:checked").value;
}

/* The portal's own basemap, as on the web map. */
function showBasemap(map, view) {
  const el = map.getContainer();
  addBasemap(map, view.layersUrl, view.roles).then((base) => {
    if (base) base.once("load", () => { el.dataset.basemap = "ready"; });
    else el.dataset.basemap = "none";
  });
}

function markers(map, points) {
  const group = L.markerClusterGroup();
  points.forEach((p) => {
    const m = L.circleMarker([p.lat, p.lon], { radius: 7, color: p.overdue ? "#b00" : "#1f6fb2" });
    m.bindPopup(`<a href="/reports/dashboard/${p.id}/">${escapeHtml(p.title)}</a>`);
    group.addLayer(m);
  });
  return group;
}

/* The heatmap of the same filtered list; load() asks for cells fitting the current zoom. */
function createHeat(map) {
  const renderer = L.canvas({ padding: 0.2 });
  const el = map.getContainer();
  let layer = null;
  const cellMetres = () => Math.min(20000, Math.max(10, CELL_PX * 156543.03 / Math.pow(2, map.getZoom())));
  function load() {
    const params = new URLSearchParams(location.search);
    params.set("cell", cellMetres().toFixed(1));
    el.dataset.heat = "loading";
    fetch("heatmap.json?" + params.toString(), { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error("heatmap " + r.status); return r.json(); })
      .then((grid) => {
        if (layer) map.removeLayer(layer);
        const top = Math.log(grid.max + 1) || 1;
        layer = L.geoJSON(grid, { renderer, interactive: false, style: (f) => {
          const t = Math.log(f.properties.count + 1) / top;
          return { stroke: false, fillColor: colour(t), fillOpacity: 0.45 + 0.4 * t };
        } });
        if (mode() === "heat") layer.addTo(map);
        byId("heat-max").textContent = "1 … " + grid.max;
        el.dataset.heat = "ready";
        el.dataset.heatCells = String(grid.features.length);
      })
      .catch((e) => { el.dataset.heat = "error"; console.error(e); });
  }
  return { load, hide: () => { if (layer) map.removeLayer(layer); } };
}

const view = pageData("map-view");
const points = pageData("report-points");
const map = L.map("map", { maxZoom: 20 }).setView([view.center[1], view.center[0]], view.zoom);
showBasemap(map, view);
const group = markers(map, points);
map.addLayer(group);
if (points.length) map.fitBounds(group.getBounds(), { maxZoom: 16 });
const heat = createHeat(map);
document.querySelectorAll("input[name=map-mode]").forEach((r) => r.addEventListener("change", () => {
  const isHeat = mode() === "heat";
  byId("heat-info").hidden = !isHeat;
  if (isHeat) { map.removeLayer(group); heat.load(); } else { heat.hide(); map.addLayer(group); }
}));
map.on("zoomend", () => { if (mode() === "heat") heat.load(); });
publish("dashboard", { leaflet: map });
