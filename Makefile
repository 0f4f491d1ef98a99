# ConvStep — the two commands a newcomer needs:
#   make run    set everything up and start the app on http://127.0.0.1:8000 with the bundled model
#   make test   set up the test dependencies (Python, npm, and Debian's chromium, redis-server, postgresql) and run
#               the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format install install-test system-packages browser train evaluate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/convstep serve --host $(HOST) --port $(PORT)

# Debian packages the tests drive for real, installed when missing (as root or with sudo), never downloaded another
# way: chromium (browser tests), redis-server (the training queue across processes), postgresql (class storage on a
# real server). Fixtures start redis-server and PostgreSQL on free ports in temp dirs; without them those tests skip.
SYSTEM_PACKAGES_MISSING = $(strip $(if $(wildcard /usr/bin/chromium),,chromium) \
  $(if $(shell command -v redis-server),,redis-server) \
  $(if $(wildcard /usr/lib/postgresql/*/bin/initdb),,postgresql))

system-packages:
	@if [ -n "$(SYSTEM_PACKAGES_MISSING)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES_MISSING)) || true; \
	  elif command -v sudo >/dev/null; then (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES_MISSING)) || true; fi; \
	fi
	@[ -x /usr/bin/chromium ] || echo "NOTE: /usr/bin/chromium is missing: browser tests will be skipped"
	@command -v redis-server >/dev/null || echo "NOTE: redis-server is missing: the Redis tests will be skipped"
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo "NOTE: PostgreSQL is missing: its tests will be skipped"

browser: system-packages

# Front-end tools (Biome, axe-core) pinned in package-lock.json; nothing here is served or built.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Lint and format checks: make test fails on unformatted or linted code (make format fixes what it can).
lint: install-test node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	npx --no-install biome ci static/js static/css

format: install-test node_modules/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	npx --no-install biome format --write static/js static/css

test: install-test system-packages lint
	$(BIN)/python -m pytest -q

train: install
	$(BIN)/convstep train --preset lenet --out engine/weights/lenet.npz

evaluate: install
	$(BIN)/convstep evaluate --model engine/weights/lenet.npz

bench: install-test
	$(BIN)/python benchmarks/run.py --json

clean:
	rm -rf $(VENV) build *.egg-info
