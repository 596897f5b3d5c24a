/* "Already reported?": open reports of the chosen category near the chosen place
 * (GET /api/v1/reports/nearby), each with "I see it too" (confirm) and "Follow" (e-mail). */

import { escapeHtml, byId, csrfHeaders } from "../webmap/util.js";
import { flatErrors } from "./errors.js";

function itemHtml(r, metres) {
  return `<strong>№${escapeHtml(r.id)} · ${escapeHtml(r.category_title)}</strong> — ${escapeHtml(r.status_title)}` +
    `<br><small>${metres} ${gettext("м від вашої позначки")} · ${gettext("підтверджень")}: <span class="count">${escapeHtml(r.confirmations)}</span></small>` +
    (r.description ? `<br><small>${escapeHtml(r.description.slice(0, 140))}</small>` : "") +
    `<div class="actions"><button type="button" class="secondary confirm">${gettext("Я теж це бачу — підтвердити")}</button>` +
    `<a href="${escapeHtml(r.url)}" target="_blank" rel="noopener">${gettext("Відкрити сторінку")}</a></div>` +
    `<div class="subscribe"><label class="sr-only" for="sub-${r.id}">${gettext("E-mail для сповіщень")}</label>` +
    `<input type="email" id="sub-${r.id}" placeholder="${gettext("e-mail для сповіщень")}" autocomplete="email">` +
    `<button type="button" class="secondary follow">${gettext("Стежити")}</button></div>` +
    `<p class="result confirmed" aria-live="polite"></p><p class="result followed" aria-live="polite"></p>`;
}

function confirmReport(config, r, li, button) {
  button.disabled = true;
  fetch(config.confirmUrl.replace("{id}", r.id), { method: "POST", credentials: "same-origin", headers: csrfHeaders({ Accept: "application/json" }) })
    .then((resp) => resp.json().then((j) => [resp.ok, j]))
    .then(([ok, j]) => {
      const out = li.querySelector(".result.confirmed");
      if (!ok) { out.textContent = j.detail || gettext("Не вдалося підтвердити."); button.disabled = false; return; }
      li.querySelector(".count").textContent = j.confirmations;
      out.textContent = (j.added ? gettext("Дякуємо! Ваше підтвердження враховано.")
        : gettext("Ви вже підтвердили це повідомлення.")) + " " + gettext("Нове повідомлення можна не надсилати.");
    })
    .catch(() => { button.disabled = false; });
}

function subscribe(config, r, li) {
  const input = li.querySelector("input[type=email]");
  const out = li.querySelector(".result.followed");
  fetch(config.subscribeUrl.replace("{id}", r.id), { method: "POST", credentials: "same-origin", body: JSON.stringify({ email: input.value.trim() }),
    headers: csrfHeaders({ "Content-Type": "application/json", Accept: "application/json" }) })
    .then((resp) => resp.json().then((j) => [resp.ok, j]))
    .then(([ok, j]) => {
      input.setAttribute("aria-invalid", String(!ok));
      out.textContent = ok ? gettext("Ви стежите за цим повідомленням: зміни прийдуть на e-mail.") : flatErrors(j).join(" ");
    })
    .catch(() => { out.textContent = gettext("Немає зв'язку з сервером."); });
}

function render(config, place, reports) {
  const list = byId("nearby-list");
  list.innerHTML = "";
  byId("nearby").hidden = !reports.length;
  byId("nearby-status").textContent = reports.length
    ? interpolate(gettext("Поруч уже є відкриті повідомлення: %s."), [reports.length]) : "";
  reports.forEach((r) => {
    const li = document.createElement("li");
    li.dataset.report = r.id;
    li.innerHTML = itemHtml(r, Math.round(L.latLng(place.lat, place.lon).distanceTo([r.lat, r.lon])));
    li.querySelector(".confirm").addEventListener("click", (e) => confirmReport(config, r, li, e.currentTarget));
    li.querySelector(".follow").addEventListener("click", () => subscribe(config, r, li));
    list.appendChild(li);
  });
}

/* check(category, place): look again for the category's open reports around the place. */
export function createNearby(config) {
  let seq = 0;
  return function check(category, place) {
    if (!category || !place) { byId("nearby").hidden = true; return; }
    const mine = ++seq;
    const q = new URLSearchParams({ lat: place.lat.toFixed(7), lon: place.lon.toFixed(7), category });
    fetch(`${config.nearbyUrl}?${q}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : { reports: [] }))
      .then((data) => { if (mine === seq) render(config, place, data.reports); })
      .catch(() => {});
  };
}
