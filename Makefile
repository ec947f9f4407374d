# The two commands (see README): `make report` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test validate setup browser lab clean-outputs

# `auditkit run` validates every department itself, once, and fails a broken one alone (its message in the summary
# and the index) while it renders the others; a separate `auditkit validate` step first would stop make there.
report: setup ## set up, then render every notebook for every department under params/ into outputs/
	$(BIN)/auditkit run

test: setup browser ## set up, then run the whole test suite
	$(BIN)/python -m pytest

validate: setup
	$(BIN)/auditkit validate

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/auditkit install-template
	touch $(STAMP)

# Debian's Chromium and Noto CJK fonts: the browser tests open rendered reports, and PDFs are printed with it.
# LibreOffice Writer and poppler-utils: the slow test of the Word documents converts them to PDF in a real office suite
# and reads the pages (pdftotext, pdffonts, pdftoppm).
browser:
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -q "Noto Sans CJK" \
	  && command -v soffice >/dev/null && command -v pdftotext >/dev/null; then :; \
	elif command -v apt-get >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
	  && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui poppler-utils >/dev/null; \
	else echo "Install Chromium, a CJK font (Noto Sans CJK SC), LibreOffice Writer and poppler-utils for the browser and office tests" >&2; exit 1; fi

lab: setup ## open the notebooks in JupyterLab (run from the repository root: the notebooks find data/ and params/)
	$(BIN)/jupyter lab notebooks/

clean-outputs:
	rm -rf outputs/*/ outputs/*.html outputs/*.json
