"""Readability of the course's French prose, and the names it gives the five seed documents.

What is measured is the *prose* a learner reads in a lesson: the Markdown body without front matter, headings,
blockquotes, tables, code, images, admonition titles, link targets, attribute lists, and without « quotations »
taken from the seeds (a « … » span whose words are found in a seed; « » around the course's own words stay prose).
Sentences end at . ! ? … as French punctuation has it: a lead-in ending with « : » and the list items ending with
« ; » or « , » that follow it are one sentence (end items with a full stop, or write short items without
punctuation, to make them sentences of their own). A paragraph, list item or definition-list term that ends with no
punctuation at all ends its sentence, and a sentence never runs across a heading, table, admonition title or code.

Figures per file:
- French Flesch reading ease (Kandel & Moles 1958: 207 − 1.015 × words per sentence − 73.6 × syllables per word),
  computed by ``textstat`` with ``lang="fr"`` (syllables from ``pyphen``'s French dictionary);
- sentences longer than ``MAX_WORDS`` words;
- bold spans per 100 words (over the prose and the table cells);
- names given to the seeds: only the labels of ``docs/includes/sources.yml`` (never « le diaporama » alone, never
  « document 000 », never « la source »).

Command line: ``.venv/bin/python -m scripts.checks.readability [FILE…]`` (default: the lessons, in course order) prints the
figures of each file, then every offending sentence or name as ``file:line: …``; exit status 1 when a lesson misses
a threshold or any file misnames a seed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import textstat
import yaml

from scripts.model import course

SOURCES_YML = course.DOCS / "includes" / "sources.yml"
MIN_FLESCH = 60.0  # Kandel–Moles score every lesson reaches
MAX_WORDS = 30  # words in one sentence, outside quotations
MAX_BOLD = 2.0  # bold spans per 100 words

textstat.set_lang("fr")

WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
QUOTE = re.compile(r"«[^«»]*»")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
DEFINITION = re.compile(r"^:\s{1,4}")
ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?)\s+[\w-]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])(?:[\u00a0\u202f]?[»)])?\s+(?=[«(\"]?\s?[A-ZÀ-ÖØ-Þ0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of prose, quotations taken out, with the line where it starts."""

    line: int
    text: str

    @property
    def words(self) -> int:
        """Number of words (a word with an apostrophe or a hyphen counts once)."""
        return len(WORD.findall(self.text))


@dataclass(frozen=True)
class Finding:
    """A misnamed seed: where and what to write instead."""

    line: int
    message: str


@dataclass
class Report:
    """The figures of one file."""

    path: Path
    sentences: list[Sentence] = field(default_factory=list)
    bold: int = 0
    visible_words: int = 0  # prose + table cells: the base of the bold density
    labels: list[Finding] = field(default_factory=list)

    @property
    def words(self) -> int:
        """Words of prose."""
        return sum(s.words for s in self.sentences)

    @property
    def flesch(self) -> float:
        """French Flesch reading ease (Kandel–Moles), by textstat."""
        return round(float(textstat.flesch_reading_ease(flesch_text(self.sentences))), 1)

    @property
    def bold_per_100(self) -> float:
        """Bold spans per 100 words of visible text."""
        return round(100 * self.bold / self.visible_words, 2) if self.visible_words else 0.0

    @property
    def long(self) -> list[Sentence]:
        """Sentences over ``MAX_WORDS`` words."""
        return [s for s in self.sentences if s.words > MAX_WORDS]

    @property
    def name(self) -> str:
        """The file, relative to the project."""
        try:
            return str(self.path.relative_to(course.ROOT))
        except ValueError:
            return str(self.path)


# --- seed quotations ----------------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case, accents stripped (é → e): matches seeds that kept their accents or lost only the marks."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _drop(text: str) -> str:
    """Lower case, accented letters deleted (é → ''): matches seeds whose OCR lost the accented letters."""
    return re.sub(r"[^\x00-\x7f]", "", unicodedata.normalize("NFC", text.lower()))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text)


