/* The portal's own town map, drawn by protomaps-leaflet (canvas tiles with label placement and
 * collision, inside Leaflet) from ONE style description, basemap-style.json, by Layer.role:
 * settlement names from z10, street names along the streets from z15, house numbers from z17,
 * names of facilities and stops. Used by the web map (map.js), the report form's small map
 * (reports/report.js) and the staff dashboard; PNG/print draw the same canvases (snapshot.js)
 * and the static export reads the same JSON (webmap/export.py).
 *
 * `roles` everywhere is the page config's {role: slug} (Layer.role): the code knows roles,
 * never a hromada's slugs. The basemap's layers come in one tile request (/tiles/a,b,c/z/x/y.mvt). */

import STYLE from "./basemap-style.json" with { type: "json" };

export { STYLE };

/* Roles drawn bottom-up in the combined basemap layer (the named places on top), and the order
 * in which their labels claim room (earlier ones win a collision). */
export const ORDER = ["settlements", "buildings", "streets", "boundary", "facilities", "stops"];
const LABEL_ORDER = ["settlements", "streets", "stops", "facilities", "buildings"];
/* Roles that join the combined basemap layer (one tile request, one label layout) when on. */
export const TOWN_MAP_ROLES = ORDER;
const ABBR = [[/^вулиця /i, "вул. "], [/^провулок /i, "пров. "], [/^проспект /i, "просп. "], [/^площа /i, "пл. "],
  [/^бульвар /i, "бульв. "], [/^тупик /i, "туп. "], [/^шосе /i, "ш. "], [/^street /i, "St "]];

function pm() { return window.protomapsL; }

/* A zoom ramp [[z, v], ...] (linear between stops) or a constant, as a function of z. */
export function ramp(spec) {
  if (!Array.isArray(spec)) return () => spec;
  return (z) => {
    if (z <= spec[0][0]) return spec[0][1];
    for (let i = 1; i < spec.length; i++) {
      const [z1, v1] = spec[i];
      const [z0, v0] = spec[i - 1];
      if (z <= z1) return v0 + ((v1 - v0) * (z - z0)) / (z1 - z0);
    }
    return spec[spec.length - 1][1];
  };
}

/* The role of a layer slug, or undefined. */
export function roleOf(roles, slug) {
  return Object.keys(roles || {}).find((role) => roles[role] === slug);
}

/* The style description of a layer slug's role, or undefined for a thematic layer. */
export function roleStyle(roles, slug) {
  return STYLE.roles[roleOf(roles, slug)];
}

/* Slugs in drawing order: basemap roles first (bottom-up), any others after. */
export function sortSlugs(slugs, roles) {
  const rank = (slug) => {
    const i = ORDER.indexOf(roleOf(roles, slug));
    return i < 0 ? 99 : i;
  };
  return [...slugs].sort((a, b) => rank(a) - rank(b));
}

/* One tile URL for several vector layers, from the first layer's own URL. */
export function combinedUrl(firstTileUrl, firstSlug, slugs) {
  return firstTileUrl.replace(`/tiles/${firstSlug}/`, `/tiles/${slugs.join(",")}/`);
}

/* The colour of a feature under a categorised style ({field, match, values, other}). */
export function categoryColor(cat, props) {
  const v = String(props[cat.field] ?? "");
  const hit = cat.values.find((c) => (cat.match === "prefix" ? v.startsWith(c.value) : v === c.value));
  return (hit || cat.other).color;
}

/* The text a label shows: the English name where the page is English and the feature has one. */
function labelText(spec, props, language) {
  let text = (language === "en" && props[`${spec.field}_en`]) || props[spec.field];
  if (text === undefined || text === null || text === "") return undefined;
  text = String(text);
  if (spec.lastPart) text = text.split(":").pop();
  if (spec.abbreviate) ABBR.forEach(([re, short]) => { text = text.replace(re, short); });
  return text;
}

function textOptions(spec, language) {
  const size = ramp(spec.size);
  return {
    // protomaps reads string properties only: the shown text is kept on the feature once
    labelProps: (z, f) => {
      if (f.props.__label === undefined) f.props.__label = labelText(spec, f.props, language) ?? null;
      return ["__label"];
    },
    font: (z) => `${spec.weight || 400} ${Math.round(size(z))}px ${STYLE.font}`,
    fill: spec.color, stroke: STYLE.halo, width: spec.halo ?? 2,
  };
}

/* World pixel position of lon/lat at zoom z (what protomaps' label layout works in). */
function worldPoint(lon, lat, z) {
  const scale = 256 * 2 ** z;
  const sin = Math.sin((lat * Math.PI) / 180);
  return { x: ((lon + 180) / 360) * scale, y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale };
}

function bboxCentre(geom) {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  geom[0].forEach((p) => { x1 = Math.min(x1, p.x); y1 = Math.min(y1, p.y); x2 = Math.max(x2, p.x); y2 = Math.max(y2, p.y); });
  return { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
}

/* A label at one point of a polygon: the server's anchor (places[fid] = [lon, lat], the point on
 * the whole surface, so a polygon cut by tiles gets one label) or its part's bbox centre, then
 * once per screen for a settlement (pages without the anchors: the report form, the dashboard). */
function polygonLabeler(spec, language, places, once) {
  const centred = new (pm().CenteredTextSymbolizer)(textOptions(spec, language));
  // the label index needs @mapbox/point-geometry's clone() and dist() of the anchor
  const Point = (x, y) => ({ x, y, clone: () => Point(x, y), dist: (o) => Math.hypot(o.x - x, o.y - y) });
  return {
    place(layout, geom, feature) {
      const at = places && places[feature.id];
      const c = at ? worldPoint(at[0], at[1], layout.zoom) : bboxCentre(geom);
      const labels = centred.place(layout, [[Point(c.x, c.y)]], feature);
      (labels || []).forEach((l) => {
        l.deduplicationKey = `${feature.props.__label}|${feature.props.street || ""}`;
        l.deduplicationDistance = at || once ? 2000 : 60;  // a settlement's name once per screen
      });
      return labels;
    },
  };
}

function labelSymbolizer(spec, language, places, radius) {
  const P = pm();
  if (spec.placement === "line") {
    return new P.LineLabelSymbolizer({ ...textOptions(spec, language), repeatDistance: 400, maxLabelChars: 60 });
  }
  if (spec.placement === "offset") {
    return new P.OffsetTextSymbolizer({ ...textOptions(spec, language), offsetX: radius + 3, offsetY: radius + 3 });
  }
  return polygonLabeler(spec, language, spec.placement === "anchor" ? places : null, spec.placement === "anchor");
}

/* Paint rules for one MVT layer from a style description entry (basemap-style.json's shape). */
export function paintRulesFor(dataLayer, st, minzoom) {
  const P = pm();
  const base = { dataLayer, minzoom };
  const width = ramp(st.width ?? 1);
  if (st.kind === "street") {
    const major = st.major ? new RegExp(st.major.pattern, "i") : null;
    const isMajor = (f) => major && major.test(String(f.props[st.major.field] || f.props.name || ""));
    return [
      { ...base, symbolizer: new P.LineSymbolizer({ color: st.casing, lineCap: "round", lineJoin: "round",
        width: (z, f) => width(z) * (f && isMajor(f) ? 1.4 : 1) + 2 }) },
      { ...base, symbolizer: new P.LineSymbolizer({ lineCap: "round", lineJoin: "round",
        color: (z, f) => (f && isMajor(f) ? st.major.color : st.color),
        width: (z, f) => width(z) * (f && isMajor(f) ? 1.4 : 1) }) },
    ];
  }
  const byCategory = (plain) => (st.categories
    ? (z, f) => (f ? categoryColor(st.categories, f.props) : st.categories.other.color) : plain);
  if (st.kind === "line") {
    return [{ ...base, symbolizer: new P.LineSymbolizer({ color: byCategory(st.color), width, dash: st.dash,
      opacity: st.opacity ?? 1 }) }];
  }
  if (st.kind === "point") {
    return [{ ...base, symbolizer: new P.CircleSymbolizer({ radius: st.radius || 4, fill: byCategory(st.fill),
      stroke: st.stroke, width: st.width ?? 1, opacity: st.opacity ?? 1 }) }];
  }
  const fill = byCategory(st.fill);
  return [{ ...base, symbolizer: new P.PolygonSymbolizer({ fill, opacity: st.opacity ?? 1, stroke: st.stroke,
    width: st.width ?? 1, perFeature: !!st.categories }) }];
}

/* Label rules for one MVT layer (none when the style entry has no label). */
export function labelRulesFor(dataLayer, st, language, places) {
  if (!st.label) return [];
  const spec = st.label;
  return [{ dataLayer, minzoom: spec.minzoom, maxzoom: spec.maxzoom,
    symbolizer: labelSymbolizer(spec, language, places, st.radius || 4) }];
}

/* A protomaps-leaflet layer drawing `entries` [{slug, style, minzoom}] from one tile URL. */
export function tileLayer(url, entries, options = {}) {
  const paintRules = [];
  const labelRules = [];
  const rank = (e) => { const i = LABEL_ORDER.indexOf(roleOf(options.roles, e.slug)); return i < 0 ? 99 : i; };
  entries.forEach((e) => paintRules.push(...paintRulesFor(e.slug, e.style, e.minzoom)));
  [...entries].sort((a, b) => rank(a) - rank(b))
    .forEach((e) => labelRules.push(...labelRulesFor(e.slug, e.style, options.language, options.places)));
  return pm().leafletLayer({ url, paintRules, labelRules, attribution: "", maxDataZoom: 18, levelDiff: 0,
    maxZoom: 20, minZoom: options.minZoom, tasks: [document.fonts.ready], ...options.leaflet });
}

/* A non-interactive basemap from the layers API answer (the report form's and dashboard's map). */
export function layerFrom(layers, roles, language = document.documentElement.lang || "uk") {
  const bySlug = {};
  layers.forEach((l) => { bySlug[l.slug] = l; });
  const slugs = sortSlugs(layers.filter((l) => l.is_basemap && l.geometry_type !== "Raster").map((l) => l.slug), roles);
  if (!slugs.length) return null;
  const entries = slugs.map((slug) => ({ slug, minzoom: bySlug[slug].min_zoom,
    style: roleStyle(roles, slug) || { kind: "line", color: "#999", width: 1 } }));
  return tileLayer(combinedUrl(bySlug[slugs[0]].tiles[0], slugs[0], slugs), entries, { language, roles });
}

/* The portal's basemap on `map` from the layers API (the report form's and dashboard's map):
 * resolves with the basemap layer (null when the API answers none or fails). */
export function addBasemap(map, layersUrl, roles) {
  return fetch(layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : []))
    .catch(() => [])
    .then((layers) => {
      const base = layerFrom(layers, roles);
      if (base) base.addTo(map);
      return base;
    });
}
