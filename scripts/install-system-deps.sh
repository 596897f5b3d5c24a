#!/usr/bin/env bash
# Install the Debian packages the portal needs, when they are missing and apt is usable.
# PostGIS for the embedded cluster, GDAL for GeoDjango and the importers, Chromium for the
# browser tests, nginx and wrk for the tile benchmark (nginx also for deployments), spawn-fcgi
# for the MapServer FastCGI peer of bench/bench_ogc.py, gettext for
# compilemessages, age for encrypted backups, MapServer mapscript for the WMS (geoportal/wms),
# PyQGIS 3.22 (Debian's python3) as a real client in tests/clients/, tesseract (uk, en) to read the
# map's labels off browser screenshots.
set -euo pipefail
packages=(postgresql-15 age postgresql-15-postgis-3 gdal-bin libgdal-dev chromium nginx-light gettext cgi-mapserver mapserver-bin spawn-fcgi wrk python3-mapscript python3-qgis qgis-providers tesseract-ocr tesseract-ocr-ukr tesseract-ocr-eng)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nginx-light or nginx: either provides the binary
if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v nginx >/dev/null; then
  missing=("${missing[@]/nginx-light}")
fi
missing=($(printf '%s\n' "${missing[@]}" | sed '/^$/d'))
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "error: missing Debian packages: ${missing[*]} — install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
