# microcred: two commands on a fresh machine, `make run` and `make test`.
# Every target sets up what it needs and is fast when that is already done.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MANAGE := $(PY) -m microcred_web.manage
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Run apt-get through sudo when not root (CI and the dev machines are root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Playwright must never download a browser: tests drive Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run serve migrate test test-sqlite test-postgres lint bench chromium pango postgres-bin clean

help:
	@echo "make run    - set up, migrate, load demo data, serve on http://$(HOST):$(PORT) + worker"
	@echo "make serve  - production-style: gunicorn, $${MICROCRED_WORKERS:-2} workers, debug off, demo data"
	@echo "make test   - whole suite on SQLite, then the web suite on a throw-away PostgreSQL"
	@echo "make lint   - ruff check, ruff format --check, mypy (strict, core), lint-imports"
	@echo "make bench  - run every bench/*.py"

setup: $(STAMP)

$(STAMP): pyproject.toml | pango
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

NODE_PEER := interop/node/node_modules/.package-lock.json

# The interop peer (tests/core/interop, bench/credentials.py): Digital Bazaar's libraries
# at exactly the versions of the lock; reinstalled when the lock changes.
$(NODE_PEER): interop/node/package.json interop/node/package-lock.json
	cd interop/node && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

AXE := tests/web/axe/node_modules/.package-lock.json

# axe-core for the browser tests (tests/web/axe.py injects it), at the version of its lock.
$(AXE): tests/web/axe/package.json tests/web/axe/package-lock.json
	cd tests/web/axe && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

migrate: $(STAMP)
	MICROCRED_DEBUG=$${MICROCRED_DEBUG:-1} $(MANAGE) migrate --noinput

# Development key-encryption key for provider signing keys: made once, kept in var/ (ignored by
# git). Production sets MICROCRED_KEK or MICROCRED_KEK_FILE itself (docs/keys-and-backup.md).
DEV_KEK := var/dev-kek.txt
# Development learner-identifier key (the HMAC key of learner hashes, never SECRET_KEY), made
# once like the KEK. Production sets MICROCRED_IDENTIFIER_KEY or _FILE (docs/keys-and-backup.md).
DEV_IDENTIFIER_KEY := var/dev-identifier-key.txt

$(DEV_KEK): | $(STAMP)
	umask 077 && mkdir -p var
	umask 077 && $(PY) -c "from microcred.credentials.keystore import generate_kek; print(generate_kek())" > $@

$(DEV_IDENTIFIER_KEY): | $(STAMP)
	umask 077 && mkdir -p var
	umask 077 && $(PY) -c "from microcred.credentials.identifier_key import generate_identifier_key as g; print(g())" > $@

# The development KEK and identifier key unless given (each: the variable or its _FILE, never
# both).
RUN_ENV = env MICROCRED_DEBUG=$${MICROCRED_DEBUG:-1} \
  $$([ -n "$$MICROCRED_KEK" ] || echo MICROCRED_KEK_FILE=$${MICROCRED_KEK_FILE:-$(CURDIR)/$(DEV_KEK)}) \
  $$([ -n "$$MICROCRED_IDENTIFIER_KEY" ] || \
     echo MICROCRED_IDENTIFIER_KEY_FILE=$${MICROCRED_IDENTIFIER_KEY_FILE:-$(CURDIR)/$(DEV_IDENTIFIER_KEY)})

# The background worker (bulk issuing, reindex, status lists: docs/issuing.md) runs beside the
# server; Ctrl-C stops both (the worker puts a running job back in the queue for next time).
run: migrate $(DEV_KEK) $(DEV_IDENTIFIER_KEY)
	$(RUN_ENV) $(MANAGE) seed_demo
	@$(RUN_ENV) $(MANAGE) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# Production-style on this machine (scripts/serve.py): debug off, gunicorn with
# MICROCRED_WORKERS processes, collected static files, migrations, the demo data (DEMO=0: none).
# Missing secrets are made once in var/ for a local trial; docs/deploy.md for a real one.
DEMO ?= 1

serve: $(STAMP)
	$(PY) scripts/serve.py --host $(HOST) --port $(PORT) $$([ "$(DEMO)" = 0 ] && echo --no-demo)

# Pango (text layout of WeasyPrint, which draws the certificate PDF): Debian's libraries.
pango:
	@ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || { \
	  echo "pango missing: installing Debian's libpango"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y \
	    libpango-1.0-0 libpangoft2-1.0-0; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "chromium missing: installing Debian's chromium"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium; }

# PostgreSQL server binaries plus, when root, the `postgres` OS user that runs them
# (initdb refuses root). scripts/pg_throwaway.py fails loudly if they are still missing.
postgres-bin:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "PostgreSQL server binaries missing: installing postgresql-15"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y postgresql-15; }
	@if [ "$$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then \
	  echo "creating the postgres OS user"; \
	  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres; fi

test-sqlite: $(STAMP) $(NODE_PEER) $(AXE) chromium
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: $(STAMP) $(AXE) chromium postgres-bin
	$(PY) scripts/pg_throwaway.py -- $(PY) -m pytest tests/web

# Both runs always happen; the target fails if either failed.
test: $(STAMP) $(NODE_PEER) $(AXE) chromium postgres-bin
	@rc=0; \
	echo "== pytest on SQLite (whole suite) =="; \
	env -u DATABASE_URL $(PY) -m pytest || rc=$$?; \
	echo "== pytest on a throw-away PostgreSQL (web suite) =="; \
	$(PY) scripts/pg_throwaway.py -- $(PY) -m pytest tests/web || rc=$$?; \
	exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/mypy --strict src/microcred
	$(VENV)/bin/lint-imports --no-cache

bench: $(STAMP) $(NODE_PEER)
	@set -e; for f in bench/*.py; do \
	  [ -e "$$f" ] || { echo "no benchmarks yet"; break; }; \
	  echo "== $$f =="; $(PY) "$$f"; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
