# make run: set up everything and serve on http://localhost:5005 (SQLite, one process).
# make test: every test (Python, Vitest, browser).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app invoiceapp
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig.json

.PHONY: run test test-python test-frontend lint frontend migrate seed install clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	npm --prefix frontend run build

frontend: frontend/dist/index.html

migrate: install
	$(BIN)/alembic upgrade head

seed: migrate
	$(FLASK) seed-demo

run: install frontend seed
	$(BIN)/python wsgi.py

test-frontend: frontend
	npm --prefix frontend run typecheck
	npm --prefix frontend test

test-python: install frontend
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint test-frontend test-python

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist instance
