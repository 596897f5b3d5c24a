/* The inspector's offline queue: every inspection is written to IndexedDB first (with its
 * photo as a Blob and an idempotency key made in the browser), then sent; a record leaves the
 * queue only when the server has answered it (201 new, 200 the same key again, or a 4xx that
 * sending again would not change). A lost network keeps it for the next try (`online`
 * event, the page's next load, or flush()). The server keeps one inspection per key, so a
 * record sent twice (an answer lost on the way back) is still one inspection. */

const DB = "geoportal-inspections";
const STORE = "queue";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function tx(mode, fn) {
  return open().then((db) => new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const result = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    t.onerror = () => reject(t.error);
  }));
}

export const put = (record) => tx("readwrite", (s) => s.put(record));
export const remove = (key) => tx("readwrite", (s) => s.delete(key));
export const all = () => tx("readonly", (s) => s.getAll());

export function newKey() {
  return (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9_-]/g, "");
}

/* Send every queued record in order; resolves with {sent, failed, left}. */
export async function flush(url, headers) {
  let sent = 0, failed = 0;
  for (const record of await all()) {
    const body = new FormData();
    for (const [k, v] of Object.entries(record.fields)) body.append(k, v);
    if (record.photo) body.append("photo", record.photo, "photo.jpg");
    let response;
    try {
      response = await fetch(url, { method: "POST", body, headers: headers(), credentials: "same-origin" });
    } catch {
      break; // offline: keep it and the rest for the next try
    }
    if (response.ok) {
      sent += 1;
      await remove(record.key);
    } else if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      failed += 1;
      record.error = (await response.json().catch(() => ({}))).detail || String(response.status);
      await remove(record.key); // the server refused it: sending it again would not help
    } else {
      break; // the server is in trouble: try later
    }
  }
  return { sent, failed, left: (await all()).length };
}
