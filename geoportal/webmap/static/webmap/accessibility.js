/* The residents' accessibility view (#a11y): facilities from GET /api/v1/webmap/facilities/,
 * filtered by the needs a resident picks, listed and marked on the map. Opened by its button in
 * the panel, by the header's ♿ button (one tap on a phone), by the second skip link or by
 * #view=accessibility in the page's first address.
 *
 * Keyboard: opening moves focus to the view's heading (the first filter is the next Tab but
 * one), Escape or × closes it and focus goes back where it came from. The facility markers stay
 * out of the tab order (no focusable SVG); the list is their keyboard equivalent, in the same
 * order, and "show on map" centres the place in what the view leaves visible of the map. */

import { clearCentre } from "./panel.js";
import { escapeHtml, byId } from "./util.js";

function facilityItem(map, facilities, f, markers) {
  const [lon, lat] = f.geometry.coordinates;
  const p = f.properties;
  const offers = p.offers.map((o) => `<li>${escapeHtml(facilities.titles[o] || o)}</li>`).join("");
  const m = L.circleMarker([lat, lon], { radius: 8, color: "#4a1486", weight: 2, fillColor: "#9e9ac8", fillOpacity: 0.95, className: "facility-marker" })
    .bindTooltip(escapeHtml(p.name || "")).addTo(markers);
  const li = document.createElement("li");
  li.className = "facility";
  li.innerHTML = `<h4>${escapeHtml(p.name || "")}</h4><p>${escapeHtml(p.type || "")}${p.address ? " · " + escapeHtml(p.address) : ""}</p>` +
    `<ul class="offers" aria-label="${gettext("Що пропонує заклад")}">${offers || `<li class="none">${gettext("Немає даних про доступність")}</li>`}</ul>`;
  const b = document.createElement("button");
  b.type = "button"; b.className = "show-on-map";
  b.textContent = gettext("Показати на карті");
  b.setAttribute("aria-label", interpolate(gettext("Показати на карті: %s"), [p.name || ""]));
  b.addEventListener("click", () => {
    map.flyTo(clearCentre(map, L.latLng(lat, lon), 18), 18, { duration: 0.5 });
    map.once("moveend", () => m.openTooltip());
  });
  li.appendChild(b);
  return li;
}

function needButton(need, chosen, render) {
  const b = document.createElement("button");
  b.type = "button"; b.className = "need"; b.dataset.need = need.key;
  b.setAttribute("aria-pressed", "false");
  b.textContent = need.title;
  b.addEventListener("click", () => {
    if (chosen.has(need.key)) chosen.delete(need.key); else chosen.add(need.key);
    b.setAttribute("aria-pressed", String(chosen.has(need.key)));
    render();
  });
  return b;
}

export function initAccessibility(webmap, start) {
  const map = webmap.leaflet;
  let facilities = null;
  let markers = null;
  const chosen = new Set();

  function render() {
    const list = byId("a11y-list");
    const shown = facilities.features.filter((f) => [...chosen].every((n) => f.properties.needs.indexOf(n) >= 0));
    byId("a11y-count").textContent = interpolate(gettext("Знайдено закладів: %s"), [shown.length]);
    if (markers) map.removeLayer(markers);
    markers = L.featureGroup().addTo(map);
    list.innerHTML = shown.length ? "" : `<li class="empty">${gettext("Немає закладів, що відповідають усім вибраним потребам")}</li>`;
    shown.forEach((f) => list.appendChild(facilityItem(map, facilities, f, markers)));
  }
  let opener = null;
  const toggles = () => ["a11y-toggle", "a11y-quick"].map(byId).filter(Boolean);
  function open(focus = true) {
    byId("a11y").hidden = false;
    toggles().forEach((t) => t.setAttribute("aria-expanded", "true"));
    if (focus) {
      opener = document.activeElement;
      byId("a11y-title").focus();
    }
    if (facilities) { render(); return; }
    byId("a11y-list").innerHTML = `<li class="loading">${gettext("Завантаження…")}</li>`;
    fetch(webmap.config.facilitiesUrl, { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then((data) => {
        facilities = data;
        byId("a11y-needs").replaceChildren(...data.needs.map((n) => needButton(n, chosen, render)));
        render();
      })
      .catch((err) => { byId("a11y-list").innerHTML = `<li class="error">${gettext("Не вдалося завантажити заклади")} (${escapeHtml(err.message)})</li>`; });
  }
  function close() {
    byId("a11y").hidden = true;
    toggles().forEach((t) => t.setAttribute("aria-expanded", "false"));
    if (markers) { map.removeLayer(markers); markers = null; }
    const back = opener && document.body.contains(opener) && opener.offsetParent !== null ? opener : visibleToggle();
    opener = null;
    if (back) back.focus();
  }
  function visibleToggle() {
    return toggles().find((t) => t.offsetParent !== null) || byId("search-input");
  }

  toggles().forEach((t) => t.addEventListener("click", () => (byId("a11y").hidden ? open() : close())));
  byId("a11y-close").addEventListener("click", close);
  const skip = byId("a11y-skip");
  if (skip) skip.addEventListener("click", (e) => { e.preventDefault(); open(); });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !byId("a11y").hidden && byId("a11y").contains(document.activeElement)) close();
  });
  if (start.params && start.params.get("view") === "accessibility") open(false);
}
