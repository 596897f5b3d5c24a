/* The web map's search box: cadastral numbers, addresses, streets, landmarks (pole or manhole
 * numbers, stops) and facilities from GET /api/v1/search/ (ranked and deduplicated there),
 * each with its settlement and layer; a chosen result flies the map there, clear of the info
 * card's sheet, switches its layer on and opens the parcel card. Keyboard: arrows through the
 * results, Enter takes the first, Escape closes. */

import { clearCentre, clearPadding } from "./panel.js";
import { escapeHtml, byId } from "./util.js";

const DEBOUNCE_MS = 250;

function kindTitle(kind) {
  const titles = { parcel: gettext("ділянка"), address: gettext("адреса"), street: gettext("вулиця"),
    landmark: gettext("орієнтир"), facility: gettext("заклад"), feature: gettext("об'єкт") };
  return titles[kind] || kind;
}

function goTo(webmap, res) {
  const map = webmap.leaflet;
  const b = res.bbox;
  const at = L.latLng(res.center[1], res.center[0]);
  if (b && (b[2] - b[0] > 1e-5 || b[3] - b[1] > 1e-5)) map.flyToBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 18, duration: 0.6, ...clearPadding(map) });
  else map.flyTo(clearCentre(map, at, 18), 18, { duration: 0.6 });
  if (webmap.layer(res.layer) && !webmap.isActive(res.layer)) webmap.addLayer(res.layer);
  webmap.flashAt(at);
  webmap.select(res.layer, res.fid);
  if (res.layer === webmap.roles.parcels) webmap.showParcelCard(res.fid);
  byId("search-results").hidden = true;
}

function resultItem(webmap, res) {
  const li = document.createElement("li");
  const b = document.createElement("button");
  b.type = "button";
  b.className = "result";
  const where = [res.settlement, kindTitle(res.kind), res.layer_title].filter(Boolean).map(escapeHtml).join(" · ");
  b.innerHTML = `<span class="label">${escapeHtml(res.label)}</span><small>${where}</small>`;
  b.addEventListener("click", () => goTo(webmap, res));
  li.appendChild(b);
  return li;
}

function createSearch(webmap) {
  const box = byId("search-results");
  let seq = 0;
  return function run(q) {
    if (q.trim().length < 2) { box.innerHTML = ""; box.hidden = true; return; }
    const mine = ++seq;
    box.hidden = false;
    box.innerHTML = `<li class="loading">${gettext("Пошук…")}</li>`;
    fetch(`${webmap.config.searchUrl}?q=${encodeURIComponent(q)}&limit=10`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((data) => {
        if (mine !== seq) return;
        if (!data.results.length) { box.innerHTML = `<li class="empty">${gettext("Нічого не знайдено")}</li>`; return; }
        box.replaceChildren(...data.results.map((res) => resultItem(webmap, res)));
      })
      .catch((err) => { if (mine === seq) box.innerHTML = `<li class="error">${gettext("Пошук недоступний")} (${escapeHtml(err.message)})</li>`; });
  };
}

function moveFocus(e) {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  const buttons = [...document.querySelectorAll("#search-results button.result")];
  if (!buttons.length) return;
  e.preventDefault();
  const i = buttons.indexOf(document.activeElement);
  if (e.key === "ArrowDown") buttons[Math.min(i + 1, buttons.length - 1)].focus();
  else if (i <= 0) byId("search-input").focus();
  else buttons[i - 1].focus();
}

export function initSearch(webmap) {
  const run = createSearch(webmap);
  let timer = null;
  byId("search-input").addEventListener("input", (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => run(e.target.value), DEBOUNCE_MS);
  });
  byId("search-form").addEventListener("keydown", moveFocus);
  byId("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    const first = document.querySelector("#search-results button.result");
    if (first) first.click(); else run(byId("search-input").value);
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") byId("search-results").hidden = true; });
}
