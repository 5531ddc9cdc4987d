# One target per job. Every target sets up what it needs: `make demo` and
# `make test` work on a fresh clone with Python 3.11 and network access to PyPI.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: install demo test lint format typecheck schema generate check-generated emulator check clean bench

# The environment is rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[emulator,cli,codegen]' --group dev
	@touch $@

install: $(VENV)/.installed

demo: install
	$(PY) examples/run_demo.py

# The whole suite: lint, strict typing, then every test (including the check
# that generated/ is current).
test: lint typecheck
	$(PY) -m pytest

lint: install
	$(BIN)/ruff check fluent_gql tests examples
	$(BIN)/ruff format --check fluent_gql tests examples

format: install
	$(BIN)/ruff format fluent_gql tests examples
	$(BIN)/ruff check --fix fluent_gql tests examples

typecheck: install
	$(BIN)/mypy

# schema/fluent.graphql is Fluent's whole schema, made by our own tooling from the
# newest real introspection we have (its structure only: no description texts).
FLUENT_INTROSPECTION ?= ../shared/fluent-schema/schema-2023.json
schema: install
	$(BIN)/fluent-gql schema convert $(FLUENT_INTROSPECTION) --no-descriptions \
		--out schema/fluent.graphql

# The typed client, the pre-built schema and the operation plans in generated/,
# written by `fluent-gql generate` from [tool.fluent-gql] in pyproject.toml.
generate: install
	$(BIN)/fluent-gql generate

check-generated: install
	$(BIN)/fluent-gql generate --check

emulator: install
	$(PY) -m fluent_gql.emulator

check: test check-generated

# Benchmarks (not part of `make test`): bench/README.md says how to read them.
# gql gets its own environment (its graphql-core clashes with ariadne-codegen's).
GQL_VENV := bench/.venv-gql
$(GQL_VENV)/.installed: bench/requirements-gql.txt
	$(PYTHON) -m venv $(GQL_VENV)
	$(GQL_VENV)/bin/python -m pip install --quiet -r bench/requirements-gql.txt
	@touch $@

bench: install $(GQL_VENV)/.installed
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache
