# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HEADLESS := SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 KIVY_LOG_MODE=PYTHON KIVY_METRICS_DENSITY=1 KIVY_NO_CONSOLELOG=1 \
            PORTAL_ACCESSIBILITY=off  # no screen-reader provider (nor accessibility bus) but where tests/a11y asks

.PHONY: run demo test mock lint bench system-packages clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

system-packages:
	@scripts/system-packages

run: system-packages $(STAMP)
	scripts/with-keyring-if-needed $(PY) main.py

# User research: the mock and the app together, a persona signed in (PERSONA=rhys, HOST=0.0.0.0 for the LAN).
PERSONA ?= amira
HOST ?= 127.0.0.1
PORT ?= 8700
demo: system-packages $(STAMP)
	scripts/with-keyring-if-needed $(PY) main.py demo --persona $(PERSONA) --host $(HOST) --port $(PORT)

mock: $(STAMP)
	$(PY) main.py mock-gov

test: system-packages $(STAMP)
	$(VENV)/bin/ruff check --quiet .
	$(HEADLESS) scripts/with-keyring $(PY) -m pytest

# Figures, not tests: appends a dated section to bench/RESULTS.md and refreshes the README's table.
bench: system-packages $(STAMP)
	scripts/with-keyring $(PY) -m bench.run_all

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
