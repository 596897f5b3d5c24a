/* The public page of a report (/reports/{id}/): a small map with its place
 * (#map's data-lat, data-lon). */

const el = document.getElementById("map");
const ll = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
const map = L.map(el).setView(ll, 17);
L.marker(ll).addTo(map);
