"""Plain French, measured (issue 15): readability, sentence length, bold density, seed labels.

Readability, sentence length and bold density of every lesson's prose, and the seeds named only by the labels of
docs/includes/sources.yml. ``python -m scripts.checks.readability`` prints the figures and every offending sentence with
its file:line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.checks import readability
from scripts.model import course

LESSONS = course.load_lessons()
REPORTS = {lesson.slug: readability.analyse(lesson.path) for lesson in LESSONS}
LABELLED = [path for path in readability.labelled_files() if path.suffix == ".md"]


@pytest.mark.parametrize("slug", REPORTS)
def test_kandel_moles_at_least_60(slug: str) -> None:
    """French Flesch (Kandel–Moles, textstat lang fr with pyphen syllables) of the lesson prose is 60 or more."""
    report = REPORTS[slug]
    assert report.flesch >= readability.MIN_FLESCH, f"{report.name}: {report.flesch}"


@pytest.mark.parametrize("slug", REPORTS)
def test_no_sentence_over_30_words(slug: str) -> None:
    """No sentence of the lesson prose (seed quotations excluded) is longer than 30 words."""
    report = REPORTS[slug]
    assert not report.long, "\n".join(f"{report.name}:{s.line}: {s.words} mots : {s.text}" for s in report.long)


@pytest.mark.parametrize("slug", REPORTS)
def test_bold_at_most_2_per_100_words(slug: str) -> None:
    """Bold marks only the few words to retain: at most 2 bold spans per 100 words."""
    report = REPORTS[slug]
    assert report.bold_per_100 <= readability.MAX_BOLD, f"{report.name}: {report.bold} gras, {report.bold_per_100} / 100 mots"


@pytest.mark.parametrize("path", LABELLED, ids=[str(p.relative_to(course.ROOT)) for p in LABELLED])
def test_seeds_named_by_their_labels(path: Path) -> None:
    """Lessons, glossary, trainer and extras pages name a seed only by its label in sources.yml."""
    findings = readability.check_labels(path)
    assert not findings, "\n".join(f"{path.relative_to(course.ROOT)}:{f.line}: {f.message}" for f in findings)


def test_sources_yml_names_each_seed_once() -> None:
    """sources.yml has one entry per seed file, each with a label, a title and an anchor that exists in sources.md."""
    entries = readability.seed_labels()
    assert [e["id"] for e in entries] == sorted(course.seed_files())
    assert len({e["label"] for e in entries}) == len(entries)
    sources_page = (course.DOCS / "sources.md").read_text(encoding="utf-8")
    for entry in entries:
        page, anchor = entry["anchor"].split("#")
        assert page == "sources.md" and re.search(rf"\{{[^}}]*#{anchor}\b", sources_page), entry


def test_measures_catch_what_they_should(tmp_path: Path) -> None:
    """Long sentences, heavy bold and wrong seed names are caught; seed quotations are left out of the prose.

    A 31-word sentence, bold everywhere, a lone « diaporama », « document 000 » and « la source » are all caught;
    a list lead-in and its « ; » items make one sentence.
    """
    page = tmp_path / "lecon.md"
    long = " ".join(["mot"] * 30)
    page.write_text(
        "---\ntitle: T\n---\n\n# T\n\n"
        f"Une {long}.\n\n"
        "Le diaporama et le **Guide Tanmia** disent que « l’État ne sait plus tout prendre en charge » selon la source.\n\n"
        "Le document 000 et le guide Tanmia en parlent :\n\n- **un** point ;\n- **deux** points.\n",
        encoding="utf-8")
    report = readability.analyse(page)
    assert [s.line for s in report.long] == [7]
    assert report.bold_per_100 > readability.MAX_BOLD
    assert all("ne sait plus" not in s.text for s in report.sentences)
    assert any(s.text.endswith("deux points.") and s.text.startswith("Le document 000") for s in report.sentences)
    messages = " ".join(f.message for f in report.labels)
    assert "diaporama" in messages and "000" in messages and "la source" in messages and "Guide Tanmia" in messages
    assert {f.line for f in report.labels} == {9, 11}


def test_clean_lesson_passes(tmp_path: Path) -> None:
    """Short plain sentences with labels written right pass every threshold."""
    page = tmp_path / "lecon.md"
    page.write_text("# T\n\n" + "Le **Guide Tanmia** parle du partenariat. Les acteurs agissent ensemble. " * 20 + "\n",
                    encoding="utf-8")
    report = readability.analyse(page)
    assert report.flesch >= readability.MIN_FLESCH and not report.long and not report.labels
    assert report.bold_per_100 <= 10


QUIZZES = sorted((course.ROOT / "quizzes").glob("*.yml"))


@pytest.mark.parametrize("path", QUIZZES, ids=[p.name for p in QUIZZES])
def test_quizzes_name_seeds_by_their_labels(path: Path) -> None:
    """Every question, choice, feedback and explanation names a seed only by its label in sources.yml."""
    findings = readability.check_labels(path)
    assert not findings, "\n".join(f"{path.relative_to(course.ROOT)}:{f.line}: {f.message}" for f in findings)
