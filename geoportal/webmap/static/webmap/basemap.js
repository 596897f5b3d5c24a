/* The portal's own basemap look (settlements, buildings, streets, the hromada boundary), shared
 * by the web map (map.js), the report form's small map (reports/report.js) and the staff
 * dashboard: one style per layer role, one combined tile request per tile (/tiles/a,b,c/z/x/y.mvt).
 *
 * `roles` everywhere is the page config's {role: slug} (Layer.role): the code knows roles,
 * never a hromada's slugs. */

export const STYLES = {
  boundary: () => ({ color: "#7b5aa6", weight: 3, dashArray: "8 4", fill: false, opacity: 0.9 }),
  settlements: () => ({ color: "#c9b79c", weight: 1, fill: true, fillColor: "#efe6d6", fillOpacity: 0.7 }),
  buildings: () => ({ color: "#b9a88c", weight: 0.7, fill: true, fillColor: "#d9ccb4", fillOpacity: 1 }),
  streets: (p, z) => {
    const major = /просп|шосе|площа|avenue/i.test(String(p.type || p.name || ""));
    const w = Math.max(1.5, (z - 12) * (major ? 1.6 : 1.2));
    return [{ color: "#b5aea3", weight: w + 2, lineCap: "round", opacity: 1 },
      { color: major ? "#fde8a6" : "#ffffff", weight: w, lineCap: "round", opacity: 1 }];
  },
};
/* Roles drawn bottom-up in this order. */
export const ORDER = ["settlements", "buildings", "streets", "boundary"];

/* The role of a layer slug, or undefined. */
export function roleOf(roles, slug) {
  return Object.keys(roles || {}).find((role) => roles[role] === slug);
}

/* The basemap style of a layer slug (by its role), or undefined for a thematic layer. */
export function styleOf(roles, slug) {
  return STYLES[roleOf(roles, slug)];
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

/* A non-interactive basemap from the layers API answer (the report form's and dashboard's map). */
export function layerFrom(layers, roles) {
  const bySlug = {};
  layers.forEach((l) => { bySlug[l.slug] = l; });
  const slugs = sortSlugs(layers.filter((l) => l.is_basemap && l.geometry_type !== "Raster").map((l) => l.slug), roles);
  if (!slugs.length) return null;
  const styles = {};
  slugs.forEach((slug) => { styles[slug] = styleOf(roles, slug) || { color: "#999", weight: 1 }; });
  return L.vectorGrid.protobuf(combinedUrl(bySlug[slugs[0]].tiles[0], slugs[0], slugs), {
    vectorTileLayerStyles: styles, interactive: false, maxNativeZoom: 20, maxZoom: 20,
  });
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
