/* The portal's own basemap look (settlements, buildings, streets, the hromada boundary), shared
 * by the web map (map.js) and the report form's small map (reports/report.js): one style, one
 * combined tile request per tile (/tiles/a,b,c/z/x/y.mvt). */
(function () {
  "use strict";
  const STYLES = {
    "hromada-boundary": () => ({ color: "#7b5aa6", weight: 3, dashArray: "8 4", fill: false, opacity: 0.9 }),
    settlements: () => ({ color: "#c9b79c", weight: 1, fill: true, fillColor: "#efe6d6", fillOpacity: 0.7 }),
    buildings: () => ({ color: "#b9a88c", weight: 0.7, fill: true, fillColor: "#d9ccb4", fillOpacity: 1 }),
    streets: (p, z) => {
      const major = /просп|шосе|площа|avenue/i.test(String(p.type || p.name || ""));
      const w = Math.max(1.5, (z - 12) * (major ? 1.6 : 1.2));
      return [{ color: "#b5aea3", weight: w + 2, lineCap: "round", opacity: 1 },
              { color: major ? "#fde8a6" : "#ffffff", weight: w, lineCap: "round", opacity: 1 }];
    },
  };
  // Drawn bottom-up in this order.
  const ORDER = ["settlements", "buildings", "streets", "hromada-boundary"];

  function sortSlugs(slugs) {
    return [...slugs].sort((a, b) => {
      const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
  }

  /* One tile URL for several vector layers, from the first layer's own URL. */
  function combinedUrl(firstTileUrl, firstSlug, slugs) {
    return firstTileUrl.replace(`/tiles/${firstSlug}/`, `/tiles/${slugs.join(",")}/`);
  }

  /* A non-interactive basemap from the layers API answer (the report form's map). */
  function layerFrom(layers) {
    const bySlug = {};
    layers.forEach((l) => { bySlug[l.slug] = l; });
    const slugs = sortSlugs(layers.filter((l) => l.is_basemap && l.geometry_type !== "Raster").map((l) => l.slug));
    if (!slugs.length) return null;
    const styles = {};
    slugs.forEach((slug) => { styles[slug] = STYLES[slug] || { color: "#999", weight: 1 }; });
    return L.vectorGrid.protobuf(combinedUrl(bySlug[slugs[0]].tiles[0], slugs[0], slugs), {
      vectorTileLayerStyles: styles, interactive: false, maxNativeZoom: 20, maxZoom: 20,
    });
  }

  window.geoportalBasemap = { STYLES, ORDER, sortSlugs, combinedUrl, layerFrom };
})();
