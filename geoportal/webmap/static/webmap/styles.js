/* How a catalogue layer is drawn on the web map and shown in its legend: the basemap roles'
 * own look (basemap.js), otherwise the layer's `style` from the layers API. */

import { styleOf } from "./basemap.js";

/* A VectorGrid style (an object, or a function of (properties, zoom)) for a vector layer. */
export function vectorStyle(layer, roles) {
  const own = styleOf(roles, layer.slug);
  if (own) return own;
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

/* The CSS of a layer's legend swatch in the panel (and the print legend, the PNG snapshot). */
export function swatchCss(layer, roles) {
  const s = layer.style || {};
  if (layer.geometry_type === "Raster" && s.colormap) {
    const stops = Object.values(s.colormap);
    return `background: linear-gradient(90deg, ${stops.join(", ")})`;
  }
  const style = vectorStyle(layer, roles);
  const raw = typeof style === "function" ? [].concat(style({}, 16)) : [style];
  const st = raw[raw.length - 1];
  const g = layer.geometry_type || "";
  if (raw.length > 1) return `background: ${st.color}; height: .5rem; border: 1px solid ${raw[0].color}`;
  if (g.indexOf("Line") >= 0) return `background: ${st.color}; height: .25rem; border: 0; margin: .3rem 0`;
  if (g.indexOf("Point") >= 0) return `background: ${st.fillColor}; border: 2px solid ${st.color}; border-radius: 50%`;
  return `background: ${st.fillColor || "transparent"}; border: 2px solid ${st.color}`;
}
