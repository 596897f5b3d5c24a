# The portal's web image for real deployments (docker-compose.yml), built in stages:
#   frontend  Node builds the vendored libraries (a failed build fails the image)
#   build     compilers and headers build the Python dependencies, pinned by requirements.lock
#   runtime   Debian slim with the run-time libraries only, the venv and the code, as a
#             non-root user; static files collected with hashed names at build time.
FROM debian:12-slim AS frontend
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-frontend.sh ./scripts/
RUN mkdir -p geoportal/static && scripts/build-frontend.sh

FROM debian:12-slim AS build
ENV DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3 python3-venv python3-dev build-essential libgdal-dev libgeos-dev libproj-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/requirements.lock
RUN python3 -m venv /venv && /venv/bin/pip install --upgrade pip \
    && /venv/bin/pip install -r /tmp/requirements.lock

FROM debian:12-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    PATH=/venv/bin:$PATH DJANGO_SETTINGS_MODULE=geoportal.settings
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3 gdal-bin libgdal32 libgeos-c1v5 libproj25 postgresql-client age gettext \
      ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin geoportal \
    && mkdir -p /var/lib/geoportal/static /var/lib/geoportal/media /var/lib/geoportal/rasters \
       /var/cache/geoportal/tiles /var/backups/geoportal \
    && chown -R geoportal:geoportal /var/lib/geoportal /var/cache/geoportal /var/backups/geoportal
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=geoportal:geoportal . .
COPY --from=frontend --chown=geoportal:geoportal /src/geoportal/static/vendor ./geoportal/static/vendor
USER geoportal
# Hashed static names, compiled translations: a failure of either fails the build.
RUN GEOPORTAL_SECRET_KEY=build-only GEOPORTAL_DEBUG=1 DATABASE_URL=postgis://build@localhost/none \
      GEOPORTAL_HASHED_STATIC=1 GEOPORTAL_STATIC_ROOT=/app/static-build \
      python3 manage.py collectstatic --noinput -v 0 \
    && GEOPORTAL_SECRET_KEY=build-only GEOPORTAL_DEBUG=1 DATABASE_URL=postgis://build@localhost/none \
      python3 manage.py compilemessages -v 0
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "geoportal.wsgi"]
