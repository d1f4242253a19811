# Two commands do everything: `make run` and `make test`. Both create .venv on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck bench check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# On Discord when a token is configured, otherwise an interactive terminal session.
run: $(STAMP)
	@if [ -n "$$DISCORD_TOKEN" ] || [ -n "$$DISCORD_TOKEN_FILE" ]; then \
		exec $(PY) -m bot run; \
	else \
		echo "No DISCORD_TOKEN set: starting the terminal session (see README to run on Discord)."; \
		exec $(PY) -m bot chat; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests benchmarks
	$(VENV)/bin/mypy bot

test: lint
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bot bench

check: $(STAMP)
	$(PY) -m bot check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
