# Two entry points: `make run` (the main job) and `make test` (the test suite).
# Both build the virtual environment from uv.lock first; nothing else is needed
# but Python 3.11 and make.

PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN_ARGS ?=
TEST_ARGS ?=

# MLflow and DVC report usage unless told not to (see README, "Telemetry").
export MLFLOW_DISABLE_TELEMETRY ?= true
export DO_NOT_TRACK ?= true
export DVC_NO_ANALYTICS ?= true

# The tests train on the real data: a local copy if one lies beside the
# checkout, otherwise the public download (see README, "Data source").
SHARED_DATA := $(abspath ../shared/data/housing.tgz)
ifneq ($(wildcard $(SHARED_DATA)),)
TEST_DATA_SOURCE ?= $(SHARED_DATA)
endif

.PHONY: setup run test lint clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced

run: setup
	$(VENV)/bin/housing-price run $(RUN_ARGS)

test: lint
	HOUSING_PRICE_DATA_SOURCE=$${HOUSING_PRICE_DATA_SOURCE:-$(TEST_DATA_SOURCE)} \
		$(VENV)/bin/python -m pytest $(TEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(TOOLS) $(VENV) data/processed data/raw/housing.tgz data/raw/housing.csv \
		manifest.json mlflow.db mlartifacts mlruns reports
