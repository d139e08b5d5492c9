# Partners: `make run` for the app with demo data, `make test` for the test suite.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export FLASK_APP = wsgi.py

.PHONY: run serve test e2e screenshots install install-dev lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Migrate the SQLite database and load the demo data (idempotent), then serve on :5000.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Run like production on this machine: migrate, then the Procfile under honcho: gunicorn
## (gunicorn.conf.py, http://127.0.0.1:8000), the job worker and the scheduler. Settings come
## from the environment or a .env file (README: Running in production). One process only:
## `make serve SERVE_PROCESSES=web`. The worker and scheduler need Redis: REDIS_URL (and the
## shared rate-limit store) default to the local Redis on 127.0.0.1:6379 here.
SERVE_PROCESSES ?=
SERVE_PORT ?= 8000
SERVE_REDIS ?= redis://127.0.0.1:6379
serve: install
	$(BIN)/flask db upgrade
	REDIS_URL="$${REDIS_URL:-$(SERVE_REDIS)/0}" \
	RATELIMIT_STORAGE_URI="$${RATELIMIT_STORAGE_URI:-$(SERVE_REDIS)/1}" \
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile -p $(SERVE_PORT) $(SERVE_PROCESSES)

## Install the dev dependencies and run every test.
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Real-browser tests (Debian Chromium + axe-core); installs both first (needs root or sudo).
e2e: install-dev
	bash .ci/e2e-setup
	E2E_REQUIRED=1 $(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

## Rewrite the README pictures (docs/screenshots: each role's main page at 1280 px, shown
## 640 px wide, and at 360 px) from the role walks in tests/e2e/test_roles.py.
screenshots: install-dev
	bash .ci/e2e-setup
	rm -f docs/screenshots/*.png
	E2E_REQUIRED=1 E2E_README_SHOTS=docs/screenshots $(BIN)/python -m pytest -m e2e \
		tests/e2e/test_roles.py -q $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache
