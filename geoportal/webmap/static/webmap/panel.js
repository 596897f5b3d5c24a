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
  initPhonePanel();
}

/* The phone's slide-in layer panel: focus moves into it when it opens and back to its toggle
 * when it closes; Escape closes it. */
function initPhonePanel() {
  const toggle = byId("panel-toggle");
  const panel = byId("panel");
  function set(open) {
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      const first = panel.querySelector("button, input, summary, a[href]");
      if (first) first.focus();
    } else if (panel.contains(document.activeElement)) {
      toggle.focus();
    }
  }
  toggle.addEventListener("click", () => set(!panel.classList.contains("open")));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && panel.classList.contains("open")) set(false);
  });
}

/* What the open sheets and cards cover of the map (pixels from each edge): on a phone the
 * accessibility view and the info card are bottom sheets (up to 55 % of the map), on a wide
 * screen the info card sits on the right and the accessibility view on the left. */
export function coveredEdges(map) {
  const box = map.getContainer().getBoundingClientRect();
  const edges = { top: 0, right: 0, bottom: 0, left: 0 };
  const phone = box.width <= 760;
  ["a11y", "info"].forEach((id) => {
    const el = byId(id);
    if (!el || el.hidden) return;
    const r = el.getBoundingClientRect();
    const w = Math.min(r.right, box.right) - Math.max(r.left, box.left);
    const h = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top);
    if (w <= 0 || h <= 0) return;
    if (phone || w > box.width * 0.6) edges.bottom = Math.max(edges.bottom, box.bottom - r.top);
    else if (r.left - box.left < box.right - r.right) edges.left = Math.max(edges.left, r.right - box.left);
    else edges.right = Math.max(edges.right, box.right - r.left);
  });
  if (phone && byId("info") && byId("info").hidden) edges.bottom = Math.max(edges.bottom, box.height * 0.55);
  return edges;
}

/* The centre that puts `latlng` in the middle of what the sheets leave visible at `zoom`. */
export function clearCentre(map, latlng, zoom, edges = coveredEdges(map)) {
  const shift = L.point((edges.right - edges.left) / 2, (edges.bottom - edges.top) / 2);
  return map.unproject(map.project(latlng, zoom).add(shift), zoom);
}

/* flyToBounds options keeping `bounds` clear of the sheets. */
export function clearPadding(map, edges = coveredEdges(map)) {
  return { paddingTopLeft: [edges.left + 16, edges.top + 16], paddingBottomRight: [edges.right + 16, edges.bottom + 16] };
}

/* The panel's message when the layers API failed. */
export function showPanelError(err) {
  byId("layer-list").innerHTML = `<p class="error">${gettext("Не вдалося завантажити шари. Оновіть сторінку.")} (${escapeHtml(String(err.message || err))})</p>`;
}
