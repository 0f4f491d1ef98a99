# ConvStep — the two commands a newcomer needs:
#   make run    set everything up and start the app on http://127.0.0.1:8000 with the bundled model
#   make test   set up the test dependencies (and Chromium for browser tests) and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-test browser train evaluate bench clean

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

# Debian's chromium for the browser tests (never a browser download); skipped when it cannot be installed.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || true; \
	  elif command -v sudo >/dev/null; then (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || true; fi; \
	fi
	@[ -x /usr/bin/chromium ] || echo "NOTE: /usr/bin/chromium is missing: browser tests will be skipped"

test: install-test browser
	$(BIN)/python -m pytest -q

train: install
	$(BIN)/convstep train --preset lenet --out engine/weights/lenet.npz

evaluate: install
	$(BIN)/convstep evaluate --model engine/weights/lenet.npz

bench: install-test
	$(BIN)/python benchmarks/run.py --json

clean:
	rm -rf $(VENV) build *.egg-info
