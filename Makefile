# Two commands for a newcomer (see README.md):
#   make chat   sets everything up and opens the chat with the bot (embedded store)
#   make test   sets everything up and runs the whole test suite
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: chat test lint browser speech serve bench

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 is needed (see .python-version); set PYTHON=/path/to/python3.13")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

chat: $(BIN)/.installed
	$(BIN)/python -m bot chat

serve: $(BIN)/.installed
	$(BIN)/python -m bot serve

browser:
	@scripts/ensure-chromium

speech:
	@scripts/ensure-speech

lint: $(BIN)/.installed
	$(BIN)/ruff check bot recruiter_reports casework followups storekit tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(BIN)/.installed browser speech lint
	$(BIN)/python -m bot content check
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks
