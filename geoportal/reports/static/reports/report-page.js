/* The public page of a report (/reports/{id}/): a small map of its place (#map's data-lat,
 * data-lon) on the portal's own basemap (webmap/basemap.js, as the web map and the dashboard
 * draw it). #map carries data-basemap ("ready" | "none") for tests. */

import { addBasemap } from "../webmap/basemap.js";
import { pageData } from "../webmap/util.js";

const el = document.getElementById("map");
const view = pageData("map-view");
const ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
const map = L.map(el, { scrollWheelZoom: false, keyboard: false }).setView(ll, 17);
L.marker(ll, { keyboard: false, interactive: false, alt: el.getAttribute("aria-label") }).addTo(map);
addBasemap(map, view.layersUrl, view.roles).then((base) => {
  if (base) base.once("load", () => { el.dataset.basemap = "ready"; });
  else el.dataset.basemap = "none";
});
