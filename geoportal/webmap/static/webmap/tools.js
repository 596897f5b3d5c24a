/* Planner tools and the residents' accessibility view, on top of map.js (window.geoportal):
 * measure distance/area, select an area to export features, print, and the facilities filter. */
(function () {
  "use strict";
  const g = window.geoportal;
  if (!g) return;
  const { map, config, t, escapeHtml } = g;
  const $ = (id) => document.getElementById(id);
  let mode = null;         // "distance" | "area" | "select"
  let points = [];
  let drawn = null;
  window.geoportalTool = () => mode;

  function setMode(next) {
    mode = mode === next ? null : next;
    points = [];
    if (drawn) { map.removeLayer(drawn); drawn = null; }
    document.querySelectorAll("[data-tool]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === mode)));
    map.getContainer().classList.toggle("drawing", !!mode);
    $("tool-output").textContent = mode ? t("Клацайте на карті; подвійний клік завершує.", "Click on the map; double-click to finish.") : "";
    if (mode) map.doubleClickZoom.disable(); else map.doubleClickZoom.enable();
  }
  document.querySelectorAll("[data-tool]").forEach((b) => b.addEventListener("click", () => setMode(b.dataset.tool)));

  // Spherical polygon area (same formula as Leaflet.draw's geodesicArea), m².
  function geodesicArea(latlngs) {
    const R = 6378137, d2r = Math.PI / 180;
    let area = 0;
    for (let i = 0; i < latlngs.length; i++) {
      const p1 = latlngs[i], p2 = latlngs[(i + 1) % latlngs.length];
      area += (p2.lng - p1.lng) * d2r * (2 + Math.sin(p1.lat * d2r) + Math.sin(p2.lat * d2r));
    }
    return Math.abs(area * R * R / 2);
  }
  function fmtLength(m) { return m >= 1000 ? (m / 1000).toFixed(2) + t(" км", " km") : Math.round(m) + t(" м", " m"); }
  function fmtArea(a) { return a >= 10000 ? (a / 10000).toFixed(3) + t(" га", " ha") : Math.round(a) + t(" м²", " m²"); }
  window.geoportalMeasure = { geodesicArea };

  map.on("click", (e) => {
    if (!mode) return;
    if (mode === "select") {
      points.push(e.latlng);
      if (points.length === 2) finishSelect(L.latLngBounds(points));
      else { if (drawn) map.removeLayer(drawn); drawn = L.circleMarker(e.latlng, { radius: 4 }).addTo(map); }
      return;
    }
    points.push(e.latlng);
    if (drawn) map.removeLayer(drawn);
    drawn = (mode === "area" && points.length > 2 ? L.polygon(points, { color: "#d7191c" }) : L.polyline(points, { color: "#d7191c", dashArray: "6 4" })).addTo(map);
    let text;
    if (mode === "distance") {
      let d = 0;
      for (let i = 1; i < points.length; i++) d += points[i - 1].distanceTo(points[i]);
      text = t("Відстань: ", "Distance: ") + fmtLength(d);
    } else {
      text = points.length > 2 ? t("Площа: ", "Area: ") + fmtArea(geodesicArea(points)) : t("Додайте ще точки", "Add more points");
    }
    $("tool-output").textContent = text;
  });
  map.on("dblclick", () => { if (mode === "distance" || mode === "area") { const keep = $("tool-output").textContent; mode = null; setModeButtons(); $("tool-output").textContent = keep; map.doubleClickZoom.enable(); } });
  function setModeButtons() { document.querySelectorAll("[data-tool]").forEach((b) => b.setAttribute("aria-pressed", "false")); map.getContainer().classList.remove("drawing"); }

  function finishSelect(bounds) {
    if (drawn) map.removeLayer(drawn);
    drawn = L.rectangle(bounds, { color: "#005bbb", weight: 2, fillOpacity: 0.05 }).addTo(map);
    mode = null; setModeButtons(); map.doubleClickZoom.enable();
    const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(",");
    const slugs = Object.keys(g.active).filter((s) => g.layersBySlug[s].geometry_type !== "Raster");
    const items = slugs.map((s) => {
      const base = config.exportUrl.replace("{slug}", s) + `?bbox=${bbox}&format=`;
      return `<li><strong>${escapeHtml(g.layersBySlug[s].title)}</strong>: ` +
        ["geojson", "csv", "gpkg"].map((f) => `<a href="${base}${f}" download>${f.toUpperCase()}</a>`).join(" · ") + "</li>";
    }).join("");
    const share = `${config.shareUrl}?bbox=${bbox}&layers=${slugs.filter((s) => g.layersBySlug[s].access === "public").join(",")}`;
    g.openInfo(`<h3>${t("Виділена область", "Selected area")}</h3><p><small>${bbox}</small></p>` +
      (items ? `<h4>${t("Експорт об'єктів", "Export features")}</h4><ul class="exports">${items}</ul>` : `<p class="empty">${t("Увімкніть шари для експорту", "Turn on layers to export")}</p>`) +
      `<p><a class="button" id="share-link" href="${share}" download="map.html">${t("Завантажити карту як HTML", "Download the map as HTML")}</a></p>`);
  }

  $("print-button").addEventListener("click", () => {
    const legend = $("print-legend");
    legend.innerHTML = `<h2>${escapeHtml(config.hromada)}</h2><ul>` + Object.keys(g.active).map((s) => {
      const sw = document.querySelector(`input[data-slug="${s}"] + .swatch`);
      return `<li><span class="swatch" style="${sw ? sw.style.cssText : ""}"></span>${escapeHtml(g.layersBySlug[s].title)}</li>`;
    }).join("") + `</ul><p>${new Date().toLocaleDateString(config.language)}</p>`;
    window.print();
  });

  // --- accessibility view ---------------------------------------------------------------------
  let facilities = null;
  let markers = null;
  const chosenNeeds = new Set();
  function openAccessibility() {
    $("a11y").hidden = false;
    $("a11y-toggle").setAttribute("aria-expanded", "true");
    if (facilities) { render(); return; }
    $("a11y-list").innerHTML = `<li class="loading">${t("Завантаження…", "Loading…")}</li>`;
    fetch(config.facilitiesUrl, { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((data) => { facilities = data; buildNeeds(); render(); })
      .catch((err) => { $("a11y-list").innerHTML = `<li class="error">${t("Не вдалося завантажити заклади", "Could not load facilities")} (${escapeHtml(err.message)})</li>`; });
  }
  function buildNeeds() {
    const box = $("a11y-needs");
    box.innerHTML = "";
    facilities.needs.forEach((n) => {
      const b = document.createElement("button");
      b.type = "button"; b.className = "need"; b.dataset.need = n.key;
      b.setAttribute("aria-pressed", "false");
      b.textContent = n.title;
      b.addEventListener("click", () => {
        if (chosenNeeds.has(n.key)) chosenNeeds.delete(n.key); else chosenNeeds.add(n.key);
        b.setAttribute("aria-pressed", String(chosenNeeds.has(n.key)));
        render();
      });
      box.appendChild(b);
    });
  }
  function render() {
    const list = $("a11y-list");
    const shown = facilities.features.filter((f) => [...chosenNeeds].every((n) => f.properties.needs.indexOf(n) >= 0));
    $("a11y-count").textContent = t(`Знайдено закладів: ${shown.length}`, `Facilities found: ${shown.length}`);
    if (markers) map.removeLayer(markers);
    markers = L.featureGroup().addTo(map);
    list.innerHTML = shown.length ? "" : `<li class="empty">${t("Немає закладів, що відповідають усім вибраним потребам", "No facility meets all chosen needs")}</li>`;
    shown.forEach((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      const offers = p.offers.map((o) => `<li>${escapeHtml(facilities.titles[o] || o)}</li>`).join("");
      const m = L.circleMarker([lat, lon], { radius: 8, color: "#4a1486", weight: 2, fillColor: "#9e9ac8", fillOpacity: 0.95, className: "facility-marker" })
        .bindTooltip(escapeHtml(p.name || "")).addTo(markers);
      const li = document.createElement("li");
      li.className = "facility";
      li.innerHTML = `<h4>${escapeHtml(p.name || "")}</h4><p>${escapeHtml(p.type || "")}${p.address ? " · " + escapeHtml(p.address) : ""}</p>` +
        `<ul class="offers" aria-label="${t("Що пропонує заклад", "What the place offers")}">${offers || `<li class="none">${t("Немає даних про доступність", "No accessibility data")}</li>`}</ul>`;
      const b = document.createElement("button");
      b.type = "button"; b.className = "show-on-map";
      b.textContent = t("Показати на карті", "Show on the map");
      b.setAttribute("aria-label", t("Показати на карті: ", "Show on the map: ") + (p.name || ""));
      b.addEventListener("click", () => { map.flyTo([lat, lon], 18, { duration: 0.5 }); m.openTooltip(); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  $("a11y-toggle").addEventListener("click", () => {
    if ($("a11y").hidden) openAccessibility();
    else { $("a11y").hidden = true; $("a11y-toggle").setAttribute("aria-expanded", "false"); if (markers) { map.removeLayer(markers); markers = null; } }
  });
  $("a11y-close").addEventListener("click", () => $("a11y-toggle").click());
  if (new URLSearchParams(location.hash.slice(1)).get("view") === "accessibility") openAccessibility();
})();
