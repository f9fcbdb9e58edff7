# One entry point per task; every target sets up what it needs first. `make` alone lists the targets.
export NO_MKDOCS_2_WARNING := 1
PY := .venv/bin/python
# Parallel test workers (pytest-xdist): one per core, one Chromium per worker, the site built once per run.
WORKERS ?= auto
PYTEST := $(PY) -m pytest -p no:cacheprovider -n $(WORKERS) --dist loadgroup

.DEFAULT_GOAL := help
.PHONY: help serve build build-trainers test test-fast bundle export bench bench-theme lint typecheck fresh-debian

help:  ## list the targets
	@echo "Partenariat: make TARGET"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 16

serve:  ## set up, then serve the site on http://127.0.0.1:8000
	bash scripts/setup.sh site
	$(PY) -m mkdocs serve --strict -a 127.0.0.1:8000

build:  ## set up, then build the learners' site to publish into site/ (no trainers' pages; with the offline zip)
	bash scripts/setup.sh site
	$(PY) -m scripts.outputs.publish site

build-trainers:  ## set up, then build the trainers' edition into site-formateurs/ (to publish behind a password)
	bash scripts/setup.sh site
	$(PY) -m scripts.outputs.publish --trainers site-formateurs

test:  ## set up everything (Python; Debian chromium, hunspell-fr, nginx, Java, grammalecte, poppler-utils, Node.js; npm tools), then run every test
	bash scripts/setup.sh test
	$(PYTEST)

test-fast:  ## set up, then the tests with no browser, linkchecker, HTML checker or repeated build
	bash scripts/setup.sh test
	$(PYTEST) -m "not browser and not linkcheck and not vnu and not slow"

bundle:  ## build the offline editions dist/partenariat-apprenant.zip and dist/partenariat-formateur.zip
	bash scripts/setup.sh site
	$(PY) -m scripts.outputs.bundle

export:  ## every LMS export (Moodle XML, GIFT, QTI 1.2/2.1, SCORM 1.2) into dist/
	bash scripts/setup.sh site
	$(PY) -m scripts.outputs.export_lms --out dist/

bench:  ## benchmark against plain Material (build, bytes, Lighthouse, growth under valgrind; about 35 min); writes BENCHMARK.md
	bash scripts/setup.sh bench
	$(PY) scripts/bench_site.py

bench-theme:  ## each speed change to Material's theme measured with and without it (Lighthouse, alternated; about 40 min)
	bash scripts/setup.sh bench
	$(PY) scripts/bench_theme.py

lint:  ## set up, then ruff over scripts/ and tests/
	bash scripts/setup.sh site
	$(PY) -m ruff check scripts tests

typecheck:  ## set up, then mypy over scripts/
	bash scripts/setup.sh site
	$(PY) -m mypy

fresh-debian:  ## as root: run .ci/run in a bare Debian 12 made by debootstrap (checks the set-up; about 15 min)
	bash scripts/fresh_debian.sh
