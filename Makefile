# EventHub — the commands a newcomer needs. `make run` serves the demo; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 3
PYTEST_ARGS ?=
export FLASK_APP := wsgi

.PHONY: translations fonts run test test-sqlite test-postgres bench bench-postgres lint migrate demo install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installing also compiles the catalogs (eventhub/translations/*/LC_MESSAGES/messages.mo are not kept
# in git), so a fresh clone serves every language; a changed .po is compiled again by any make target.
CATALOGS := $(wildcard eventhub/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

# Extract every message (Python, templates) into messages.pot, bring each catalog up to date with it,
# compile. Then translate the new entries in each .po (empty msgstr) and run it again.
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k _l -c "Translators:" --no-location \
		--sort-output --project=EventHub -o eventhub/translations/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i eventhub/translations/messages.pot \
		-d eventhub/translations
	@for po in eventhub/translations/*/LC_MESSAGES/messages.po; do $(BIN)/pybabel -q compile -i $$po -o $${po%.po}.mo; done

install: $(VENV)/.installed $(COMPILED)
install-test: $(VENV)/.installed-test $(COMPILED)

migrate: install
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask eventhub load-demo

# Badges print Chinese, Japanese and Korean names with the system's Noto Sans CJK (the other scripts'
# fonts come with EventHub, static/fonts/). Installed when we are root; a warning otherwise.
fonts:
	@fc-list -q "Noto Sans CJK SC" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing fonts-noto-cjk (Chinese, Japanese and Korean names on badges)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) \
	      || echo "WARNING: could not install fonts-noto-cjk: Chinese, Japanese and Korean names print as boxes"; \
	  else \
	    echo "WARNING: Noto Sans CJK is missing: Chinese, Japanese and Korean names on badges print as boxes." \
	         "Install it: sudo apt-get install fonts-noto-cjk"; \
	  fi; }

# No access log: paths carry secret tokens (registration links, calendar feeds, reset links).
# The mail delivery process runs beside the web workers and stops with them.
run: demo fonts
	@echo "EventHub on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	export PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}; \
		$(BIN)/flask eventhub mail-worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
		$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) wsgi:app

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "=== the whole suite again, on PostgreSQL ==="; \
		EVENTHUB_TEST_ON_POSTGRES=1 $(BIN)/pytest $(PYTEST_ARGS); \
	fi

bench: install-test
	$(BIN)/python -m bench

# The same bench on a throw-away PostgreSQL cluster (as .ci/run starts one for the suite).
bench-postgres: install-test
	bench/postgres.sh $(BIN)/python -m bench

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
