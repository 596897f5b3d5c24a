# The portal's web image for real deployments (docker-compose.yml); not used by tests here.
FROM debian:12-slim
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3 python3-venv python3-dev build-essential gdal-bin libgdal-dev libgeos-dev libproj-dev \
      postgresql-client nodejs npm gettext ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN python3 -m venv /venv && /venv/bin/pip install --upgrade pip && /venv/bin/pip install -e .
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN scripts/build-frontend.sh && /venv/bin/python manage.py collectstatic --noinput -v 0 \
    || true
ENV PATH=/venv/bin:$PATH DJANGO_SETTINGS_MODULE=geoportal.settings
EXPOSE 8000
CMD ["gunicorn", "geoportal.wsgi", "-b", "0.0.0.0:8000", "-w", "4", "--threads", "4", "--timeout", "120"]
