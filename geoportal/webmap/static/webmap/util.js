/* Small helpers every page module shares: HTML escaping, number formatting in the page's
 * language, JSON page data, and the one test/automation hook (publish).
 *
 * The automation hook: when a page's entry module has started its page, it calls
 * publish(page, api) once. That sets `window.geoportalApp` to a frozen object
 * {page, leaflet, ...api} (`leaflet` is the page's Leaflet map, where it has one) and then
 * `<html data-ready="{page}">`, so a test or a scripted screenshot waits for
 * `document.documentElement.dataset.ready === "map"` and reads `window.geoportalApp`.
 * Pages: "map" (the web map: also `webmap`, the createMap API, and `snapshot()`),
 * "report-form", "dashboard". Nothing else of the portal's is on `window`; modules share
 * state only through what they export and receive. */

export function escapeHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

/* A number in the page's language (up to 4 decimals), or any other value as it is; escaped. */
export function formatValue(v, unit, language) {
  if (typeof v === "number") v = v.toLocaleString(language === "en" ? "en" : "uk", { maximumFractionDigits: 4 });
  return escapeHtml(v) + (unit ? " " + escapeHtml(unit) : "");
}

/* The locale of dates shown to residents. */
export function dateLocale(language) {
  return language === "en" ? "en-GB" : "uk-UA";
}

/* Page data a template put in <script type="application/json" id="..."> (json_script). */
export function pageData(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

export function byId(id) {
  return document.getElementById(id);
}

/* The one automation hook (see the top of this file). */
export function publish(page, api) {
  // eslint-disable-next-line no-restricted-syntax -- the documented hook, set once per page
  window.geoportalApp = Object.freeze({ page, ...api });
  document.documentElement.dataset.ready = page;
}

/* Headers of a write the portal accepts from a signed-in browser: Django's CSRF token from its
   cookie (or, failing that, from a form on the page), as docs/security.md describes. */
export function csrfHeaders(headers = {}) {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  const token = cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : input && input.value;
  return token ? { ...headers, "X-CSRFToken": token } : headers;
}
