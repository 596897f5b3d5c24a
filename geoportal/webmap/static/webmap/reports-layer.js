/* Residents' public reports on the web map: a clustered layer (leaflet.markercluster) loaded
 * from GET /api/v1/reports/?bbox=... for the visible area, toggled in the panel's "Звернення
 * мешканців" group, with a popup linking to the report's public page. Also keeps the header's
 * "report a problem" link pointing at the current view, so the form's map starts there. */
(function () {
  "use strict";
  const g = window.geoportal;
  if (!g || !L.markerClusterGroup) return;
  const { map, config, t, escapeHtml } = g;
  const SUBLAYERS = [
    { key: "reports", status: "open", title: t("Відкриті звернення", "Open reports"), colour: "#e8590c" },
    { key: "reports-closed", status: "closed", title: t("Вирішені та закриті", "Resolved and closed"), colour: "#2b8a3e" },
  ];
  const state = {};  // key -> {group, loadedBounds, seq, row}

  function marker(feature, sub) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const label = `№${p.id} ${p.category_title}`;
    const m = L.marker([lat, lon], {
      title: label, alt: label, keyboard: true, riseOnHover: true,
      icon: L.divIcon({ className: `report-marker status-${p.status}`, iconSize: [24, 24], iconAnchor: [12, 12],
                        popupAnchor: [0, -10], html: `<span style="background:${sub.colour}" aria-hidden="true">!</span>` }),
    });
    m.feature = feature;
    const when = p.created_at ? new Date(p.created_at).toLocaleDateString(config.language === "en" ? "en-GB" : "uk-UA") : "";
    m.bindPopup(
      `<div class="report-popup"><strong>№${escapeHtml(p.id)} · ${escapeHtml(p.category_title)}</strong>` +
      `<br><span class="status">${escapeHtml(p.status_title)}</span>${when ? " · " + escapeHtml(when) : ""}` +
      `<br>${t("Підтверджень", "Confirmations")}: ${escapeHtml(p.confirmations)}` +
      `<br><a href="${escapeHtml(p.url)}">${t("Сторінка звернення", "Report page")}</a></div>`);
    return m;
  }

  function note(sub, text, cls) {
    const s = state[sub.key];
    let el = s.row.querySelector(".layer-note");
    if (!text) { if (el) el.remove(); return; }
    if (!el) { el = document.createElement("p"); s.row.appendChild(el); }
    el.className = "layer-note " + (cls || "");
    el.textContent = text;
  }

  function load(sub, force) {
    const s = state[sub.key];
    if (!s || !map.hasLayer(s.group)) return;  // before the panel is built, or off
    const view = map.getBounds();
    if (!force && s.loadedBounds && s.loadedBounds.contains(view)) return;
    const b = view.pad(0.5);
    const seq = ++s.seq;
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    s.row.setAttribute("aria-busy", "true");
    note(sub, t("Завантаження…", "Loading…"), "loading");
    fetch(`${config.reportsUrl}?bbox=${bbox}&status=${sub.status}`, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((fc) => {
        if (seq !== s.seq) return;
        s.group.clearLayers();
        s.group.addLayers(fc.features.map((f) => marker(f, sub)));
        s.loadedBounds = b;
        s.row.dataset.count = String(fc.features.length);
        note(sub, fc.features.length ? "" : t("Тут звернень немає", "No reports here"), "empty");
      })
      .catch((err) => { if (seq === s.seq) note(sub, t("Не вдалося завантажити звернення", "Could not load reports") + ` (${err.message})`, "error"); })
      .finally(() => { if (seq === s.seq) s.row.removeAttribute("aria-busy"); });
  }

  function toggle(sub, on) {
    const s = state[sub.key];
    if (on) {
      g.overlays.add(sub.key);  // in the permalink's layers=, but not a catalogue layer
      s.group.addTo(map);
      load(sub, true);
    } else {
      g.overlays.delete(sub.key);
      map.removeLayer(s.group);
      s.loadedBounds = null;
      note(sub, "");
    }
    s.box.checked = on;
    s.row.classList.toggle("on", on);
    g.updateHash();
  }

  function buildGroup() {
    const details = document.createElement("details");
    details.className = "group";
    details.dataset.group = "reports";
    details.open = true;
    details.innerHTML = `<summary>${t("Звернення мешканців", "Residents' reports")} <span class="count">${SUBLAYERS.length}</span></summary>`;
    SUBLAYERS.forEach((sub) => {
      const row = document.createElement("div");
      row.className = "layer-row";
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.slug = sub.key;
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.setAttribute("aria-hidden", "true");
      sw.style.cssText = `background: ${sub.colour}; border-radius: 50%`;
      const name = document.createElement("span");
      name.textContent = sub.title;
      label.append(box, sw, name);
      row.append(label);
      details.appendChild(row);
      state[sub.key] = {
        row, box, seq: 0, loadedBounds: null,
        group: L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, chunkedLoading: true }),
      };
      box.addEventListener("change", () => toggle(sub, box.checked));
    });
    const list = document.getElementById("layer-list");
    list.insertBefore(details, list.firstChild);
  }

  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => SUBLAYERS.forEach((sub) => load(sub, false)), 250);
  });

  // The header's "report a problem" link carries the current view to the form's map.
  const reportLink = document.querySelector("a.report");
  function updateReportLink() {
    if (!reportLink) return;
    const c = map.getCenter();
    reportLink.href = `${config.reportUrl}#map=${Math.max(map.getZoom(), 15)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
  }
  map.on("moveend", updateReportLink);

  // Turned on by the permalink (layers=...,reports) or by a link from the form (&reports=1);
  // read now: map.js rewrites the hash before it is ready.
  const startParams = new URLSearchParams(location.hash.slice(1));

  function start() {
    buildGroup();
    updateReportLink();
    const params = startParams;
    const layers = (params.get("layers") || "").split(",");
    SUBLAYERS.forEach((sub) => {
      if (layers.indexOf(sub.key) >= 0 || (sub.key === "reports" && params.get("reports") === "1")) toggle(sub, true);
    });
  }
  if (window.geoportalReady) start(); else document.addEventListener("geoportal:ready", start, { once: true });
})();
