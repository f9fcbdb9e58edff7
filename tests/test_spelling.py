"""Spelling gate: Hunspell (French) over every page's and lesson's prose and every quiz string.

Prose is what a learner reads: Markdown minus code, URLs, link targets, attribute lists, admonition keywords and
raw HTML tags; front-matter values that are shown (title, description, objectives); every quiz string except ids,
types and lesson slugs; the site texts of mkdocs.yml. Words the dictionary lacks (authors, acronyms, the seeds'
own terms) are listed, each with its reason, in tests/spelling-wordlist.txt; anything else is a misspelling to fix
in the content.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.model import course, quizbank

WORDLIST = Path(__file__).with_name("spelling-wordlist.txt")
DICTIONARY = "fr"

pytestmark = pytest.mark.skipif(shutil.which("hunspell") is None, reason="needs hunspell and hunspell-fr (make test installs them)")

# Front-matter keys whose values are shown to learners; the others are slugs, numbers or seed quotations.
PROSE_KEYS = {"title", "description", "objectives"}
# Quiz keys that are identifiers, not text (objectives are objective ids; seed passages are verbatim, OCR included).
QUIZ_CODE_KEYS = {"id", "type", "lesson", "objectives", "seed", "passage"}

WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
WITH_DIGIT = re.compile(r"[\w’'-]*\d[\w’'-]*")  # 2003, 1er, XIXe siècle written 19e, 9/2010…
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)[’'](?=\w)", re.I)


def strip_markdown(text: str) -> str:
    """The prose of a Markdown text, line for line (removed parts become spaces or blank lines)."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = re.sub(r"^(\s*)(```|~~~).*?^\s*\2", blank, text, flags=re.S | re.M)  # fenced code
    text = re.sub(r"<!--.*?-->", blank, text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)  # inline code
    text = re.sub(r"<[^>\n]+>", " ", text)  # raw HTML tags (their text stays)
    text = re.sub(r"\]\([^)\n]*\)", "] ", text)  # link and image targets
    text = re.sub(r"^\s*\[[^\]]+\]:\s*\S+.*$", "", text, flags=re.M)  # reference definitions
    text = re.sub(r"(?:https?|ftp|mailto):\S+|www\.\S+|\S+@\S+\.\w+", " ", text)  # bare URLs and addresses
    text = re.sub(r"\{[^{}\n]*[#.:=][^{}\n]*\}", " ", text)  # attribute lists { #id .class key=value }
    text = re.sub(r"^(\s*)(?:!!!|\?\?\?\+?)\s+[\w-]+", r"\1", text, flags=re.M)  # admonition keyword (title kept)
    text = re.sub(r"^(\s*)\*\[([^\]]+)\]:", r"\1\2 :", text, flags=re.M)  # abbreviation key: its words are prose too
    text = re.sub(r"&\w+;", " ", text)  # HTML entities
    return text


def tokens(text: str) -> Iterator[str]:
    """Words to check: no numbers, no single letters, elided articles and pronouns cut off (l’État → État)."""
    for word in WORD.findall(WITH_DIGIT.sub(" ", text)):
        word = ELISION.sub("", word).strip("-’'")
        if len(word) > 1:
            yield word


def _strings(node: Any, skip: set[str]) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from _strings(value, skip)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, skip)


class _Loader(yaml.SafeLoader):
    """A safe loader for mkdocs.yml that ignores its ``!!python`` tags."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def _nav_titles(nav: Any) -> Iterator[str]:
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                yield title
                if isinstance(value, list):
                    yield from _nav_titles(value)


def prose() -> dict[str, str]:
    """What is read by learners, by source file (relative to the project)."""
    found: dict[str, str] = {}
    for path in sorted(course.DOCS.rglob("*.md")):
        meta, body = course.split_front_matter(path.read_text(encoding="utf-8"))
        shown = [value for key, value in (meta or {}).items() if key in PROSE_KEYS]
        found[path.relative_to(course.ROOT).as_posix()] = "\n".join(_strings(shown, set())) + "\n" + strip_markdown(body)
    for path in sorted(quizbank.QUIZZES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.relative_to(course.ROOT).as_posix()] = strip_markdown("\n".join(_strings(data, QUIZ_CODE_KEYS)))
    config = yaml.load((course.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    site = [config.get("site_name", ""), config.get("site_description", ""), config.get("copyright", "")]
    site += [option.get("toggle", {}).get("name", "") for option in config.get("theme", {}).get("palette", [])]
    found["mkdocs.yml"] = "\n".join([*site, *_nav_titles(config.get("nav"))])
    return found


class WordList:
    """tests/spelling-wordlist.txt: `word # reason`, or `path: word # reason` for a word allowed in one file only."""

    ENTRY = re.compile(r"^(?:(?P<path>[\w./-]+\.(?:md|yml)):\s*)?(?P<word>\S+)\s+#\s*(?P<reason>\S.*)$")

    def __init__(self, path: Path) -> None:
        self.words: dict[str, str] = {}
        self.scoped: dict[tuple[str, str], str] = {}
        self.errors: list[str] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            match = self.ENTRY.match(line.strip())
            if not match:
                self.errors.append(f"{path.name}:{number}: write `word # reason` (or `file: word # reason`): {line!r}")
            elif match["path"]:
                self.scoped[(match["path"], match["word"])] = match["reason"]
            else:
                self.words[match["word"]] = match["reason"]
        self.used: set[str] = set()

    def allows(self, word: str, where: str) -> bool:
        """A listed word, as listed or capitalised (at the start of a sentence, in a title)."""
        for form in {word, word[:1].lower() + word[1:]}:
            for key, table in (((where, form), self.scoped), (form, self.words)):
                if key in table:
                    self.used.add(repr(key))
                    return True
        return False

    def entries(self) -> Iterable[str]:
        """Every entry, as recorded in ``used``."""
        return [repr(key) for key in self.words] + [repr(key) for key in self.scoped]


def hunspell_unknown(words: Iterable[str]) -> set[str]:
    """The words (one per line) that Hunspell's French dictionary does not know."""
    proc = subprocess.run(["hunspell", "-d", DICTIONARY, "-i", "utf-8", "-l"], input="\n".join(words),
                          capture_output=True, text=True, check=True)
    return set(proc.stdout.split())


def suggestions(words: Iterable[str]) -> dict[str, str]:
    """Hunspell's suggestions for each word (`& word n offset: a, b, c`)."""
    proc = subprocess.run(["hunspell", "-d", DICTIONARY, "-i", "utf-8", "-a"], input="\n".join(words),
                          capture_output=True, text=True, check=True)
    found = {}
    for line in proc.stdout.splitlines():
        if line.startswith("&"):
            head, _, tail = line.partition(": ")
            found[head.split()[1]] = tail
    return found


def misspelt(sources: dict[str, str], wordlist: WordList) -> dict[str, set[str]]:
    """Unknown words by source, after the word list; a hyphenated word passes when all its parts do."""
    where: dict[str, set[str]] = defaultdict(set)
    for name, text in sources.items():
        for word in tokens(text):
            where[word].add(name)
    parts = {part for word in where if "-" in word for part in word.split("-") if len(part) > 1}
    unknown = hunspell_unknown(sorted(set(where) | parts))

    def known(word: str, name: str) -> bool:
        if word not in unknown or wordlist.allows(word, name):
            return True
        pieces = [p for p in word.split("-") if p]
        return len(pieces) > 1 and all(len(p) == 1 or known(p, name) for p in pieces)

    found: dict[str, set[str]] = defaultdict(set)
    for word, names in where.items():
        for name in names:
            if not known(word, name):
                found[name].add(word)
    return found


def _lines(path: Path, word: str) -> list[int]:
    pattern = re.compile(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])")
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [n for n, line in enumerate(lines, 1) if pattern.search(line)][:3]


