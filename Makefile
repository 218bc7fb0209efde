# Two commands matter (see README): `make demo` (main job on the embedded local landscape) and
# `make test` (the whole test suite). Both install what they need on a fresh machine first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup python groovy demo test check lint bench clean

setup: python groovy

python: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The JVM side: Groovy 2.4.21 and 4.0.29 runtimes, the script API stand-in, the script host and
# CodeNarc, all fetched from Maven Central by Maven itself (nothing is committed).
groovy:
	@command -v mvn >/dev/null || { echo "installing Maven and a JDK"; sudo -n true 2>/dev/null && SUDO=sudo; $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq maven openjdk-17-jdk-headless; }
	@if [ -f groovy/pom.xml ]; then mvn -q -B -f groovy/pom.xml -DskipTests package; fi
	@# SAP's script API jar is a test-only reference; not every Maven Central mirror serves it
	@if [ -f groovy/sap-api/pom.xml ]; then mvn -q -B -f groovy/sap-api/pom.xml package >/dev/null 2>&1 \
		|| echo "note: SAP's script API jar (com.sap.cloud.script:script.api) not resolvable; the tests that compare with it will skip"; fi

demo: setup
	$(BIN)/s4amz demo

test: setup
	$(BIN)/python -m pytest
	$(BIN)/s4amz build --check

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .s4amz dist groovy/target .pytest_cache
