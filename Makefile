# The two commands of the README: `make serve` (set up + run the handbook) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build check publish test browser

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/mkdocs

setup: $(BIN)/mkdocs

# The preview an owner uses (handbook preview): PORT=8001 for another port; a busy one gives the next free.
serve: setup
	@$(BIN)/handbook preview --port $(PORT)

build: setup
	$(BIN)/mkdocs build --strict

check: setup
	$(BIN)/handbook check

# The nightly build: a new stamped version in site/, compared with the previous one.
publish: setup
	$(BIN)/handbook publish --site-dir site --pdf

browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromium-headless-shell || ./scripts/install-chromium
	@./scripts/install-poppler
	@./scripts/install-pdf-validator

# The YAML language server that tests/test_editor_schemas.py drives (npm; version locked in scripts/yaml-language-server/).
YAML_LANGUAGE_SERVER := .tools/node_modules/.bin/yaml-language-server
$(YAML_LANGUAGE_SERVER): scripts/yaml-language-server/package.json scripts/yaml-language-server/package-lock.json
	./scripts/install-yaml-language-server

.PHONY: yaml-language-server
yaml-language-server: $(YAML_LANGUAGE_SERVER)

# bpmn-js, the BPMN viewer that tests/test_bpmn.py renders exports in (npm; locked in scripts/bpmn-js/).
BPMN_JS := .tools/bpmn-js/node_modules/bpmn-js/dist/bpmn-viewer.production.min.js
$(BPMN_JS): scripts/bpmn-js/package.json scripts/bpmn-js/package-lock.json
	./scripts/install-bpmn-js

# The modules that carry the marker engines: only they are collected for the second run.
ENGINE_TESTS = $(shell grep -l '^pytestmark = pytest.mark.engines' tests/test_*.py)

# Both cores: a module's tests stay on one worker, so the sites it builds once are shared. Then the core
# build tests (marker engines) once more on ProperDocs, the maintained fork of MkDocs.
test: setup browser yaml-language-server $(BPMN_JS)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile
	HANDBOOK_ENGINE=properdocs $(BIN)/python -m pytest -q -n 2 --dist loadfile -m engines $(ENGINE_TESTS)

# Everything but the tests that drive Chromium (pytest marker `browser`), for a quick run while working.
.PHONY: test-fast
test-fast: setup yaml-language-server
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not browser"
