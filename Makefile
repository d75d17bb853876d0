# Setlist — every command a developer or CI needs. `make help` lists them.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
# Python threads per worker: bounds concurrent requests, and so database connections.
THREADS ?= 4
# Service-backed runs (`make services` starts both on loopback).
PG_URL ?= postgres://setlist:setlist@127.0.0.1:5432/setlist
REDIS_SERVICE_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run bench test test-services services services-stop lint format schema check-deploy audit migrate demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $(VENV)/.base-installed $@

var:
	mkdir -p var

migrate: $(VENV)/.base-installed | var ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the small demo catalog (only into an empty database)
	$(BIN)/python manage.py seed_demo --if-empty

run: demo ## Install, migrate, load demo data and serve on http://$(HOST):$(PORT)
	@echo "Setlist on http://$(HOST):$(PORT)/  (API docs: /api/docs/, admin: /admin/)"
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
		--blocking-threads $(THREADS) --no-ws --log-level warning config.wsgi:application

test: $(VENV)/.test-installed | var ## Run the whole suite (SQLite, local-memory cache)
	$(BIN)/pytest $(PYTEST_ARGS)

$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.test-installed
	$(BIN)/pip install --quiet -r requirements/bench.txt
	touch $@

SCALE ?= 100k
bench: $(VENV)/.bench-installed services ## Benchmark against references (SCALE=100k|1m) on 127.0.0.1
	$(BIN)/python bench/run.py --scale $(SCALE)

services: ## Install (apt) and start PostgreSQL 15 and Redis on 127.0.0.1 (and install wrk)
	bash scripts/services.sh start

services-stop: ## Stop the services started by `make services`
	bash scripts/services.sh stop

test-services: $(VENV)/.test-installed | var ## Run the suite against PostgreSQL and Redis
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_SERVICE_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: $(VENV)/.base-installed ## Validate the OpenAPI schema and write it to var/openapi.yml
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/openapi.yml

check-deploy: $(VENV)/.base-installed ## Django's deployment checklist in production mode
	DJANGO_ENV=production DJANGO_SECRET_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	JWT_SIGNING_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	DJANGO_ALLOWED_HOSTS=setlist.example.com \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

audit: $(VENV)/.test-installed ## bandit (every finding justified) and pip-audit, as CI runs them
	bash scripts/audit.sh

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