def _pairs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 2]) for i in range(len(words) - 1)} if len(words) > 1 else {tuple(words)}


@lru_cache(maxsize=1)
def _seed_pairs() -> frozenset[tuple[str, ...]]:
    raw = "\n".join(p.read_text(encoding="utf-8") for p in course.seed_files().values())
    raw = re.sub(r"\bI(?=['’])", "l", raw)  # OCR: I'action = l'action
    found: set[tuple[str, ...]] = set()
    for norm in (_fold, _drop):
        words = _words(norm(raw))
        found |= _pairs(words) | {(w,) for w in words}
    return frozenset(found)


def is_seed_quotation(quote: str, share: float = 0.8) -> bool:
    """True when a « … » quotation comes from a seed: most of its word pairs occur in a seed, accents and OCR forgiven."""
    inner = re.sub(r"\*\*|__|\]\([^)]*\)|[\[\]]", "", quote.strip("«» \u00a0\u202f"))
    inner = re.sub(r"…|\.\.\.", " ", inner)
    seed = _seed_pairs()
    best = 0.0
    for norm in (_fold, _drop):
        pairs = _pairs(_words(norm(inner)))
        if pairs and pairs != {()}:
            best = max(best, sum(pair in seed for pair in pairs) / len(pairs))
    return best >= share


# --- Markdown to prose --------------------------------------------------------------------------------------------

def _inline(text: str) -> str:
    """Markdown inline syntax removed, line breaks kept (so that line numbers survive)."""
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"!\[[^\]]*\]\([^)\n]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)\n]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"\{[^{}\n]*[#.:=][^{}\n]*\}", " ", text)
    text = re.sub(r"<[^>\n]+>", " ", text)
    text = re.sub(r"(?:https?|mailto):\S+", " ", text)
    return text


BREAK, PROSE, TABLE = "break", "prose", "table"


def _blocks(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    """(line, Markdown text, kind) of each paragraph, list item, definition, table row of the body.

    A heading, blockquote, admonition title, image, code block or table yields a BREAK: a sentence never runs
    across it. A blank line does not (a list lead-in and its items, separated by blank lines, are one sentence).
    """
    current: list[str] = []
    start = 0
    fence = ""

    def flush(kind: str = PROSE) -> Iterator[tuple[int, str, str]]:
        if current:
            yield start, "\n".join(current), PROSE
        current.clear()
        if kind == BREAK:
            yield 0, "", BREAK

    for number, raw in enumerate(body.splitlines(), start=first_line):
        stripped = raw.strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            yield from flush(BREAK)
            fence = stripped[:3]
            continue
        if not stripped:
            yield from flush()
            continue
        if stripped.startswith(("#", ">", "*[", "<!--")) or ADMONITION.match(stripped) \
                or re.fullmatch(r"!\[.*\)(\{[^}]*\})?", stripped):
            yield from flush(BREAK)
            continue
        if stripped.startswith("|"):
            yield from flush(BREAK)
            if not re.fullmatch(r"\|?[\s:|-]+", stripped):
                yield number, stripped, TABLE
            continue
        marker = LIST_ITEM.match(stripped) or DEFINITION.match(stripped)
        if marker or not current:
            yield from flush()
            start = number
            stripped = stripped[marker.end():] if marker else stripped
        current.append(stripped)  # a definition-list term ends where its « :   » definition starts
    yield from flush()


def _sentences(line: int, text: str) -> Iterator[Sentence]:
    text = QUOTE.sub(lambda m: "" if is_seed_quotation(m.group()) else m.group(), text)
    text = text.replace("**", "").replace("__", "")
    offset = 0
    for piece in SENTENCE_END.split(text):
        at = text.find(piece, offset)
        offset = at + len(piece)
        clean = " ".join(piece.split())
        if WORD.search(clean):
            yield Sentence(line + text.count("\n", 0, max(at, 0)), clean)


def analyse(path: Path) -> Report:
    """Readability figures and seed names of one Markdown file."""
    text = path.read_text(encoding="utf-8")
    match = course.FRONT_MATTER.match(text)
    body = text[match.end():] if match else text
    first = text.count("\n", 0, match.end()) + 1 if match else 1
    report = Report(path)
    carried: Sentence | None = None  # a sentence left open by « : » « ; » « , » goes on in the next block
    for line, block, kind in _blocks(body, first):
        if kind != PROSE:
            if carried:
                report.sentences.append(carried)
                carried = None
            block = _inline(block)
            report.bold += len(BOLD.findall(block))
            report.visible_words += len(WORD.findall(block.replace("**", "")))
            continue
        block = _inline(block)
        report.bold += len(BOLD.findall(block))
        found = list(_sentences(line, block))
        report.visible_words += sum(s.words for s in found)
        if not found:
            continue
        if carried:
            found[0] = Sentence(carried.line, f"{carried.text} {found[0].text}")
            carried = None
        if re.search(r"[:;,–—-][\s»)]*$", found[-1].text):
            carried = found.pop()
        report.sentences.extend(found)
    if carried:
        report.sentences.append(carried)
    report.labels = check_labels(path)
    return report


def flesch_text(sentences: Iterable[Sentence]) -> str:
    """The sentences as one text that textstat cuts where we did: each ends with one full stop."""
    return " ".join(re.sub(r"[\s:;,…–—-]+$", "", s.text).rstrip(".!?") + "." for s in sentences)


# --- seed names -----------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def seed_labels() -> list[dict[str, str]]:
    """The entries of docs/includes/sources.yml (id, label, article, note, title, anchor)."""
    data: Any = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{SOURCES_YML}: expected a list of seeds")
    for number, entry in enumerate(data, start=1):
        missing = {"id", "label", "title", "anchor"} - set(entry)
        if missing:
            raise ValueError(f"{SOURCES_YML}: entry {number}: missing {', '.join(sorted(missing))}")
    return data


# What a seed's note is made of (a year, its author or organiser, its own title): brackets holding one of these after
# a label are a note, and must be that label's note; other brackets (« Guide Tanmia (pas une fin en soi) ») are prose.
NOTE_LIKE = re.compile(r"\b1[89]\d\d\b|\b20\d\d\b|Province|Association|Tanmia|document|«[\s\u00a0\u202f]*Le Partenariat|"
                       r"«[\s\u00a0\u202f]*Les partenariats|dispositif et territoire", re.I)


def _spaces(text: str) -> str:
    """``text`` with no-break spaces as plain spaces, runs of spaces as one."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _label_findings(text: str, numbers: bool = True) -> Iterator[tuple[int, str]]:
    """(offset, message) of what is wrong with how a text names the seeds (messages in French, for the authors).

    ``text`` is prose with single spaces (a label broken across two lines is whole again). ``numbers``: file numbers
    (« 000 ») are names too; only the sources page, which maps each label to its file, may give them.
    """
    labels = [entry["label"] for entry in seed_labels()]
    listed = " ; ".join(f"« {label} »" for label in labels)
    for label in labels:
        for m in re.finditer(re.escape(label), text, re.I):
            if m.group() != label:
                yield m.start(), f"« {m.group()} » : écrire le libellé exact « {label} »"
    for m in re.finditer(r"\bdiaporama\b", text, re.I):
        if not any(text[m.start():].lower().startswith(lab.lower()) for lab in labels):
            context = text[max(0, m.start() - 4):m.end() + 12].strip()
            yield m.start(), f"« {context}… » : « diaporama » seul est ambigu, écrire {listed}"
    for m in re.finditer(r"\b(?:document|doc\.|source|seed|fichier)s?\s*(?:n°\s*)?0\d\d\b|\b00[0-4]\b", text, re.I):
        if numbers:
            yield m.start(), f"« {m.group()} » : nommer le document par son libellé ({listed})"
    for m in re.finditer(r"\bsynthèse de la Note de synthèse\b", text, re.I):
        yield m.start(), f"« {m.group()} » : écrire « la définition qui conclut la Note de synthèse »"
    for m in re.finditer(r"\bNamur\b", text):  # the town names no document: the Atelier de Namur or its organiser
        if not re.search(r"\b(?:Atelier|Province) de $", text[max(0, m.start() - 12):m.start()]):
            context = text[max(0, m.start() - 20):m.end() + 8].strip()
            yield m.start(), f"« {context} » : « Namur » seul ne nomme pas un document, écrire « Atelier de Namur »"
    for m in re.finditer(r"\bTanmia\b(?!\.ma)", text):
        if not re.search(r"\bGuide\]? $", text[max(0, m.start() - 7):m.start()]):
            context = text[max(0, m.start() - 20):m.end() + 8].strip()
            yield m.start(), f"« {context} » : écrire « Guide Tanmia » (ou « Association Tanmia.ma » pour son auteur)"
    for entry in seed_labels():  # a note in brackets after a label is its own, word for word: one label, one note
        note = _spaces(entry.get("note", ""))
        for m in re.finditer(rf"{re.escape(entry['label'])}\]?\s?\(([^()]*)\)", text):
            if NOTE_LIKE.search(m.group(1)) and _spaces(m.group(1)) != note:
                yield m.start(), (f"« {m.group()} » : entre parenthèses après « {entry['label']} », "
                                  f"écrire sa note « {note} » ou rien")
    for m in re.finditer(r"\b(?:la|une|cette|sa|leur|chaque|même|autre) source\b", text, re.I):
        context = text[max(0, m.start() - 8):m.end() + 8].strip()
        yield m.start(), f"« {context} » : « la source » ne nomme pas un document, écrire {listed}"
    masked = text
    for entry in seed_labels():
        note = re.escape(entry.get("note", "")).replace(r"\ ", r"[\s\u00a0\u202f]")
        masked = re.sub(rf"{re.escape(entry['label'])}(?:\s*\({note}\))?", lambda m: "¤" * len(m.group()), masked, flags=re.I)
    names = r"Tanmia|Namur|«[\s\u00a0\u202f]*Les partenariats|«[\s\u00a0\u202f]*Le Partenariat"
    for m in re.finditer(rf"\b(?:guide|document|atelier|diaporama|synthèse)\b[^.¤]{{0,80}}?\b(?:{names})", masked, re.I):
        yield m.start(), f"« {m.group()} » : nommer le document par son libellé ({listed})"


def _yaml_prose_lines(text: str) -> Iterator[tuple[int, str]]:
    skip = re.compile(r"^\s*-?\s*(id|type|lesson|seed|passage|level|objectives|shuffle|correct|answer|scenario):")
    for number, line in enumerate(text.splitlines(), start=1):
        if not skip.match(line):
            yield number, line


def _markdown_prose_lines(text: str) -> Iterator[tuple[int, str]]:
    in_front = text.startswith("---\n")
    fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_front:
            if number > 1 and line == "---":
                in_front = False
            elif not re.match(r"^\s*-?\s*(seed|passage|sources|prerequisites|duration):", line):
                yield number, line
            continue
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
        elif not fence:
            yield number, re.sub(r"`[^`]*`", " ", line)


def check_labels(path: Path) -> list[Finding]:
    """Every place of a Markdown or YAML file that names a seed otherwise than by its label (with its line)."""
    text = path.read_text(encoding="utf-8")
    lines = dict(_yaml_prose_lines(text) if path.suffix in {".yml", ".yaml"} else _markdown_prose_lines(text))
    source = "\n".join(lines.get(number, "") for number in range(1, text.count("\n") + 2))
    source = re.sub(r"\]\([^)\n]*\)", lambda m: "]" + " " * (len(m.group()) - 1), source)  # link targets
    source = re.sub(r"\{[^{}\n]*[#.:=][^{}\n]*\}", _blank, source)  # attribute lists ({ #definitions-diaporama })
    source = source.replace("**", "  ")
    prose: list[str] = []
    where: list[int] = []
    for index, char in enumerate(source):  # whitespace runs (line breaks, YAML indentation) become one space
        if char.isspace() and char not in "\u00a0\u202f":
            if prose and prose[-1] == " ":
                continue
            char = " "
        prose.append(char)
        where.append(index)
    joined = "".join(prose)
    numbers = path.resolve() != (course.DOCS / "sources.md").resolve()
    found = {(source.count("\n", 0, where[offset]) + 1, message)
             for offset, message in _label_findings(joined, numbers)}
    return [Finding(line, message) for line, message in sorted(found)]


def labelled_files() -> list[Path]:
    """Files where seeds must be named by their label: lessons, quizzes, glossary, trainer pages, extras pages."""
    docs = course.DOCS
    files = [lesson.path for lesson in course.load_lessons()]
    files += sorted((course.ROOT / "quizzes").glob("*.yml"))
    files += [docs / "glossaire.md", *sorted((docs / "formateurs").glob("*.md"))]
    files += [docs / "outils.md", docs / "fil-rouge.md", *sorted((docs / "essentiel").glob("*.md"))]
    return [f for f in files if f.is_file()]


def seed_named_files() -> list[Path]:
    """Every file where a seed may be named: all of docs/ (pages, summaries, glossary tooltips) and the quizzes."""
    return sorted(course.DOCS.rglob("*.md")) + sorted((course.ROOT / "quizzes").glob("*.yml"))


# --- command line ---------------------------------------------------------------------------------------------------

def lesson_failures(report: Report) -> list[str]:
    """Thresholds a lesson misses, in words."""
    failures = []
    if report.flesch < MIN_FLESCH:
        failures.append(f"Kandel–Moles {report.flesch} < {MIN_FLESCH:g}")
    if report.long:
        failures.append(f"{len(report.long)} phrase(s) de plus de {MAX_WORDS} mots")
    if report.bold_per_100 > MAX_BOLD:
        failures.append(f"{report.bold_per_100} gras pour 100 mots > {MAX_BOLD:g}")
    return failures


def main(argv: list[str]) -> int:
    """Print the figures of each file and every offence; 1 if a threshold is missed."""
    paths = [Path(a).resolve() for a in argv] or [lesson.path for lesson in course.load_lessons()]
    status = 0
    print(f"{'fichier':40} {'K–M':>6} {'mots':>6} {'phr.':>5} {'>' + str(MAX_WORDS):>5} {'gras%':>6} {'noms':>5}")
    reports = [analyse(p) if p.suffix == ".md" else None for p in paths]
    for path, report in zip(paths, reports, strict=True):
        if report is None:
            print(f"{str(path.relative_to(course.ROOT)):40} {'':>6} {'':>6} {'':>5} {'':>5} {'':>6} {len(check_labels(path)):>5}")
            continue
        print(f"{report.name:40} {report.flesch:>6} {report.words:>6} {len(report.sentences):>5} {len(report.long):>5} "
              f"{report.bold_per_100:>6} {len(report.labels):>5}")
    for path, report in zip(paths, reports, strict=True):
        name = str(path.relative_to(course.ROOT))
        findings = report.labels if report else check_labels(path)
        for finding in findings:
            print(f"{name}:{finding.line}: nom de document : {finding.message}")
            status = 1
        if report is None:
            continue
        for sentence in report.long:
            print(f"{name}:{sentence.line}: phrase de {sentence.words} mots : {sentence.text}")
        if report.path in {lesson.path for lesson in course.load_lessons()} and lesson_failures(report):
            print(f"{name}: à reprendre : {' ; '.join(lesson_failures(report))}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
