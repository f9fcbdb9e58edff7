"""French typography and clean text in every lesson, page and quiz (sources, not HTML)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from scripts.model import course, quizbank

OCR_ARTEFACTS = [
    "annes", "aprs", "rseau", "rseaux", "dveloppement", "entran", "ncessaire", "mergence", "recrer",
    "gographicit", "stratgies", "diffremment", "amlioration", "menac", "intrieur", "rfrence", "collectivits",
    "ceuvre", "contréler", "professicl", "familll", "regler", "problemes", "I'action", "I’action", "d’'", "l’'",
    "Etat", "Elargir", "Echanger", "Education",
]
NBSPS = "\u00a0\u202f"


def _strip_markup(text: str) -> str:
    """Remove what is Markdown syntax rather than prose."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"\{[^{}]*[#.][^{}]*\}", "", text)  # attribute lists
    text = re.sub(r'^(\s*)(!!!|\?\?\?\+?)\s+[\w-]+(\s+"[^"]*")?', r"\1", text, flags=re.M)  # admonition syntax
    text = re.sub(r"^\s*:\s{2,}", "", text, flags=re.M)  # definition-list markers
    text = re.sub(r"^\s*\*\[[^\]]+\]:", "", text, flags=re.M)  # abbreviation keys
    text = re.sub(r"!\[", "[", text)  # image markers
    text = re.sub(r"^\|?[\s:|-]+\|[\s:|-]*$", "", text, flags=re.M)  # table alignment rows
    return text


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in {"id", "type", "lesson", "seed", "passage"}:
                yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _sources() -> list[tuple[str, str]]:
    found = []
    for path in sorted(course.DOCS.rglob("*.md")):
        meta, body = course.split_front_matter(path.read_text(encoding="utf-8"))
        prose = "\n".join(_strings(meta)) + "\n" + body
        found.append((str(path.relative_to(course.ROOT)), _strip_markup(prose)))
    for path in sorted(quizbank.QUIZZES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append((str(path.relative_to(course.ROOT)), _strip_markup("\n".join(_strings(data)))))
    return found


SOURCES = _sources()


def _lines_matching(text: str, pattern: str) -> list[str]:
    return [line.strip()[:90] for line in text.splitlines() if re.search(pattern, line)]


@pytest.mark.parametrize(("name", "text"), SOURCES, ids=[n for n, _ in SOURCES])
def test_no_straight_quotes(name: str, text: str) -> None:
    """Prose uses « » and ’, never straight " or ' between letters."""
    assert not _lines_matching(text, r'"'), "use « » with no-break spaces"
    assert not _lines_matching(text, r"\w'\w"), "use the typographic apostrophe ’"


@pytest.mark.parametrize(("name", "text"), SOURCES, ids=[n for n, _ in SOURCES])
def test_no_break_spaces(name: str, text: str) -> None:
    """A no-break space stands before : ; ? ! and inside « »."""
    assert not _lines_matching(text, r"[ \t][:;?!](\s|$)"), "plain space before high punctuation"
    assert not _lines_matching(text, rf"[^\s{NBSPS}(\[!?;:.…]+[;?!](\s|$)"), "missing space before ; ? !"
    assert not _lines_matching(text, r"[\w»)][:](\s|$)"), "missing space before :"
    assert not _lines_matching(text, rf"«[^{NBSPS}]"), "no-break space after «"
    assert not _lines_matching(text, rf"[^{NBSPS}]»"), "no-break space before »"


@pytest.mark.parametrize(("name", "text"), SOURCES, ids=[n for n, _ in SOURCES])
def test_no_ocr_artefacts(name: str, text: str) -> None:
    """None of the seeds' OCR artefacts (lost accents, garbled letters) reached the course."""
    found = [word for word in OCR_ARTEFACTS if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    assert not found


def test_checker_catches_bad_typography() -> None:
    """The checks above do flag a straight quote, a plain space before « : » and an OCR artefact."""
    bad = _strip_markup('Le "partenariat" : depuis les annes 80, l\'Etat.')
    assert _lines_matching(bad, r'"') and _lines_matching(bad, r"[ \t][:;?!](\s|$)")
    assert re.search(r"(?<!\w)annes(?!\w)", bad) and _lines_matching(bad, r"\w'\w")
