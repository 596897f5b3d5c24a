/* The web map core: createMap(config, start) draws the portal's own basemap from its
 * topographic layers (one combined tile request), switches catalogue layers on and off, shows a
 * clicked feature or parcel card in the info panel and keeps the permalink. It returns the small
 * API the other modules receive (panel.js, search.js, tools.js, snapshot.js, reports-layer.js);
 * main.js wires them. Layers are known by role (config.roles = {role: slug}), never by slug.
 * Vector layers are protomaps-leaflet canvas layers (basemap.js); a click picks the feature
 * under the pointer from the tiles already loaded (points first, then a polygon under the pointer, then lines near it). */

import { sortSlugs, combinedUrl, roleOf, tileLayer, TOWN_MAP_ROLES } from "./basemap.js";
import { createInfo } from "./info.js";
import { formatHash } from "./permalink.js";
import { vectorStyle } from "./styles.js";
import { byId } from "./util.js";

const PICK_RADIUS = 10;  // px around the pointer that count as a hit on a point or a line
// A4 portrait inside the print stylesheet's 10 mm margins, in CSS px (96 dpi), a little short
// of the page so rounding never spills onto a second one.
const PRINT_PAGE = { width: 718, height: 1036 };
const GEOM_RANK = { 1: 0, 3: 1, 2: 2 };  // MVT point, then a polygon under the pointer, then a line near it

function makeLeaflet(config, start) {
  const map = L.map("map", { zoomControl: true, minZoom: 8, maxZoom: 20 })
    .setView([config.center[1], config.center[0]], config.zoom);
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (start.view) map.setView(start.view.center, start.view.zoom);
  // The print stylesheet hides the panel: let the map fill the page before it is printed.
  window.addEventListener("beforeprint", () => map.invalidateSize());
  window.matchMedia("print").addEventListener("change", () => map.invalidateSize());
  return map;
}

/* "Loading the map…" while any tile layer is loading. */
function createLoading() {
  const busy = new Set();
  const el = byId("map-loading");
  return {
    watch(layer) {
      layer.on("loading", () => { busy.add(layer); el.hidden = false; });
      layer.on("load remove", () => { busy.delete(layer); el.hidden = busy.size === 0; });
    },
    show() { el.hidden = false; },
    settle() { el.hidden = busy.size === 0; },
  };
}

/* The basemap's vector layers come in ONE tile request (/tiles/a,b,c/z/x/y.mvt): a quarter of
 * the requests a phone would otherwise make. Drawn bottom-up in basemap.js's ORDER. */
function createCombinedBasemap(webmap) {
  const slugs = new Set();
  let layer = null;
  let pending = false;
  function rebuild() {
    pending = false;
    if (layer) { webmap.map.removeLayer(layer); layer = null; }
    const ordered = sortSlugs(slugs, webmap.roles);
    if (!ordered.length) { webmap.loading.settle(); return; }
    const entries = ordered.map((slug) => ({ slug, style: vectorStyle(webmap.layers.get(slug), webmap.roles),
      minzoom: webmap.layers.get(slug).min_zoom }));
    const url = combinedUrl(webmap.layers.get(ordered[0]).tiles[0], ordered[0], ordered);
    layer = tileLayer(url, entries, { language: webmap.config.language, places: webmap.places, roles: webmap.roles });
    layer.pickable = ordered.filter((slug) => slug !== webmap.roles.boundary && slug !== webmap.roles.settlements);
    webmap.loading.watch(layer);
    layer.setZIndex(100);
    layer.addTo(webmap.map);
  }
  function relabel() {
    if (layer) { layer.clearLayout(); layer.rerenderTiles(); }
  }
  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(rebuild, 0);  // several toggles in one tick give one rebuild
  }
  return {
    add(slug) { slugs.add(slug); schedule(); webmap.loading.show(); },
    remove(slug) { slugs.delete(slug); schedule(); },
    relabel,
    layer: () => layer,
  };
}

class WebMap {
  constructor(config, start) {
    this.config = config;
    this.roles = config.roles || {};
    this.start = start;
    this.map = makeLeaflet(config, start);
    this.layers = new Map();    // slug -> layer of the layers API (what this user may see)
    this.active = new Map();    // slug -> Leaflet layer, catalogue layers switched on, in order
    this.overlays = new Set();  // keys of other switched-on overlays (reports), kept in layers=
    this.opacity = {};          // slug -> 0..1
    this.selected = null;       // {slug, fid}
    this.hashReady = false;
    this.tool = false;          // a planner tool takes the map's clicks
    this.listeners = { toggle: [], tileerror: [] };
    this.loading = createLoading();
    this.basemap = createCombinedBasemap(this);
    this.info = createInfo(this.map, config, () => { this.selected = null; this.updateHash(); });
    this.places = {};           // settlement fid -> [lon, lat]: one name label per settlement
    this.map.on("moveend", () => this.updateHash());
    this.map.on("click", (e) => this.pick(e));
    this.ready = this.load();
  }

