# Razem — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test install install-test translations lint clean bench soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(MAKE) --no-print-directory translations

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(MAKE) --no-print-directory translations

translations:
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages --statistics 2>&1 | tail -n 2

## Install, load the demo cities and people, and serve on http://127.0.0.1:$(PORT)
run: install
	PORT=$(PORT) scripts/run

## Install and run the whole test suite against the machine's PostgreSQL and Redis
test: install-test
	scripts/test

lint:
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache

## Benchmarks at the scale the issues ask for (PostgreSQL of the machine, gunicorn)
# make bench: full scale, then a tenth, with the query counts compared; make bench SCALE=0.1
bench: install-test
	$(BIN)/python -m bench $(if $(SCALE),--scale $(SCALE)) $(BENCH_ARGS)

SOAK_MINUTES ?= 10
SOAK_CONNECTIONS ?= 20
## A long load run (wrk through nginx) on tests/deploy's topology; not part of `make test`
soak: install-test
	scripts/soak --minutes $(SOAK_MINUTES) --connections $(SOAK_CONNECTIONS)
