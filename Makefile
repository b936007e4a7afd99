# urbis: `make run` and `make test` on a fresh machine with Python 3.11 and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run test install migrate demo lint typecheck contracts serve clean fuzz messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/urbis migrate --noinput
	$(BIN)/urbis createcachetable

demo: migrate
	$(BIN)/urbis load_demo
	$(BIN)/urbis ensure_demo_admin

# The task worker, a local SMTP sink (mail shown on /messaging/sink/) and an hourly reminders
# run go beside the development server and stop with it.
run: demo
	$(BIN)/urbis smtp_sink & sink=$$!; \
	$(BIN)/urbis db_worker --no-reload --no-startup-delay & worker=$$!; \
	while :; do $(BIN)/urbis send_reminders; sleep 3600; done & reminders=$$!; \
	trap 'kill $$worker $$sink $$reminders 2>/dev/null' EXIT INT TERM; \
	$(BIN)/urbis runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

contracts: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy $$(ls -d src/urbis/*/domain* src/urbis/*/rules* src/urbis/*/queries* 2>/dev/null) \
		src/urbis/*/jobs.py src/urbis/governance/statements src/urbis/common/auth.py \
		src/urbis/common/actor.py src/urbis/common/tokens.py src/urbis/common/inputs.py \
		src/urbis/common/imports.py src/urbis/common/audit.py \
		src/urbis/prize/api src/urbis/prize/views src/urbis/prize/forms.py \
		src/urbis/index/api.py src/urbis/index/views.py src/urbis/index/forms.py \
		src/urbis/members/api src/urbis/members/views*.py src/urbis/members/forms.py \
		src/urbis/dues/views src/urbis/dues/api src/urbis/dues/forms.py \
		src/urbis/events/api src/urbis/events/api_programme src/urbis/events/views.py \
		src/urbis/events/views_manage src/urbis/events/forms.py src/urbis/governance/api.py \
		src/urbis/governance/api_meetings src/urbis/governance/api_desk.py \
		src/urbis/governance/views src/urbis/governance/forms.py \
		src/urbis/reports/assembly.py src/urbis/reports/highlights.py

test: $(STAMP) lint contracts typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo 'pytest collected no tests: failing'; exit 1; fi; exit $$rc

# The long fuzzing run: schemathesis over the whole API as anonymous, staff and admin, and
# the form pages, with FUZZ_EXAMPLES examples per operation, on the PostgreSQL database of
# DATABASE_URL (pytest makes its test database beside it).
FUZZ_EXAMPLES ?= 100
fuzz: $(STAMP)
	@test -n "$$DATABASE_URL" || { echo 'fuzz: set DATABASE_URL to a PostgreSQL database'; exit 1; }
	URBIS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -s -p no:cacheprovider \
		tests/test_api_fuzz.py tests/hardening/test_form_fuzz.py

# Regenerate the interface's catalogs (src/urbis/locale/) from the marked strings and compile
# them; needs GNU gettext (xgettext, msgmerge, msgfmt). Commit both the .po and the .mo files.
LANGS ?= ko fr es ru
messages: $(STAMP)
	cd src/urbis && ../../$(BIN)/django-admin makemessages --settings=urbis.config.settings \
		$(foreach l,$(LANGS),-l $(l)) --no-location --no-obsolete --ignore='demo/*'
	cd src/urbis && ../../$(BIN)/django-admin compilemessages --settings=urbis.config.settings

clean:
	rm -rf $(VENV) var
