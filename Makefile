# Self Data Territorial notebooks — the two set-up commands are `make demo` and `make test`.
# Both create the virtual environment .venv on first use (Python >= 3.11, pip only) and reuse it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# OpenFisca-France lives in its own environment (see selfdata_lib/analysis/taxbenefit.py and the README).
OFVENV  := .venv-openfisca
OFSTAMP := $(OFVENV)/.installed
JOBS   ?= 0

.PHONY: demo test check openfisca test-fast fuzz lab samples gallery export browser clean distclean help

help:
	@echo "make demo   - run every use case on the sample personas, write outputs/index.html"
	@echo "make test   - the checks, then the whole test suite (what CI runs)"
	@echo "make check  - ruff, ruff format, mypy and the layers contract (seconds)"
	@echo "make lab    - open the notebooks in JupyterLab"
	@echo "make openfisca - the OpenFisca-France environment .venv-openfisca (done by demo and test)"
	@echo "make fuzz   - the importers' fuzz suite with 10,000 bad inputs per format"
	@echo "make samples - regenerate data/samples from the generators"
	@echo "make export DEST=dir - the gallery and reports as a folder that opens offline elsewhere"
	@echo "make browser - install headless Chromium (Debian package chromium): screenshots, PDF, browser tests"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency declarations change; constraints.txt pins every version.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	# pyCANON pins numpy==2.0.2 and pandas==2.3.3 exactly; its k-anonymity code runs on ours (tested in
	# tests/test_contribution.py), so it is installed without its pins
	$(BIN)/python -m pip install --quiet --no-deps pycanon==1.3.6
	touch $(STAMP)

$(OFSTAMP): constraints-openfisca.txt
	$(PYTHON) -m venv $(OFVENV)
	$(OFVENV)/bin/python -m pip install --quiet --upgrade pip
	$(OFVENV)/bin/python -m pip install --quiet -r constraints-openfisca.txt
	touch $(OFSTAMP)

openfisca: $(OFSTAMP)

demo: $(STAMP) $(OFSTAMP)
	$(BIN)/selfdata run --all --jobs $(JOBS)

test: check $(OFSTAMP)
	$(BIN)/python -m pytest

# Lint, format, types and the layers contract: fast, so they run first (CI and pre-commit run them).
check: $(STAMP)
	$(BIN)/ruff check selfdata_lib tests benchmarks use_cases notebooks
	$(BIN)/ruff format --check selfdata_lib tests benchmarks use_cases notebooks
	$(BIN)/mypy
	$(BIN)/lint-imports

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not notebooks and not fuzz"

# The fuzz suite with ten times the inputs of `make test` (10,000 bad files per importer).
fuzz: $(STAMP)
	SELFDATA_FUZZ_INPUTS=10000 $(BIN)/python -m pytest -m fuzz tests/test_fuzz.py

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=.

samples: $(STAMP)
	$(BIN)/selfdata samples build

gallery: $(STAMP)
	$(BIN)/selfdata gallery

DEST ?= galerie-atelier
export: $(STAMP)
	$(BIN)/selfdata export $(DEST)

# Headless Chromium for the browser tests, screenshots and PDF reports (skipped cleanly without it).
browser:
	@command -v chromium >/dev/null 2>&1 && echo "chromium is installed: $$(command -v chromium)" || \
	  { if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

clean:
	rm -rf outputs .pytest_cache .hypothesis .mypy_cache .ruff_cache .import_linter_cache

distclean: clean
	rm -rf $(VENV) $(OFVENV)
