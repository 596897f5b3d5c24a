/* How a catalogue layer is drawn on the web map and shown in its legend: the role's entry of
 * the one style description (basemap-style.json, via basemap.js), otherwise the layer's own
 * `style` from the layers API turned into the same shape. Legends list the values of
 * categorised styles (one swatch per master-plan zone category) and graduated ones (the
 * flood-depth ramp with its values). */

import { roleStyle, STYLE } from "./basemap.js";

/* The style description entry ({kind, fill, stroke, width, radius, label, categories}) of a layer. */
export function vectorStyle(layer, roles) {
  const own = roleStyle(roles, layer.slug);
  if (own) return own;
  const s = layer.style || {};
  const color = s.color || "#3388ff";
  const geom = layer.geometry_type || "";
  const categories = ownCategories(s, color);
  // a parcel is labelled by its number within the quarter (the last part of KOATUU:zone:quarter:parcel),
  // as on a cadastral plan: whole numbers overlap at every zoom a town's parcels fit on a screen
  const label = s.label ? { field: s.label, minzoom: Math.max(15, layer.min_zoom || 0), size: 11, weight: 600,
    color: "#333333", halo: 2, lastPart: layer.role === "parcels" && s.label === "cadnum" } : null;
  if (geom.indexOf("Point") >= 0) {
    return { kind: "point", radius: s.radius || 4, stroke: color, width: s.weight || 1,
      fill: s.fillColor || color, opacity: s.fillOpacity ?? 0.9, categories, label: label && { ...label, placement: "offset" } };
  }
  if (geom.indexOf("Line") >= 0) {
    return { kind: "line", color, width: s.weight || 2, opacity: s.opacity ?? 0.9, categories, label: label && { ...label, placement: "line" } };
  }
  return { kind: "polygon", stroke: color, width: s.weight ?? 1, fill: s.fillColor || color,
    opacity: s.fillOpacity ?? 0.3, categories, label: label && { ...label, placement: "center", minzoom: Math.max(18, label.minzoom) } };
}

/* A layer's own classed style ({property, classes: [{value, color, title, title_en}]}, as the
 * condition layers publish it) as a categorised style entry; null for one-colour layers. */
function ownCategories(s, color) {
  if (!s.property || !Array.isArray(s.classes) || !s.classes.length) return null;
  return { field: s.property, match: "exact",
    values: s.classes.map((c) => ({ value: String(c.value), color: c.color || color, title_uk: c.title || String(c.value),
      title_en: c.title_en || c.title })),
    other: { color, title_uk: "Інше", title_en: "Other", hidden: true } };
}

function title(entry, language) {
  return (language === "en" ? entry.title_en : entry.title_uk) || entry.title_uk || "";
}

function number(v, language) {
  return Number(v).toLocaleString(language === "en" ? "en-GB" : "uk-UA");
}

/* A raster colour map {value: colour} as classes "0–0,5 м", ..., "> 3 м". */
function rampEntries(layer, language) {
  const stops = Object.entries(layer.style.colormap).map(([v, c]) => [Number(v), c]).sort((a, b) => a[0] - b[0]);
  const unit = ((layer.attributes || [])[0] || {}).unit || "";
  return stops.map(([v, color], i) => {
    const next = stops[i + 1];
    const text = next ? `${number(v, language)}–${number(next[0], language)}` : `> ${number(v, language)}`;
    return { css: `background: ${color}; border: 1px solid #666`, label: unit ? `${text} ${unit}` : text };
  });
}

/* The legend of a layer beyond its one swatch: [{css, label}] (empty for one-look layers). */
export function legendEntries(layer, roles, language) {
  const s = layer.style || {};
  if (layer.geometry_type === "Raster" && s.colormap) return rampEntries(layer, language);
  const st = vectorStyle(layer, roles);
  if (st.categories) {
    return [...st.categories.values, st.categories.other].filter((c) => !c.hidden).map((c) => ({
      css: `background: ${c.color}; border: 1px solid ${st.stroke}`, label: title(c, language), value: c.value || "" }));
  }
  if (st.kind === "street" && st.major) {
    return [
      { css: streetCss(st.major.color, st.casing), label: title(st.major, language) },
      { css: streetCss(st.color, st.casing), label: title(st, language) },
    ];
  }
  return [];
}

function streetCss(color, casing) {
  return `background: ${color}; height: .45rem; border: 2px solid ${casing}; border-radius: .3rem; margin: .2rem 0`;
}

/* The CSS of a layer's legend swatch in the panel (and the print legend, the PNG snapshot). */
export function swatchCss(layer, roles) {
  const s = layer.style || {};
  if (layer.geometry_type === "Raster" && s.colormap) {
    const stops = Object.values(s.colormap);
    return `background: linear-gradient(90deg, ${stops.join(", ")})`;
  }
  const st = vectorStyle(layer, roles);
  if (st.kind === "street") return streetCss(st.color, st.casing);
  if (st.kind === "line") return `background: ${st.color}; height: .25rem; border: 0; margin: .3rem 0`;
  if (st.kind === "point") return `background: ${st.fill}; border: 2px solid ${st.stroke}; border-radius: 50%`;
  const fill = st.categories ? `linear-gradient(90deg, ${st.categories.values.map((c) => c.color).join(", ")})` : st.fill;
  return `background: ${fill || "transparent"}; border: 2px solid ${st.stroke}`;
}

export { STYLE };
