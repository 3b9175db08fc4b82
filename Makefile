# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/conect
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test install migrate seed lint format i18n e2e clean backup restore bench bench-seed bench-run bench-plans bench-load

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

# Web server on 127.0.0.1:8000, Celery worker and beat; Ctrl-C stops all three.
run: seed
	DJANGO_DEBUG=1 $(BIN)/honcho -f Procfile.dev start

# The whole suite on DATABASE_URL (SQLite when unset). When DATABASE_URL is unset and a local
# PostgreSQL answers, the postgres-marked tests run a second time against it. Both on
# TEST_WORKERS processes (pytest-xdist, each with its own database; 0: in this one process).
TEST_WORKERS ?= 2
XDIST = -n $(TEST_WORKERS) --dist worksteal
test: install
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)
	@if [ -z "$$DATABASE_URL" ] && $(BIN)/python -m conect.pgprobe "$(TEST_POSTGRES_URL)"; then \
	  echo "PostgreSQL answers at $(TEST_POSTGRES_URL): running the postgres-marked tests there"; \
	  DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/python -m pytest -m postgres $(XDIST) $(PYTEST_ARGS); \
	fi

e2e: install
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Spanish catalogues after adding strings (the project's in locale/, each app's in
# <app>/locale/), translate the new entries, compile; `python -m conect.i18n_check` verifies.
APPS := members congregations relationships campaigns actions accountability notifications api
i18n: install
	$(BIN)/python manage.py makemessages -l es --no-location --no-obsolete \
	  $(foreach d,.venv var static/vendor tests scripts $(APPS),--ignore='$(d)/*')
	for app in $(APPS); do (cd $$app && ../$(BIN)/python ../manage.py makemessages -l es \
	  --no-location --no-obsolete --ignore='tests/*'); done
	$(BIN)/python manage.py compilemessages -l es --ignore='.venv/*'
	$(BIN)/python -m conect.i18n_check

# Backups (docs/operations.md): one archive with the database and the uploads. In the compose
# stack (its web container running) through `docker-compose exec -T web`; otherwise this
# machine's database (DATABASE_URL, or the SQLite file). Keeps BACKUP_KEEP_DAYS days of them.
BACKUP_DIR ?= backups
BACKUP_KEEP_DAYS ?= 30
COMPOSE ?= docker-compose
IN_COMPOSE = $(shell $(COMPOSE) ps -q web 2>/dev/null)
backup:
	@mkdir -p $(BACKUP_DIR)
	@file=$(BACKUP_DIR)/conect-$$(date +%Y%m%d-%H%M%S).tar; \
	if [ -n "$(IN_COMPOSE)" ]; then \
	  $(COMPOSE) exec -T web python manage.py backup --output - > $$file.part; \
	else \
	  $(BIN)/python manage.py backup --output $$file.part; \
	fi && mv $$file.part $$file && echo "backup: $$file"
	@find $(BACKUP_DIR) -name 'conect-*.tar' -mtime +$(BACKUP_KEEP_DAYS) -print -delete

# make restore FILE=backups/conect-….tar — replaces the database and the uploads. In compose,
# stop the worker and beat first (docker-compose stop worker beat) and start them after. It runs
# in a one-off `migrate` container: a restore drops and recreates tables, which only the tables'
# owner may do (web connects with rows-only rights).
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/conect-YYYYMMDD-HHMMSS.tar"; exit 2; }
	@if [ -n "$(IN_COMPOSE)" ]; then \
	  $(COMPOSE) run --rm -T --no-deps migrate python manage.py restore - --yes < $(FILE); \
	else \
	  $(BIN)/python manage.py restore $(FILE) --yes; \
	fi

# Performance bench (bench/README.md): seed a scratch PostgreSQL database at PEOPLE, time every
# key page against the floor under gunicorn with production settings. BENCH_DB names the database
# (it must contain "bench"; it is emptied and re-seeded).
PEOPLE ?= 30000
ROUNDS ?= 20
BENCH_DB ?= conect_bench_$(PEOPLE)
BENCH_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
bench: bench-seed bench-run

bench-seed: install
	DATABASE_URL="$(BENCH_URL)" $(BIN)/python -m bench seed --people $(PEOPLE)

bench-run: install
	DATABASE_URL="$(BENCH_URL)" $(BIN)/python -m bench run --rounds $(ROUNDS) --label $(PEOPLE)

bench-plans: install
	DATABASE_URL="$(BENCH_URL)" $(BIN)/python -m bench plans

bench-load: install
	DATABASE_URL="$(BENCH_URL)" $(BIN)/python -m bench load --label $(PEOPLE)

clean:
	rm -rf $(VENV) var/staticfiles var/screenshots
