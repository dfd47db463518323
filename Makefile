# sqresearch: the front door on Linux/macOS. Every target is a thin call of a
# `sqresearch` command (or pytest), so the same build runs without make:
#   python -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/sqresearch build study.yaml
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STUDY  ?= study.yaml
STAMP  := $(VENV)/.installed

# Tests run one xdist worker per core; BLAS threads on top would oversubscribe them.
TEST_ENV := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

.DEFAULT_GOAL := help
.PHONY: help venv data clean-data thesis test test-fast docs bench lint

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the package with its test tools

data: $(STAMP) ## regenerate the default study's raw export byte-identically from its seed
	$(BIN)/sqresearch data --out data/raw

clean-data: $(STAMP) ## clean the raw export into data/processed (part of `make thesis`)
	$(BIN)/sqresearch clean --config $(STUDY)

thesis: $(STAMP) ## set up and build the default study end to end: tables, figures, paper/main.pdf
	$(BIN)/sqresearch build $(STUDY)

test: $(STAMP) ## set up and run the whole test suite (slow tests included)
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP) ## the test suite without tests marked slow
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadgroup -m "not slow"

docs: $(STAMP) ## build the user guide (docs/, examples executed) into docs/_build/html; fails on any warning
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(STAMP) ## run the benchmarks in bench/ (figures go to docs/benchmarks.md)
	$(BIN)/python -m bench

lint: $(STAMP) ## ruff
	$(BIN)/ruff check sqresearch tests bench
