# Hromada Geoportal: `make demo` serves the demo hromada on http://127.0.0.1:8000,
# `make test` runs the whole suite. Both install what is missing first.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
MANAGE  := $(PY) manage.py
HOST    ?= 127.0.0.1
PORT    ?= 8000
PYDEPS_STAMP := .venv/.stamp-$(shell cat pyproject.toml requirements-dev.lock | sha1sum | cut -c1-12)
# `make demo`, `make serve` and the tests run on plain HTTP on loopback, and say so: without these
# GEOPORTAL_DEBUG=0 (the default) is production (HTTPS only, a secret key required).
export GEOPORTAL_ALLOW_HTTP ?= 1
# Hashed static names need `collectstatic` first: demo and serve run it, the rest go without.
export GEOPORTAL_HASHED_STATIC ?= 0
export GEOPORTAL_SECRET_KEY ?= $(shell mkdir -p var && (test -s var/secret-key || (umask 077 && $(if $(wildcard $(PY)),$(PY),python3) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key)) && cat var/secret-key)
FRONT_STAMP  := geoportal/static/vendor/.stamp-$(shell sha1sum package-lock.json scripts/build-frontend.sh | sha1sum | cut -c1-12)

.PHONY: demo test deps system-deps pydeps frontend db stop migrate load-demo serve lint lint-js format test-long bench clean-tiles backup restore load bench-tiles

demo: deps db migrate load-demo
	@$(MANAGE) create_demo_users
	@GEOPORTAL_HASHED_STATIC=1 $(MANAGE) collectstatic --noinput -v 0
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl-C to stop; 'make stop' stops PostGIS)"
	@GEOPORTAL_HASHED_STATIC=1 .venv/bin/gunicorn geoportal.wsgi -b $(HOST):$(PORT) -w 3 --threads 4 --timeout 120 --access-logfile -

test: deps db lint
	@$(PY) -m pytest -q -m "not slow" $(PYTEST_ARGS)

# The long tests (fuzzing, load): CI shortens them with GEOPORTAL_FUZZ_EXAMPLES and
# GEOPORTAL_LOAD_SECONDS (see .ci/run).
test-long: deps db
	@$(PY) -m pytest -q -m slow $(PYTEST_ARGS)

deps: system-deps pydeps frontend

system-deps:
	@scripts/install-system-deps.sh

# Versions pinned by requirements-dev.lock (scripts/lock-deps.py writes it from pyproject.toml).
pydeps: $(PYDEPS_STAMP)
$(PYDEPS_STAMP): pyproject.toml requirements-dev.lock scripts/link-debian-modules.sh
	@test -x $(PY) || python3 -m venv .venv
	@$(PIP) install -q --upgrade pip
	@$(PIP) install -q -c requirements-dev.lock -e ".[dev]"
	@scripts/link-debian-modules.sh .venv
	@rm -f .venv/.stamp-* && touch $@

frontend: $(FRONT_STAMP)
$(FRONT_STAMP): package.json package-lock.json scripts/build-frontend.sh
	@scripts/build-frontend.sh
	@rm -f geoportal/static/vendor/.stamp-* && touch $@

db: pydeps
	@$(PY) -m devtools.pgcluster start

stop:
	@$(PY) -m devtools.pgcluster stop

migrate: db
	@$(MANAGE) migrate --noinput -v 0

load-demo: migrate
	@$(MANAGE) load_demo
	@$(MANAGE) load_conditions_demo

serve:
	@GEOPORTAL_HASHED_STATIC=1 $(MANAGE) collectstatic --noinput -v 0
	@GEOPORTAL_HASHED_STATIC=1 .venv/bin/gunicorn geoportal.wsgi -b $(HOST):$(PORT) -w 3 --threads 4 --timeout 120

lint: pydeps lint-js
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

# The pages' ES modules (*/static/, not the vendor copies): ESLint's recommended rules
# (eslint.config.js), no warnings allowed; ESLint comes with the frontend's npm ci.
lint-js: frontend
	@npx --no-install eslint --max-warnings 0 --no-error-on-unmatched-pattern geoportal importers layers

# Every benchmark of the project in turn, each printing its table (BENCH_ARGS=--quick for a short run).
bench: deps db load-demo
	@rm -f bench/results/summary.jsonl
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b $(BENCH_ARGS) || exit 1; done
	@$(PY) bench/summary.py

format: pydeps
	@.venv/bin/ruff check --fix .
	@.venv/bin/ruff format .

# Database + uploaded files into var/backups/<timestamp>/; `make restore BACKUP=var/backups/<ts>`
# refuses a database or folder holding data unless FORCE=1.
backup: db
	@$(MANAGE) backup

restore: db
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=var/backups/<timestamp> [FORCE=1]"; exit 2)
	@$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

# Empty the tile cache (it is rebuilt on demand; `manage.py seed_tiles` warms it).
clean-tiles:
	@rm -rf "$${GEOPORTAL_TILE_CACHE_DIR:-var/tiles}"
	@echo "tile cache emptied"

bench-tiles: deps db
	@$(PY) bench/bench_tiles.py $(BENCH_ARGS)

# Mixed traffic (tiles 70 %, feature info, search, WFS, reports) from locust against a gunicorn
# on loopback for GEOPORTAL_LOAD_SECONDS (default 600); prints throughput, p95 and errors.
load: db
	@$(PY) bench/load.py
