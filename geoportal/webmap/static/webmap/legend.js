/* Legends and zoom hints in the layer panel, on the createMap API it is given: under a layer
 * with a categorised or graduated style its values (one swatch per master-plan zone category,
 * the flood-depth classes), and under a ticked layer that draws nothing at the current zoom
 * from which zoom it shows ("з масштабу 15"). The print legend lists the same entries. */

import { legendEntries, swatchCss } from "./styles.js";
import { escapeHtml } from "./util.js";

function rowOf(slug) {
  const box = document.querySelector(`#layer-list input[data-slug="${slug}"]`);
  return box ? box.closest(".layer-row") : null;
}

function entriesHtml(entries) {
  return entries.map((e) =>
    `<li${e.value ? ` data-value="${escapeHtml(e.value)}"` : ""}><span class="swatch" aria-hidden="true" style="${e.css}"></span>` +
    `<span>${escapeHtml(e.label)}</span></li>`).join("");
}

/* The print legend's item of an active layer: its swatch, title and its values (if any). */
export function legendItemHtml(webmap, slug) {
  const layer = webmap.layer(slug);
  const entries = legendEntries(layer, webmap.roles, webmap.config.language);
  return `<li><span class="swatch" style="${swatchCss(layer, webmap.roles)}"></span>${escapeHtml(layer.title)}</li>` +
    (entries.length ? `<li class="legend-values"><ul class="legend">${entriesHtml(entries)}</ul></li>` : "");
}

function addLegends(webmap) {
  webmap.layers().forEach((layer) => {
    const entries = legendEntries(layer, webmap.roles, webmap.config.language);
    const row = rowOf(layer.slug);
    if (!entries.length || !row || row.querySelector(".legend")) return;
    const list = document.createElement("ul");
    list.className = "legend";
    list.setAttribute("aria-label", interpolate(gettext("Умовні позначення: %s"), [layer.title]));
    list.innerHTML = entriesHtml(entries);
    row.appendChild(list);
  });
}

function updateHints(webmap) {
  const hidden = webmap.hiddenByZoom();
  webmap.layers().forEach((layer) => {
    const row = rowOf(layer.slug);
    if (!row) return;
    let hint = row.querySelector(".zoom-hint");
    const from = hidden[layer.slug];
    if (!from) { if (hint) hint.remove(); return; }
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "zoom-hint layer-note";
      row.querySelector("label").after(hint);
    }
    hint.textContent = interpolate(gettext("з масштабу %s: наблизьте карту"), [from]);
  });
}

/* Legends once the panel is built; hints kept in step with the zoom and the ticked layers. */
export function initLegend(webmap) {
  addLegends(webmap);
  updateHints(webmap);
  webmap.leaflet.on("zoomend", () => updateHints(webmap));
  webmap.on("toggle", () => updateHints(webmap));
}
