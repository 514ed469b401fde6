# The two commands of the README's quick start: `make run` and `make test`.
# Each creates ./.venv on first use and reinstalls when pyproject.toml changes.
# The editable install gets no bytecode from pip, and where PYTHONDONTWRITEBYTECODE is set
# Python never writes any: compileall does it once, or every command recompiles datracker.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-suite test-crash checks fuzz bench clean
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

## test: the whole test suite, and lint, type, layer checks and fuzzing beside it
# Three jobs at once on the machine's two cores: the crash-safety tests spend most of their
# time waiting on the processes they start and kill, which the other two jobs fill. Each job's
# output is printed whole when it ends (--output-sync), so they never interleave.
CRASH_TESTS := tests/test_crash_safety.py
test: $(STAMP)
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-suite test-crash checks

test-suite: $(STAMP)
	$(BIN)/python -m pytest -q --ignore=$(CRASH_TESTS)

test-crash: $(STAMP)
	$(BIN)/python -m pytest -q $(CRASH_TESTS)

checks: $(STAMP)
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
	$(BIN)/python benchmarks/import_bench.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache fuzz/corpus fuzz/crashes fuzz/last-*.log
