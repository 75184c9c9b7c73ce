# MotCua — the two commands: `make run` (serve the demo ward) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench venv translations clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

translations: venv
	$(BIN)/python manage.py compile_translations

run: translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "MotCua đang chạy tại http://$(HOST):$(PORT)/ — đăng nhập bằng một tài khoản ở trên."
	@# The task worker (outbox: e-mail and SMS) and the scheduler of periodic jobs (outbox
	@# sweep, mailbox polling) run beside the server and stop with it.
	$(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	$(BIN)/python manage.py run_schedule & schedule=$$!; \
	trap "kill $$worker $$schedule 2>/dev/null" EXIT INT TERM; \
	MOTCUA_PUBLIC_URL=$${MOTCUA_PUBLIC_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# axe-core, injected into the browser tests' pages for the accessibility checks.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: translations
	bash scripts/system-deps.sh --browser
	$(MAKE) --no-print-directory node_modules/.package-lock.json
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/motcua/*/services src/motcua/*/selectors.py src/motcua/core/calendar.py
	$(BIN)/python manage.py makemigrations --check --dry-run

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
