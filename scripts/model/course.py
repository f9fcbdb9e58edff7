"""Layer 1: the course as the lessons' front matter describes it, in ``nav`` order."""

from __future__ import annotations

import html
import os
import re
import subprocess
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from scripts.model.schema import Schema

if TYPE_CHECKING:
    import jsonschema

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# The five seed documents sit beside the project (../shared/seeds); PARTENARIAT_SEEDS points elsewhere (tests that
# build a copy of the project in a temporary folder use it).
SEEDS = Path(os.environ.get("PARTENARIAT_SEEDS") or ROOT.parent / "shared" / "seeds")

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PASS_MARK_DEFAULT = 70  # % of right answers in the final assessment, unless its quiz file says otherwise


def closed(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """A JSON-schema object with these properties only (an unknown key is an error)."""
    return {"type": "object", "additionalProperties": False, "required": required, "properties": properties}


def seed_passage(min_length: int) -> dict[str, Any]:
    """A passage quoted from a seed document: the seed's number (``000``…) and the words, at least ``min_length``."""
    return closed(["seed", "passage"], {"seed": {"type": "string", "pattern": "^[0-9]{3}$"},
                                        "passage": {"type": "string", "minLength": min_length}})


LESSON_SCHEMA: dict[str, Any] = closed(["title", "description", "duration", "objectives", "sources"], {
    "title": {"type": "string", "minLength": 3},
    "description": {"type": "string", "minLength": 10},
    "duration": {"type": "integer", "minimum": 5, "maximum": 240},
    "objectives": {
        "type": "object",
        "minProperties": 2,
        "maxProperties": 8,
        "propertyNames": {"pattern": SLUG},
        "additionalProperties": {"type": "string", "pattern": "^[a-zàâçéèêëîïôûùüÿœæ]"},
    },
    "sources": {"type": "array", "minItems": 1, "items": seed_passage(10)},
    "prerequisites": {"type": "array", "items": {"type": "string", "pattern": SLUG}},
})

PAGE_SCHEMA: dict[str, Any] = closed(["title", "description"], {
    "title": {"type": "string", "minLength": 3},
    "description": {"type": "string", "minLength": 10},
    "generate": {"enum": ["parcours", "overview", "print", "answer-key", "trainer-sheets", "review", "practice", "assign",
                          "group"]},
    "hide": {"type": "array", "items": {"enum": ["navigation", "toc", "footer"]}},
    "search": {"type": "object", "additionalProperties": False, "properties": {"exclude": {"type": "boolean"}}},
})

# One validator per schema for the whole process, not one per page checked.
LESSON_VALIDATOR = Schema(LESSON_SCHEMA)
PAGE_VALIDATOR = Schema(PAGE_SCHEMA)

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: front matter is read often


class _NavLoader(_FAST):  # type: ignore[misc,valid-type]
    """A safe loader that reads mkdocs.yml, ignoring its ``!!python`` tags."""


_NavLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


@dataclass(frozen=True)
class Lesson:
    """A lesson page and what its front matter says."""

    slug: str
    title: str
    description: str
    duration: int
    objectives: dict[str, str]
    sources: list[dict[str, str]]
    prerequisites: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """The lesson's Markdown file."""
        return DOCS / f"{self.slug}.md"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body) of a Markdown page."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.load(match.group(1), Loader=_FAST) or {}, text[match.end():]


def is_lesson(meta: Mapping[str, Any]) -> bool:
    """A page is a lesson when its front matter declares objectives."""
    return "objectives" in meta


RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?|&#?\w+;")  # a tag, comment or entity: front matter is plain text


def _fix_hint(error: jsonschema.ValidationError) -> str:
    """What an author should do about one schema error."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        allowed = ", ".join(schema.get("properties", {})) or "none"
        return f"remove it or rename it to one of: {allowed}"
    if error.validator == "required":
        return "add this key"
    if error.validator == "pattern":
        if schema.get("pattern") == SLUG:
            return "use lower-case letters, digits and hyphens (e.g. `definir-partenariat`)"
        if "[0-9]{3}" in str(schema.get("pattern")):
            return "write the seed's three-digit number in quotes (e.g. \"003\")"
        return "objectives start with a lower-case verb (e.g. « définir… »)"
    if error.validator == "type":
        return f"write a {error.validator_value} here"
    if error.validator in ("minimum", "maximum"):
        return f"use a value between {schema.get('minimum', '…')} and {schema.get('maximum', '…')}"
    if error.validator in ("minLength", "minItems", "minProperties", "maxProperties"):
        return "write more (or fewer) entries or characters, as the message says"
    if error.validator == "enum":
        return "use one of the values listed"
    return "see the front-matter schema in AUTHORING.md"


def _error_path(error: jsonschema.ValidationError) -> tuple[Any, ...]:
    """Where a schema error lies: for an unknown key, the key itself (its line is the one to fix)."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict) and isinstance(error.schema, dict):
        unknown = [key for key in error.instance if key not in error.schema.get("properties", {})]
        if unknown:
            return (*path, unknown[0])
    return path


