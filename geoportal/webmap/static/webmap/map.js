/* The web map core: createMap(config, start) draws the portal's own basemap from its
 * topographic layers (one combined tile request), switches catalogue layers on and off, shows a
 * clicked feature or parcel card in the info panel and keeps the permalink. It returns the small
 * API the other modules receive (panel.js, search.js, tools.js, snapshot.js, reports-layer.js);
 * main.js wires them. Layers are known by role (config.roles = {role: slug}), never by slug. */

import { sortSlugs, combinedUrl } from "./basemap.js";
import { createInfo } from "./info.js";
import { createStreetLabels } from "./labels.js";
import { formatHash } from "./permalink.js";
import { vectorStyle } from "./styles.js";
import { byId } from "./util.js";

// VectorGrid 1.3 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed.
if (!L.DomEvent.fakeStop) L.DomEvent.fakeStop = (e) => L.DomEvent.stopPropagation(e);

const VECTOR_OPTIONS = { interactive: true, maxNativeZoom: 20, maxZoom: 20 };

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
    const styles = {};
    ordered.forEach((slug) => {
      const st = vectorStyle(webmap.layers.get(slug), webmap.roles);
      styles[slug] = (props, z) => { props.__layer = slug; return typeof st === "function" ? st(props, z) : st; };
    });
    const url = combinedUrl(webmap.layers.get(ordered[0]).tiles[0], ordered[0], ordered);
    layer = L.vectorGrid.protobuf(url, { ...VECTOR_OPTIONS, vectorTileLayerStyles: styles,
      getFeatureId: (f) => { f.properties.__fid = f.id; return f.id; } });
    layer.on("click", (e) => webmap.basemapClick(e));
    webmap.loading.watch(layer);
    layer.setZIndex(100);
    layer.addTo(webmap.map);
  }
  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(rebuild, 0);  // several toggles in one tick give one rebuild
  }
  return {
    add(slug) { slugs.add(slug); schedule(); webmap.loading.show(); },
    remove(slug) { slugs.delete(slug); schedule(); },
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
    this.labels = createStreetLabels(this.map, config.labelsUrl, () => this.active.has(this.roles.streets));
    this.map.on("moveend", () => this.updateHash());
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
    const initial = this.start.layers ||
      layers.filter((l) => l.is_basemap || l.slug === this.roles.parcels).map((l) => l.slug);
    initial.forEach((slug) => { if (this.layers.has(slug)) this.addLayer(this.layers.get(slug)); });
    if (this.layers.has(this.roles.streets)) this.labels.load();
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
    if (layer.is_basemap && layer.geometry_type !== "Raster") {
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

  rasterLayer(layer) {
    const tiles = L.tileLayer(layer.tiles[0], { opacity: this.opacity[layer.slug] ?? 0.7, maxZoom: 20 });
    tiles.once("tileerror", () => this.emit("tileerror", layer.slug));
    return tiles;
  }

  vectorLayer(layer) {
    const tiles = L.vectorGrid.protobuf(layer.tiles[0], { ...VECTOR_OPTIONS,
      vectorTileLayerStyles: { [layer.slug]: vectorStyle(layer, this.roles) },
      getFeatureId: (f) => { f.properties.__fid = f.id; return f.id; } });
    tiles.on("click", (e) => {
      if (this.tool) return;  // measuring: the map gets it
      L.DomEvent.stop(e);
      this.showFeature(layer, e.layer.properties, e.latlng);
    });
    if (this.opacity[layer.slug] !== undefined) tiles.setOpacity(this.opacity[layer.slug]);
    return tiles;
  }

  basemapClick(e) {
    if (this.tool) return;
    const slug = e.layer.properties.__layer;
    const layer = this.layers.get(slug);
    if (!layer || slug === this.roles.boundary || slug === this.roles.settlements) return;  // let the map have it
    L.DomEvent.stop(e);
    this.showFeature(layer, e.layer.properties, e.latlng);
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

  setOverlay(key, on) {
    if (on) this.overlays.add(key); else this.overlays.delete(key);
    this.updateHash();
  }

  afterToggle(slug, on) {
    if (slug === this.roles.streets) this.labels.update();
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
    on: (type, fn) => m.on(type, fn),  // "toggle" (slug, on), "tileerror" (slug)
  });
}
