# Two commands that work on a fresh clone: `make run` (the main job) and `make test` (all tests).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
INPUT  ?= data/samples
# Empty: NEWSLENS_LAKE, else data/lake (newslens' own default), so the environment is not hidden.
LAKE   ?=
# A models folder (`newslens models pull --to DIR` or `newslens models tiny DIR`); empty: HF cache/hub.
MODELS ?=
# Extra flags for `newslens run`, e.g. RUN_ARGS="--stages ingest".
RUN_ARGS ?=

.PHONY: install run test demo clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch that installs here; pinned before anything can pull a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: install
	$(VENV)/bin/newslens run $(INPUT) $(if $(LAKE),--lake $(LAKE)) --summary $(if $(MODELS),--models $(MODELS)) $(RUN_ARGS)

test: install
	$(PY) -m pytest -q

# Offline smoke test of every stage: tiny random models (meaningless outputs), then the main job.
demo: install
	test -d models-tiny || $(VENV)/bin/newslens models tiny models-tiny
	$(MAKE) run MODELS=models-tiny

clean:
	rm -rf $(or $(LAKE),$(NEWSLENS_LAKE),data/lake) data/lake.duckdb data/cache .pytest_cache
