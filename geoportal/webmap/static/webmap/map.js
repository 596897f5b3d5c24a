/* The web map: layers from /api/v1/layers/, drawn from the portal's own vector tiles.
 * The basemap is made of the portal's topographic layers (boundary, settlements, streets,
 * buildings), so the map works with no internet; an external basemap is configuration. */
(function () {
  "use strict";
  if (!L.DomEvent.fakeStop) { L.DomEvent.fakeStop = function (e) { L.DomEvent.stopPropagation(e); }; }

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const en = config.language === "en";
  const map = L.map("map", { zoomControl: true, preferCanvas: false })
    .setView([config.center[1], config.center[0]], config.zoom);
  window.geoportalMap = map;
  L.control.scale({ imperial: false }).addTo(map);
  if (config.basemapUrl) {
    L.tileLayer(config.basemapUrl, { attribution: config.basemapAttribution, maxZoom: 19 }).addTo(map);
  }

  const active = {};       // slug -> Leaflet layer
  const layersBySlug = {};

  function vectorStyle(layer) {
    const s = layer.style || {};
    const color = s.color || "#3388ff";
    const geom = layer.geometry_type || "";
    if (geom.indexOf("Point") >= 0) {
      return { radius: s.radius || 4, weight: 1, color: s.strokeColor || "#fff", fill: true,
               fillColor: s.fillColor || color, fillOpacity: s.fillOpacity ?? 0.9 };
    }
    if (geom.indexOf("Line") >= 0) {
      return { weight: s.weight || 2, color: color, opacity: s.opacity ?? 0.9 };
    }
    return { weight: s.weight ?? 1, color: color, fill: true, fillColor: s.fillColor || color,
             fillOpacity: s.fillOpacity ?? 0.3 };
  }

  function addLayer(layer) {
    if (active[layer.slug]) return;
    let leafletLayer;
    if (layer.geometry_type === "Raster") {
      leafletLayer = L.tileLayer(layer.tiles[0], { opacity: 0.7, maxZoom: 22, minZoom: layer.min_zoom });
    } else {
      const styles = {};
      styles[layer.slug] = vectorStyle(layer);
      leafletLayer = L.vectorGrid.protobuf(layer.tiles[0], {
        vectorTileLayerStyles: styles,
        interactive: true,
        maxNativeZoom: 22,
        minZoom: layer.min_zoom,
        getFeatureId: (f) => f.properties.fid,
      });
      leafletLayer.on("click", (e) => { L.DomEvent.stop(e); showFeature(layer, e.layer.properties); });
    }
    leafletLayer.setZIndex(1000 - (layer.sort_order || 0));
    active[layer.slug] = leafletLayer.addTo(map);
  }

  function removeLayer(slug) {
    if (active[slug]) { map.removeLayer(active[slug]); delete active[slug]; }
  }

  function showFeature(layer, props) {
    const body = document.getElementById("info-body");
    const rows = (layer.attributes || []).map((a) => {
      const v = props[a.name];
      if (v === undefined || v === null || v === "") return "";
      const title = (en ? a.title_en : a.title_uk) || a.name;
      return `<tr><th>${escapeHtml(title)}</th><td>${escapeHtml(String(v))}${a.unit ? " " + escapeHtml(a.unit) : ""}</td></tr>`;
    }).join("");
    body.innerHTML = `<h3>${escapeHtml(layer.title)}</h3><table>${rows}</table>`;
    document.getElementById("info").hidden = false;
  }
  document.getElementById("info-close").addEventListener("click", () => { document.getElementById("info").hidden = true; });

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function buildPanel(layers) {
    const list = document.getElementById("layer-list");
    list.innerHTML = "";
    const groups = {};
    layers.forEach((l) => { (groups[l.category] = groups[l.category] || []).push(l); });
    Object.keys(config.categories).forEach((cat) => {
      if (!groups[cat]) return;
      const details = document.createElement("details");
      details.open = groups[cat].some((l) => l.is_basemap) || cat === "cadastre";
      details.innerHTML = `<summary>${escapeHtml(config.categories[cat])}</summary>`;
      groups[cat].forEach((l) => {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.dataset.slug = l.slug;
        box.checked = l.is_basemap;
        box.addEventListener("change", () => (box.checked ? addLayer(l) : removeLayer(l.slug)));
        const sw = document.createElement("span");
        sw.className = "swatch";
        sw.style.background = (l.style && (l.style.fillColor || l.style.color)) || "#3388ff";
        label.append(box, sw, document.createTextNode(l.title));
        details.appendChild(label);
      });
      list.appendChild(details);
    });
  }

  fetch(config.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then((layers) => {
      layers.forEach((l) => { layersBySlug[l.slug] = l; });
      buildPanel(layers);
      layers.filter((l) => l.is_basemap).forEach(addLayer);
      window.geoportalReady = true;
    })
    .catch((err) => {
      document.getElementById("layer-list").innerHTML =
        `<p class="error">${en ? "Could not load layers" : "Не вдалося завантажити шари"} (${escapeHtml(String(err))})</p>`;
    });
})();
