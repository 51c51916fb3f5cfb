# Commonplace: the one entry point. `make run` to try it, `make test` to check it.
# scripts/dev.py picks the services: DATABASE_URL / REDIS_URL when set, else the local servers
# on 127.0.0.1:5432 / :6379 when they answer, else embedded ones (data under var/).
VENV := .venv
PY := $(VENV)/bin/python
DEV := $(PY) scripts/dev.py

.PHONY: run test suite lint format fuzz bench services venv clean-var lock scale-test extension

# Reinstall only when pyproject.toml changed since the last install.
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock scripts/bootstrap.sh
	bash scripts/bootstrap.sh
	touch $@

run: venv
	$(DEV) run

# The whole suite (unit, Playwright e2e, worker tests) after the linters; fuzz tests: make fuzz.
test: lint
	$(DEV) test $(ARGS)

# The suite alone, e.g. `make suite ARGS="tests/groups -x"`.
suite: venv
	$(DEV) test $(ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

fuzz: venv
	$(DEV) fuzz $(ARGS)

# Several web, worker and beat processes on a throwaway PostgreSQL primary + streaming replica,
# pgbouncer and Redis of their own (var/scale, ports 5541/5542/6441/6401/8441/8442); needs the
# Debian packages postgresql and pgbouncer (.ci/run installs them).
scale-test: venv
	$(DEV) scale $(ARGS)

bench: venv
	$(DEV) bench $(ARGS)

services: venv
	$(DEV) services

# Forget the embedded databases (var/postgres, var/redis) and collected static files.
clean-var:
	rm -rf var/

# Refresh the French catalogue (locale/fr) from templates and code, then compile it. Translate
# every new entry in locale/fr/LC_MESSAGES/django.po (tests/test_i18n.py fails until you do) and
# commit both the .po and the .mo: CI needs no gettext.
.PHONY: messages
messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules --ignore=commonplace.egg-info
	DEBUG=1 $(PY) manage.py compilemessages -l fr --ignore=.venv

# After changing a dependency in pyproject.toml: pin every transitive package again in uv.lock
# and export the same pins for pip (requirements.lock, used when uv is not available).
lock: venv
	$(VENV)/bin/uv lock
	$(VENV)/bin/uv export --quiet --frozen --all-extras --no-emit-project -o requirements.lock

# The browser extension: var/extension/ + var/extension.zip (Chromium), var/extension-firefox/ +
# var/extension-firefox.zip (Firefox), then Mozilla's web-ext lint of the Firefox build (pinned
# in extension/package-lock.json, installed under extension/node_modules): no error, no warning.
# (Linting the Chromium build only adds "service_worker is ignored by Firefox".)
WEB_EXT := extension/node_modules/.bin/web-ext
extension: venv
	$(PY) scripts/build_extension.py
	cd extension && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(WEB_EXT) lint --source-dir var/extension-firefox --warnings-as-errors