def test_wordlist_is_well_formed() -> None:
    """Every entry of the word list says why the word is allowed."""
    assert not WordList(WORDLIST).errors, "\n".join(WordList(WORDLIST).errors)


def test_prose_is_spelt_correctly() -> None:
    """No word unknown to Hunspell (fr) and absent from the word list, in any page, lesson, quiz or site text."""
    wordlist = WordList(WORDLIST)
    found = misspelt(prose(), wordlist)
    hints = suggestions(sorted({w for words in found.values() for w in words}))
    report = []
    for name in sorted(found):
        for word in sorted(found[name], key=str.lower):
            lines = ",".join(map(str, _lines(course.ROOT / name, word))) or "?"
            report.append(f"{name}:{lines}: {word}" + (f"  (suggestions : {hints[word]})" if hints.get(word) else ""))
    assert not report, ("Unknown words: fix the spelling, or add a justified entry to tests/spelling-wordlist.txt\n"
                        + "\n".join(report))
    stale = sorted(set(wordlist.entries()) - wordlist.used)
    if stale:
        warnings.warn(f"spelling-wordlist.txt entries no longer used, delete them: {', '.join(stale)}", stacklevel=1)


def test_checker_reports_a_misspelling() -> None:
    """The gate can fail: typos in prose are reported, while code, URLs, names listed and elisions are not."""
    text = strip_markdown(
        "L’État et les colectivités signent une convension avec Tanmia, aujourd’hui, à mi-chemin.\n"
        "Voir `partenairiat_code` et https://exemple.org/partenairiat ou [le lien](fautif-lienn.md){ #ancre-fautive }.\n"
        "!!! warning \"Attention\"\n"
        "*[OCR]: reconnaissance optique de caractères\n"
    )
    found = misspelt({"docs/essai.md": text}, WordList(WORDLIST))
    assert found == {"docs/essai.md": {"colectivités", "convension"}}
