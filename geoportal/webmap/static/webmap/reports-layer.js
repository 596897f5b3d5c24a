/* Residents' public reports on the web map: a clustered layer (leaflet.markercluster) loaded
 * from GET /api/v1/reports/?bbox=... for the visible area, toggled in the panel's "Звернення
 * мешканців" group, with a popup linking to the report's public page. Also keeps the header's
 * "report a problem" link pointing at the current view, so the form's map starts there.
 * Works on the createMap API it is given; the overlays are not catalogue layers. */

import { escapeHtml, dateLocale, byId } from "./util.js";

const MOVE_DEBOUNCE_MS = 250;

function sublayers() {
  return [
    { key: "reports", status: "open", title: gettext("Відкриті звернення"), colour: "#e8590c" },
    { key: "reports-closed", status: "closed", title: gettext("Вирішені та закриті"), colour: "#2b8a3e" },
  ];
}

function marker(feature, sub, language) {
  const p = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const label = `№${p.id} ${p.category_title}`;
  const m = L.marker([lat, lon], {
    title: label, alt: label, keyboard: true, riseOnHover: true,
    icon: L.divIcon({ className: `report-marker status-${p.status}`, iconSize: [24, 24], iconAnchor: [12, 12],
      popupAnchor: [0, -10], html: `<span style="background:${sub.colour}" aria-hidden="true">!</span>` }),
  });
  m.feature = feature;
  const when = p.created_at ? new Date(p.created_at).toLocaleDateString(dateLocale(language)) : "";
  m.bindPopup(
    `<div class="report-popup"><strong>№${escapeHtml(p.id)} · ${escapeHtml(p.category_title)}</strong>` +
    `<br><span class="status">${escapeHtml(p.status_title)}</span>${when ? " · " + escapeHtml(when) : ""}` +
    `<br>${gettext("Підтверджень")}: ${escapeHtml(p.confirmations)}` +
    `<br><a href="${escapeHtml(p.url)}">${gettext("Сторінка звернення")}</a></div>`);
  return m;
}

function note(s, text, cls) {
  let el = s.row.querySelector(".layer-note");
  if (!text) { if (el) el.remove(); return; }
  if (!el) { el = document.createElement("p"); s.row.appendChild(el); }
  el.className = "layer-note " + (cls || "");
  el.textContent = text;
}

/* One sub-layer (open or closed reports): its panel row, cluster group and loading. */
function createSublayer(webmap, sub) {
  const map = webmap.leaflet;
  const s = { sub, seq: 0, loadedBounds: null,
    group: L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, chunkedLoading: true }) };

  s.load = (force) => {
    if (!map.hasLayer(s.group)) return;
    const view = map.getBounds();
    if (!force && s.loadedBounds && s.loadedBounds.contains(view)) return;
    const b = view.pad(0.5);
    const seq = ++s.seq;
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    s.row.setAttribute("aria-busy", "true");
    note(s, gettext("Завантаження…"), "loading");
    fetch(`${webmap.config.reportsUrl}?bbox=${bbox}&status=${sub.status}`, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((fc) => {
        if (seq !== s.seq) return;
        s.group.clearLayers();
        s.group.addLayers(fc.features.map((f) => marker(f, sub, webmap.config.language)));
        s.loadedBounds = b;
        s.row.dataset.count = String(fc.features.length);
        note(s, fc.features.length ? "" : gettext("Тут звернень немає"), "empty");
      })
      .catch((err) => { if (seq === s.seq) note(s, `${gettext("Не вдалося завантажити звернення")} (${err.message})`, "error"); })
      .finally(() => { if (seq === s.seq) s.row.removeAttribute("aria-busy"); });
  };

  s.toggle = (on) => {
    if (on) {
      s.group.addTo(map);
      s.load(true);
    } else {
      map.removeLayer(s.group);
      s.loadedBounds = null;
      note(s, "");
    }
    s.box.checked = on;
    s.row.classList.toggle("on", on);
    if (on) webmap.addOverlay(sub.key); else webmap.removeOverlay(sub.key);  // in the permalink's layers=
  };
  return s;
}

function sublayerRow(s) {
  const row = document.createElement("div");
  row.className = "layer-row";
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.dataset.slug = s.sub.key;
  const sw = document.createElement("span");
  sw.className = "swatch";
  sw.setAttribute("aria-hidden", "true");
  sw.style.cssText = `background: ${s.sub.colour}; border-radius: 50%`;
  const name = document.createElement("span");
  name.textContent = s.sub.title;
  label.append(box, sw, name);
  row.append(label);
  box.addEventListener("change", () => s.toggle(box.checked));
  Object.assign(s, { row, box });
  return row;
}

/* The header's "report a problem" link carries the current view to the form's map. */
export function followReportLink(webmap) {
  const link = document.querySelector("a.report");
  if (!link) return;
  const map = webmap.leaflet;
  const update = () => {
    const c = map.getCenter();
    link.href = `${webmap.config.reportUrl}#map=${Math.max(map.getZoom(), 15)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
  };
  map.on("moveend", update);
  update();
}

/* The reports group at the top of the built panel; switched on by the start address's
 * layers=...,reports or by a link from the form (&reports=1). */
export function initReportsLayer(webmap, start) {
  if (!L.markerClusterGroup) return;
  const layers = sublayers().map((sub) => createSublayer(webmap, sub));
  const details = document.createElement("details");
  details.className = "group";
  details.dataset.group = "reports";
  details.open = true;
  details.innerHTML = `<summary>${gettext("Звернення мешканців")} <span class="count">${layers.length}</span></summary>`;
  layers.forEach((s) => details.appendChild(sublayerRow(s)));
  const list = byId("layer-list");
  list.insertBefore(details, list.firstChild);

  let timer = null;
  webmap.leaflet.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => layers.forEach((s) => s.load(false)), MOVE_DEBOUNCE_MS);
  });
  const params = start.params || new URLSearchParams();
  const keys = (params.get("layers") || "").split(",");
  layers.forEach((s) => {
    if (keys.indexOf(s.sub.key) >= 0 || (s.sub.key === "reports" && params.get("reports") === "1")) s.toggle(true);
  });
}
