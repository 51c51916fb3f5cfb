# Commonplace: the one entry point. `make run` to try it, `make test` to check it.
# (scripts/dev.py picks the services: DATABASE_URL/REDIS_URL, else local servers, else embedded.)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format venv

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	bash scripts/bootstrap.sh
	touch $@

run: venv
	$(PY) scripts/dev.py run

test: venv lint
	$(PY) scripts/dev.py test

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