  on(type, fn) { this.listeners[type].push(fn); }
  emit(type, ...args) { this.listeners[type].forEach((fn) => fn(...args)); }

  load() {
    return fetch(this.config.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((layers) => { this.loaded(layers); return layers; });
  }

  loaded(layers) {
    layers.forEach((l) => this.layers.set(l.slug, l));
    // the town map: the basemap, the parcels and the named places people look for
    const named = [this.roles.parcels, this.roles.facilities, this.roles.stops];
    const initial = this.start.layers ||
      layers.filter((l) => l.is_basemap || named.indexOf(l.slug) >= 0).map((l) => l.slug);
    initial.forEach((slug) => { if (this.layers.has(slug)) this.addLayer(this.layers.get(slug)); });
    if (this.layers.has(this.roles.settlements)) this.loadPlaces();
    if (this.config.basemapUrl) {
      const external = L.tileLayer(this.config.basemapUrl, { attribution: this.config.basemapAttribution, maxZoom: 19, opacity: 0.6 });
      L.control.layers({}, { [gettext("Зовнішня підкладка (OSM)")]: external }, { position: "topright" }).addTo(this.map);
    }
    this.hashReady = true;
    if (this.start.feature) this.restoreFeature(this.start.feature);
    this.updateHash();
  }

  addLayer(layer) {
    if (!layer || this.active.has(layer.slug)) return;
    if (this.inBasemap(layer)) {
      this.active.set(layer.slug, null);
      this.basemap.add(layer.slug);
      return this.afterToggle(layer.slug, true);
    }
    const leafletLayer = layer.geometry_type === "Raster" ? this.rasterLayer(layer) : this.vectorLayer(layer);
    this.loading.watch(leafletLayer);
    leafletLayer.setZIndex(400 + (200 - (layer.sort_order || 0)));
    this.active.set(layer.slug, leafletLayer.addTo(this.map));
    this.afterToggle(layer.slug, true);
  }

  /* Drawn in the combined basemap layer: the topographic layers and the named places (stops,
   * facilities), so all their labels share one layout and never overlap. */
  inBasemap(layer) {
    return layer.geometry_type !== "Raster" && (layer.is_basemap || TOWN_MAP_ROLES.indexOf(roleOf(this.roles, layer.slug)) >= 0);
  }

  rasterLayer(layer) {
    const tiles = L.tileLayer(layer.tiles[0], { opacity: this.opacity[layer.slug] ?? 0.7, maxZoom: 20 });
    tiles.once("tileerror", () => this.emit("tileerror", layer.slug));
    return tiles;
  }

  vectorLayer(layer) {
    const tiles = tileLayer(layer.tiles[0], [{ slug: layer.slug, style: vectorStyle(layer, this.roles), minzoom: layer.min_zoom }],
      { language: this.config.language, minZoom: layer.min_zoom });
    tiles.pickable = [layer.slug];
    if (this.opacity[layer.slug] !== undefined) tiles.setOpacity(this.opacity[layer.slug]);
    return tiles;
  }

  /* The anchors of settlement names (the point on each whole settlement, from the labels API). */
  loadPlaces() {
    fetch(`${this.config.labelsUrl}?only=places`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : {}))
      .then((data) => {
        (data.places || []).forEach((p) => { this.places[p.fid] = [p.lon, p.lat]; });
        this.basemap.relabel();
      })
      .catch(() => {});
  }

  /* The feature under a click, from the topmost vector layer that has one there. */
  pickAt(latlng) {
    const candidates = [...this.active.values()].filter((l) => l && l.pickable);
    const base = this.basemap.layer();
    if (base) candidates.push(base);
    candidates.sort((a, b) => (b.options.zIndex || 0) - (a.options.zIndex || 0));
    for (const tiles of candidates) {
      const hits = [];
      tiles.queryTileFeaturesDebug(latlng.lng, latlng.lat, PICK_RADIUS).forEach((picked) => hits.push(...picked));
      const mine = hits.filter((h) => tiles.pickable.indexOf(h.layerName) >= 0)
        .sort((a, b) => GEOM_RANK[a.feature.geomType] - GEOM_RANK[b.feature.geomType] ||
          tiles.pickable.indexOf(b.layerName) - tiles.pickable.indexOf(a.layerName));
      if (mine.length) return mine[0];
    }
    return null;
  }

  pick(e) {
    if (this.tool) return;  // measuring: the tool has the click
    const hit = this.pickAt(e.latlng);
    if (!hit) return;
    const layer = this.layers.get(hit.layerName);
    if (!layer) return;
    const props = { ...hit.feature.props, __fid: hit.feature.id };
    delete props.__label;
    this.showFeature(layer, props, e.latlng);
  }

  removeLayer(slug) {
    if (this.active.get(slug)) this.map.removeLayer(this.active.get(slug));
    else if (this.active.has(slug)) this.basemap.remove(slug);
    this.active.delete(slug);
    this.afterToggle(slug, false);
  }

