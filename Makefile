# Two commands: `make demo` builds every document of the example case into output/,
# `make test` runs the whole suite. Both install what is missing first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
CASE   := cases/pays-des-ecrins

.PHONY: demo test lint system install check templates captures serve clean

demo: install
	$(BIN)/docgen check $(CASE)
	$(BIN)/docgen build $(CASE)
	$(BIN)/docgen verify output/$(notdir $(CASE))

test: install
	$(BIN)/python -m pytest -q -n auto  # the tests spread over the cores (pytest-xdist)

# the web workspace on the example's folder of territories (http://127.0.0.1:8000)
serve: install
	$(BIN)/docgen serve cases

# the browser journeys (Debian's chromium), a screenshot of each step in output/captures/
captures: install
	DOCGEN_CAPTURES=$(CURDIR)/output/captures $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_web_browser.py tests/test_web_journeys.py

lint: install
	$(BIN)/ruff check docgen/
	$(BIN)/mypy

install: system $(STAMP)
	@# an editable install leaves docgen's own modules uncompiled (pip compiles the others):
	@# compiled once here, imports take 0.2 s less at every start, whatever PYTHONDONTWRITEBYTECODE says
	@$(BIN)/python -m compileall -q -j 0 docgen >/dev/null

system:
	@bash scripts/install-system.sh

# requirements.lock: every Python dependency, pinned with its hashes (pip-compile
# --generate-hashes --extra pdf --extra web --extra test pyproject.toml); docgen itself on top
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

check: install
	$(BIN)/docgen check $(CASE)

templates: install
	$(BIN)/docgen templates check

clean:
	rm -rf output .pytest_cache .hypothesis
