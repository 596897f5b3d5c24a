/* Staff upload page (/importers/upload/): send the file, then poll the import's status until
 * it is done, failed or cancelled; a running import can be cancelled. */

const POLL_MS = 500;
const form = document.getElementById("upload-form");
const box = document.getElementById("job");
const bar = document.getElementById("job-progress");
const status = document.getElementById("job-status");
const warnings = document.getElementById("job-warnings");
const cancel = document.getElementById("job-cancel");
const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
let cancelUrl = null;

function statusText(run) {
  const counts = interpolate(gettext("прочитано %(read)s, імпортовано %(imported)s, виправлено геометрій %(repaired)s, відхилено %(rejected)s"),
    { read: run.features_read, imported: run.features_imported, repaired: run.features_repaired, rejected: run.features_rejected }, true);
  if (run.status === "dry-run") {
    const p = run.preview || {};
    const change = p.added === undefined ? "" : " " + interpolate(gettext("Було б додано %(added)s, вилучено %(removed)s, змінено %(changed)s, без змін %(unchanged)s."), p, true);
    return [`${gettext("Перевірка, нічого не записано")}: ${counts}.${change}`, "done"];
  }
  if (run.status === "done") {
    const version = run.layer_version ? ", " + interpolate(gettext("версія шару %s"), [run.layer_version]) : "";
    return [`${gettext("Готово")}: ${counts}${version}`, "done"];
  }
  if (run.status === "cancelled") return [`${gettext("Скасовано")}: ${counts}`, "error"];
  if (run.status === "failed") return [`${gettext("Помилка")}: ${run.message || run.error}`, "error"];
  return [`${gettext("Виконується")}… ${run.features_read}`, ""];
}

function show(run) {
  bar.value = run.progress || 0;
  [status.textContent, status.className] = statusText(run);
  cancelUrl = run.cancel_url;
  cancel.hidden = run.status !== "running";
  warnings.replaceChildren(...(run.warnings || []).map((w) => { const li = document.createElement("li"); li.textContent = w; return li; }));
}

function poll(url) {
  fetch(url, { credentials: "same-origin" }).then((r) => r.json()).then((run) => {
    show(run);
    if (run.status === "running") setTimeout(() => poll(url), POLL_MS);
    else form.querySelector("button").disabled = false;
  });
}

cancel.addEventListener("click", () => {
  if (cancelUrl) fetch(cancelUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  box.hidden = false;
  bar.value = 0;
  form.querySelector("button").disabled = true;
  fetch(form.action || window.location.href, {
    method: "POST", body: new FormData(form), credentials: "same-origin",
    headers: { Accept: "application/json" },
  }).then((r) => r.json().then((body) => ({ ok: r.ok, body })))
    .then(({ ok, body }) => {
      if (!ok) {
        status.textContent = `${gettext("Помилка")}: ${body.detail}`;  // readable text; body.fields is for programs
        status.className = "error";
        form.querySelector("button").disabled = false;
        return;
      }
      show(body);
      poll(body.url);
    });
});

// The CRS picker: the list starts with Ukraine's systems; typing searches pyproj's EPSG database.
const crsInput = form.querySelector("[name=crs]");
const crsList = document.getElementById("crs-choices");
let crsTimer = null;
if (crsInput && crsList) {
  crsInput.addEventListener("input", () => {
    clearTimeout(crsTimer);
    crsTimer = setTimeout(() => {
      fetch(`${crsList.dataset.url}?q=${encodeURIComponent(crsInput.value)}`, { credentials: "same-origin" })
        .then((r) => r.json()).then(({ results }) => {
          crsList.replaceChildren(...results.map((c) => { const o = document.createElement("option"); o.value = c.code; o.textContent = c.name; return o; }));
        });
    }, 250);
  });
}
