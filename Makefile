# The two commands (see README): `make report` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test validate setup clean-outputs

report: setup ## set up, then run the main job on the shipped sample data
	$(BIN)/auditkit validate

test: setup ## set up, then run the whole test suite
	$(BIN)/python -m pytest

validate: setup
	$(BIN)/auditkit validate

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

clean-outputs:
	rm -rf outputs/*/ outputs/*.html outputs/*.json
