/* PNG export of the current view, done in the browser: each vector tile is a canvas drawn by
 * protomaps-leaflet with its labels (the same style description as the map), raster tiles from
 * the portal are same-origin images; the legend (with the values of categorised and graduated
 * styles) and a scale bar are drawn on top. Works on the createMap API it is given. */

import { legendEntries } from "./styles.js";
import { byId } from "./util.js";

const FONT = "12px system-ui, sans-serif";
const BOLD = "bold 12px system-ui, sans-serif";

function loadImage(src) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);  // a missing tile leaves a gap, not a failed export
    img.src = src;
  });
}

function svgUrl(svg) {
  const clone = svg.cloneNode(true);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.removeAttribute("style");  // the tile's translate3d would shift the drawing off the image
  const r = svg.getBoundingClientRect();
  clone.setAttribute("width", r.width);
  clone.setAttribute("height", r.height);
  return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(clone));
}

async function drawTiles(map, ctx, origin) {
  const containers = [...map.getPane("tilePane").children]
    .sort((a, b) => (Number(a.style.zIndex) || 0) - (Number(b.style.zIndex) || 0));
  for (const layerEl of containers) {
    ctx.globalAlpha = layerEl.style.opacity === "" ? 1 : Number(layerEl.style.opacity);
    for (const tile of layerEl.querySelectorAll("canvas.leaflet-tile, img.leaflet-tile")) {
      const r = tile.getBoundingClientRect();
      if (r.right < origin.left || r.left > origin.right || r.bottom < origin.top || r.top > origin.bottom) continue;
      if (!r.width || !r.height) continue;
      const img = tile.tagName.toLowerCase() === "canvas" ? tile : await loadImage(tile.src);
      if (img) ctx.drawImage(img, r.left - origin.left, r.top - origin.top, r.width, r.height);
    }
  }
  ctx.globalAlpha = 1;
}

function drawOverlays(map, ctx, origin) {
  // Leaflet overlay paths (highlights, measured lines, facility markers) are one SVG.
  const svg = map.getPane("overlayPane").querySelector("svg");
  return svg ? loadImage(svgUrl(svg)).then((img) => {
    const r = svg.getBoundingClientRect();
    if (img) ctx.drawImage(img, r.left - origin.left, r.top - origin.top, r.width, r.height);
  }) : Promise.resolve();
}

/* The legend rows: each active layer (its panel swatch) and under it its values, indented. */
function legendRows(webmap) {
  const rows = [];
  webmap.activeSlugs().forEach((s) => {
    const layer = webmap.layer(s);
    const sw = document.querySelector(`input[data-slug="${s}"] + .swatch`);
    const cs = sw ? getComputedStyle(sw) : null;
    rows.push({ label: layer.title, fill: cs ? cs.backgroundColor : "#999", stroke: cs ? cs.borderTopColor : "#666", indent: 0 });
    legendEntries(layer, webmap.roles, webmap.config.language).forEach((e) => {
      const probe = document.createElement("span");
      probe.style.cssText = e.css;
      rows.push({ label: e.label, fill: probe.style.backgroundColor || "#999", stroke: probe.style.borderColor || "#666", indent: 16 });
    });
  });
  return rows;
}

function drawLegend(webmap, ctx, w) {
  const title = webmap.config.hromada;
  const rows = legendRows(webmap);
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.font = BOLD;
  const titleWidth = ctx.measureText(title).width + 20;
  ctx.font = FONT;
  const width = Math.max(titleWidth, ...rows.map((r) => ctx.measureText(r.label).width + 40 + r.indent));
  const height = 30 + rows.length * 18;
  ctx.fillStyle = "rgba(255,255,255,.93)"; ctx.fillRect(w - width - 10, 10, width, height);
  ctx.strokeStyle = "#888"; ctx.strokeRect(w - width - 10, 10, width, height);
  ctx.fillStyle = "#1d2733"; ctx.font = BOLD;
  ctx.fillText(title, w - width, 22);
  ctx.font = FONT;
  rows.forEach((r, i) => {
    const y = 40 + i * 18;
    const x = w - width + r.indent;
    ctx.fillStyle = r.fill; ctx.fillRect(x, y - 6, 16, 12);
    ctx.strokeStyle = r.stroke; ctx.strokeRect(x, y - 6, 16, 12);
    ctx.fillStyle = "#1d2733"; ctx.fillText(r.label, x + 24, y);
  });
}

/* A round distance of at most 120 px at the map's centre line. */
function drawScale(map, ctx, h) {
  const y = h / 2;
  const metresPer120 = map.containerPointToLatLng([0, y]).distanceTo(map.containerPointToLatLng([120, y]));
  const pow = Math.pow(10, Math.floor(Math.log10(metresPer120)));
  const nice = [5, 2, 1].map((k) => k * pow).find((v) => v <= metresPer120) || pow;
  const px = (120 * nice) / metresPer120;
  ctx.fillStyle = "rgba(255,255,255,.85)"; ctx.fillRect(8, h - 30, px + 8, 22);
  ctx.strokeStyle = "#333"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(12, h - 20); ctx.lineTo(12, h - 12); ctx.lineTo(12 + px, h - 12); ctx.lineTo(12 + px, h - 20); ctx.stroke();
  ctx.fillStyle = "#333";
  ctx.fillText(nice >= 1000 ? interpolate(gettext("%s км"), [nice / 1000]) : interpolate(gettext("%s м"), [nice]), 16, h - 22);
}

/* The current view as a canvas. */
export async function snapshot(webmap) {
  const map = webmap.leaflet;
  const el = map.getContainer();
  const origin = el.getBoundingClientRect();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(origin.width);
  canvas.height = Math.round(origin.height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = getComputedStyle(el).backgroundColor;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await drawTiles(map, ctx, origin);
  await drawOverlays(map, ctx, origin);
  ctx.font = FONT;
  drawLegend(webmap, ctx, canvas.width);
  drawScale(map, ctx, canvas.height);
  return canvas;
}

/* The "Save PNG" button: the snapshot downloaded as map.png. */
export function initPngButton(webmap) {
  byId("png-button").addEventListener("click", async () => {
    const out = byId("tool-output");
    out.textContent = gettext("Готуємо зображення…");
    try {
      const canvas = await snapshot(webmap);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "map.png";
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 5000);
      out.textContent = "";
    } catch (err) {
      out.textContent = `${gettext("Не вдалося зберегти зображення")} (${err.message})`;
    }
  });
}
