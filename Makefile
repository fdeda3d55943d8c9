# Two commands do all the set-up on a fresh machine:
#   make run    install, seed the demo helpdesk (once) and serve it on http://127.0.0.1:5000/
#   make test   install with the test tools, lint, type-check and run the test suite
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run test lint install install-test translations clean

run: install
	$(BIN)/helpdesk demo
	$(BIN)/helpdesk serve

test: install-test lint
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
	$(MAKE) --no-print-directory translations
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Compiled catalogs are build output (.mo files are not committed).
translations:
	$(BIN)/pybabel compile --use-fuzzy -f -d translations -q 2>/dev/null || true

clean:
	rm -rf $(VENV) build *.egg-info