def _key_lines(node: yaml.Node, first_line: int, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """File line of every key (mapping) and item (sequence) of a YAML node tree, by its path."""
    lines: dict[tuple[Any, ...], int] = {path: node.start_mark.line + first_line}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            lines.update(_key_lines(value, first_line, sub))
            lines[sub] = key.start_mark.line + first_line  # the key's own line, where an author looks
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_key_lines(item, first_line, (*path, index)))
    return lines


def _front_matter_lines(where: str) -> dict[tuple[Any, ...], int]:
    """Lines of the front matter's keys in the file ``where`` (relative to the project); {} if it cannot be read."""
    path = Path(where) if Path(where).is_absolute() else ROOT / where
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    match = FRONT_MATTER.match(text)
    if not match:
        return {}
    try:
        node = yaml.compose(match.group(1), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = (exc.problem_mark.line + 2) if exc.problem_mark else 1
        raise ValueError(f"{where}:{line}: front matter is not valid YAML: {exc.problem}. Fix the YAML "
                         "(indentation; quote a value that holds « : » or starts with a special character).") from exc
    return _key_lines(node, 2) if node is not None else {}


class _LazyLines(Mapping[tuple[Any, ...], int]):
    """The lines of a file's front matter keys (see ``_front_matter_lines``), read on first use only."""

    def __init__(self, where: str) -> None:
        self._where = where
        self._lines: dict[tuple[Any, ...], int] | None = None

    def _get(self) -> dict[tuple[Any, ...], int]:
        if self._lines is None:
            self._lines = _front_matter_lines(self._where)
        return self._lines

    def __getitem__(self, key: tuple[Any, ...]) -> int:
        return self._get()[key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _line(lines: Mapping[tuple[Any, ...], int], path: tuple[Any, ...]) -> str:
    """``:N`` for the nearest known line of ``path`` (the key itself, else its parent…), or nothing."""
    while path not in lines and path:
        path = path[:-1]
    return f":{lines[path]}" if path in lines else ""


def _strings(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every string of the front matter with its path."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [item for key, sub in value.items() for item in _strings(sub, (*path, key))]
    if isinstance(value, list):
        return [item for index, sub in enumerate(value) for item in _strings(sub, (*path, index))]
    return []


def normalise_passage(text: str) -> str:
    """Compare passages modulo whitespace and apostrophe style (the typography fixer curls them)."""
    return re.sub(r"\s+", " ", text).replace("’", "'").strip()


@lru_cache(maxsize=1)
def _seed_texts() -> dict[str, str]:
    return {key: normalise_passage(path.read_text(encoding="utf-8")) for key, path in seed_files().items()}


def _source_problems(meta: Mapping[str, Any], where: str, lines: Mapping[tuple[Any, ...], int]) -> list[str]:
    """A lesson's ``sources``: each names a seed that exists and quotes a passage found verbatim in it."""
    seeds = _seed_texts()
    if not seeds:
        return [f"{where}{_line(lines, ('sources',))}: front matter: sources: no seed document found in {SEEDS}: "
                "put the five seeds there (../shared/seeds beside the project, see README)"]
    problems = []
    for index, source in enumerate(meta.get("sources") or []):
        text = seeds.get(source["seed"])
        if text is None:
            problems.append(f"{where}{_line(lines, ('sources', index, 'seed'))}: front matter: sources/{index}/seed: "
                            f"no seed {source['seed']!r}: use one of {', '.join(sorted(seeds))}")
        elif normalise_passage(source["passage"]) not in text:
            problems.append(f"{where}{_line(lines, ('sources', index, 'passage'))}: front matter: sources/{index}/passage: "
                            f"not found in seed {source['seed']} ({seed_files()[source['seed']].name}): "
                            "copy the passage verbatim from the seed (only spaces and apostrophes may differ)")
    return problems


def check_front_matter(meta: Mapping[str, Any], where: str) -> None:
    """Validate front matter: the closed lesson or page schema, no raw HTML, lesson sources found in their seeds.

    ``where`` is the page's path relative to the project (``docs/x.md``); when that file exists, each error names
    the line of the offending key. Every problem is reported at once, each with what to fix.
    """
    lines = _LazyLines(where)  # the file is parsed for line numbers only when there is an error to report
    if not meta:
        lines.get(())  # an empty front matter may be one MkDocs could not read: its YAML error is raised here
    validator = LESSON_VALIDATOR if is_lesson(meta) else PAGE_VALIDATOR
    errors = sorted(validator.errors(meta), key=str)
    problems = [f"{where}{_line(lines, _error_path(e))}: front matter: "
                f"{'/'.join(map(str, _error_path(e))) or '(root)'}: {e.message}: {_fix_hint(e)}" for e in errors]
    for path, text in _strings(meta):
        found = RAW_HTML.search(text)
        if found:
            problems.append(f"{where}{_line(lines, path)}: front matter: {'/'.join(map(str, path))}: raw HTML "
                            f"{found.group(0)!r} is not allowed: front matter is plain text (write it in words, "
                            "or use Markdown in the page body)")
    if not problems and is_lesson(meta):
        problems += _source_problems(meta, where, lines)
    if problems:
        raise ValueError("\n".join(problems))


@lru_cache(maxsize=1)
def nav_files() -> tuple[str, ...]:
    """Every page of ``nav`` in course order."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_NavLoader)
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config["nav"])
    return tuple(found)


# [render] One parse per build: the hooks, the bank, the trainers' pages and the extras all ask for the lessons;
# they are read again only when mkdocs.yml or a page of nav changed (as under `mkdocs serve`).
_loaded: dict[str, Any] = {}


def _pages_signature() -> tuple[tuple[str, int], ...]:
    config = ROOT / "mkdocs.yml"
    stamp = config.stat().st_mtime_ns if config.is_file() else 0
    if _loaded.get("config") != stamp:
        nav_files.cache_clear()
        _loaded["config"] = stamp
    paths = [DOCS / name for name in nav_files()]
    return tuple((str(path), path.stat().st_mtime_ns) for path in paths if path.is_file())


def load_lessons() -> list[Lesson]:
    """The lessons in ``nav`` order, front matter validated (parsed once while the files stay the same)."""
    signature = _pages_signature()
    if _loaded.get("signature") != signature:
        _loaded["lessons"] = _parse_lessons()
        _loaded["signature"] = signature
    return list(_loaded["lessons"])
# [/render]


def _parse_lessons() -> list[Lesson]:
    lessons = []
    for name in nav_files():
        path = DOCS / name
        if not path.is_file():
            continue  # MkDocs itself reports a nav entry without its page
        where = str(path.relative_to(ROOT))
        try:
            meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            _front_matter_lines(where)  # raises the error with the file, the line and what to fix
            raise
        if not is_lesson(meta):
            continue
        check_front_matter(meta, where)
        lessons.append(Lesson(slug=path.stem, **meta))
    return lessons


def seed_files() -> dict[str, Path]:
    """Seed documents by their three-digit prefix."""
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


def build_stamp() -> tuple[str, str]:
    """Course version (git) and build date, reproducible with SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    release = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "hors-git"
    return f"{release}+{rev}", moment.strftime("%Y-%m-%d %H:%M UTC")


def minutes(total: int, whole_hours_bare: bool = False) -> str:
    """A duration in French (« 40 min », « 1 h 30 »), with no-break spaces; « 2 h » rather than « 2 h 00 » if asked."""
    hours, rest = divmod(total, 60)
    if hours and whole_hours_bare and not rest:
        return f"{hours}\u00a0h"
    return f"{hours}\u00a0h\u00a0{rest:02d}" if hours else f"{rest}\u00a0min"


def next_step_box(extra: str = "") -> str:
    """The « next step » box of the home page and « Mon parcours », as a new learner sees it.

    journey.js rewrites it from the learner's progress (same markup, its ``next()``); built into the page, the box is
    there from the first paint, so showing it does not push the text below (layout shift), and without JavaScript
    it still leads to the first lesson. ``extra``: more attributes for the ``<p>``.
    """
    first = load_lessons()[0]
    return (f'<p class="pt-next-step" data-next-step{extra}><a class="md-button md-button--primary pt-next" '
            f'href="{first.slug}.html" data-kind="start">Commencer\u00a0: {html.escape(first.title)}</a></p>')


def remaining_box(extra: str = "") -> str:
    """The « time left » line as a new learner sees it (every lesson to do), as journey.js words it.

    journey.js rewrites it from the learner's progress; built into the page, it takes its place from the first
    paint instead of pushing the text below when the script fills it (layout shift). ``extra``: more attributes.
    """
    total = round(sum(lesson.duration for lesson in load_lessons()) / 5) * 5
    text = minutes(total, whole_hours_bare=True)  # as journey.js's minutes() words it
    return (f'<p class="pt-remaining" data-remaining{extra}>Temps restant estimé\u00a0: {text} '
            "(leçons et quiz).</p>")
