# Shegong: `make run` serves the app on the embedded SQLite default; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := shegong.settings

.PHONY: run test test-fast lint format install messages worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Serving http://127.0.0.1:$(PORT) with a background task worker (imports, exports)."
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/python manage.py db_worker

# Test processes (pytest-xdist): one per core by default; each has its own test database.
TEST_WORKERS ?= auto

# The whole suite: unit, API, authorization matrix and browser tests.
test: install
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# Everything but the browser tests.
test-fast: install
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) -m "not e2e"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static
	$(BIN)/python manage.py compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) staticfiles
