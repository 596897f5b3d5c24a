/* The web map's layer panel (#panel): thematic groups (config.groups, then the layer's
 * category), a row per layer with its legend swatch, on/off box and opacity slider, and the
 * phone's panel toggle. Works on the createMap API it is given. */

import { swatchCss } from "./styles.js";
import { escapeHtml, byId } from "./util.js";

const OPEN_GROUPS = ["cadastre", "masterplan", "transport"];

function groupOf(layer, config) {
  const byStyle = layer.style && layer.style.panel_group;
  if (byStyle) return byStyle;
  const g = config.groups.find((gr) => gr.slugs.indexOf(layer.slug) >= 0);
  if (g) return g.key;
  const byCat = config.groups.find((gr) => gr.key === layer.category);
  return byCat ? byCat.key : "other:" + layer.category;
}

function opacitySlider(webmap, l) {
  const slider = document.createElement("input");
  slider.type = "range"; slider.min = "0"; slider.max = "100";
  slider.value = String(Math.round((webmap.opacity(l.slug) ?? (l.geometry_type === "Raster" ? 0.7 : 1)) * 100));
  slider.className = "opacity";
  slider.setAttribute("aria-label", interpolate(gettext("Прозорість шару %s"), [l.title]));
  slider.addEventListener("input", () => webmap.setOpacity(l.slug, Number(slider.value) / 100));
  return slider;
}

function layerRow(webmap, l) {
  const row = document.createElement("div");
  row.className = webmap.isActive(l.slug) ? "layer-row on" : "layer-row";
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.dataset.slug = l.slug;
  box.checked = webmap.isActive(l.slug);
  box.addEventListener("change", () => (box.checked ? webmap.addLayer(l) : webmap.removeLayer(l.slug)));
  const sw = document.createElement("span");
  sw.className = "swatch";
  sw.setAttribute("aria-hidden", "true");
  sw.style.cssText = swatchCss(l, webmap.roles);
  const name = document.createElement("span");
  name.textContent = l.title;
  label.append(box, sw, name);
  if (l.access !== "public") {
    const lock = document.createElement("span");
    lock.className = "badge";
    lock.textContent = gettext("службовий");
    label.append(lock);
  }
  row.append(label);
  if (!(l.is_basemap && l.geometry_type !== "Raster")) row.append(opacitySlider(webmap, l));  // basemap: one layer
  return row;
}

function rowOf(slug) {
  const box = document.querySelector(`#layer-list input[data-slug="${slug}"]`);
  return box ? box.closest(".layer-row") : null;
}

/* The layer list from the layers API answer, in the configured group order. */
export function buildPanel(webmap, layers) {
  const config = webmap.config;
  const list = byId("layer-list");
  list.innerHTML = "";
  const groups = {};
  layers.forEach((l) => { (groups[groupOf(l, config)] = groups[groupOf(l, config)] || []).push(l); });
  const order = config.groups.map((g) => [g.key, g.title]);
  Object.keys(groups).filter((k) => k.startsWith("other:")).forEach((k) =>
    order.push([k, config.categories[k.slice(6)] || k.slice(6)]));
  order.forEach(([key, title]) => {
    if (!groups[key]) return;
    const details = document.createElement("details");
    details.className = "group";
    details.dataset.group = key;
    details.open = OPEN_GROUPS.indexOf(key) >= 0;
    details.innerHTML = `<summary>${escapeHtml(title)} <span class="count">${groups[key].length}</span></summary>`;
    groups[key].forEach((l) => details.appendChild(layerRow(webmap, l)));
    list.appendChild(details);
  });
}

/* Keep the rows in step with the map (search and the permalink switch layers on too). */
export function initPanel(webmap) {
  webmap.on("toggle", (slug, on) => {
    const row = rowOf(slug);
    if (!row) return;
    row.querySelector("input[data-slug]").checked = on;
    row.classList.toggle("on", on);
  });
  webmap.on("tileerror", (slug) => {
    const row = rowOf(slug);
    if (!row) return;
    const note = document.createElement("p");
    note.className = "error layer-note";
    note.textContent = gettext("Частина зображення шару недоступна");
    row.appendChild(note);
  });
  byId("panel-toggle").addEventListener("click", () => {
    const open = byId("panel").classList.toggle("open");
    byId("panel-toggle").setAttribute("aria-expanded", String(open));
  });
}

/* The panel's message when the layers API failed. */
export function showPanelError(err) {
  byId("layer-list").innerHTML = `<p class="error">${gettext("Не вдалося завантажити шари. Оновіть сторінку.")} (${escapeHtml(String(err.message || err))})</p>`;
}
