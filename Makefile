# Quick start: `make run` (set up, extract the seed pages, print a summary) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: setup run test bench peers clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/nevextract extract seeds/ --out results.jsonl
	$(VENV)/bin/nevextract summary results.jsonl

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench.py

peers: $(STAMP)
	$(PY) -m pip install --quiet -e ".[peers]"
	$(PY) benchmarks/peers.py

clean:
	rm -rf $(VENV) results.jsonl build dist .pytest_cache
