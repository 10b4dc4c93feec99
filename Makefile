# tacitus: `make demo` runs the main job on the examples; `make test` runs every test.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DB ?= demo.duckdb

.PHONY: install demo test browser lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,ray]'
	touch $@

demo: install
	rm -f $(DB) $(DB).wal
	$(BIN)/tacitus ingest examples/ --db $(DB)
	$(BIN)/tacitus stats --db $(DB)
	$(BIN)/tacitus events --db $(DB) --limit 20
	$(BIN)/tacitus quotes --db $(DB) --limit 10

# Headless Chromium for the browser tests (Debian package; needs root, as on CI).
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(PY) bench/throughput.py --limit 2000

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache
