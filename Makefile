# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CORPUS ?= corpus
OUT ?= outputs

.PHONY: run test lint typecheck unit browser-deps benchmark lock clean

# Runtime only (what annotation and review need), hash-pinned.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Runtime plus the dev tools (pytest, ruff, mypy, playwright), hash-pinned; the dev lock is
# compiled with the runtime lock as a constraint, so both share every runtime version.
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(DEV_STAMP)

## Set everything up and annotate corpus/ into outputs/.
run: $(STAMP)
	$(BIN)/ccpipeline annotate $(CORPUS) --out $(OUT)

## Chromium for the browser tests (Debian package; Playwright drives it).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check pipeline tests scripts

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP)
	$(BIN)/pytest -q

## Set everything up, lint, type-check and run the whole test suite.
test: $(DEV_STAMP) browser-deps lint typecheck unit

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

## Recompile both locks (needs uv); the runtime lock first, then the dev lock on top of it.
lock:
	uv pip compile pyproject.toml build-requirements.in --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml build-requirements.in --extra dev -c requirements.lock --generate-hashes --python-version 3.11 -o requirements-dev.lock
	# weasel asks for smart-open[http]; pip 23's hash mode takes that extra as a requirement of
	# its own, unpinned, and refuses it once PyPI has a newer smart-open. Pin the extra itself.
	sed -i 's/^smart-open==/smart-open[http]==/' requirements.lock requirements-dev.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
