# riskflow: `make run` serves the demo on 127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard riskflow/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test test-pg install fonts browser translations extract-messages bench load clean wheel-check

FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

install: $(STAMP) $(CATALOGS) fonts

# Chinese in PDFs needs a TrueType CJK font that reportlab can embed (Debian's fonts-wqy-microhei).
fonts:
	@test -f $(FONT) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; } \
	  || echo "warning: fonts-wqy-microhei is not installed; PDFs fall back to a non-embedded font"

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work here);
# Playwright's bundled node driver needs libatomic.
browser:
	@{ test -x /usr/bin/chromium && ldconfig -p | grep -q libatomic.so.1; } \
	  || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-get update -qq \
	       && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libatomic1 >/dev/null; } \
	  || echo "warning: chromium or libatomic1 is missing; the browser tests will fail"

$(STAMP): setup.cfg setup.py pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Compiled catalogs are build output: the .po files are the source.
riskflow/translations/%/LC_MESSAGES/messages.mo: riskflow/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(CATALOGS)

# Refresh the catalog after adding strings: extract, merge, then translate the new entries.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o riskflow/translations/messages.pot .
	$(BIN)/pybabel update -i riskflow/translations/messages.pot -d riskflow/translations --no-fuzzy-matching

run: install
	$(BIN)/riskflow init --demo
	$(BIN)/riskflow serve --host 127.0.0.1 --port 5000

test: install browser
	$(BIN)/python -m pytest -q

# The same suite on a real PostgreSQL server that .ci/with-postgres installs and starts.
test-pg: install browser
	$(BIN)/python -m pip install --quiet -e '.[test,pg]'
	.ci/with-postgres $(BIN)/python -m pytest -q

# Part of `make test`, alone: build the wheel, install it into a fresh venv outside the checkout, run it.
wheel-check: install
	$(BIN)/python -m pytest -q tests/test_package.py

# Not part of `make test`: builds a 10,000-risk company (SCALES=1,10 adds the 100,000-risk one).
SCALES ?= 1
bench: install
	$(BIN)/python -m bench --scales $(SCALES)

# Not part of `make test`: 200 people on loopback against `riskflow serve`, on SQLite, then on a throwaway
# PostgreSQL; about five minutes. Prints the markdown table of the README's "Load" section and fails
# when a target is missed.
LOAD_PGPORT ?= 55445
load: install
	$(BIN)/python -m pip install --quiet -e '.[pg,load]'
	rm -f bench/load-results.json
	$(BIN)/python -m bench.load
	RISKFLOW_TEST_PGPORT=$(LOAD_PGPORT) .ci/with-postgres $(BIN)/python -m bench.load
	$(BIN)/python -m bench.load --table bench/load-results.json

clean:
	rm -rf $(VENV) instance .pytest_cache $(CATALOGS)
