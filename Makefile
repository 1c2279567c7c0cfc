# The project's commands. `make report` and `make test` work on a fresh clone with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := datasets/warehouse.duckdb
REPORT := reports/risk-report.html
REPORTS := $(REPORT) reports/buyer-report.html reports/region-report.html reports/place-report.html

INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
BUILD_INPUTS := $(wildcard datasets/sample/* datasets/reference/*) \
	$(shell find analysis -name '*.py' -o -name '*.sql' -o -name '*.yml' -o -name '*.toml')
REPORT_INPUTS := $(shell find analysis/reports -type f -not -name '*.pyc')

.PHONY: report build test check format bench docs clean

report: $(REPORTS)
	@echo "warehouse: $(DB)"
	@echo "reports:   $(REPORTS)"

build: $(DB)

$(INSTALLED): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(DB): $(INSTALLED) $(BUILD_INPUTS)
	$(BIN)/minrisk build --db $@

$(REPORT): $(DB) $(REPORT_INPUTS)
	$(BIN)/minrisk report --db $(DB) --out $@

reports/buyer-report.html: $(DB) $(REPORT_INPUTS)
	$(BIN)/minrisk report buyer --db $(DB) --out $@

reports/region-report.html: $(DB) $(REPORT_INPUTS)
	$(BIN)/minrisk report region --db $(DB) --out $@

reports/place-report.html: $(DB) $(REPORT_INPUTS)
	$(BIN)/minrisk report place --place Rubaya --db $(DB) --out $@

test: $(TEST_INSTALLED)
	$(BIN)/python -m pytest -q

check: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

docs: $(DB)
	$(BIN)/python -m analysis.schema_docs $(DB) > docs/schema.md

bench: $(INSTALLED)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(DB) $(DB).wal $(REPORTS) reports/screenshots
