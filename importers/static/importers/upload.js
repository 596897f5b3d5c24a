/* Staff upload page: send the file, then poll the import's status until it is done or failed. */
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  const box = document.getElementById("job");
  const bar = document.getElementById("job-progress");
  const status = document.getElementById("job-status");
  const warnings = document.getElementById("job-warnings");
  const t = JSON.parse(document.getElementById("upload-i18n").textContent);
  const cancel = document.getElementById("job-cancel");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let cancelUrl = null;
  cancel.addEventListener("click", () => {
    if (cancelUrl) fetch(cancelUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
  });

  function show(run) {
    bar.value = run.progress || 0;
    const counts = `${t.read} ${run.features_read}, ${t.imported} ${run.features_imported}, ${t.rejected} ${run.features_rejected}`;
    if (run.status === "done" || run.status === "dry-run") {
      status.textContent = `${t.done}: ${counts}` + (run.layer_version ? `, ${t.version} ${run.layer_version}` : "");
      status.className = "done";
    } else if (run.status === "cancelled") {
      status.textContent = `${t.cancelled}: ${counts}`;
      status.className = "error";
    } else if (run.status === "failed") {
      status.textContent = `${t.failed}: ${run.error}`;
      status.className = "error";
    } else {
      status.textContent = `${t.running}… ${run.features_read}`;
      status.className = "";
    }
    cancelUrl = run.cancel_url;
    cancel.hidden = run.status !== "running";
    warnings.replaceChildren(...(run.warnings || []).map((w) => { const li = document.createElement("li"); li.textContent = w; return li; }));
  }

  function poll(url) {
    fetch(url, { credentials: "same-origin" }).then((r) => r.json()).then((run) => {
      show(run);
      if (run.status === "running") setTimeout(() => poll(url), 500);
      else form.querySelector("button").disabled = false;
    });
  }

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
          status.textContent = `${t.failed}: ${body.detail}` + (body.fields ? " " + JSON.stringify(body.fields) : "");
          status.className = "error";
          form.querySelector("button").disabled = false;
          return;
        }
        show(body);
        poll(body.url);
      });
  });
})();
