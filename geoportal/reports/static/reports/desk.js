/* The staff handling page of one report (/reports/dashboard/{id}/): choosing a response
 * template fills the form's note (or reason) and, when the template names one, its status. */

import { pageData } from "../webmap/util.js";

const templates = pageData("response-templates");
document.querySelectorAll("select[name=template]").forEach((select) => {
  select.addEventListener("change", () => {
    const t = templates[select.value];
    if (!t) return;
    const form = select.form;
    const note = form.querySelector("textarea[name=note], textarea[name=reason]");
    if (note) note.value = t.text;
    const status = form.querySelector("select[name=status]");
    if (status && t.status && status.querySelector(`option[value="${t.status}"]`)) status.value = t.status;
  });
});
