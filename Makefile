# riskflow: `make run` serves the demo on 127.0.0.1:5000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard riskflow/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test test-pg install fonts browser translations extract-messages bench clean

FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

install: $(STAMP) $(CATALOGS) fonts

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work here);
# Playwright's bundled node driver needs libatomic.
browser:
	@{ test -x /usr/bin/chromium && ldconfig -p | grep -q libatomic.so.1; } \
	  || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-get update -qq \
	       && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libatomic1 >/dev/null; } \
	  || echo "warning: chromium or libatomic1 is missing; the browser tests will fail"

test: install browser
	$(BIN)/python -m pytest -q

# The same suite on a real PostgreSQL server that .ci/with-postgres installs and starts.
test-pg: install browser
	$(BIN)/python -m pip install --quiet -e '.[test,pg]'
	.ci/with-postgres $(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache $(CATALOGS)
