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
mkdir -p "$out/leaflet" "$out/leaflet.vectorgrid" "$out/leaflet.markercluster"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images "$out/leaflet/"
cp node_modules/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js "$out/leaflet.vectorgrid/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$out/leaflet.markercluster/"
