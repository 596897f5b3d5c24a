/* The report form's field errors: the message next to its field (#err-{field}), the field
 * marked aria-invalid, and the summary at the top (#form-errors) linking to the fields. */

import { escapeHtml, byId } from "../webmap/util.js";

// Where the API's field names are shown on the form.
const FIELD_OF = { lat: "location", lon: "location", located_by: "location", accuracy_m: "location", landmarks: "location" };

function labels() {
  return { category: gettext("Категорія"), location: gettext("Місце"), location_text: gettext("Орієнтир"),
    description: gettext("Опис"), photos: gettext("Фото"), name: gettext("Ім'я"), email: "E-mail",
    phone: gettext("Телефон"), postal_address: gettext("Поштова адреса"), answers: gettext("Уточнення") };
}

/* The messages of an API error answer as one list. */
export function flatErrors(j) {
  const errs = (j && j.errors) || {};
  const list = [].concat(...Object.values(errs).map((v) => [].concat(v)));
  return list.length ? list : [(j && j.detail) || gettext("Помилка.")];
}

function fieldTarget(field) {
  if (field.startsWith("answers.")) return byId(`q-${field.slice(8)}`);
  return { category: byId("f-category"), location: byId("report-map"), location_text: byId("location-text"), photos: byId("photos") }[field] || byId(field);
}

export function showError(field, messages) {
  const el = byId(`err-${field}`);
  if (el) el.textContent = messages.join(" ");
  const target = fieldTarget(field);
  if (target) target.setAttribute("aria-invalid", "true");
}

export function clearError(field) {
  const el = byId(`err-${field}`);
  if (el) el.textContent = "";
  const target = fieldTarget(field);
  if (target) target.removeAttribute("aria-invalid");
}

export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((el) => { el.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  byId("form-errors").hidden = true;
}

/* A refused report: each message next to its field, all of them in the focused summary. */
export function showErrors(j, honeypot) {
  const byField = {};
  Object.entries(j.errors || {}).forEach(([field, msgs]) => {
    const key = FIELD_OF[field] || (field === honeypot ? "_" : field);
    byField[key] = (byField[key] || []).concat(msgs);
  });
  const names = labels();
  const items = Object.entries(byField).map(([field, msgs]) => {
    const shown = !!byId(`err-${field}`);
    if (shown) showError(field, msgs);
    const label = field.startsWith("answers.") ? names.answers : names[field] || "";
    const target = fieldTarget(field);
    const text = escapeHtml((label ? label + ": " : "") + msgs.join(" "));
    return shown && target && target.id ? `<li><a href="#${target.id}">${text}</a></li>` : `<li>${text}</li>`;
  });
  const summary = byId("form-errors");
  summary.innerHTML = `<strong>${escapeHtml(j.detail || gettext("Повідомлення не прийнято."))}</strong>` + (items.length ? `<ul>${items.join("")}</ul>` : "");
  summary.hidden = false;
  summary.focus();
}
