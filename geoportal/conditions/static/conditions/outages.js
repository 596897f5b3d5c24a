/* The outages page (/outages/): what is off now and what is planned (GeoJSON from
 * /api/v1/outages, areas on the map), and "is my address affected?" (/api/v1/outages/check). */

import { addBasemap } from "../webmap/basemap.js";
import { byId, dateLocale, escapeHtml, pageData, publish } from "../webmap/util.js";

const config = pageData("page-config");
const COLOURS = { water: "#2171b5", heating: "#d94801", electricity: "#ffb000", gas: "#6a51a3" };
const when = (iso) => new Date(iso).toLocaleString(dateLocale(config.language),
  { timeZone: "Europe/Kyiv", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });

const map = L.map("outage-map").setView([config.center[1], config.center[0]], config.zoom);
addBasemap(map, config.layersUrl, config.roles);
const areas = L.geoJSON(null, {
  style: (f) => ({ color: COLOURS[f.properties.service], weight: 2, fillOpacity: f.properties.active ? 0.35 : 0.1,
    dashArray: f.properties.active ? null : "6 4" }),
  onEachFeature: (f, layer) => layer.bindPopup(card(f.properties)),
}).addTo(map);
let marker = null;

function card(o) {
  return `<b>${escapeHtml(o.service_title)}</b> — ${escapeHtml(o.kind_title)}<br>` +
    `${when(o.starts_at)} – ${when(o.ends_at)}<br>${escapeHtml(o.reason)}` +
    (o.addresses ? `<br><small>${escapeHtml(o.addresses).replace(/\n/g, "; ")}</small>` : "") +
    (o.contact ? `<br>${gettext("Контакт")}: ${escapeHtml(o.contact)}` : "");
}

async function loadAll() {
  const fc = await fetch(config.outagesUrl).then((r) => r.json());
  areas.clearLayers().addData(fc);
  const item = (f) => `<li id="outage-${f.id}" style="--c: ${COLOURS[f.properties.service]}">${card(f.properties)}</li>`;
  byId("outages-now").innerHTML = fc.features.filter((f) => f.properties.active).map(item).join("") ||
    `<li>${gettext("Зараз відключень немає.")}</li>`;
  byId("outages-planned").innerHTML = fc.features.filter((f) => !f.properties.active).map(item).join("") ||
    `<li>${gettext("Планових відключень немає.")}</li>`;
  return fc.features.length;
}

async function check(address) {
  const answer = byId("address-answer");
  const r = await fetch(`${config.checkUrl}?${new URLSearchParams({ address })}`);
  const body = await r.json();
  if (!r.ok) {
    answer.className = "answer unsure";
    const names = (body.candidates || []).slice(0, 5).map((c) => escapeHtml(c.label || c.ref || "")).join("; ");
    answer.innerHTML = `${escapeHtml(body.detail || body.title)}${names ? "<br>" + names : ""}`;
    return body;
  }
  if (marker) marker.remove();
  marker = L.marker([body.where.lat, body.where.lon]).addTo(map);
  map.setView([body.where.lat, body.where.lon], 16);
  answer.className = "answer " + (body.affected_now ? "yes" : "no");
  const now = body.now.map((o) => `<p>${card(o)}</p>`).join("");
  const planned = body.planned.map((o) => `<p>${card(o)}</p>`).join("");
  answer.innerHTML = (body.affected_now ? `<b>${gettext("Так, за цією адресою зараз відключення:")}</b>${now}`
    : `<b>${gettext("Зараз за цією адресою відключень немає.")}</b>`) +
    (planned ? `<p>${gettext("Заплановано:")}</p>${planned}` : `<p>${gettext("Планових відключень немає.")}</p>`);
  return body;
}

byId("address-form").addEventListener("submit", (e) => {
  e.preventDefault();
  check(byId("address").value.trim());
});
loadAll().then(() => publish("outages", { leaflet: map, check, loadAll }));
