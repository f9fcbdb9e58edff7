"""Grammar gate: Grammalecte (French, offline) over lessons, quizzes, glossary, trainer pages and the extras pages.

Grammalecte is Debian's ``python3-grammalecte`` (installed by ``scripts/setup.sh test``); its package is loaded from
``/usr/lib/python3/dist-packages/grammalecte`` alone, so the rest of Debian's Python never enters the venv.

What is checked: every paragraph, list item, heading, admonition title, table cell and shown front-matter value of
the Markdown pages, and every text of the quiz YAML files (not ids, types, seed passages). Quotations taken from the
seeds stay in the text (agreement needs them), but an error that touches one is ignored: the seeds' own grammar is
not ours to fix. Spelling is Hunspell's job
(tests/test_spelling.py): only Grammalecte's grammar, conjugation, agreement and typography errors count.
Accepted errors are listed in tests/grammalecte-allowlist.txt (``rule-id<TAB>regex on the error's context # why``).

Command line: ``.venv/bin/python -m scripts.checks.grammar [FILE…]`` prints ``file:line: [rule] message « text »``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from scripts.checks import readability
from scripts.model import course

DEBIAN_PACKAGE = Path("/usr/lib/python3/dist-packages/grammalecte")
ALLOWLIST = course.ROOT / "tests" / "grammalecte-allowlist.txt"
# Grammalecte options turned off, and why: each duplicates a gate that already exists or misreads our Markdown.
OPTIONS_OFF = {
    "nbsp": "no-break spaces are tests/test_typography.py's job (scripts/checks/frenchtypo.py writes them)",
    "esp": "spaces left by removed Markdown syntax (links, bold) are not in the page",
    "typo": "typographic conventions (ellipsis, dashes, ordinal marks) are tests/test_typography.py's job",
    "maj": "list items and table cells start in lower case by our style",
    "md": "Markdown syntax is removed before checking",
}


@dataclass(frozen=True)
class Error:
    """One Grammalecte error in a file."""

    path: Path
    line: int
    rule: str
    message: str
    text: str
    context: str

    def __str__(self) -> str:
        try:
            name = self.path.relative_to(course.ROOT)
        except ValueError:
            name = self.path
        return f"{name}:{self.line}: [{self.rule}] {self.message} « {self.text} » dans « {self.context} »"


def available() -> bool:
    """Whether Grammalecte can be loaded (Debian python3-grammalecte installed)."""
    return importlib.util.find_spec("grammalecte") is not None or (DEBIAN_PACKAGE / "__init__.py").is_file()


@lru_cache(maxsize=1)
def _checker() -> Any:
    if importlib.util.find_spec("grammalecte") is None:
        spec = importlib.util.spec_from_file_location("grammalecte", DEBIAN_PACKAGE / "__init__.py",
                                                      submodule_search_locations=[str(DEBIAN_PACKAGE)])
        if spec is None or spec.loader is None:
            raise RuntimeError(f"Grammalecte not found in {DEBIAN_PACKAGE}: apt-get install python3-grammalecte")
        module = importlib.util.module_from_spec(spec)
        sys.modules["grammalecte"] = module
        spec.loader.exec_module(module)
    import grammalecte  # noqa: PLC0415  (loaded above from Debian's package when the venv lacks it)

    checker = grammalecte.GrammarChecker("fr")
    engine = checker.getGCEngine()
    engine.setOptions({option: False for option in OPTIONS_OFF})
    return checker


# --- what to check --------------------------------------------------------------------------------------------------

def _clean(text: str) -> str:
    """Markdown inline syntax removed, line breaks kept."""
    text = readability._inline(text).replace("____", "…")  # a fill-in blank
    text = re.sub(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    return re.sub(r"[ \t]+", " ", text)


def markdown_paragraphs(path: Path) -> Iterator[tuple[int, str]]:
    """(first line, text) of every piece of prose of a Markdown page."""
    text = path.read_text(encoding="utf-8")
    match = course.FRONT_MATTER.match(text)
    if match:
        meta = yaml.safe_load(match.group(1)) or {}
        for number, line in enumerate(match.group(1).splitlines(), start=2):
            key = re.match(r"^\s*(title|description|[a-z0-9-]+):\s*(.+)$", line)
            if key and (key.group(1) in {"title", "description"} or key.group(1) in (meta.get("objectives") or {})):
                yield number, key.group(2).strip().strip("\"'")
        body, first = text[match.end():], text.count("\n", 0, match.end()) + 1
    else:
        body, first = text, 1
    fence = ""
    for number, raw in enumerate(body.splitlines(), start=first):
        stripped = raw.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if stripped.startswith("#"):
            yield number, re.sub(r"^#+\s*", "", stripped)
        elif readability.ADMONITION.match(stripped):
            title = re.search(r'"([^"]*)"', stripped)
            if title:
                yield number, title.group(1)
        elif stripped.startswith("|"):
            if not re.fullmatch(r"\|?[\s:|-]+", stripped):
                for cell in stripped.strip("|").split("|"):
                    yield number, cell.strip()
    for line, block, kind in readability._blocks(body, first):
        if kind == readability.PROSE:
            yield line, block


def yaml_paragraphs(path: Path) -> Iterator[tuple[int, str]]:
    """(first line, text) of every shown string of a quiz file."""
    skip = {"id", "type", "lesson", "seed", "passage", "level", "objectives", "shuffle", "order_source", "absolute",
            "basis", "review", "angoff"}

    def walk(node: yaml.Node) -> Iterator[tuple[int, str]]:
        if isinstance(node, yaml.ScalarNode):
            if isinstance(node.value, str) and re.search(r"[^\W\d_]{2}", node.value):
                block = node.style in {"|", ">"}
                yield node.start_mark.line + (2 if block else 1), node.value
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not (isinstance(key, yaml.ScalarNode) and key.value in skip):
                    yield from walk(value)

    root = yaml.compose(path.read_text(encoding="utf-8"))
    if root is not None:
        yield from walk(root)


def checked_files() -> list[Path]:
    """The files of the gate: lessons, quizzes, glossary, trainer pages, extras pages."""
    return readability.labelled_files()


# --- allow-list -----------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def allowlist() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(rule id, pattern searched in the flagged text and its context, reason) of each accepted error."""
    entries = []
    for number, line in enumerate(ALLOWLIST.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.match(r"^(\S+)\t(.+?)\s+#\s+(.+)$", line)
        if not match:
            raise ValueError(f"{ALLOWLIST}:{number}: expected « rule-id<TAB>regex # reason »")
        entries.append((match.group(1), re.compile(match.group(2)), match.group(3)))
    return tuple(entries)


def is_allowed(error: Error) -> bool:
    """Whether an entry of the allow-list accepts this error."""
    return any(re.fullmatch(rule.replace("*", ".*"), error.rule) and pattern.search(error.context)
               for rule, pattern, _ in allowlist())


# --- checking -------------------------------------------------------------------------------------------------------

def check_text(path: Path, line: int, raw: str) -> Iterator[Error]:
    """Grammalecte's grammar errors in one piece of text starting at ``line``."""
    text = _clean(raw)
    joined = text.replace("\n", " ")
    if not re.search(r"[^\W\d_]{2}", joined):
        return
    quoted = [m.span() for m in readability.QUOTE.finditer(joined) if readability.is_seed_quotation(m.group())]
    grammar, _spelling = _checker().getParagraphErrors(joined)
    for error in grammar:
        start, end = error["nStart"], error["nEnd"]
        if any(start < q_end and end > q_start for q_start, q_end in quoted):
            continue
        yield Error(path, line + text.count("\n", 0, start), error["sRuleId"], error["sMessage"],
                    joined[start:end], joined[max(0, start - 30):end + 30].strip())


def check_file(path: Path) -> list[Error]:
    """Every Grammalecte error in a file (allow-listed ones included)."""
    return list(_check_file(path, path.stat().st_mtime_ns))


@cache
def _check_file(path: Path, _mtime: int) -> tuple[Error, ...]:
    pieces = yaml_paragraphs(path) if path.suffix in {".yml", ".yaml"} else markdown_paragraphs(path)
    return tuple(error for line, raw in pieces for error in check_text(path, line, raw))


def main(argv: list[str]) -> int:
    """Print every error not in the allow-list; 1 if there is any."""
    paths = [Path(a).resolve() for a in argv] or checked_files()
    found = [error for path in paths for error in check_file(path) if not is_allowed(error)]
    for error in found:
        print(error)
    print(f"{len(found)} erreur(s) dans {len(paths)} fichier(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
