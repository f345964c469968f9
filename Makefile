# The two newcomer commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test bench

# Re-install whenever the project's dependencies change.
$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: Python 3.11+ is required ($(PYTHON) is $$($(PYTHON) --version))"; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Seed the legacy service's SQLite database, migrate legacy_app into build/, show the report.
demo: $(INSTALLED)
	env -u DATABASE_URL $(BIN)/flask --app legacy_app.wsgi init-db --seed --reset
	rm -rf build/legacy_app
	$(BIN)/migrate legacy_app --out build --spec legacy_app/openapi.yaml --report build/migration-report.md
	@echo
	@echo "Migrated copy: build/legacy_app   Report: build/migration-report.md"

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Not part of `make test`: minutes of real load (wrk) on every service; set DATABASE_URL
# to a PostgreSQL server to compare on it. Writes bench-results/{results.json,results.md,report.html}.
bench: $(INSTALLED)
	@command -v wrk >/dev/null || { echo "error: wrk is missing: sudo apt-get install wrk"; exit 2; }
	$(BIN)/python bench/run_comparison.py --out bench-results
