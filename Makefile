# Two commands that work on a fresh clone: `make run` (the main job) and `make test` (all tests).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= data/samples
LAKE   ?= data/lake
# Extra flags for `newslens run`, e.g. RUN_ARGS="--models models-tiny" or RUN_ARGS="--stages ingest".
RUN_ARGS ?=

.PHONY: install run test clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch that installs here; pinned before anything can pull a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e .
	touch $(STAMP)

run: install
	$(VENV)/bin/newslens run $(INPUT) --lake $(LAKE) --summary $(RUN_ARGS)

test: install
	$(PY) -m pytest -q

clean:
	rm -rf $(LAKE) data/lake.duckdb data/cache .pytest_cache
