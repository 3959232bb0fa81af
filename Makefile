# Two commands on a fresh machine:  make run  (app with demo data)  and  make test  (whole suite).
# Each bootstraps its own virtual environment in .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed-stamp
CATALOGS := participatie/translations
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format translations extract update-translations bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d $(CATALOGS) 2>&1 | grep -v '^compiling' || true

# The web server and a separate scheduler process, as in production; Ctrl-C stops both.
run: $(STAMP) translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Participatie runs on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	@$(FLASK) scheduler run & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

# Two processes (one per core on the CI machine); a test file stays on one of them, so the
# browser tests share one live server per file.
test: $(STAMP) translations lint
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext \
	  --project Participatie --copyright-holder "Gemeente Amersfoort" -o $(CATALOGS)/messages.pot .

update-translations: extract
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(CATALOGS)/messages.pot -d $(CATALOGS)

# Benchmarks need PostgreSQL on 127.0.0.1:5432 (see docs/performance.md).
bench: $(STAMP) translations
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
