#!/usr/bin/env bash
# Copy the web map's npm packages into geoportal/static/vendor (served by Django/whitenoise;
# no CDN at run time). Installs them with `npm ci` first when package-lock.json changed or the
# dev tools (ESLint, for `make lint`) are missing; --include=dev even under NODE_ENV=production.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -x node_modules/.bin/eslint ]; then
  npm ci --include=dev --no-audit --no-fund --loglevel=error
fi
out=geoportal/static/vendor
mkdir -p "$out/leaflet" "$out/protomaps-leaflet" "$out/leaflet.markercluster"
rm -rf "$out/leaflet.vectorgrid"  # replaced by protomaps-leaflet (labels, point picking)
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images "$out/leaflet/"
# protomaps-leaflet: the IIFE build (global protomapsL), without its source map (not shipped)
sed '/^\/\/# sourceMappingURL=/d' node_modules/protomaps-leaflet/dist/protomaps-leaflet.js > "$out/protomaps-leaflet/protomaps-leaflet.js"
cp node_modules/protomaps-leaflet/LICENSE "$out/protomaps-leaflet/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$out/leaflet.markercluster/"