  setOpacity(slug, value) {
    this.opacity[slug] = value;
    if (this.active.get(slug)) this.active.get(slug).setOpacity(value);
  }

  /* Give the map the printed page's shape and resolve once every tile of it is drawn, so the
   * print has no empty band where tiles were never requested; restored after printing. */
  preparePrint() {
    const el = this.map.getContainer();
    const centre = this.map.getCenter();
    const zoom = this.map.getZoom();
    const fit = () => { this.map.invalidateSize({ pan: false }); this.map.setView(centre, zoom, { animate: false }); };
    Object.assign(el.style, { right: "auto", bottom: "auto", width: `${PRINT_PAGE.width}px`, height: `${PRINT_PAGE.height}px` });
    fit();
    window.addEventListener("afterprint", () => {
      ["right", "bottom", "width", "height"].forEach((k) => { el.style[k] = ""; });
      fit();
    }, { once: true });
    const layers = () => [this.basemap.layer(), ...this.active.values()].filter((l) => l && l.isLoading);
    return new Promise((resolve) => {
      const started = performance.now();
      const poll = () => {
        const busy = layers().some((l) => l.isLoading()) || !byId("map-loading").hidden;
        if (!busy || performance.now() - started > 10000) setTimeout(resolve, 150);  // labels settle
        else setTimeout(poll, 100);
      };
      setTimeout(poll, 50);
    });
  }

  /* Layers switched on that draw nothing at this zoom: {slug: the zoom they start at}. */
  hiddenByZoom() {
    const z = this.map.getZoom();
    const out = {};
    this.active.forEach((_, slug) => {
      const l = this.layers.get(slug);
      if (l && l.min_zoom && z < l.min_zoom) out[slug] = l.min_zoom;
    });
    return out;
  }

  setOverlay(key, on) {
    if (on) this.overlays.add(key); else this.overlays.delete(key);
    this.updateHash();
  }

  afterToggle(slug, on) {
    this.emit("toggle", slug, on);
    this.updateHash();
  }

  select(slug, fid) {
    this.selected = { slug, fid };
    this.updateHash();
  }

  showFeature(layer, props, latlng) {
    this.select(layer.slug, props.__fid);
    if (layer.slug === this.roles.parcels && props.__fid !== undefined) this.info.showParcelCard(props.__fid);
    else this.info.showAttributes(layer, props, latlng);
  }

  /* The permalink's selected feature: reopen its info after a reload. */
  restoreFeature(f) {
    if (f.slug === this.roles.parcels) { this.selected = f; this.info.showParcelCard(f.fid); return; }
    const layer = this.layers.get(f.slug);
    if (!layer) return;  // not visible to this user: the link shows the map only
    fetch(this.config.featureUrl.replace("{slug}", f.slug).replace("{fid}", f.fid), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((info) => {
        if (info) this.showFeature(layer, { ...info.properties, __fid: info.fid }, L.latLng(info.center[1], info.center[0]));
      });
  }

  updateHash() {
    if (!this.hashReady) return;
    const h = formatHash(this.map.getCenter(), this.map.getZoom(), [...this.active.keys(), ...this.overlays], this.selected);
    if (location.hash !== h) history.replaceState(null, "", h);
  }
}

/* The web map on #map. `start` is readHash(location.hash) of the page's first address. */
export function createMap(config, start = {}) {
  const m = new WebMap(config, start);
  return Object.freeze({
    leaflet: m.map,
    config,
    roles: m.roles,
    ready: m.ready,           // resolves with the layers API answer once the start layers are on
    layer: (slug) => m.layers.get(slug),
    layers: () => [...m.layers.values()],
    activeSlugs: () => [...m.active.keys()],
    isActive: (slug) => m.active.has(slug),
    addLayer: (layer) => m.addLayer(typeof layer === "string" ? m.layers.get(layer) : layer),
    removeLayer: (slug) => m.removeLayer(slug),
    opacity: (slug) => m.opacity[slug],
    setOpacity: (slug, value) => m.setOpacity(slug, value),
    addOverlay: (key) => m.setOverlay(key, true),
    removeOverlay: (key) => m.setOverlay(key, false),
    select: (slug, fid) => m.select(slug, fid),
    openInfo: (html) => m.info.open(html),
    showParcelCard: (fid) => m.info.showParcelCard(fid),
    flashAt: (latlng) => m.info.flashAt(latlng),
    setTool: (on) => { m.tool = !!on; },
    hiddenByZoom: () => m.hiddenByZoom(),
    preparePrint: () => m.preparePrint(),  // resolves when the page-shaped map is drawn
    pickAt: (latlng) => m.pickAt(L.latLng(latlng)),
    on: (type, fn) => m.on(type, fn),  // "toggle" (slug, on), "tileerror" (slug)
  });
}
