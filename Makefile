# London family hubs common-outcomes pipeline.
#   make run     - set up (locked), fetch reference files if missing, generate demo extracts, run the nightly once
#   make test    - the whole test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= demo
SEED ?= 42

# Offline: no telemetry, no version checks, no analytics (also set in fhub.settings.apply_offline_env).
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
export UV_COMPILE_BYTECODE := 1
export UV_NO_PROGRESS := 1

.PHONY: help setup run reference-data demo nightly report docs test test-fast lint sqllint bench serve server clean browser-deps chromium-deps postgres-deps postgres-up postgres-down

# SQLFluff's dbt templater compiles every model with the project's profile: against an in-memory DuckDB, so
# linting never opens (or locks) the work file; offline like everything else.
SQLFLUFF := FHUB_WORK_DB=:memory: FHUB_DUCKDB_TEMP_DIR=$(CURDIR)/target/duckdb-tmp $(BIN)/sqlfluff

help:
	@grep -E '^#   make' Makefile | sed 's/^#   //'

$(UV):
	@echo "==> bootstrapping uv $(UV_VERSION) into $(TOOLS)/uv"
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS)/uv uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	@echo "==> installing the locked environment into $(VENV)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode -p $(PYTHON)
	@touch $@

setup: $(VENV)/.synced

demo: setup
	$(BIN)/fhub demo --scale $(SCALE) --seed $(SEED)

nightly: setup
	$(BIN)/fhub run

# Reference files from the publishers, when $(FHUB_DATA_DIR)/reference is empty and the network answers (best
# effort: otherwise the run uses FHUB_REAL_DATA_DIR or ../shared/data/real, else runs without comparators).
reference-data: setup
	$(BIN)/fhub reference fetch --when-empty

run: reference-data demo chromium-deps nightly

report: setup
	$(BIN)/fhub report

# axe-core (accessibility engine) for the report browser test: fetched once from the npm registry at a pinned
# version, its tarball checked against the pinned integrity hash, kept in $(TOOLS)/axe-core/ (run offline after).
AXE_VERSION := 4.14.1
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE_JS := $(TOOLS)/axe-core/$(AXE_VERSION)/axe.min.js

$(AXE_JS):
	@echo "==> fetching axe-core $(AXE_VERSION) (npm registry, integrity pinned)"
	@rm -rf $(TOOLS)/axe-core/tmp && mkdir -p $(TOOLS)/axe-core/tmp
	@cd $(TOOLS)/axe-core/tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null
	@got="sha512-$$(openssl dgst -sha512 -binary $(TOOLS)/axe-core/tmp/axe-core-$(AXE_VERSION).tgz | base64 -w0)"; \
	  test "$$got" = "$(AXE_INTEGRITY)" || { echo "axe-core tarball integrity mismatch: $$got"; exit 1; }
	@tar -xzf $(TOOLS)/axe-core/tmp/axe-core-$(AXE_VERSION).tgz -C $(TOOLS)/axe-core/tmp package/axe.min.js
	@mkdir -p $(dir $@) && mv $(TOOLS)/axe-core/tmp/package/axe.min.js $@ && rm -rf $(TOOLS)/axe-core/tmp

# Headless Chromium for the report browser test and the nightly's PDFs (Debian package; installed when missing).
chromium-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "==> installing Debian chromium for the report PDFs and browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

browser-deps: chromium-deps $(AXE_JS)

# Debian's PostgreSQL 15 server for `fhub postgres up` and the serving tests (installed when missing).
postgres-deps:
	@test -x /usr/lib/postgresql/15/bin/initdb || { echo "==> installing Debian postgresql (15) for serving"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# The local serving database under $$FHUB_DATA_DIR/postgres (README "Serving (PostgreSQL)").
postgres-up: setup postgres-deps
	$(BIN)/fhub postgres up

postgres-down: setup
	$(BIN)/fhub postgres down

test: setup browser-deps postgres-deps
	$(BIN)/ruff check fhub fhub_dev flows expectations tests
	$(SQLFLUFF) lint models tests/dbt
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -m "not e2e and not browser and not postgres"

lint: setup
	$(BIN)/ruff check fhub fhub_dev flows expectations tests
	$(SQLFLUFF) lint models tests/dbt

# ruff's formatter is not adopted: on this code it re-wraps ~200 files and grows five modules past the
# 400-line limit (tests/unit/test_module_size.py). `make lint` runs what `make test` runs, and passes.

sqllint: setup
	$(SQLFLUFF) lint models tests/dbt

bench: setup
	$(BIN)/fhub bench --scale $(or $(BENCH_SCALE),london)

# Local Prefect server + the served nightly deployment (02:00 Europe/London).
server: setup
	PREFECT_HOME=$(CURDIR)/.prefect $(BIN)/prefect server start --host 127.0.0.1 --port 4200

serve: setup
	PREFECT_HOME=$(CURDIR)/.prefect PREFECT_API_URL=http://127.0.0.1:4200/api $(BIN)/python -m flows.deploy

clean:
	rm -rf data test-artifacts .pytest_cache
