"""Grammar gate: Grammalecte (Debian python3-grammalecte, offline) over the course's French.

No error in lessons, quizzes, glossary, trainer pages and the extras pages, outside the explained allow-list
tests/grammalecte-allowlist.txt.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from scripts.checks import grammar

pytestmark = pytest.mark.skipif(not grammar.available(), reason="needs python3-grammalecte (make test installs it)")

FILES = grammar.checked_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(grammar.course.ROOT)) for p in FILES])
def test_no_grammar_error(path: Path) -> None:
    """Grammalecte reports no grammar, agreement, conjugation or apostrophe error in the file (allow-list aside)."""
    errors = [str(error) for error in grammar.check_file(path) if not grammar.is_allowed(error)]
    assert not errors, "\n".join(errors)


def test_gate_covers_every_kind_of_page() -> None:
    """The gate reads the lessons, the quizzes, the glossary and the trainer pages."""
    names = {str(p.relative_to(grammar.course.ROOT)) for p in FILES}
    assert "docs/definitions.md" in names and "quizzes/definitions.yml" in names
    assert "docs/glossaire.md" in names and "docs/formateurs/guide.md" in names


def test_checker_finds_errors_and_names_the_line(tmp_path: Path) -> None:
    """A wrong agreement in a Markdown file and a quiz file is reported at its own line; a seed quotation is not."""
    page = tmp_path / "page.md"
    page.write_text("# Titre\n\nUne phrase correcte.\nLes partenaires travaille ensemble.\n\n"
                    "Le diaporama dit : « Comment ont-été évalué a priori les apports ».\n", encoding="utf-8")
    errors = grammar.check_file(page)
    assert [e.line for e in errors] == [4], [str(e) for e in errors]
    quiz = tmp_path / "quiz.yml"
    quiz.write_text("questions:\n  - id: x\n    question: |\n      Une question.\n      Les acteurs agit ensemble ?\n", encoding="utf-8")
    assert [e.line for e in grammar.check_file(quiz)] == [5]


def test_allowlist_entries_are_explained_and_used() -> None:
    """Each allow-list entry has a reason; one that accepts nothing any more is reported (warning) for deletion."""
    entries = grammar.allowlist()
    assert all(reason.strip() for _, _, reason in entries)
    errors = [error for path in FILES for error in grammar.check_file(path)]
    for rule, pattern, reason in entries:
        used = any(grammar.is_allowed(error) and pattern.search(error.context) for error in errors)
        if not used:
            warnings.warn(f"grammalecte-allowlist: unused entry {rule} {pattern.pattern} ({reason})", stacklevel=1)
