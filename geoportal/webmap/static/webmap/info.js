/* The web map's info panel (#info): a feature's attributes, the parcel card (cadastral number,
 * attributes, master-plan zones) and the highlight of what it shows on the map (a parcel by its
 * own outline, on screen and in print). */

import { escapeHtml, formatValue, byId } from "./util.js";

function attributeRows(layer, props, language) {
  return (layer.attributes || []).map((a) => {
    const v = props[a.name];
    if (v === undefined || v === null || v === "") return "";
    const title = (language === "en" ? a.title_en : a.title_uk) || a.name;
    const shown = language === "en" && a.values_en ? (a.values_en[String(v).trim().toLowerCase()] || v) : v;
    return `<tr><th scope="row">${escapeHtml(title)}</th><td>${formatValue(shown, a.unit, language)}</td></tr>`;
  }).join("");
}

function zoneItems(zones) {
  if (!zones.length) return `<li class="empty">${gettext("Поза зонами генплану")}</li>`;
  return zones.map((z) =>
    `<li><strong>${escapeHtml(z.code || "")}</strong> ${escapeHtml(z.name || "")}` +
    (z.share !== null && z.share < 0.99 ? ` (${Math.round(z.share * 100)}%)` : "") +
    (z.plan_name ? `<br><small>${escapeHtml(z.plan_name)}${z.approved ? ", " + escapeHtml(z.approved) : ""}</small>` : "") +
    `</li>`).join("");
}

function cardHtml(card, language) {
  const rows = card.attributes.filter((a) => a.value !== null && a.value !== "").map((a) =>
    `<tr><th scope="row">${escapeHtml(a.title)}</th><td>${formatValue(a.value, a.unit, language)}</td></tr>`).join("");
  return `<h3>${gettext("Земельна ділянка")}</h3>` +
    `<p class="cadnum">${escapeHtml(card.cadnum || "")}</p><table>${rows}</table>` +
    `<h4>${gettext("Функціональна зона генплану")}</h4><ul class="zones">${zoneItems(card.zones)}</ul>`;
}

/* The info panel of `map` (Leaflet); `onClose` runs when the resident closes it. */
export function createInfo(map, config, onClose) {
  const language = config.language;
  let highlight = null;

  function mark(layer) {
    if (highlight) map.removeLayer(highlight);
    highlight = layer ? layer.addTo(map) : null;
  }
  function open(html) {
    byId("info-body").innerHTML = html;
    byId("info").hidden = false;
    byId("info").focus();
  }
  function close() {
    byId("info").hidden = true;
    mark(null);
    onClose();
  }
  function flashAt(latlng) {
    mark(L.circleMarker(latlng, { radius: 12, color: "#005bbb", weight: 3, fill: false }));
  }
  function showAttributes(layer, props, latlng) {
    const rows = attributeRows(layer, props, language);
    open(`<h3>${escapeHtml(layer.title)}</h3>` +
      (rows ? `<table>${rows}</table>` : `<p class="empty">${gettext("Немає атрибутів")}</p>`));
    if (latlng && layer.geometry_type.indexOf("Point") >= 0) flashAt(latlng);
  }
  function showParcelCard(fid) {
    open(`<p class="loading">${gettext("Завантаження…")}</p>`);
    fetch(config.cardUrl.replace("{fid}", fid), { credentials: "same-origin" })
      .then((r) => r.json().then((j) => { if (!r.ok) throw new Error(j.detail || r.status); return j; }))
      .then((card) => {
        open(cardHtml(card, language));
        const b = card.bbox;
        mark(card.outline
          ? L.geoJSON(card.outline, { style: { color: "#005bbb", weight: 3, fill: false }, interactive: false, className: "selected-outline" })
          : L.rectangle([[b[1], b[0]], [b[3], b[2]]], { color: "#005bbb", weight: 2, fill: false, dashArray: "4 3", interactive: false }));
      })
      .catch((err) => open(`<p class="error">${gettext("Не вдалося отримати дані ділянки")}: ${escapeHtml(err.message)}</p>`));
  }

  byId("info-close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !byId("info").hidden) close(); });
  return { open, close, flashAt, showAttributes, showParcelCard };
}
