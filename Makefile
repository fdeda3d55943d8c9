# Two commands do all the set-up on a fresh machine:
#   make run    install, seed the demo helpdesk (once) and serve it on http://127.0.0.1:5000/
#   make test   install with the test tools, lint, type-check and run the test suite
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test lint install install-test translations clean

run: install translations
	$(BIN)/helpdesk demo
	$(BIN)/helpdesk serve

test: install-test translations lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Compiled catalogs are build output (.mo files are not committed); a broken catalog fails here.
translations: install
	$(BIN)/pybabel -q compile -d translations

clean:
	rm -rf $(VENV) build *.egg-info
