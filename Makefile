# The Makefile only prepares the virtual environment; every task lives in tasks.py.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve build test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The project itself is one package (pyproject.toml), installed editable after its
# pinned dependencies, so every module has one dotted name and no file edits sys.path.
$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt $(STAMP)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-test.txt
	touch $@

serve: $(STAMP)
	$(BIN)/invoke serve

build: $(STAMP)
	$(BIN)/invoke build

test: $(TEST_STAMP)
	$(BIN)/invoke test

clean: $(STAMP)
	$(BIN)/invoke clean
