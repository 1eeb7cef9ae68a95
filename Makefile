# Phanthamit: `make site` builds site/, `make test` runs the tests.
# Both first install whatever is missing (Debian packages, .venv, node_modules);
# a second run skips what is already there.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# chromium: browser tests (Playwright drives /usr/bin/chromium); graphviz: `dot` lays out the
# diagrams; fonts-thai-tlwg: Thai system fonts for Chromium and Graphviz; poppler-utils: pdftoppm.
APT_PACKAGES := chromium graphviz fonts-thai-tlwg poppler-utils
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: site test serve validate install system-packages

site: install
	$(PY) -m builder build

test: install
	$(PY) -m pytest

serve: install
	$(PY) -m builder serve

validate: $(VENV)/.installed
	$(PY) -m builder validate

install: system-packages $(VENV)/.installed node_modules/.installed

# Python packages, pinned in requirements.txt; redone when it or pyproject.toml changes.
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# npm packages (web font, world map), exactly as package-lock.json says.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian packages: `apt-get update` and install only when one is missing.
system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends \
	    -o DPkg::Lock::Timeout=300 $$missing; \
	fi
