# Two commands for a new machine: `make brief` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: brief test check lint fuzz bench profile preview schema clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "digibrief needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q src
	@touch $@

# an editable install compiles nothing of src/, and pytest rewrites the test modules' asserts at their
# first import: both are done once here, with the install, rather than by each test worker at the
# first run (about 3 s of each worker's start); a later edit is compiled again where it is imported
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest --collect-only -q -n 0 tests > /dev/null || true
	@touch $@

brief: $(STAMP)                    ## build output/brief.pdf, deck.pptx, brief-data.xlsx and brief.html
	$(BIN)/digibrief build

check: $(STAMP)                    ## validate data/ and report/ only
	$(BIN)/digibrief check

# PYTHONDONTWRITEBYTECODE= : keep the bytecode of src/ and of the rewritten test modules between runs
# (__pycache__ is ignored by git) even where the environment turns it off; else every worker and every
# child process compiles them again (3 s of each worker's start)
test: $(TEST_STAMP)                ## the whole suite (a few minutes)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n auto --dist loadfile

lint: $(TEST_STAMP)                ## ruff, the import rules (import-linter) and mypy
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

fuzz: $(TEST_STAMP)                ## long property-based run (minutes)
	DIGIBRIEF_FUZZ=long $(BIN)/python -m pytest -q -m fuzz tests

bench: $(STAMP)                    ## speed and memory benchmark; prints a table
	$(BIN)/python scripts/bench.py

profile: $(STAMP)                  ## where a cold build's and a watch edit's time goes (markdown)
	$(BIN)/python scripts/profile.py

preview: $(STAMP)                  ## PNG contact sheets in output/preview/
	$(BIN)/digibrief preview

schema: $(STAMP)                   ## regenerate schemas/ from the model
	$(BIN)/digibrief schema --out schemas

clean:
	rm -rf output/*.pdf output/*.pptx output/charts output/preview output/.cache
