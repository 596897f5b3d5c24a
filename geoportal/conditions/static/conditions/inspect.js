/* The inspector's page (/conditions/inspect/): tap a pole or a street segment on the map, set
 * its state (and a photo); the inspection goes into the offline queue (queue.js) and is sent
 * at once when the network allows, or when it comes back. */

import { addBasemap } from "../webmap/basemap.js";
import { byId, csrfHeaders, escapeHtml, pageData, publish } from "../webmap/util.js";
import * as queue from "./queue.js";

const config = pageData("page-config");
const map = L.map("inspect-map").setView([config.center[1], config.center[0]], 17);
addBasemap(map, config.layersUrl, config.roles);
const assets = L.geoJSON(null, {
  pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 9, weight: 2, fillOpacity: 0.8 }),
  style: (f) => (f.properties.asset === "pole" ? { color: "#ff7f00" } : { color: "#1f4e79", weight: 7, opacity: 0.6 }),
  onEachFeature: (f, layer) => layer.on("click", () => select(f.properties)),
}).addTo(map);
const form = byId("inspect-form");
let current = null;

function select(props) {
  current = props;
  form.hidden = false;
  form.reset();
  byId("lamp-states").hidden = props.asset !== "pole";
  byId("road-conditions").hidden = props.asset !== "segment";
  byId("asset-title").textContent = props.asset === "pole"
    ? `${gettext("Опора")} ${props.number}, ${props.street}` : props.street;
  const value = props.asset === "pole" ? props.state : props.condition;
  const box = form.querySelector(`input[value="${CSS.escape(value || "")}"]`);
  if (box) box.checked = true;
  return props;
}

async function showQueue(result) {
  const left = (await queue.all()).length;
  const el = byId("queue");
  el.dataset.count = String(left);
  el.dataset.offline = navigator.onLine ? "0" : "1";
  el.textContent = left ? `${gettext("У черзі оглядів:")} ${left}${navigator.onLine ? "" : " — " + gettext("немає мережі, надішлемо пізніше")}`
    : gettext("Усі огляди надіслано.");
  if (result && result.failed) el.textContent += ` ${gettext("Не прийнято:")} ${result.failed}`;
  return left;
}

let flushing = null;
function flush() {
  if (!flushing) {
    flushing = queue.flush(config.inspectionsUrl, () => csrfHeaders())
      .then((result) => showQueue(result).then(() => result))
      .finally(() => { flushing = null; });
  }
  return flushing;
}

async function submit() {
  const data = new FormData(form);
  const fields = { key: queue.newKey(), asset: current.asset, id: String(current.id),
    note: data.get("note") || "", observed_at: new Date().toISOString() };
  if (current.asset === "pole") fields.state = data.get("state") || "";
  else { fields.condition = data.get("condition") || ""; fields.surface = data.get("surface") || ""; }
  const photo = data.get("photo");
  await queue.put({ key: fields.key, fields, photo: photo && photo.size ? photo : null });
  form.hidden = true;
  await showQueue();
  await flush();
  return fields.key;
}

form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
window.addEventListener("online", () => flush());
window.addEventListener("offline", () => showQueue());

async function loadAssets() {
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
  try {
    const fc = await fetch(`${config.assetsUrl}?bbox=${bbox}`, { credentials: "same-origin" }).then((r) => r.json());
    assets.clearLayers().addData(fc);
    return fc.features.length;
  } catch {
    return 0; // offline: the map keeps what it had
  }
}
map.on("moveend", loadAssets);

Promise.all([loadAssets(), showQueue()]).then(() => flush()).then(() =>
  publish("inspect", { leaflet: map, select, submit, flush, queued: () => queue.all().then((r) => r.length),
    escapeHtml }));
