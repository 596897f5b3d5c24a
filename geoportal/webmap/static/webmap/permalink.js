/* The web map's permalink: #map=z/lat/lon&layers=a,b&f=slug:fid, plus the start-only keys
 * other modules read (view=accessibility, reports=1). */

/* What a location hash asks for: {view, layers, feature, params}. */
export function readHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const out = { params };
  const m = (params.get("map") || "").split("/").map(Number);
  if (m.length === 3 && m.every((v) => !isNaN(v))) out.view = { zoom: m[0], center: [m[1], m[2]] };
  if (params.has("layers")) out.layers = params.get("layers").split(",").filter(Boolean);
  const f = (params.get("f") || "").split(":");
  if (f.length === 2 && f[1]) out.feature = { slug: f[0], fid: Number(f[1]) };
  return out;
}

/* The hash of a view (Leaflet centre + zoom), the switched-on layer keys and a selected feature. */
export function formatHash(center, zoom, keys, selected) {
  let h = `#map=${zoom}/${center.lat.toFixed(5)}/${center.lng.toFixed(5)}&layers=${keys.join(",")}`;
  if (selected && selected.fid !== undefined) h += `&f=${selected.slug}:${selected.fid}`;
  return h;
}

/* Switching the language keeps the permalink: the language form's `next` gets the current
 * address with its hash (view, layers, selected feature) as it is sent; Django's set_language
 * redirects there and the map reopens from it. Registered once, when the map loads this module. */
function keepHashOnLanguageSwitch(e) {
  const form = e.target;
  if (!(form instanceof HTMLFormElement) || !/\/i18n\/setlang\/$/.test(form.getAttribute("action") || "")) return;
  const next = form.querySelector("input[name=next]");
  if (next) next.value = location.pathname + location.search + location.hash;
}
document.addEventListener("submit", keepHashOnLanguageSwitch, true);
