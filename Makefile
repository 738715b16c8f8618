# Two entry points: `make lab` (install, build, open JupyterLab on examples/)
# and `make test` (every test). Everything lives in .venv and node_modules.

VENV := .venv
PY := $(VENV)/bin/python
# A kernel without subshells (ipykernel 6), for the tests of the fallback transport: the oldest
# ipykernel and debugpy the `kernel` extra in pyproject.toml admits.
OLD_KERNEL := .venv-ipykernel6
# The wheel installed as users install it, for `make test-wheel`.
WHEEL_VENV := .venv-wheel
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: lab install build test test-ui wheel test-wheel chromium bench clean

# The UI tests drive Debian's Chromium (never a browser Playwright downloads).
CHROMIUM := /usr/bin/chromium

lab: install
	jupyter lab --ServerApp.root_dir=examples $(if $(filter 0,$(shell id -u)),--allow-root)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package.json package-lock.json
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	npm ci --no-audit --no-fund
	# The editable build runs `npm run build` (probe embedding, tsc, labextension).
	$(PY) -m pip install -q -e ".[test]"
	jupyter labextension develop --overwrite .
	# The server extension's enabling file, as the wheel installs it (shared-data in pyproject.toml).
	install -D -m 644 jupyter-config/server-config/jupyterlab_ml_debugger.json \
	  $(VENV)/etc/jupyter/jupyter_server_config.d/jupyterlab_ml_debugger.json
	touch $@

build:
	npm run build

$(OLD_KERNEL)/.installed: Makefile
	test -x $(OLD_KERNEL)/bin/python || python3 -m venv $(OLD_KERNEL)
	$(OLD_KERNEL)/bin/python -m pip install -q "ipykernel==6.29.*" "debugpy==1.8.0" numpy
	touch $@

test: chromium install build $(OLD_KERNEL)/.installed
	$(VENV)/bin/lint-imports
	npm run lint:deps
	$(PY) -m pytest -q -p no:cacheprovider
	npm run test:unit
	npm run test:integration
	$(MAKE) test-ui
	$(MAKE) test-wheel

test-ui: chromium install ui-tests/node_modules/.installed
	cd ui-tests && npx playwright test

# dist/: the wheel and sdist a release uploads, with the production bundle (`npm run build:prod`,
# 10-20 s here). It is built in a copy of the sources, so the development bundle the editable
# install links to stays as it is; `python -m build` runs in .venv, whose test extra holds the build
# requirements, instead of two fresh build environments (5 s instead of 85 s).
wheel: install
	rm -rf dist
	src=$$(mktemp -d) && trap 'rm -rf "$$src"' EXIT && \
	git ls-files -z --cached --others --exclude-standard \
	  | tar --null --files-from=- --ignore-failed-read -cf - | tar -xf - -C "$$src" && \
	ln -s "$(CURDIR)/node_modules" "$$src/node_modules" && \
	(cd "$$src" && npm run build:prod) && \
	$(PY) -m build --no-isolation --outdir "$(CURDIR)/dist" "$$src"

# The wheel as users install it: a fresh environment with the wheel (which brings JupyterLab) and
# its `kernel` extra, plus torch and NumPy for the fixture notebooks. Then the installed files,
# `jupyter labextension list` without Node.js, and the UI tests tagged @smoke against that
# environment's own `jupyter lab` (port 8890).
test-wheel: chromium wheel ui-tests/node_modules/.installed
	rm -rf $(WHEEL_VENV)
	python3 -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install -q "$$(ls dist/*.whl)[kernel]" torch==2.13.0 numpy
	$(WHEEL_VENV)/bin/python -m pip list --format=freeze | grep -i -E '^(jupyterlab|ipykernel|debugpy)=='
	$(PY) -m pytest -q -p no:cacheprovider jupyterlab_ml_debugger/tests/test_wheel_install.py
	cd ui-tests && npx playwright test --config playwright.wheel.config.js

# Installs Debian's chromium when it is missing and this user may; otherwise stops at once saying how.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the UI tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The UI tests need Debian's chromium at $(CHROMIUM): run 'sudo apt-get install chromium', then 'make test' again." >&2; \
	    exit 1; \
	  fi; \
	}

ui-tests/node_modules/.installed: ui-tests/package.json ui-tests/package-lock.json
	cd ui-tests && npm ci --no-audit --no-fund
	touch $@

bench: install
	$(PY) -m jupyterlab_ml_debugger.bench inspect --json
	$(PY) -m jupyterlab_ml_debugger.bench actions --json

clean:
	rm -rf lib node_modules ui-tests/node_modules jupyterlab_ml_debugger/labextension dist \
	  $(VENV) $(OLD_KERNEL) $(WHEEL_VENV)
