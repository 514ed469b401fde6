# The two commands of the README's quick start: `make run` and `make test`.
# Both use ./.venv, made on first use and brought up to date when pyproject.toml changes.
# `make run` installs only what datracker needs to run (.venv/.runtime); `make test` adds the
# development tools (.venv/.installed) and the release tools in their own venv (.venv-tools):
# a fresh clone's first document does not wait for mypy, ruff, hypothesis or atheris
# (benchmarks/RESULTS.md, "make run from a fresh clone", has the figures).
# The editable install gets no bytecode from pip, and where PYTHONDONTWRITEBYTECODE is set
# Python never writes any: compileall does it once, or every command recompiles datracker.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed
TOOLS := .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed
LATEST := .venv-latest
# pip runs from the Python that makes the venvs, pointed at each (--python, pip 22.3 and later):
# a venv made without a pip of its own takes about a second, where ensurepip took 3 to 28 s on
# this shared machine. A Python without pip gives each venv its own, as before.
HOST_PIP := $(shell $(PYTHON) -m pip --version >/dev/null 2>&1 && echo yes)
NEW_VENV = $(PYTHON) -m venv $(if $(HOST_PIP),--without-pip)
PIP_IN = $(if $(HOST_PIP),$(PYTHON) -m pip --python $(1)/bin/python,$(1)/bin/python -m pip)
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run system-deps test test-suite test-crash checks test-latest dist fuzz bench clean
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
FUZZ_SECONDS ?= 20

## the runtime install: datracker and its dependencies, nothing else
$(RUNTIME): pyproject.toml
	$(NEW_VENV) $(VENV)
	$(call PIP_IN,$(VENV)) install $(PIP_FLAGS) -e .
	$(BIN)/python -m compileall -q src
	touch $(RUNTIME)

## the development install: the runtime one plus pytest, mypy, ruff, hypothesis, atheris, ...
$(STAMP): $(RUNTIME)
	$(call PIP_IN,$(VENV)) install $(PIP_FLAGS) -e '.[dev]'
	touch $(STAMP)

## the release tools (build, twine, zizmor, check-jsonschema), run as programs by the tests
$(TOOLS_STAMP): tests/release-tools.txt
	$(NEW_VENV) $(TOOLS)
	$(call PIP_IN,$(TOOLS)) install $(PIP_FLAGS) -r tests/release-tools.txt
	touch $(TOOLS_STAMP)

## run: validate the shipped plan, then render its refresh document (Word and Markdown) into build/
run: $(RUNTIME)
	$(BIN)/datracker validate --plan plan
	$(BIN)/datracker render --plan plan --output build

## system-deps: what some tests drive besides Python: LibreOffice Writer and poppler-utils (the
## PDF render) and Chromium (the progress site in a real browser), from Debian's packages, and
## axe-core (the site's accessibility check) from npm. Installed when missing and this runs as
## root with apt-get (as in CI); otherwise a note says why not, and the tests that need them
## are skipped with that reason (the browser tests fail instead when CI=true).
SYSTEM_PACKAGES := libreoffice-writer poppler-utils chromium
system-deps: $(AXE)
	@if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
		&& command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "note: $(SYSTEM_PACKAGES) are not all installed, and installing them needs apt-get as root; the tests that need them will be skipped"; \
	else \
		echo "installing $(SYSTEM_PACKAGES) (apt-get)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1 \
		  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }; } \
		|| echo "note: apt-get could not install $(SYSTEM_PACKAGES); the tests that need them will be skipped"; \
	fi

$(AXE): $(STAMP)
	@command -v npm >/dev/null 2>&1 && npm install --no-audit --no-fund --silent \
		--prefix $(VENV)/axe axe-core@$(AXE_VERSION) \
		|| echo "note: axe-core could not be installed (it needs npm); the browser tests will be skipped"

## test: the whole test suite (the built package included), and lint, type, layer and dead-code
## checks and fuzzing beside it
# Three jobs at once on the machine's two cores: the crash-safety tests spend most of their
# time waiting on the processes they start and kill, which the other two jobs fill. Each job's
# output is printed whole when it ends (--output-sync), so they never interleave. The venvs are
# made first, once, so the three jobs never build them at the same time; so are the system
# packages the PDF tests need (system-deps), so apt-get never runs beside the tests. The suite
# itself runs in two pytest workers (pytest-xdist): the other jobs end within a minute, and a
# single pytest process then left a core idle.
CRASH_TESTS := tests/test_crash_safety.py
test: $(STAMP) $(TOOLS_STAMP) system-deps
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-suite test-crash checks

test-suite: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist worksteal --ignore=$(CRASH_TESTS)

test-crash: $(STAMP)
	$(BIN)/python -m pytest -q $(CRASH_TESTS)

checks: $(STAMP)
	$(BIN)/ruff check src tests benchmarks fuzz scripts
	$(BIN)/ruff format --check src tests benchmarks fuzz scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/vulture
	$(MAKE) --no-print-directory fuzz

## test-latest: the test suite on the newest release of every dependency, caps lifted, in a
## throw-away venv (.venv-latest): when it fails, a cap in pyproject.toml is doing its job
test-latest: $(TOOLS_STAMP)
	rm -rf $(LATEST)
	$(NEW_VENV) $(LATEST)
	$(PYTHON) scripts/latest_requirements.py > $(LATEST)/latest.txt
	$(call PIP_IN,$(LATEST)) install $(PIP_FLAGS) --upgrade -r $(LATEST)/latest.txt
	$(call PIP_IN,$(LATEST)) install $(PIP_FLAGS) --no-deps -e .
	$(call PIP_IN,$(LATEST)) list --disable-pip-version-check --format freeze > $(LATEST)/versions.txt
	@echo "newest releases under test:"; cat $(LATEST)/versions.txt
	$(LATEST)/bin/python -m pytest -q

## dist: the sdist and the wheel of the committed tree (HEAD), checked by twine, in dist/
dist: $(TOOLS_STAMP)
	rm -rf dist build/dist-src
	mkdir -p build/dist-src
	git archive HEAD | tar -x -C build/dist-src
	$(TOOLS)/bin/python -m build --outdir dist build/dist-src
	$(TOOLS)/bin/twine check --strict dist/*

## fuzz: coverage-guided fuzzing of the loader and the importer, FUZZ_SECONDS each (a crash fails)
fuzz: $(STAMP)
	$(BIN)/python fuzz/seed_corpus.py
	mkdir -p fuzz/crashes fuzz/corpus/importer
	for target in loader importer; do \
		$(BIN)/python fuzz/fuzz_$$target.py fuzz/corpus/$$target -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=fuzz/crashes/ -print_final_stats=1 > fuzz/last-$$target.log 2>&1 \
			|| { tail -40 fuzz/last-$$target.log; exit 1; }; \
		echo "fuzz_$$target: $$(grep -E '^Done' fuzz/last-$$target.log)"; \
	done

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/history_bench.py
	$(BIN)/python benchmarks/import_bench.py

clean:
	rm -rf $(VENV) $(TOOLS) $(LATEST) build dist .pytest_cache .mypy_cache fuzz/corpus fuzz/crashes fuzz/last-*.log
