# `make run` and `make test` each bootstrap .venv from nothing on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/obligations init
	$(BIN)/obligations serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy obligations api notifier

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_notifier.py
	$(BIN)/python bench/bench_writes.py
	$(BIN)/python bench/bench_workers.py
	$(BIN)/python bench/bench_rendering.py
	$(BIN)/python bench/bench_cli.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Translations: extract the messages of the code and templates into the .pot, merge them into
# the fr/es catalogs (new ones empty, changed ones fuzzy), then check nothing is left to do.
LOCALE := obligations/locale
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --ignore-dirs='.* __pycache__' --no-location \
		--sort-output --width=100 --project=treaty-obligations --copyright-holder='' \
		-o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) --width=100
	$(BIN)/pytest -q tests/test_catalogs.py
