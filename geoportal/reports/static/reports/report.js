/* The resident's "report a problem" form (/reports/new/): category with its extra questions,
 * the place (a pin on the portal map, the phone's GPS with its accuracy circle, a landmark or
 * text resolved by POST /api/v1/locate, or a photo's EXIF GPS read by the server), open reports
 * nearby to confirm or follow instead of a duplicate, photos checked before upload, contact and
 * the formal-appeal option; POST /api/v1/reports, field errors shown next to the fields. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("report-config").textContent);
  const en = config.language === "en";
  const t = (uk, eng) => (en ? eng : uk);
  const $ = (id) => document.getElementById(id);
  const form = $("report-form");
  const KINDS = { pole: t("опора", "pole"), manhole: t("колодязь", "manhole"), stop: t("зупинка", "stop"),
    street: t("вулиця", "street"), address: t("будинок", "building"), facility: t("заклад", "facility") };

  function escapeHtml(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function categoryCode() { const c = form.querySelector("input[name=category]:checked"); return c ? c.value : ""; }
  function category() { return config.categories.find((c) => c.code === categoryCode()); }

  // --- the category's extra questions ------------------------------------------------------
  function renderQuestions() {
    const box = $("questions");
    const cat = category();
    box.innerHTML = "";
    box.hidden = !cat || !cat.questions.length;
    if (!cat) return;
    cat.questions.forEach((q) => {
      const id = `q-${q.name}`;
      const req = q.required ? ` <span aria-hidden="true">*</span>` : "";
      const err = `<p class="field-error" id="err-answers.${escapeHtml(q.name)}"></p>`;
      if (q.type === "text") {
        box.insertAdjacentHTML("beforeend",
          `<label for="${id}">${escapeHtml(q.label)}${req}</label>` +
          `<input id="${id}" data-question="${escapeHtml(q.name)}" maxlength="1000"${q.required ? " required aria-required=\"true\"" : ""} aria-describedby="err-answers.${escapeHtml(q.name)}">${err}`);
        return;
      }
      const options = q.type === "bool" ? [["true", t("так", "yes")], ["false", t("ні", "no")]] : q.choices.map((c) => [c, c]);
      box.insertAdjacentHTML("beforeend",
        `<fieldset id="${id}" data-question="${escapeHtml(q.name)}" aria-describedby="err-answers.${escapeHtml(q.name)}"${q.required ? " aria-required=\"true\"" : ""}>` +
        `<legend>${escapeHtml(q.label)}${req}</legend><div class="q-options">` +
        options.map(([v, label]) => `<label><input type="radio" name="${id}" value="${escapeHtml(v)}"> ${escapeHtml(label)}</label>`).join("") +
        `</div>${err}</fieldset>`);
    });
  }
  function answers() {
    const out = {};
    $("questions").querySelectorAll("[data-question]").forEach((el) => {
      const v = el.tagName === "INPUT" ? el.value.trim() : (el.querySelector("input:checked") || {}).value;
      if (v) out[el.dataset.question] = v;
    });
    return out;
  }
  form.querySelectorAll("input[name=category]").forEach((r) => r.addEventListener("change", () => {
    renderQuestions();
    checkNearby();
  }));

  // --- the map and the pin ------------------------------------------------------------------
  const start = (() => {
    const m = (new URLSearchParams(location.hash.slice(1)).get("map") || "").split("/").map(Number);
    return m.length === 3 && m.every((v) => !isNaN(v)) ? { zoom: m[0], center: [m[1], m[2]] } : null;
  })();
  const map = L.map("report-map", { minZoom: 10, maxZoom: 20, tap: true })
    .setView(start ? start.center : [config.center[1], config.center[0]], start ? start.zoom : Math.max(config.zoom, 15));
  window.reportMap = map;
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  fetch(config.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : []))
    .then((layers) => {
      const base = window.geoportalBasemap.layerFrom(layers);
      if (base) base.addTo(map);
      window.reportMapReady = true;
    })
    .catch(() => { window.reportMapReady = true; });

  // place = {lat, lon, by: "pin" | "gps" | "landmark", accuracy}
  let place = null;
  let pin = null;
  let circle = null;
  function setPlace(lat, lon, by, extra) {
    place = { lat, lon, by, accuracy: (extra && extra.accuracy) || null };
    if (!pin) {
      pin = L.marker([lat, lon], { draggable: true, autoPan: true, keyboard: true, title: t("Місце проблеми", "Place of the problem"),
                                   alt: t("Позначка місця проблеми", "Pin at the problem") }).addTo(map);
      pin.on("dragend", () => { const ll = pin.getLatLng(); setPlace(ll.lat, ll.lng, "pin"); });
    } else pin.setLatLng([lat, lon]);
    if (circle) { map.removeLayer(circle); circle = null; }
    if (by === "gps" && place.accuracy) {
      circle = L.circle([lat, lon], { radius: place.accuracy, color: "#1c7ed6", weight: 1, fillOpacity: 0.12, interactive: false, className: "accuracy-circle" }).addTo(map);
    }
    const how = { pin: t("позначка на мапі", "pin on the map"), gps: t("GPS телефона", "phone GPS"),
                  landmark: t("орієнтир", "landmark") }[by];
    $("location-status").textContent = t("Місце позначено", "Place set") + ` (${how}${place.accuracy ? ", ±" + Math.round(place.accuracy) + t(" м", " m") : ""}): ` +
      `${lat.toFixed(5)}, ${lon.toFixed(5)}` + (by === "pin" ? "" : t(". Позначку можна перетягнути.", ". You can drag the pin."));
    clearError("location");
    checkNearby();
  }
  map.on("click", (e) => setPlace(e.latlng.lat, e.latlng.lng, "pin"));
  // Without a pointer: move the map with the arrow keys, then pin its centre.
  $("centre-button").addEventListener("click", () => { const c = map.getCenter(); setPlace(c.lat, c.lng, "pin"); });

  // --- (b) the phone's GPS -----------------------------------------------------------------------
  $("gps-button").addEventListener("click", () => {
    const status = $("location-status");
    if (!navigator.geolocation) { status.textContent = t("Ваш браузер не визначає місцезнаходження. Позначте місце на мапі.", "Your browser cannot tell your location. Put a pin on the map."); return; }
    status.textContent = t("Визначаємо місцезнаходження…", "Finding your location…");
    navigator.geolocation.getCurrentPosition((pos) => {
      const { latitude, longitude, accuracy } = pos.coords;
      setPlace(latitude, longitude, "gps", { accuracy });
      map.setView([latitude, longitude], accuracy > 150 ? 16 : 18);
    }, (err) => {
      status.textContent = err.code === 1
        ? t("Доступ до геолокації заборонено. Позначте місце на мапі або опишіть орієнтир.", "Location access was denied. Put a pin on the map or describe a landmark.")
        : t("Не вдалося визначити місцезнаходження. Позначте місце на мапі або опишіть орієнтир.", "Could not find your location. Put a pin on the map or describe a landmark.");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  // --- (c) landmarks and text through the locator --------------------------------------------
  function candidateLabel(c) {
    const what = [KINDS[c.kind] || c.kind, c.ref].filter(Boolean).join(" ");
    return [what, c.street, c.settlement].filter(Boolean).join(", ");
  }
  function showCandidates(candidates, chosen) {
    if (!candidates || !candidates.length) return "";
    const list = document.createElement("ul");
    list.className = "candidates";
    list.setAttribute("aria-label", t("Можливі місця", "Possible places"));
    candidates.slice(0, 8).forEach((c, i) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = candidateLabel(c);
      b.setAttribute("aria-pressed", String(i === chosen));
      b.addEventListener("click", () => {
        list.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", "false"));
        b.setAttribute("aria-pressed", "true");
        setPlace(c.lat, c.lon, "landmark");
        map.setView([c.lat, c.lon], 18);
      });
      li.appendChild(b);
      list.appendChild(li);
    });
    return list;
  }
  function showLocated(body, ok) {
    const box = $("locate-result");
    box.innerHTML = "";
    const confident = ok && body.confidence >= config.confident && !body.ambiguous;
    const p = document.createElement("p");
    p.className = "explanation" + (confident ? "" : " unsure");
    p.textContent = body.explanation || t("Місце не знайдено.", "Place not found.");
    box.appendChild(p);
    if (confident) {
      setPlace(body.lat, body.lon, "landmark");
      map.setView([body.lat, body.lon], 18);
    } else if (body.candidates && body.candidates.length) {
      const intro = document.createElement("p");
      intro.className = "hint";
      intro.textContent = t("Оберіть правильне місце зі списку або позначте його на мапі:", "Pick the right place from the list or put a pin on the map:");
      box.append(intro, showCandidates(body.candidates, -1));
    } else {
      p.textContent += " " + t("Позначте місце на мапі.", "Put a pin on the map.");
    }
  }
  function locateText() {
    const text = $("location-text").value.trim();
    clearError("location_text");
    if (!text) { showError("location_text", [t("Опишіть місце або орієнтир.", "Describe the place or a landmark.")]); return; }
    const body = { text };
    if (place && place.by === "gps") Object.assign(body, { lat: place.lat, lon: place.lon, accuracy_m: place.accuracy });
    $("locate-result").innerHTML = `<p class="hint">${t("Шукаємо…", "Searching…")}</p>`;
    fetch(config.locateUrl, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                              headers: { "Content-Type": "application/json", Accept: "application/json" } })
      .then((r) => r.json().then((j) => [r.status, j]))
      .then(([status, j]) => {
        if (status === 200 || status === 422) showLocated(j, status === 200);
        else { $("locate-result").innerHTML = ""; showError("location_text", flatErrors(j)); }
      })
      .catch(() => { $("locate-result").innerHTML = `<p class="field-error">${t("Немає зв'язку з сервером. Спробуйте ще раз.", "No connection to the server. Please try again.")}</p>`; });
  }
  $("locate-button").addEventListener("click", locateText);
  $("location-text").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); locateText(); } });

  // --- "already reported?": open reports of the category nearby --------------------------------
  let nearbySeq = 0;
  function checkNearby() {
    const code = categoryCode();
    if (!code || !place) { $("nearby").hidden = true; return; }
    const seq = ++nearbySeq;
    const q = new URLSearchParams({ lat: place.lat.toFixed(7), lon: place.lon.toFixed(7), category: code });
    fetch(`${config.nearbyUrl}?${q}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : { reports: [] }))
      .then((data) => { if (seq === nearbySeq) renderNearby(data.reports); })
      .catch(() => {});
  }
  function renderNearby(reports) {
    const list = $("nearby-list");
    list.innerHTML = "";
    $("nearby").hidden = !reports.length;
    $("nearby-status").textContent = reports.length
      ? t(`Поруч уже є відкриті повідомлення: ${reports.length}.`, `Open reports nearby: ${reports.length}.`) : "";
    reports.forEach((r) => {
      const metres = Math.round(map.distance([place.lat, place.lon], [r.lat, r.lon]));
      const li = document.createElement("li");
      li.dataset.report = r.id;
      li.innerHTML =
        `<strong>№${escapeHtml(r.id)} · ${escapeHtml(r.category_title)}</strong> — ${escapeHtml(r.status_title)}` +
        `<br><small>${metres} ${t("м від вашої позначки", "m from your pin")} · ${t("підтверджень", "confirmations")}: <span class="count">${escapeHtml(r.confirmations)}</span></small>` +
        (r.description ? `<br><small>${escapeHtml(r.description.slice(0, 140))}</small>` : "") +
        `<div class="actions"><button type="button" class="secondary confirm">${t("Я теж це бачу — підтвердити", "I see it too — confirm")}</button>` +
        `<a href="${escapeHtml(r.url)}" target="_blank" rel="noopener">${t("Відкрити сторінку", "Open the page")}</a></div>` +
        `<div class="subscribe"><label class="sr-only" for="sub-${r.id}">${t("E-mail для сповіщень", "E-mail for updates")}</label>` +
        `<input type="email" id="sub-${r.id}" placeholder="${t("e-mail для сповіщень", "e-mail for updates")}" autocomplete="email">` +
        `<button type="button" class="secondary follow">${t("Стежити", "Follow")}</button></div>` +
        `<p class="result confirmed" aria-live="polite"></p><p class="result followed" aria-live="polite"></p>`;
      li.querySelector(".confirm").addEventListener("click", (e) => confirmReport(r, li, e.currentTarget));
      li.querySelector(".follow").addEventListener("click", () => subscribe(r, li));
      list.appendChild(li);
    });
  }
  function confirmReport(r, li, button) {
    button.disabled = true;
    fetch(config.confirmUrl.replace("{id}", r.id), { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((resp) => resp.json().then((j) => [resp.ok, j]))
      .then(([ok, j]) => {
        const out = li.querySelector(".result.confirmed");
        if (!ok) { out.textContent = j.detail || t("Не вдалося підтвердити.", "Could not confirm."); button.disabled = false; return; }
        li.querySelector(".count").textContent = j.confirmations;
        out.textContent = (j.added ? t("Дякуємо! Ваше підтвердження враховано.", "Thank you! Your confirmation is counted.")
                                   : t("Ви вже підтвердили це повідомлення.", "You have already confirmed this report.")) +
          " " + t("Нове повідомлення можна не надсилати.", "There is no need to send a new report.");
      })
      .catch(() => { button.disabled = false; });
  }
  function subscribe(r, li) {
    const input = li.querySelector("input[type=email]");
    const out = li.querySelector(".result.followed");
    fetch(config.subscribeUrl.replace("{id}", r.id), { method: "POST", credentials: "same-origin", body: JSON.stringify({ email: input.value.trim() }),
                                                       headers: { "Content-Type": "application/json", Accept: "application/json" } })
      .then((resp) => resp.json().then((j) => [resp.ok, j]))
      .then(([ok, j]) => {
        input.setAttribute("aria-invalid", String(!ok));
        out.textContent = ok ? t("Ви стежите за цим повідомленням: зміни прийдуть на e-mail.", "You are following this report: updates will come by e-mail.")
                             : flatErrors(j).join(" ");
      })
      .catch(() => { out.textContent = t("Немає зв'язку з сервером.", "No connection to the server."); });
  }

  // --- photos: checked before upload ----------------------------------------------------------
  const photos = [];
  const TYPES = ["image/jpeg", "image/png", "image/webp"];
  function renderPhotos() {
    const list = $("photo-list");
    list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
    list.innerHTML = "";
    photos.forEach((file, i) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = t(`Фото ${i + 1}: ${file.name}`, `Photo ${i + 1}: ${file.name}`);
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = t("Прибрати", "Remove");
      b.setAttribute("aria-label", t(`Прибрати фото ${i + 1}`, `Remove photo ${i + 1}`));
      b.addEventListener("click", () => { photos.splice(i, 1); renderPhotos(); $("photos").focus(); });
      li.append(img, b);
      list.appendChild(li);
    });
  }
  $("photos").addEventListener("change", (e) => {
    const problems = [];
    const mb = Math.round(config.maxPhotoBytes / 1048576);
    [...e.target.files].forEach((file) => {
      if (photos.length >= config.maxPhotos) problems.push(t(`«${file.name}»: можна додати не більше ${config.maxPhotos} фото.`, `"${file.name}": at most ${config.maxPhotos} photos.`));
      else if (file.type && TYPES.indexOf(file.type) < 0) problems.push(t(`«${file.name}» — не фото JPEG, PNG чи WebP.`, `"${file.name}" is not a JPEG, PNG or WebP photo.`));
      else if (file.size > config.maxPhotoBytes) problems.push(t(`«${file.name}» завелике (${(file.size / 1048576).toFixed(1)} МБ): до ${mb} МБ. Зменште фото або зробіть знімок з меншою роздільністю.`,
                                                                `"${file.name}" is too large (${(file.size / 1048576).toFixed(1)} MB): up to ${mb} MB. Resize it or take the photo at a lower resolution.`));
      else photos.push(file);
    });
    e.target.value = "";  // the list above is what is sent; the input can pick more
    renderPhotos();
    if (problems.length) showError("photos", problems); else clearError("photos");
  });

  // --- the formal appeal -----------------------------------------------------------------------
  $("is-appeal").addEventListener("change", (e) => {
    const on = e.target.checked;
    $("appeal-fields").hidden = !on;
    ["name", "email", "postal_address"].forEach((id) => {
      $(id).required = on;
      $(id).setAttribute("aria-required", String(on));
    });
  });

  // --- field errors -----------------------------------------------------------------------------
  const FIELD_OF = { lat: "location", lon: "location", located_by: "location", accuracy_m: "location", landmarks: "location" };
  const LABELS = { category: t("Категорія", "Category"), location: t("Місце", "Place"), location_text: t("Орієнтир", "Landmark"),
    description: t("Опис", "Description"), photos: t("Фото", "Photos"), name: t("Ім'я", "Name"), email: "E-mail",
    phone: t("Телефон", "Phone"), postal_address: t("Поштова адреса", "Postal address"), answers: t("Уточнення", "Details") };
  function flatErrors(j) {
    const errs = (j && j.errors) || {};
    const list = [].concat(...Object.values(errs).map((v) => [].concat(v)));
    return list.length ? list : [(j && j.detail) || t("Помилка.", "Error.")];
  }
  function fieldTarget(field) {
    if (field.startsWith("answers.")) return $(`q-${field.slice(8)}`);
    return { category: $("f-category"), location: $("report-map"), location_text: $("location-text"), photos: $("photos") }[field] || $(field);
  }
  function showError(field, messages) {
    const el = $(`err-${field}`);
    if (el) el.textContent = messages.join(" ");
    const target = fieldTarget(field);
    if (target) target.setAttribute("aria-invalid", "true");
  }
  function clearError(field) {
    const el = $(`err-${field}`);
    if (el) el.textContent = "";
    const target = fieldTarget(field);
    if (target) target.removeAttribute("aria-invalid");
  }
  function clearErrors() {
    form.querySelectorAll(".field-error").forEach((el) => { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    $("form-errors").hidden = true;
  }
  function showErrors(j) {
    const byField = {};
    Object.entries(j.errors || {}).forEach(([field, msgs]) => {
      const key = FIELD_OF[field] || (field === config.honeypot ? "_" : field);
      byField[key] = (byField[key] || []).concat(msgs);
    });
    const summary = $("form-errors");
    const items = [];
    Object.entries(byField).forEach(([field, msgs]) => {
      const shown = !!$(`err-${field}`);
      if (shown) showError(field, msgs);
      const label = field.startsWith("answers.") ? LABELS.answers : LABELS[field] || "";
      const target = fieldTarget(field);
      const text = escapeHtml((label ? label + ": " : "") + msgs.join(" "));
      items.push(shown && target && target.id ? `<li><a href="#${target.id}">${text}</a></li>` : `<li>${text}</li>`);
    });
    if (j.candidates && j.candidates.length) showLocated({ explanation: (j.errors.location || [])[0], candidates: j.candidates }, false);
    summary.innerHTML = `<strong>${escapeHtml(j.detail || t("Повідомлення не прийнято.", "The report was not accepted."))}</strong>` + (items.length ? `<ul>${items.join("")}</ul>` : "");
    summary.hidden = false;
    summary.focus();
  }

  // --- submit -------------------------------------------------------------------------------------
  function payload() {
    const data = new FormData();
    data.append("category", categoryCode());
    data.append("answers", JSON.stringify(answers()));
    if (place) {
      data.append("lat", place.lat.toFixed(7));
      data.append("lon", place.lon.toFixed(7));
      // A point the resident saw on the map (tapped, dragged, or a located landmark they kept) is a pin.
      data.append("located_by", place.by === "gps" ? "gps" : "pin");
      if (place.accuracy) data.append("accuracy_m", String(Math.round(place.accuracy)));
    }
    ["location_text", "description", "name", "email", "phone", "postal_address"].forEach((name) => data.append(name, form.elements[name].value.trim()));
    data.append("is_appeal", $("is-appeal").checked ? "true" : "false");
    data.append(config.honeypot, form.elements[config.honeypot].value);
    photos.forEach((file) => data.append("photos", file, file.name));
    return data;
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearErrors();
    const button = $("submit-button");
    const status = $("submit-status");
    button.disabled = true;
    status.textContent = t("Надсилаємо…", "Sending…");
    fetch(config.reportsUrl, { method: "POST", credentials: "same-origin", body: payload(), headers: { Accept: "application/json" } })
      .then((r) => r.json().catch(() => ({})).then((j) => [r.status, j]))
      .then(([code, j]) => {
        button.disabled = false;
        status.textContent = "";
        if (code === 201) return done(j);
        if (code === 429) j.detail = j.detail || t("Забагато повідомлень. Спробуйте трохи пізніше.", "Too many reports. Please try again later.");
        showErrors(j);
      })
      .catch(() => {
        button.disabled = false;
        status.textContent = t("Немає зв'язку з сервером. Нічого не втрачено: спробуйте надіслати ще раз.", "No connection to the server. Nothing is lost: please try again.");
      });
  });

  function done(report) {
    form.hidden = true;
    $("done-title").textContent = t(`Дякуємо! Повідомлення №${report.id} прийнято.`, `Thank you! Report No. ${report.id} has been received.`);
    const deadline = report.deadline ? new Date(report.deadline).toLocaleDateString(en ? "en-GB" : "uk-UA") : "";
    $("done-text").textContent = [report.category_title, report.department,
      deadline ? t(`строк розгляду — до ${deadline}`, `to be handled by ${deadline}`) : ""].filter(Boolean).join(" · ");
    $("done-explanation").textContent = report.locator && report.locator.explanation
      ? t("Місце: ", "Place: ") + report.locator.explanation : "";
    $("done-link").href = report.url;
    $("done-map").href = `${config.mapUrl}#map=18/${report.lat.toFixed(5)}/${report.lon.toFixed(5)}&reports=1`;
    $("done").hidden = false;
    $("done").focus();
    window.scrollTo(0, 0);
  }
})();
