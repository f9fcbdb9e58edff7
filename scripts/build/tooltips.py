"""MkDocs hook: glossary tooltips only where they fit, and one per term per section.

The glossary (``docs/includes/abbreviations.md``, appended to every page by ``pymdownx.snippets``) makes the
``abbr`` extension wrap every occurrence of a term in ``<abbr title="…">``, whatever the sense the word has there.
This hook, run on each page's final HTML, takes three steps:

1. **Senses.** ``docs/includes/tooltips.yml`` lists, per term, the passages where the word is not used in the sense
   its tooltip gives (« réseau » meaning an Internet connection, « gouvernance » in Bourdin's quotation…): the term
   is unwrapped there. Each passage must still be found on a page and hold its term, or the build stops, so the
   list never outlives the text it describes.
2. **Questions.** No tooltip inside a question, whatever the page: a quiz question, a worksheet or answer-key item
   (every element with ``data-qid``) and a lesson's « question » box. A definition shown beside a question would
   give its answer away.
3. **One per section.** A term keeps its ``<abbr title>`` on its first occurrence in each section (a heading starts
   a section; each quiz question is its own section, since a question is read on its own); later occurrences
   become plain text. Material's ``content.tooltips`` would mount one tooltip component per ``[title]`` at load.

Each kept term is marked ``data-preview``: Material mounts no component for such an element, and
``docs/assets/javascripts/tooltips.js`` shows the same tooltip from one listener for the whole page, instead of a
component per element built at start-up whether or not it is ever hovered. The ``title`` stays for assistive
technologies. Headings' permalinks get the same treatment: their ``title`` becomes their ``aria-label`` (their name,
which was « ¶ »), and the script shows it on hover and focus as Material did.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXCLUSIONS_YML = DOCS / "includes" / "tooltips.yml"
ABBREVIATIONS_MD = DOCS / "includes" / "abbreviations.md"

# A section starts at a heading or at a quiz question; an abbreviation is the abbr extension's output.
# A term already kept (content reused from a processed page, as the print edition's) counts as seen like any other.
# The leading "<" is outside the alternatives: a pattern that starts with a literal is searched for at C speed.
TOKEN = re.compile(r'<(?:(?P<start>h[1-6][\s>]|div\b[^>]*\bdata-qid=)'
                   r'|abbr (?:data-preview )?title="(?P<title>[^"]*)">(?P<text>.*?)</abbr>)', flags=re.S)
ABBR = re.compile(r'<abbr (?:data-preview )?title="[^"]*">(?P<text>.*?)</abbr>', flags=re.S)
# A kept term: Material mounts no tooltip on a [data-preview] element (its selector is [title]:not([data-preview])).
KEPT = '<abbr data-preview title="{title}">{text}</abbr>'
# A permalink from the toc extension (permalink_title in mkdocs.yml).
PERMALINK = re.compile(r'(<a class="headerlink" href="[^"]*") title="([^"]*)"')
# Where a question starts: any element carrying a question id (quiz, worksheet, answer key, review page), or a
# « question » admonition (!!! question, ??? question).
QUESTION = re.compile(r'<(?P<tag>div|li|details|section)\b(?=[^>]*(?:\bdata-qid=|\bclass="(?:admonition )?question\b))[^>]*>')
TAGS = re.compile(r"(<[^>]*>)")
SPACE = "[\\s\u00a0\u202f]+"


@dataclass(frozen=True)
class Exclusion:
    """A passage where ``term`` is not used in the sense its glossary entry gives."""

    term: str
    passage: str
    pages: tuple[str, ...]  # source paths (``fondements.md``); empty: any page
    line: int  # in tooltips.yml, for error messages

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """The passage as it reads in a page's text: any run of spaces matches any other, ' matches ’."""
        parts = [re.escape(word).replace("'", "['’]").replace("’", "['’]") for word in self.passage.split()]
        return re.compile(SPACE.join(parts))


def _terms() -> set[str]:
    """The glossary's terms (``*[term]: definition`` lines of abbreviations.md)."""
    text = ABBREVIATIONS_MD.read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^\*\[([^\]]+)\]:", text, flags=re.M)}


def load_exclusions(path: Path = EXCLUSIONS_YML) -> tuple[Exclusion, ...]:
    """The per-term excluded passages of ``tooltips.yml``, checked: known term, passage holding its term."""
    text = path.read_text(encoding="utf-8")
    where = f"{path.relative_to(DOCS.parent) if path.is_relative_to(DOCS.parent) else path}"
    lines = text.splitlines()

    def line_of(needle: str, after: int = 0) -> int:
        for number, line in enumerate(lines[after:], start=after + 1):
            if needle in line:
                return number
        return 1

    data: Any = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # libyaml when there
    if not isinstance(data, dict):
        raise PluginError(f"{where}:1: expected a mapping term → list of passages")
    known = _terms()
    found: list[Exclusion] = []
    for term, entries in data.items():
        start = line_of(f"{term}:")
        if term not in known:
            raise PluginError(f"{where}:{start}: « {term} » is not a term of docs/includes/abbreviations.md")
        if not isinstance(entries, list) or not entries:
            raise PluginError(f"{where}:{start}: « {term} »: expected a list of {{passage, pages?, sens}}")
        for entry in entries:
            passage = entry.get("passage") if isinstance(entry, dict) else None
            if not isinstance(passage, str) or not entry.get("sens"):
                raise PluginError(f"{where}:{start}: « {term} »: each entry needs a passage and its sens")
            line = line_of(passage.split()[0] if passage.split() else term, start - 1)
            if not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", passage):
                raise PluginError(f"{where}:{line}: the passage « {passage} » does not contain « {term} »")
            pages = entry.get("pages", [])
            found.append(Exclusion(term, passage, tuple([pages] if isinstance(pages, str) else pages), line))
    return tuple(found)


