/* The web map core: the portal's own basemap from its topographic layers, the layer panel
 * (thematic groups, legends, opacity), feature info, the parcel card, the permalink and search.
 * Planner tools and the accessibility view live in tools.js and use window.geoportal. */
(function () {
  "use strict";
  if (!L.DomEvent.fakeStop) { L.DomEvent.fakeStop = function (e) { L.DomEvent.stopPropagation(e); }; }

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const en = config.language === "en";
  const t = (uk, eng) => (en ? eng : uk);
  const $ = (id) => document.getElementById(id);
  const map = L.map("map", { zoomControl: true, minZoom: 8, maxZoom: 20 })
    .setView([config.center[1], config.center[0]], config.zoom);
  window.geoportalMap = map;
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  let external = null;
  if (config.basemapUrl) {
    external = L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19, opacity: 0.6 });
  }

  const active = {};        // slug -> Leaflet layer, catalogue layers only (in layersBySlug)
  const overlays = new Set();  // keys of other switched-on overlays (reports), kept in layers=
  const opacity = {};       // slug -> 0..1
  const layersBySlug = {};
  let selected = null;      // {slug, fid}
  let highlight = null;

  // Portal basemap look (basemap.js): land colour from CSS, streets with casing, buildings filled.
  const BASEMAP_STYLES = window.geoportalBasemap.STYLES;

  function vectorStyle(layer) {
    if (BASEMAP_STYLES[layer.slug]) return BASEMAP_STYLES[layer.slug];
    const s = layer.style || {};
    const color = s.color || "#3388ff";
    const geom = layer.geometry_type || "";
    if (geom.indexOf("Point") >= 0) {
      return { radius: s.radius || 4, weight: s.weight || 1, color: color, fill: true,
               fillColor: s.fillColor || color, fillOpacity: s.fillOpacity ?? 0.9 };
    }
    if (geom.indexOf("Line") >= 0) return { weight: s.weight || 2, color: color, opacity: s.opacity ?? 0.9 };
    return { weight: s.weight ?? 1, color: color, fill: true, fillColor: s.fillColor || color,
             fillOpacity: s.fillOpacity ?? 0.3 };
  }

  function swatchCss(layer) {
    const s = layer.style || {};
    if (layer.geometry_type === "Raster" && s.colormap) {
      const stops = Object.values(s.colormap);
      return `background: linear-gradient(90deg, ${stops.join(", ")})`;
    }
    const raw = typeof vectorStyle(layer) === "function" ? [].concat(vectorStyle(layer)({}, 16)) : [vectorStyle(layer)];
    const st = raw[raw.length - 1];
    const g = layer.geometry_type || "";
    if (raw.length > 1) return `background: ${st.color}; height: .5rem; border: 1px solid ${raw[0].color}`;
    if (g.indexOf("Line") >= 0) return `background: ${st.color}; height: .25rem; border: 0; margin: .3rem 0`;
    if (g.indexOf("Point") >= 0) return `background: ${st.fillColor}; border: 2px solid ${st.color}; border-radius: 50%`;
    return `background: ${st.fillColor || "transparent"}; border: 2px solid ${st.color}`;
  }

  const loadingLayers = new Set();
  function watchLoading(leafletLayer) {
    leafletLayer.on("loading", () => { loadingLayers.add(leafletLayer); $("map-loading").hidden = false; });
    leafletLayer.on("load remove", () => { loadingLayers.delete(leafletLayer); $("map-loading").hidden = loadingLayers.size === 0; });
  }

  // The basemap's vector layers come in ONE tile request (/tiles/a,b,c/z/x/y.mvt): a quarter of
  // the requests a phone would otherwise make. Drawn bottom-up in basemap.js's ORDER.
  const basemapSlugs = new Set();
  let basemapLayer = null;
  let basemapPending = false;
  function rebuildBasemap() {
    basemapPending = false;
    if (basemapLayer) { map.removeLayer(basemapLayer); basemapLayer = null; }
    const slugs = window.geoportalBasemap.sortSlugs(basemapSlugs);
    if (!slugs.length) { $("map-loading").hidden = loadingLayers.size === 0; return; }
    const styles = {};
    slugs.forEach((slug) => {
      const st = vectorStyle(layersBySlug[slug]);
      styles[slug] = (props, z) => { props.__layer = slug; return typeof st === "function" ? st(props, z) : st; };
    });
    const url = window.geoportalBasemap.combinedUrl(layersBySlug[slugs[0]].tiles[0], slugs[0], slugs);
    basemapLayer = L.vectorGrid.protobuf(url, {
      vectorTileLayerStyles: styles, interactive: true, maxNativeZoom: 20, maxZoom: 20,
      getFeatureId: (f) => { f.properties.__fid = f.id; return f.id; },
    });
    basemapLayer.on("click", (e) => {
      if (window.geoportalTool && window.geoportalTool()) return;
      const layer = layersBySlug[e.layer.properties.__layer];
      if (!layer || layer.slug === "hromada-boundary" || layer.slug === "settlements") return;  // let the map have it
      L.DomEvent.stop(e);
      showFeature(layer, e.layer.properties, e.latlng);
    });
    watchLoading(basemapLayer);
    basemapLayer.setZIndex(100);
    basemapLayer.addTo(map);
  }
  function scheduleBasemap() {
    if (basemapPending) return;
    basemapPending = true;
    setTimeout(rebuildBasemap, 0);  // several toggles in one tick give one rebuild
  }

  function addLayer(layer) {
    if (active[layer.slug]) return;
    let leafletLayer;
    if (layer.is_basemap && layer.geometry_type !== "Raster") {
      basemapSlugs.add(layer.slug);
      active[layer.slug] = { basemap: true };
      scheduleBasemap();
      $("map-loading").hidden = false;
      return afterToggle(layer.slug, true);
    }
    if (layer.geometry_type === "Raster") {
      leafletLayer = L.tileLayer(layer.tiles[0], { opacity: opacity[layer.slug] ?? 0.7, maxZoom: 20 });
      let warned = false;
      leafletLayer.on("tileerror", () => {
        if (warned) return;
        warned = true;
        const row = document.querySelector(`input[data-slug="${layer.slug}"]`);
        const note = document.createElement("p");
        note.className = "error layer-note";
        note.textContent = t("Частина зображення шару недоступна", "Part of this layer's imagery is unavailable");
        if (row) row.closest(".layer-row").appendChild(note);
      });
    } else {
      const styles = {};
      styles[layer.slug] = vectorStyle(layer);
      leafletLayer = L.vectorGrid.protobuf(layer.tiles[0], {
        vectorTileLayerStyles: styles, interactive: true, maxNativeZoom: 20, maxZoom: 20,
        getFeatureId: (f) => { f.properties.__fid = f.id; return f.id; },
      });
      leafletLayer.on("click", (e) => {
        if (window.geoportalTool && window.geoportalTool()) return;  // measuring: the map gets it
        L.DomEvent.stop(e);
        showFeature(layer, e.layer.properties, e.latlng);
      });
      if (opacity[layer.slug] !== undefined) leafletLayer.setOpacity(opacity[layer.slug]);
    }
    watchLoading(leafletLayer);
    leafletLayer.setZIndex(400 + (200 - (layer.sort_order || 0)));
    active[layer.slug] = leafletLayer.addTo(map);
    afterToggle(layer.slug, true);
  }

  function removeLayer(slug) {
    if (active[slug] && active[slug].basemap) { basemapSlugs.delete(slug); scheduleBasemap(); }
    else if (active[slug]) map.removeLayer(active[slug]);
    delete active[slug];
    afterToggle(slug, false);
  }

  function afterToggle(slug, on) {
    if (slug === "streets") updateLabels();
    const box = document.querySelector(`input[data-slug="${slug}"]`);
    if (box) { box.checked = on; box.closest(".layer-row").classList.toggle("on", on); }
    updateHash();
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function formatValue(v, unit) {
    if (typeof v === "number") v = v.toLocaleString(en ? "en" : "uk", { maximumFractionDigits: 4 });
    return escapeHtml(v) + (unit ? " " + escapeHtml(unit) : "");
  }

  function openInfo(html) {
    $("info-body").innerHTML = html;
    $("info").hidden = false;
    $("info").focus();
  }
  function closeInfo() {
    $("info").hidden = true;
    selected = null;
    if (highlight) { map.removeLayer(highlight); highlight = null; }
    updateHash();
  }
  $("info-close").addEventListener("click", closeInfo);

  function showFeature(layer, props, latlng) {
    selected = { slug: layer.slug, fid: props.__fid };
    updateHash();
    if (layer.slug === "parcels" && props.__fid !== undefined) { showParcelCard(props.__fid); return; }
    const rows = (layer.attributes || []).map((a) => {
      const v = props[a.name];
      if (v === undefined || v === null || v === "") return "";
      const title = (en ? a.title_en : a.title_uk) || a.name;
      return `<tr><th scope="row">${escapeHtml(title)}</th><td>${formatValue(v, a.unit)}</td></tr>`;
    }).join("");
    openInfo(`<h3>${escapeHtml(layer.title)}</h3>` +
      (rows ? `<table>${rows}</table>` : `<p class="empty">${t("Немає атрибутів", "No attributes")}</p>`));
    if (latlng && layer.geometry_type.indexOf("Point") >= 0) flashAt(latlng);
  }

  function flashAt(latlng) {
    if (highlight) map.removeLayer(highlight);
    highlight = L.circleMarker(latlng, { radius: 12, color: "#005bbb", weight: 3, fill: false }).addTo(map);
  }

  function showParcelCard(fid) {
    openInfo(`<p class="loading">${t("Завантаження…", "Loading…")}</p>`);
    fetch(config.cardUrl.replace("{fid}", fid), { credentials: "same-origin" })
      .then((r) => r.json().then((j) => { if (!r.ok) throw new Error(j.detail || r.status); return j; }))
      .then((card) => {
        const rows = card.attributes.filter((a) => a.value !== null && a.value !== "").map((a) =>
          `<tr><th scope="row">${escapeHtml(a.title)}</th><td>${formatValue(a.value, a.unit)}</td></tr>`).join("");
        const zones = card.zones.length ? card.zones.map((z) =>
          `<li><strong>${escapeHtml(z.code || "")}</strong> ${escapeHtml(z.name || "")}` +
          (z.share !== null && z.share < 0.99 ? ` (${Math.round(z.share * 100)}%)` : "") +
          (z.plan_name ? `<br><small>${escapeHtml(z.plan_name)}${z.approved ? ", " + escapeHtml(z.approved) : ""}</small>` : "") +
          `</li>`).join("") : `<li class="empty">${t("Поза зонами генплану", "Outside master-plan zones")}</li>`;
        openInfo(`<h3>${t("Земельна ділянка", "Land parcel")}</h3>` +
          `<p class="cadnum">${escapeHtml(card.cadnum || "")}</p><table>${rows}</table>` +
          `<h4>${t("Функціональна зона генплану", "Master-plan zone")}</h4><ul class="zones">${zones}</ul>`);
        if (highlight) map.removeLayer(highlight);
        const b = card.bbox;
        highlight = L.rectangle([[b[1], b[0]], [b[3], b[2]]], { color: "#005bbb", weight: 2, fill: false, dashArray: "4 3", interactive: false }).addTo(map);
      })
      .catch((err) => openInfo(`<p class="error">${t("Не вдалося отримати дані ділянки", "Could not load the parcel")}: ${escapeHtml(err.message)}</p>`));
  }

  // --- street labels: fetched once, shown at z16+ while the streets layer is on -------------
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  const labelGroup = L.layerGroup();
  const ABBR = [[/^вулиця /i, "вул. "], [/^провулок /i, "пров. "], [/^проспект /i, "просп. "], [/^площа /i, "пл. "], [/^бульвар /i, "бульв. "], [/^тупик /i, "туп. "]];
  function loadLabels() {
    fetch(config.labelsUrl, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : { labels: [] })).then((data) => {
      data.labels.forEach((l) => {
        let name = l.name;
        ABBR.forEach(([re, short]) => { name = name.replace(re, short); });
        const icon = L.divIcon({ className: "street-label", iconSize: null,
          html: `<span style="transform: translate(-50%, -50%) rotate(${l.angle}deg)">${escapeHtml(name)}</span>` });
        L.marker([l.lat, l.lon], { icon, pane: "labels", interactive: false, keyboard: false }).addTo(labelGroup);
      });
      updateLabels();
    }).catch(() => {});
  }
  function updateLabels() {
    const show = map.getZoom() >= 16 && !!active.streets;
    if (show && !map.hasLayer(labelGroup)) labelGroup.addTo(map);
    if (!show && map.hasLayer(labelGroup)) map.removeLayer(labelGroup);
  }
  map.on("zoomend", updateLabels);

  // --- the permalink's selected feature: reopen its info after a reload -----------------------
  function restoreFeature(f) {
    if (f.slug === "parcels") { selected = f; showParcelCard(f.fid); return; }
    const layer = layersBySlug[f.slug];
    if (!layer) return;  // not visible to this user: the link shows the map only
    fetch(config.featureUrl.replace("{slug}", f.slug).replace("{fid}", f.fid), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((info) => {
        if (!info) return;
        showFeature(layer, { ...info.properties, __fid: info.fid }, L.latLng(info.center[1], info.center[0]));
      });
  }

  // --- layer panel -------------------------------------------------------------------------
  function groupOf(layer) {
    const byStyle = layer.style && layer.style.panel_group;
    if (byStyle) return byStyle;
    const g = config.groups.find((gr) => gr.slugs.indexOf(layer.slug) >= 0);
    if (g) return g.key;
    const byCat = config.groups.find((gr) => gr.key === layer.category);
    return byCat ? byCat.key : "other:" + layer.category;
  }

  function buildPanel(layers) {
    const list = $("layer-list");
    list.innerHTML = "";
    const groups = {};
    layers.forEach((l) => { (groups[groupOf(l)] = groups[groupOf(l)] || []).push(l); });
    const order = config.groups.map((g) => [g.key, g.title]);
    Object.keys(groups).filter((k) => k.startsWith("other:")).forEach((k) =>
      order.push([k, config.categories[k.slice(6)] || k.slice(6)]));
    order.forEach(([key, title]) => {
      if (!groups[key]) return;
      const details = document.createElement("details");
      details.className = "group";
      details.dataset.group = key;
      details.open = ["cadastre", "masterplan", "transport"].indexOf(key) >= 0;
      details.innerHTML = `<summary>${escapeHtml(title)} <span class="count">${groups[key].length}</span></summary>`;
      groups[key].forEach((l) => details.appendChild(layerRow(l)));
      list.appendChild(details);
    });
  }

  function layerRow(l) {
    const row = document.createElement("div");
    row.className = active[l.slug] ? "layer-row on" : "layer-row";
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.slug = l.slug;
    box.checked = !!active[l.slug];
    box.addEventListener("change", () => (box.checked ? addLayer(l) : removeLayer(l.slug)));
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.setAttribute("aria-hidden", "true");
    sw.style.cssText = swatchCss(l);
    const name = document.createElement("span");
    name.textContent = l.title;
    label.append(box, sw, name);
    if (l.access !== "public") {
      const lock = document.createElement("span");
      lock.className = "badge";
      lock.textContent = t("службовий", "staff");
      label.append(lock);
    }
    const slider = document.createElement("input");
    slider.type = "range"; slider.min = "0"; slider.max = "100";
    slider.value = String(Math.round((opacity[l.slug] ?? (l.geometry_type === "Raster" ? 0.7 : 1)) * 100));
    slider.className = "opacity";
    slider.setAttribute("aria-label", t("Прозорість шару ", "Opacity of ") + l.title);
    slider.addEventListener("input", () => {
      opacity[l.slug] = Number(slider.value) / 100;
      if (active[l.slug]) active[l.slug].setOpacity(opacity[l.slug]);
    });
    row.append(label);
    if (!(l.is_basemap && l.geometry_type !== "Raster")) row.append(slider);  // basemap: one layer
    return row;
  }

  // --- permalink: #map=z/lat/lon&layers=a,b&f=slug:fid ---------------------------------------
  let hashReady = false;
  function updateHash() {
    if (!hashReady) return;
    const c = map.getCenter();
    const slugs = Object.keys(active).concat([...overlays]);
    let h = `#map=${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}&layers=${slugs.join(",")}`;
    if (selected && selected.fid !== undefined) h += `&f=${selected.slug}:${selected.fid}`;
    if (location.hash !== h) history.replaceState(null, "", h);
  }
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const out = {};
    const m = (params.get("map") || "").split("/").map(Number);
    if (m.length === 3 && m.every((v) => !isNaN(v))) out.view = { zoom: m[0], center: [m[1], m[2]] };
    if (params.has("layers")) out.layers = params.get("layers").split(",").filter(Boolean);
    const f = (params.get("f") || "").split(":");
    if (f.length === 2 && f[1]) out.feature = { slug: f[0], fid: Number(f[1]) };
    return out;
  }
  map.on("moveend", updateHash);
  // The print stylesheet hides the panel: let the map fill the page before it is printed.
  window.addEventListener("beforeprint", () => map.invalidateSize());
  window.matchMedia("print").addEventListener("change", () => map.invalidateSize());

  // --- search ---------------------------------------------------------------------------------
  const KIND_TITLES = { parcel: t("ділянка", "parcel"), address: t("адреса", "address"), street: t("вулиця", "street"),
    landmark: t("орієнтир", "landmark"), facility: t("заклад", "facility"), feature: t("об'єкт", "feature") };
  let searchTimer = null;
  let searchSeq = 0;
  function runSearch(q) {
    const box = $("search-results");
    if (q.trim().length < 2) { box.innerHTML = ""; box.hidden = true; return; }
    const seq = ++searchSeq;
    box.hidden = false;
    box.innerHTML = `<li class="loading">${t("Пошук…", "Searching…")}</li>`;
    fetch(`${config.searchUrl}?q=${encodeURIComponent(q)}&limit=10`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((data) => {
        if (seq !== searchSeq) return;
        if (!data.results.length) { box.innerHTML = `<li class="empty">${t("Нічого не знайдено", "Nothing found")}</li>`; return; }
        box.innerHTML = "";
        data.results.forEach((res) => {
          const li = document.createElement("li");
          const b = document.createElement("button");
          b.type = "button";
          b.className = "result";
          b.innerHTML = `<span class="label">${escapeHtml(res.label)}</span><small>${escapeHtml(KIND_TITLES[res.kind] || res.kind)} · ${escapeHtml(res.layer_title)}</small>`;
          b.addEventListener("click", () => goTo(res));
          li.appendChild(b);
          box.appendChild(li);
        });
      })
      .catch((err) => { if (seq === searchSeq) box.innerHTML = `<li class="error">${t("Пошук недоступний", "Search unavailable")} (${escapeHtml(err.message)})</li>`; });
  }
  function goTo(res) {
    const b = res.bbox;
    if (b && (b[2] - b[0] > 1e-5 || b[3] - b[1] > 1e-5)) map.flyToBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 18, duration: 0.6 });
    else map.flyTo([res.center[1], res.center[0]], 18, { duration: 0.6 });
    const layer = layersBySlug[res.layer];
    if (layer && !active[res.layer]) addLayer(layer);
    flashAt(L.latLng(res.center[1], res.center[0]));
    selected = { slug: res.layer, fid: res.fid };
    if (res.layer === "parcels") showParcelCard(res.fid);
    $("search-results").hidden = true;
    window.geoportalLastSearch = res;
  }
  $("search-input").addEventListener("input", (e) => { clearTimeout(searchTimer); searchTimer = setTimeout(() => runSearch(e.target.value), 250); });
  // Keyboard: ArrowDown from the box into the results, arrows between them, Escape closes.
  $("search-form").addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const buttons = [...document.querySelectorAll("#search-results button.result")];
    if (!buttons.length) return;
    e.preventDefault();
    const i = buttons.indexOf(document.activeElement);
    if (e.key === "ArrowDown") buttons[Math.min(i + 1, buttons.length - 1)].focus();
    else if (i <= 0) $("search-input").focus();
    else buttons[i - 1].focus();
  });
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(searchTimer);
    const first = document.querySelector("#search-results button.result");
    if (first) first.click(); else runSearch($("search-input").value);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { $("search-results").hidden = true; if (!$("info").hidden) closeInfo(); }
  });

  $("panel-toggle").addEventListener("click", () => {
    const open = $("panel").classList.toggle("open");
    $("panel-toggle").setAttribute("aria-expanded", String(open));
  });

  // --- start ----------------------------------------------------------------------------------
  const start = readHash();
  if (start.view) map.setView(start.view.center, start.view.zoom);
  fetch(config.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then((layers) => {
      layers.forEach((l) => { layersBySlug[l.slug] = l; });
      const initial = start.layers || layers.filter((l) => l.is_basemap || l.slug === "parcels").map((l) => l.slug);
      initial.forEach((slug) => { if (layersBySlug[slug]) addLayer(layersBySlug[slug]); });
      buildPanel(layers);
      if (layersBySlug.streets) loadLabels();
      if (external) L.control.layers({}, { [t("Зовнішня підкладка (OSM)", "External basemap (OSM)")]: external }, { position: "topright" }).addTo(map);
      hashReady = true;
      if (start.feature) restoreFeature(start.feature);
      updateHash();
      window.geoportalReady = true;
      document.dispatchEvent(new CustomEvent("geoportal:ready"));
    })
    .catch((err) => {
      $("layer-list").innerHTML = `<p class="error">${t("Не вдалося завантажити шари. Оновіть сторінку.", "Could not load layers. Please reload.")} (${escapeHtml(String(err.message || err))})</p>`;
    });

  window.geoportal = { map, config, active, overlays, layersBySlug, addLayer, removeLayer, openInfo, escapeHtml, t, showParcelCard, formatValue, updateHash };
})();
