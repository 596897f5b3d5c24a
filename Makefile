# Hromada Geoportal: `make demo` serves the demo hromada on http://127.0.0.1:8000,
# `make test` runs the whole suite. Both install what is missing first.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
MANAGE  := $(PY) manage.py
HOST    ?= 127.0.0.1
PORT    ?= 8000
PYDEPS_STAMP := .venv/.stamp-$(shell sha1sum pyproject.toml | cut -c1-12)
FRONT_STAMP  := geoportal/static/vendor/.stamp-$(shell sha1sum package-lock.json scripts/build-frontend.sh | sha1sum | cut -c1-12)

.PHONY: demo test deps system-deps pydeps frontend db stop migrate load-demo serve lint format test-long bench clean-tiles backup restore load bench-tiles

demo: deps db migrate load-demo
	@$(MANAGE) create_demo_users
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl-C to stop; 'make stop' stops PostGIS)"
	@.venv/bin/gunicorn geoportal.wsgi -b $(HOST):$(PORT) -w 3 --threads 4 --timeout 120 --access-logfile -

test: deps db lint
	@$(PY) -m pytest -q -m "not slow" $(PYTEST_ARGS)

# The long tests (fuzzing, load): CI shortens them with GEOPORTAL_FUZZ_EXAMPLES and
# GEOPORTAL_LOAD_SECONDS (see .ci/run).
test-long: deps db
	@$(PY) -m pytest -q -m slow $(PYTEST_ARGS)

deps: system-deps pydeps frontend

system-deps:
	@scripts/install-system-deps.sh

pydeps: $(PYDEPS_STAMP)
$(PYDEPS_STAMP): pyproject.toml scripts/link-debian-modules.sh
	@test -x $(PY) || python3 -m venv .venv
	@$(PIP) install -q --upgrade pip
	@$(PIP) install -q -e ".[dev]"
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

serve:
	@.venv/bin/gunicorn geoportal.wsgi -b $(HOST):$(PORT) -w 3 --threads 4 --timeout 120

lint: pydeps
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

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

bench-tiles: deps db
	@$(PY) bench/bench_tiles.py $(BENCH_ARGS)

# Mixed traffic (tiles 70 %, feature info, search, WFS, reports) from locust against a gunicorn
# on loopback for GEOPORTAL_LOAD_SECONDS (default 600); prints throughput, p95 and errors.
load: db
	@$(PY) bench/load.py
