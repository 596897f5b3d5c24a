/* The resident's "report a problem" form (/reports/new/), its entry module: category with its
 * extra questions, the place (place.js), open reports nearby to confirm or follow instead of a
 * duplicate (nearby.js), photos checked before upload (photos.js), contact and the
 * formal-appeal option; POST /api/v1/reports, field errors shown next to the fields
 * (errors.js). Publishes the automation hook "report-form" once its map is ready. */

import { escapeHtml, dateLocale, pageData, publish, byId, csrfHeaders } from "../webmap/util.js";
import { clearErrors, showErrors } from "./errors.js";
import { createNearby } from "./nearby.js";
import { initPhotos } from "./photos.js";
import { createPlace } from "./place.js";

const config = pageData("report-config");
const form = byId("report-form");

function categoryCode() { const c = form.querySelector("input[name=category]:checked"); return c ? c.value : ""; }
function category() { return config.categories.find((c) => c.code === categoryCode()); }

// --- the category's extra questions ------------------------------------------------------
function questionHtml(q) {
  const id = `q-${q.name}`;
  const name = escapeHtml(q.name);
  const req = q.required ? ` <span aria-hidden="true">*</span>` : "";
  const err = `<p class="field-error" id="err-answers.${name}"></p>`;
  if (q.type === "text") {
    return `<label for="${id}">${escapeHtml(q.label)}${req}</label>` +
      `<input id="${id}" data-question="${name}" maxlength="1000"${q.required ? " required aria-required=\"true\"" : ""} aria-describedby="err-answers.${name}">${err}`;
  }
  const options = q.type === "bool" ? [["true", gettext("так")], ["false", gettext("ні")]] : q.choices.map((c) => [c, c]);
  return `<fieldset id="${id}" data-question="${name}" aria-describedby="err-answers.${name}"${q.required ? " aria-required=\"true\"" : ""}>` +
    `<legend>${escapeHtml(q.label)}${req}</legend><div class="q-options">` +
    options.map(([v, label]) => `<label><input type="radio" name="${id}" value="${escapeHtml(v)}"> ${escapeHtml(label)}</label>`).join("") +
    `</div>${err}</fieldset>`;
}
function renderQuestions() {
  const box = byId("questions");
  const cat = category();
  box.innerHTML = "";
  box.hidden = !cat || !cat.questions.length;
  if (cat) cat.questions.forEach((q) => box.insertAdjacentHTML("beforeend", questionHtml(q)));
}
function answers() {
  const out = {};
  byId("questions").querySelectorAll("[data-question]").forEach((el) => {
    const v = el.tagName === "INPUT" ? el.value.trim() : (el.querySelector("input:checked") || {}).value;
    if (v) out[el.dataset.question] = v;
  });
  return out;
}

// --- the place and the reports near it ----------------------------------------------------
const checkNearby = createNearby(config);
const place = createPlace(config, (p) => checkNearby(categoryCode(), p));
form.querySelectorAll("input[name=category]").forEach((r) => r.addEventListener("change", () => {
  renderQuestions();
  checkNearby(categoryCode(), place.get());
}));
const photos = initPhotos(config);

// --- the formal appeal -----------------------------------------------------------------------
byId("is-appeal").addEventListener("change", (e) => {
  const on = e.target.checked;
  byId("appeal-fields").hidden = !on;
  ["name", "email", "postal_address"].forEach((id) => {
    byId(id).required = on;
    byId(id).setAttribute("aria-required", String(on));
  });
});

// --- submit -------------------------------------------------------------------------------------
function payload() {
  const data = new FormData();
  data.append("category", categoryCode());
  data.append("answers", JSON.stringify(answers()));
  const p = place.get();
  if (p) {
    data.append("lat", p.lat.toFixed(7));
    data.append("lon", p.lon.toFixed(7));
    // A point the resident saw on the map (tapped, dragged, or a located landmark they kept) is a pin.
    data.append("located_by", p.by === "gps" ? "gps" : "pin");
    if (p.accuracy) data.append("accuracy_m", String(Math.round(p.accuracy)));
  }
  ["location_text", "description", "name", "email", "phone", "postal_address"].forEach((name) => data.append(name, form.elements[name].value.trim()));
  data.append("is_appeal", byId("is-appeal").checked ? "true" : "false");
  data.append(config.honeypot, form.elements[config.honeypot].value);
  photos.forEach((file) => data.append("photos", file, file.name));
  return data;
}

function done(report) {
  form.hidden = true;
  byId("done-title").textContent = interpolate(gettext("Дякуємо! Повідомлення №%s прийнято."), [report.id]);
  const deadline = report.deadline ? new Date(report.deadline).toLocaleDateString(dateLocale(config.language)) : "";
  byId("done-text").textContent = [report.category_title, report.department,
    deadline ? interpolate(gettext("строк розгляду — до %s"), [deadline]) : ""].filter(Boolean).join(" · ");
  byId("done-explanation").textContent = report.locator && report.locator.explanation
    ? gettext("Місце: ") + report.locator.explanation : "";
  byId("done-link").href = report.url;
  byId("done-map").href = `${config.mapUrl}#map=18/${report.lat.toFixed(5)}/${report.lon.toFixed(5)}&reports=1`;
  byId("done").hidden = false;
  byId("done").focus();
  window.scrollTo(0, 0);
}

function refused(code, j) {
  if (code === 429) j.detail = j.detail || gettext("Забагато повідомлень. Спробуйте трохи пізніше.");
  if (j.candidates && j.candidates.length) place.showLocated({ explanation: ((j.errors || {}).location || [])[0], candidates: j.candidates, question: j.question, choices: j.choices }, false);
  showErrors(j, config.honeypot);
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearErrors(form);
  const button = byId("submit-button");
  const status = byId("submit-status");
  button.disabled = true;
  status.textContent = gettext("Надсилаємо…");
  fetch(config.reportsUrl, { method: "POST", credentials: "same-origin", body: payload(), headers: csrfHeaders({ Accept: "application/json" }) })
    .then((r) => r.json().catch(() => ({})).then((j) => [r.status, j]))
    .then(([code, j]) => {
      button.disabled = false;
      status.textContent = "";
      if (code === 201) done(j); else refused(code, j);
    })
    .catch(() => {
      button.disabled = false;
      status.textContent = gettext("Немає зв'язку з сервером. Нічого не втрачено: спробуйте надіслати ще раз.");
    });
});

place.ready.then(() => publish("report-form", { leaflet: place.map }));