class _Plain:
    """The text of an HTML page without its tags, and where each of its characters comes from in the page."""

    def __init__(self, html: str) -> None:
        parts = TAGS.split(html)  # text, tag, text, …, text: the loops below run in C, not per tag in Python
        texts = parts[0::2]
        self.text = "".join(texts)
        self._starts = [0, *itertools.accumulate(map(len, texts[:-1]))]  # where each piece of text starts, in the text
        # and in the page: after every piece and tag before it
        self._origins = [0, *itertools.accumulate(map(len, parts))][0::2]

    def origin(self, index: int) -> int:
        """The page offset of the text's character at ``index``."""
        piece = bisect.bisect_right(self._starts, index) - 1
        return self._origins[piece] + index - self._starts[piece]


def without_excluded(html: str, exclusions: tuple[Exclusion, ...], page: str) -> tuple[str, set[Exclusion]]:
    """``html`` with the term of each passage of ``exclusions`` (for ``page``) unwrapped; and the exclusions met."""
    # only the passages whose term carries a tooltip on this page can change it (the text is built only for them)
    mine = [e for e in exclusions if (not e.pages or page in e.pages) and f">{e.term}</abbr>" in html]
    if not mine:
        return html, set()
    plain = _Plain(html)
    spans: list[tuple[int, int, str]] = []  # html ranges where one term loses its tooltip
    met: set[Exclusion] = set()
    for exclusion in mine:
        for match in exclusion.pattern.finditer(plain.text):
            spans.append((plain.origin(match.start()), plain.origin(match.end() - 1) + 1, exclusion.term))
            met.add(exclusion)

    def unwrap(match: re.Match[str]) -> str:
        # the term's own text lies in the passage (its opening tag is before the passage's first letter)
        if any(start <= match.start("text") < end and match.group("text") == term for start, end, term in spans):
            return match.group("text")
        return match.group(0)

    return ABBR.sub(unwrap, html), met


def without_question_tooltips(html: str) -> str:
    """``html`` with no ``<abbr>`` left inside a question: quiz, worksheet and answer-key items, « question » boxes."""
    out: list[str] = []
    position = 0
    for start in QUESTION.finditer(html):
        if start.start() < position:  # nested in a question already unwrapped
            continue
        if html.find("<abbr", start.start()) == -1:  # no tooltip after this point: the rest stays as it is
            break
        tag = start.group("tag")
        depth = 0
        end = len(html)
        for edge in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(html, start.start()):  # no copy of the page's rest
            depth += -1 if edge.group(1) else 1
            if depth == 0:
                end = edge.end()
                break
        out.append(html[position:start.start()])
        out.append(ABBR.sub(lambda m: m.group("text"), html[start.start():end]))
        position = end
    out.append(html[position:])
    return "".join(out)


def first_per_section(html: str) -> str:
    """``html`` with every glossary ``<abbr title>`` after the first of the same term in its section unwrapped.

    The first one is marked for ``tooltips.js`` (``KEPT``).
    """
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        if match.group("start"):
            seen.clear()
            return match.group(0)
        key = match.group("title")
        if key in seen:
            return match.group("text")
        seen.add(key)
        return KEPT.format(title=key, text=match.group("text"))

    return TOKEN.sub(replace, html)


_state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read and check the excluded passages once per build."""
    _state["exclusions"] = load_exclusions()
    _state["met"] = set()
    return config


@event_priority(-100)  # after the quiz plugin and the other hooks have produced the page's final HTML
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Tooltips only in their sense and never in a question; one per term per section, shown by tooltips.js."""
    exclusions = _state.get("exclusions")
    if exclusions is None:
        exclusions = _state["exclusions"] = load_exclusions()
    html, met = page_pass(html, exclusions, page.file.src_uri)
    _state.setdefault("met", set()).update(met)
    return html


def page_pass(html: str, exclusions: tuple[Exclusion, ...], page: str) -> tuple[str, set[Exclusion]]:
    """A page's final HTML with its tooltips in their sense only, none in a question, one per term per section.

    Also returns the excluded passages met on the page.
    """
    html, met = without_excluded(html, exclusions, page)
    html = first_per_section(without_question_tooltips(html))
    return PERMALINK.sub(r'\1 aria-label="\2"', html), met


def on_post_build(config: MkDocsConfig) -> None:
    """Stop the build if a listed passage was found nowhere: the list must describe the current text."""
    stale = [e for e in _state.get("exclusions", ()) if e not in _state.get("met", set())]
    if stale:
        where = EXCLUSIONS_YML.relative_to(DOCS.parent)
        raise PluginError("\n".join(
            f"{where}:{e.line}: « {e.passage} » ({e.term}) is on no page{' ' + ', '.join(e.pages) if e.pages else ''}:"
            " update or remove this passage" for e in stale))
