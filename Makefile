# The two commands of the quick start:
#   make demo   set up and serve the demo (SQLite, database search)
#   make test   run the whole suite against live PostgreSQL and OpenSearch
VENV ?= .venv
PYTHON_BOOTSTRAP ?= python3
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEMO_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?= --durations=25

.PHONY: demo test install browser-tools serve worker lock clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --progress-bar on -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed

browser-tools:
	scripts/ensure-browser-tools.sh

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving: http://localhost:8000/ (portal), http://roosendaal.localhost:8000/, http://bergen-op-zoom.localhost:8000/, http://etten-leur.localhost:8000/, admin at http://localhost:8000/admin/ (demo / kennisbank-demo)"
	@# Scheduled changes (go-live dates, campaign content for agents, fees per 1 January) every minute;
	@# the MI's daily roll-up adds a day once it is complete (a no-op otherwise).
	( while sleep 60; do $(PY) manage.py publish_scheduled >/dev/null || true; $(PY) manage.py roll_up_mi >/dev/null || true; done ) & loop=$$!; \
	trap "kill $$loop" EXIT INT TERM; $(PY) manage.py runserver $(DEMO_ADDR)

test: install browser-tools
	PYTHON=$(PY) scripts/with-services.sh $(PY) -m pytest $(PYTEST_ARGS)

# Production's background worker (TASKS_BACKEND=django_tasks_db.DatabaseBackend,
# the default of kennisbank.settings.production): the search outbox's drains
# and Wagtail's index updates. The demo needs none (the immediate backend).
worker: install
	$(PY) manage.py task_worker

# Re-pin every installed package after changing pyproject.toml.
lock: install
	$(PIP) freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) node_modules db.sqlite3 static media .pytest_cache .hypothesis
