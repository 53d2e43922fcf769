# One entry point. `make site` and `make test` work on a fresh machine: they create .venv/,
# install the pinned dependencies into it, and (for tests) Debian's chromium.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup site test test-fast serve check generate browser axe lint bench clean
AXE    := $(VENV)/axe/node_modules/axe-core/axe.min.js

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(STAMP)

## Build site/ from the bundled dumps in data/sources/.
site: setup
	$(BIN)/python -m generator build

generate: setup
	$(BIN)/python -m generator generate

check: setup
	$(BIN)/python -m generator check

## Serve locally; edits to data/ regenerate the pages.
serve: setup
	$(BIN)/python -m generator serve

## Debian's chromium for the browser tests (no browser download: the package manager only).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## axe-core (pinned, from the npm registry) for the accessibility audit the browser tests run.
axe: $(AXE)

$(AXE): | setup
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/axe axe-core@4.14.1 >/dev/null

## Set up, then run every test (unit, end-to-end site builds, browser). WORKERS=2 runs them on
## both cores: each test file goes to one worker process (pytest-xdist), so a file's shared built
## site is built once (about 12 min instead of 23 here); the default is one process, the setting
## CI has always passed with.
WORKERS ?= 1
PARALLEL = $(if $(filter-out 1,$(WORKERS)),-n $(WORKERS) --dist loadfile)
test: setup browser axe
	$(BIN)/python -m pytest -q $(PARALLEL)

test-fast: setup
	$(BIN)/python -m pytest -q $(PARALLEL) -m "not browser and not slow"

## Lint, format and types (CI runs it): ruff over the code, mypy over generator/ (pyproject.toml).
lint: setup
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf site $(VENV)
