# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: run test lint format bench setup messages clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	@echo "The search index is built by run_indexer beside gunicorn (search answers from the database until then)."
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# gunicorn and, beside it, this host's indexer (one per host); Ctrl-C stops both.
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (staff login: http://$(HOST):$(PORT)/accounts/login/)"
	$(BIN)/python manage.py run_indexer & indexer=$$!; \
	$(BIN)/python manage.py take_inbox --loop & inbox=$$!; \
	trap 'kill $$indexer $$inbox 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn contactcenter.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l ja -l en -l zh_Hans -l ko --ignore=.venv --ignore=var --no-location
	$(BIN)/python locale/fill_english.py
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/staticfiles var/search_index
