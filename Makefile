# make run: set up everything and serve on http://localhost:5005 (SQLite, one process).
# make test: every test (Python, Vitest, browser).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app invoiceapp
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig.json \
	frontend/openapi.json
NODE_MODULES := frontend/node_modules/.package-lock.json

.PHONY: run test test-python test-frontend lint frontend migrate seed install clean \
	api-types check-api-types

$(BIN)/activate: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

$(NODE_MODULES): frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: $(NODE_MODULES) $(FRONTEND_SOURCES)
	npm --prefix frontend run build

frontend: frontend/dist/index.html

migrate: install
	$(BIN)/alembic upgrade head

seed: migrate
	$(FLASK) seed-demo

run: install frontend seed
	$(BIN)/python wsgi.py

# The SPA's API types come from the app's OpenAPI document, written without a server:
# `make api-types` after every backend change, then commit both files.
api-types: install $(NODE_MODULES)
	$(FLASK) openapi write --format=json frontend/openapi.json
	npm --prefix frontend run --silent api-types

check-api-types: install $(NODE_MODULES)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(FLASK) openapi write --format=json "$$tmp/openapi.json" && \
	OPENAPI_JSON="$$tmp/openapi.json" API_TYPES="$$tmp/schema.d.ts" npm --prefix frontend run --silent api-types && \
	if ! cmp -s "$$tmp/openapi.json" frontend/openapi.json || ! cmp -s "$$tmp/schema.d.ts" frontend/src/api/schema.d.ts; then \
		echo "frontend/openapi.json or frontend/src/api/schema.d.ts is out of date with the backend:" \
			"run 'make api-types' and commit both." >&2; \
		exit 1; \
	fi

test-frontend: frontend check-api-types
	npm --prefix frontend run typecheck
	npm --prefix frontend run lint
	npm --prefix frontend test

# Every Python test in two processes, a file at a time each (`--dist loadfile`: a file's
# servers, clusters and browser start once), so that the tests that wait on servers, sockets
# and a browser overlap the CPU-bound service and API tests (each process makes its own
# databases).
test-python: install frontend
	$(BIN)/pytest -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint test-frontend test-python

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist instance
