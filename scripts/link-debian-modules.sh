#!/usr/bin/env bash
# Make Debian's MapServer mapscript (python3-mapscript, installed by install-system-deps.sh)
# importable from the project's venv without exposing the rest of /usr/lib/python3/dist-packages
# (whose numpy etc. would clash with the venv's): a folder holding only a symlink to the module,
# named by a .pth file in the venv's site-packages. The venv's Python is a 3.11 like Debian's.
set -euo pipefail
venv="${1:-.venv}"
src=/usr/lib/python3/dist-packages/mapscript
[ -d "$src" ] || { echo "error: $src missing: run scripts/install-system-deps.sh" >&2; exit 1; }
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
dir="$(cd "$venv" && pwd)/debian-modules"
mkdir -p "$dir"
ln -sfn "$src" "$dir/mapscript"
echo "$dir" > "$site/debian-modules.pth"
"$venv/bin/python" -c 'import mapscript' || { echo "error: mapscript does not import in $venv" >&2; exit 1; }
