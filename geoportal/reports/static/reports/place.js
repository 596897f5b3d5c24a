/* The place of a reported problem: a pin on the portal map (tap, drag, or the map's centre
 * from the keyboard), the phone's GPS with its accuracy circle, or a landmark or text resolved
 * by POST /api/v1/locate (a sure answer pins it, an unsure one offers candidates to pick). */

import { addBasemap } from "../webmap/basemap.js";
import { byId, csrfHeaders } from "../webmap/util.js";
import { clearError, flatErrors, showError } from "./errors.js";

function kindTitle(kind) {
  const kinds = { pole: gettext("опора"), manhole: gettext("колодязь"), stop: gettext("зупинка"),
    street: gettext("вулиця"), address: gettext("будинок"), facility: gettext("заклад") };
  return kinds[kind] || kind;
}

function candidateLabel(c) {
  const what = [kindTitle(c.kind), c.ref].filter(Boolean).join(" ");
  return [what, c.street, c.settlement].filter(Boolean).join(", ");
}

function startView(config) {
  const m = (new URLSearchParams(location.hash.slice(1)).get("map") || "").split("/").map(Number);
  if (m.length === 3 && m.every((v) => !isNaN(v))) return { zoom: m[0], center: [m[1], m[2]] };
  return { zoom: Math.max(config.zoom, 15), center: [config.center[1], config.center[0]] };
}

function statusText(place) {
  const how = { pin: gettext("позначка на мапі"), gps: gettext("GPS телефона"), landmark: gettext("орієнтир") }[place.by];
  const accuracy = place.accuracy ? ", ±" + interpolate(gettext("%s м"), [Math.round(place.accuracy)]) : "";
  return `${gettext("Місце позначено")} (${how}${accuracy}): ${place.lat.toFixed(5)}, ${place.lon.toFixed(5)}` +
    (place.by === "pin" ? "" : gettext(". Позначку можна перетягнути."));
}

/* The form's map (#report-map) and the chosen place; `onChange(place)` after every change.
 * `ready` resolves once the basemap is on (or could not be had). */
export function createPlace(config, onChange) {
  const view = startView(config);
  const map = L.map("report-map", { minZoom: 10, maxZoom: 20, tap: true }).setView(view.center, view.zoom);
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  const ready = addBasemap(map, config.layersUrl, config.roles);
  let place = null;  // {lat, lon, by: "pin" | "gps" | "landmark", accuracy}
  let pin = null;
  let circle = null;

  function set(lat, lon, by, extra) {
    place = { lat, lon, by, accuracy: (extra && extra.accuracy) || null };
    if (!pin) {
      pin = L.marker([lat, lon], { draggable: true, autoPan: true, keyboard: true, title: gettext("Місце проблеми"),
        alt: gettext("Позначка місця проблеми") }).addTo(map);
      pin.on("dragend", () => { const ll = pin.getLatLng(); set(ll.lat, ll.lng, "pin"); });
    } else pin.setLatLng([lat, lon]);
    if (circle) { map.removeLayer(circle); circle = null; }
    if (by === "gps" && place.accuracy) {
      circle = L.circle([lat, lon], { radius: place.accuracy, color: "#1c7ed6", weight: 1, fillOpacity: 0.12, interactive: false, className: "accuracy-circle" }).addTo(map);
    }
    byId("location-status").textContent = statusText(place);
    clearError("location");
    onChange(place);
  }
  map.on("click", (e) => set(e.latlng.lat, e.latlng.lng, "pin"));
  // Without a pointer: move the map with the arrow keys, then pin its centre.
  byId("centre-button").addEventListener("click", () => { const c = map.getCenter(); set(c.lat, c.lng, "pin"); });
  const api = { map, ready, get: () => place, set };
  initGps(api);
  api.showLocated = initLocator(api, config);
  return api;
}

