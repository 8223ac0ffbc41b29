# Two entry points a new person needs:  make run   and   make test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: run test lint setup system-deps bench translations clean dist

run: system-deps $(STAMP)           ## set up (first time) and start the counter app
	$(PY) -m cashier gui

test: system-deps $(STAMP)   ## set up (first time) and run lint, layer contracts, types and the whole test suite
	$(VENV)/bin/ruff check cashier tests bench
	$(VENV)/bin/lint-imports --config setup.cfg
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

setup: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

lint: $(STAMP)              ## ruff, the layer contracts and mypy (config: setup.cfg [mypy])
	$(VENV)/bin/ruff check cashier tests bench
	$(VENV)/bin/lint-imports --config setup.cfg
	$(PY) -m mypy

translations: $(STAMP)   ## regenerate resources/translations/*.qm from the .ts sources
	$(PY) scripts/build_translations.py

bench: $(STAMP)          ## all benchmarks (600k-row data sets; takes minutes)
	$(PY) bench/run_all.py

dist: system-deps $(STAMP) ## frozen app for this OS (installer/dist/cashier) + the Windows installer (makensis)
	$(PY) installer/build.py

clean:
	rm -rf $(VENV) build dist *.egg-info installer/build installer/dist
