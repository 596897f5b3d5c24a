/* The budget map (/budget/): filters -> the projects from the OGC API items of the budget layer
 * (property filters year, status, funding_source, settlement) on a map and in a list, and the
 * totals per settlement and year from /api/v1/budget/totals with the same filters. */

import { addBasemap } from "../webmap/basemap.js";
import { byId, escapeHtml, pageData, publish } from "../webmap/util.js";

const config = pageData("page-config");
const COLOURS = { planned: "#6a51a3", design: "#807dba", tender: "#fd8d3c", in_progress: "#e6550d",
  completed: "#2ca25f", suspended: "#969696", cancelled: "#636363" };
const money = (v) => Number(v).toLocaleString(config.language === "en" ? "en" : "uk", { maximumFractionDigits: 0 });

const map = L.map("budget-map").setView([config.center[1], config.center[0]], config.zoom);
addBasemap(map, config.layersUrl, config.roles);
const projects = L.geoJSON(null, {
  style: (f) => ({ color: COLOURS[f.properties.status] || "#1f4e79", weight: 4, fillOpacity: 0.35,
    className: "budget-project" }),
  pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 7, fillOpacity: 0.9, className: "budget-project" }),
  onEachFeature: (f, layer) => layer.bindPopup(card(f.properties)),
}).addTo(map);

function card(p) {
  const links = (p.links || "").split(/\s+/).filter((u) => /^https:\/\//.test(u))
    .map((u) => `<a href="${escapeHtml(u)}" rel="noopener">${escapeHtml(new URL(u).host)}</a>`).join(" ");
  return `<b>${escapeHtml(p.name)}</b><br>${money(p.amount_uah)} ${gettext("грн")} · ${escapeHtml(p.year)}<br>` +
    `${escapeHtml(p.status_title || p.status)} · ${escapeHtml(p.funding_source || "")}` +
    (p.contractor ? `<br>${gettext("Підрядник")}: ${escapeHtml(p.contractor)}` : "") + (links ? `<br>${links}` : "");
}

function filters() {
  const params = new URLSearchParams();
  for (const el of byId("budget-filters").elements) if (el.name && el.value) params.set(el.name, el.value);
  return params;
}

async function load() {
  const params = filters();
  const items = new URLSearchParams(params);
  items.set("f", "json");
  items.set("limit", "1000");
  const [fc, totals] = await Promise.all([
    fetch(`${config.itemsUrl}?${items}`, { headers: { Accept: "application/geo+json" } }).then((r) => r.json()),
    fetch(`${config.totalsUrl}?${params}`).then((r) => r.json()),
  ]);
  projects.clearLayers().addData(fc);
  if (fc.features.length) map.fitBounds(projects.getBounds(), { padding: [20, 20], maxZoom: 16 });
  byId("budget-list").innerHTML = fc.features.map((f) =>
    `<li style="--c: ${COLOURS[f.properties.status] || "#1f4e79"}">${card(f.properties)}</li>`).join("");
  byId("budget-totals").tBodies[0].innerHTML = totals.rows.map((r) =>
    `<tr><td>${escapeHtml(r.settlement)}</td><td>${r.year}</td><td class="num">${r.projects}</td><td class="num">${money(r.amount_uah)}</td></tr>`).join("");
  byId("budget-totals").tFoot.innerHTML = `<tr><th scope="row" colspan="2">${gettext("Разом")}</th>` +
    `<td class="num">${totals.total.projects}</td><td class="num">${money(totals.total.amount_uah)}</td></tr>`;
  return { shown: fc.features.length, total: totals.total };
}

byId("budget-filters").addEventListener("change", () => load());
load().then(() => publish("budget", { leaflet: map, load }));
