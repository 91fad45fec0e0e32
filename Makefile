# The Makefile only prepares the virtual environment; every task lives in tasks.py.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve build test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
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
