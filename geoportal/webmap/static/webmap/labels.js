/* Street labels: fetched once, shown at z16+ while the streets layer is on; names shortened
 * the way Ukrainian maps print them (вул., пров., ...). */

import { escapeHtml } from "./util.js";

const ABBR = [[/^вулиця /i, "вул. "], [/^провулок /i, "пров. "], [/^проспект /i, "просп. "], [/^площа /i, "пл. "], [/^бульвар /i, "бульв. "], [/^тупик /i, "туп. "]];
const MIN_ZOOM = 16;

/* The labels of `map`; `streetsOn()` tells whether the streets layer is switched on. */
export function createStreetLabels(map, labelsUrl, streetsOn) {
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  const group = L.layerGroup();

  function update() {
    const show = map.getZoom() >= MIN_ZOOM && streetsOn();
    if (show && !map.hasLayer(group)) group.addTo(map);
    if (!show && map.hasLayer(group)) map.removeLayer(group);
  }
  function add(l) {
    let name = l.name;
    ABBR.forEach(([re, short]) => { name = name.replace(re, short); });
    const icon = L.divIcon({ className: "street-label", iconSize: null,
      html: `<span style="transform: translate(-50%, -50%) rotate(${l.angle}deg)">${escapeHtml(name)}</span>` });
    L.marker([l.lat, l.lon], { icon, pane: "labels", interactive: false, keyboard: false }).addTo(group);
  }
  function load() {
    fetch(labelsUrl, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { labels: [] }))
      .then((data) => { data.labels.forEach(add); update(); })
      .catch(() => {});
  }

  map.on("zoomend", update);
  return { load, update };
}
