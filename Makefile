# One entry point per task; every target sets up what it needs first.
export NO_MKDOCS_2_WARNING := 1
PY := .venv/bin/python

.PHONY: serve build test bundle export bench lint

serve:  ## set up, then serve the site on http://127.0.0.1:8000
	bash scripts/setup.sh site
	$(PY) -m mkdocs serve --strict -a 127.0.0.1:8000

build:  ## set up, then build the site into site/
	bash scripts/setup.sh site
	$(PY) -m mkdocs build --strict

test:  ## set up everything (Python, Debian chromium/hunspell/nginx, npm), then run every test
	bash scripts/setup.sh test
	$(PY) -m pytest

bundle:  ## build dist/partenariat-hors-ligne.zip (the offline edition)
	bash scripts/setup.sh site
	$(PY) -m scripts.bundle

export:  ## every LMS export (Moodle XML, GIFT, QTI 1.2/2.1, SCORM 1.2) into dist/
	bash scripts/setup.sh site
	$(PY) -m scripts.export_lms --out dist/

bench:  ## timing, weight and Lighthouse benchmark (prints a table; needs `make test` set-up)
	bash scripts/setup.sh test
	$(PY) scripts/bench_site.py

lint:
	$(PY) -m ruff check scripts tests
