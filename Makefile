# Quick start: `make run` (set up, extract the seed pages, print a summary) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: setup run test bench peers accuracy train-lines train-orgs clean

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
	$(PY) -m pytest -ra

bench: $(STAMP)
	$(PY) benchmarks/bench.py

peers: $(STAMP)
	$(PY) -m pip install --quiet -e ".[peers]"
	$(PY) benchmarks/peers.py

# The accuracy harness on public corpora unpacked under DATA (docs/accuracy.md says how).
accuracy: $(STAMP)
	@test -n "$(DATA)" || { echo "usage: make accuracy DATA=DIR (the folder of unpacked corpora; see docs/accuracy.md)"; exit 2; }
	$(PY) -m pip install --quiet -e ".[accuracy]"
	$(PY) benchmarks/accuracy/run.py --data "$(DATA)" $(ARGS)

# Retrain the line classifier (patterns/line_classifier.json) from the corpora under DATA.
train-lines: $(STAMP)
	@test -n "$(DATA)" || { echo "usage: make train-lines DATA=DIR (the folder of unpacked corpora; see docs/accuracy.md)"; exit 2; }
	$(PY) -m pip install --quiet -e ".[train]"
	$(PY) training/train_line_classifier.py --data "$(DATA)"

# Retrain the name classifier (patterns/organisation_classifier.json) from FiNER-ORD under DATA.
train-orgs: $(STAMP)
	@test -n "$(DATA)" || { echo "usage: make train-orgs DATA=DIR (the folder of unpacked corpora; see docs/accuracy.md)"; exit 2; }
	$(PY) -m pip install --quiet -e ".[train]"
	$(PY) training/train_organisation_classifier.py --data "$(DATA)"

clean:
	rm -rf $(VENV) results.jsonl build dist .pytest_cache