/* (b) the phone's GPS */
function initGps(place) {
  byId("gps-button").addEventListener("click", () => {
    const status = byId("location-status");
    if (!navigator.geolocation) { status.textContent = gettext("Ваш браузер не визначає місцезнаходження. Позначте місце на мапі."); return; }
    status.textContent = gettext("Визначаємо місцезнаходження…");
    navigator.geolocation.getCurrentPosition((pos) => {
      const { latitude, longitude, accuracy } = pos.coords;
      place.set(latitude, longitude, "gps", { accuracy });
      place.map.setView([latitude, longitude], accuracy > 150 ? 16 : 18);
    }, (err) => {
      status.textContent = err.code === 1
        ? gettext("Доступ до геолокації заборонено. Позначте місце на мапі або опишіть орієнтир.")
        : gettext("Не вдалося визначити місцезнаходження. Позначте місце на мапі або опишіть орієнтир.");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
}

function candidateList(place, candidates) {
  const list = document.createElement("ul");
  list.className = "candidates";
  list.setAttribute("aria-label", gettext("Можливі місця"));
  candidates.slice(0, 8).forEach((c) => {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    // A choice of the locator's question carries its label and what tells it from the others.
    const tells = c.distinguishing && !(c.label || "").includes(c.distinguishing) ? c.distinguishing : "";
    b.textContent = c.label ? [c.label, tells].filter(Boolean).join(" — ") : candidateLabel(c);
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", () => {
      list.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", "false"));
      b.setAttribute("aria-pressed", "true");
      place.set(c.lat, c.lon, "landmark");
      place.map.setView([c.lat, c.lon], 18);
    });
    li.appendChild(b);
    list.appendChild(li);
  });
  return list;
}

/* (c) landmarks and text through the locator; returns showLocated(body, ok) for the form's
 * refused-report answer, which may carry candidates too. */
function initLocator(place, config) {
  function showLocated(body, ok) {
    const box = byId("locate-result");
    box.innerHTML = "";
    const confident = ok && body.confidence >= config.confident && !body.ambiguous;
    const p = document.createElement("p");
    p.className = "explanation" + (confident ? "" : " unsure");
    p.textContent = body.explanation || gettext("Місце не знайдено.");
    box.appendChild(p);
    if (confident) {
      place.set(body.lat, body.lon, "landmark");
      place.map.setView([body.lat, body.lon], 18);
    } else if (body.candidates && body.candidates.length) {
      const intro = document.createElement("p");
      intro.className = "hint";
      const pick = gettext("Оберіть правильне місце зі списку або позначте його на мапі:");
      intro.textContent = body.question ? `${body.question} ${pick}` : pick;
      const choices = body.choices && body.choices.length ? body.choices : body.candidates;
      box.append(intro, candidateList(place, choices));
    } else {
      p.textContent += " " + gettext("Позначте місце на мапі.");
    }
  }
  function locate() {
    const text = byId("location-text").value.trim();
    clearError("location_text");
    if (!text) { showError("location_text", [gettext("Опишіть місце або орієнтир.")]); return; }
    const body = { text };
    const current = place.get();
    if (current && current.by === "gps") Object.assign(body, { lat: current.lat, lon: current.lon, accuracy_m: current.accuracy });
    byId("locate-result").innerHTML = `<p class="hint">${gettext("Шукаємо…")}</p>`;
    fetch(config.locateUrl, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: csrfHeaders({ "Content-Type": "application/json", Accept: "application/json" }) })
      .then((r) => r.json().then((j) => [r.status, j]))
      .then(([status, j]) => {
        if (status === 200 || status === 422) showLocated(j, status === 200);
        else { byId("locate-result").innerHTML = ""; showError("location_text", flatErrors(j)); }
      })
      .catch(() => { byId("locate-result").innerHTML = `<p class="field-error">${gettext("Немає зв'язку з сервером. Спробуйте ще раз.")}</p>`; });
  }
  byId("locate-button").addEventListener("click", locate);
  byId("location-text").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); locate(); } });
  return showLocated;
}
