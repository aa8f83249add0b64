# Every target sets itself up on a new machine: the first one creates .venv and installs the project.
PYTHON ?= python3
PORT   ?= 3000
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test test-slow test-all test-unit test-integration ui lint clean-data

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Seed a demo legacy database, migrate it through Dagster, print what happened.
demo: $(STAMP)
	$(BIN)/vetmed-pipeline demo

# Parallel workers (pytest-xdist), one per core up to 4, each with its own embedded server (or databases of
# its own on VETMED_TEST_DATABASE_URL's server); a file's tests stay on one worker, so a module's fixtures
# are built once. -v: one line per test, with the share of the suite done.
PYTEST := $(BIN)/pytest -n auto --maxprocesses 4 --dist loadfile -v

## Unit tests and integration tests but the slow ones (embedded PostgreSQL unless VETMED_TEST_DATABASE_URL is set).
test: $(STAMP)
	$(PYTEST) -m "not slow"

## The slow tests only (huge values, scale, whole CLI and UI runs); .ci/run runs them after `make test`.
test-slow: $(STAMP)
	$(PYTEST) -m slow

test-all: $(STAMP)
	$(PYTEST)

test-unit: $(STAMP)
	$(PYTEST) tests/unit

test-integration: $(STAMP)
	$(PYTEST) -m integration

## The Dagster UI on the demo's data (make ui PORT=3001 for another port); Ctrl-C stops it and the embedded server.
ui: $(STAMP)
	$(BIN)/vetmed-pipeline ui --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff format --check vetmed_pipeline tests tools
	$(BIN)/ruff check vetmed_pipeline tests tools
	$(BIN)/mypy vetmed_pipeline

## Delete the embedded server's data and the Dagster instance's local files (start over).
clean-data:
	rm -rf dagster_home/pgdata dagster_home/test-pgdata dagster_home/test-pgdata-* dagster_home/run dagster_home/storage dagster_home/logs dagster_home/history dagster_home/schedules

## The migration against its floors F_in / F_out (issue 13), appended to benchmarks/results.jsonl:
## make bench SCALE=100000 BENCH_URL=postgresql://postgres@127.0.0.1:5432/postgres (else the embedded server).
SCALE     ?= 100000
BENCH_URL ?=
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --scale $(SCALE) $(if $(BENCH_URL),--url $(BENCH_URL))
