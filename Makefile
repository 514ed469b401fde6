# The two commands of the README's quick start: `make run` and `make test`.
# Each creates ./.venv on first use and reinstalls when pyproject.toml changes.
# The editable install gets no bytecode from pip, and where PYTHONDONTWRITEBYTECODE is set
# Python never writes any: compileall does it once, or every command recompiles datracker.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz bench clean
FUZZ_SECONDS ?= 20

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

## run: validate the shipped plan, then render its refresh document (Word and Markdown) into build/
run: $(STAMP)
	$(BIN)/datracker validate --plan plan
	$(BIN)/datracker render --plan plan --output build

## system-deps: LibreOffice Writer and poppler-utils, for `render --format pdf` and its tests.
## Installed with apt-get when missing and this runs as root (as in CI); otherwise a note says
## why not, and the tests that need them are skipped with that reason.
.PHONY: system-deps
SYSTEM_PACKAGES := libreoffice-writer poppler-utils
system-deps:
	@if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "note: $(SYSTEM_PACKAGES) are not installed and cannot be here (apt-get as root); the PDF tests will be skipped"; \
	else \
		echo "installing $(SYSTEM_PACKAGES) (apt-get)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1 \
		  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }; } \
		|| echo "note: apt-get could not install $(SYSTEM_PACKAGES); the PDF tests will be skipped"; \
	fi

## test: the whole test suite, lint and type checks
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks fuzz scripts
	$(BIN)/ruff format --check src tests benchmarks fuzz scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(MAKE) --no-print-directory fuzz

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

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache fuzz/corpus fuzz/crashes fuzz/last-*.log
