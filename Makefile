# The platform's verbs. `make run` and `make test` work on a fresh machine (Python 3.11+, Node/npm).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
CPLAN := $(VENV)/bin/cplan
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export CPLAN_DEBUG ?= 1

.PHONY: setup run test test-sqlite test-postgres lint bench check clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

run: setup
	mkdir -p var
	$(CPLAN) migrate --noinput
	$(CPLAN) collectstatic --noinput --verbosity 0
	$(CPLAN) demo
	$(CPLAN) serve --host $(HOST) --port $(PORT)

lint: setup
	mkdir -p var
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	CPLAN_DEBUG=0 SECRET_KEY=check-only $(PY) manage.py makemigrations --check --dry-run
	CPLAN_DEBUG=0 SECRET_KEY=check-only $(PY) manage.py check

# Tests on fictional data and tests on the real data run as separate pytest runs: the real
# geography is committed once per process and would leak into tests that expect an empty database.
PYTEST := $(VENV)/bin/pytest -n 2 --dist loadgroup -q
test-sqlite: setup
	env -u DATABASE_URL $(PYTEST) -m "not realdata"
	env -u DATABASE_URL $(PYTEST) -m realdata

test-postgres: setup
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(PYTEST) -m "not realdata" && \
		DATABASE_URL=$(PG_URL) $(PYTEST) -m realdata; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run"; fi

test: lint test-sqlite test-postgres

bench: setup
	@for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf var/static var/*.sqlite3*
