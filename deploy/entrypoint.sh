#!/bin/sh
# The web container's start (Dockerfile ENTRYPOINT): the static files collected at build time
# (hashed names) into the volume nginx serves, then the migrations under an advisory lock
# (several replicas may start at once), then gunicorn. Any other command (manage.py backup,
# restore, purge_personal_data) runs as given.
set -eu
if [ "${1:-}" = "gunicorn" ]; then
  cp -a /app/static-build/. "${GEOPORTAL_STATIC_ROOT:-/var/lib/geoportal/static}/"
  python3 manage.py migrate_on_start -v 1
fi
exec "$@"
