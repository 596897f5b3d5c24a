/* The report's photos, checked in the browser before upload (type, size, how many); the list
 * shown is what is sent. */

import { byId } from "../webmap/util.js";
import { clearError, showError } from "./errors.js";

const TYPES = ["image/jpeg", "image/png", "image/webp"];
const MB = 1048576;

function problemOf(config, photos, file) {
  if (photos.length >= config.maxPhotos) {
    return interpolate(gettext("«%(name)s»: можна додати не більше %(max)s фото."), { name: file.name, max: config.maxPhotos }, true);
  }
  if (file.type && TYPES.indexOf(file.type) < 0) {
    return interpolate(gettext("«%(name)s» — не фото JPEG, PNG чи WebP."), { name: file.name }, true);
  }
  if (file.size > config.maxPhotoBytes) {
    return interpolate(gettext("«%(name)s» завелике (%(size)s МБ): до %(max)s МБ. Зменште фото або зробіть знімок з меншою роздільністю."),
      { name: file.name, size: (file.size / MB).toFixed(1), max: Math.round(config.maxPhotoBytes / MB) }, true);
  }
  return null;
}

/* The photo picker (#photos, #photo-list); returns the chosen files (a live list). */
export function initPhotos(config) {
  const photos = [];
  function render() {
    const list = byId("photo-list");
    list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
    list.innerHTML = "";
    photos.forEach((file, i) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = interpolate(gettext("Фото %(n)s: %(name)s"), { n: i + 1, name: file.name }, true);
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = gettext("Прибрати");
      b.setAttribute("aria-label", interpolate(gettext("Прибрати фото %s"), [i + 1]));
      b.addEventListener("click", () => { photos.splice(i, 1); render(); byId("photos").focus(); });
      li.append(img, b);
      list.appendChild(li);
    });
  }
  byId("photos").addEventListener("change", (e) => {
    const problems = [];
    [...e.target.files].forEach((file) => {
      const problem = problemOf(config, photos, file);
      if (problem) problems.push(problem); else photos.push(file);
    });
    e.target.value = "";  // the list above is what is sent; the input can pick more
    render();
    if (problems.length) showError("photos", problems); else clearError("photos");
  });
  return photos;
}
