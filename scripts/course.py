"""Layer 1: the course as the lessons' front matter describes it, in ``nav`` order."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SEEDS = ROOT.parent / "shared" / "seeds"

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PASS_MARK_DEFAULT = 70  # % of right answers in the final assessment, unless its quiz file says otherwise

LESSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "description", "duration", "objectives", "sources"],
    "properties": {
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
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["seed", "passage"],
                "properties": {
                    "seed": {"type": "string", "pattern": "^[0-9]{3}$"},
                    "passage": {"type": "string", "minLength": 10},
                },
            },
        },
        "prerequisites": {"type": "array", "items": {"type": "string", "pattern": SLUG}},
    },
}

PAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "description"],
    "properties": {
        "title": {"type": "string", "minLength": 3},
        "description": {"type": "string", "minLength": 10},
        "generate": {"enum": ["parcours", "overview", "print", "answer-key", "trainer-sheets"]},
        "hide": {"type": "array", "items": {"enum": ["navigation", "toc", "footer"]}},
        "search": {"type": "object", "additionalProperties": False, "properties": {"exclude": {"type": "boolean"}}},
    },
}

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


def is_lesson(meta: dict[str, Any]) -> bool:
    """A page is a lesson when its front matter declares objectives."""
    return "objectives" in meta


def check_front_matter(meta: dict[str, Any], where: str) -> None:
    """Validate front matter against the closed lesson or page schema."""
    schema = LESSON_SCHEMA if is_lesson(meta) else PAGE_SCHEMA
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(meta), key=str)
    if errors:
        lines = [f"{where}: front matter: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                 for e in errors]
        raise ValueError("\n".join(lines))


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


def load_lessons() -> list[Lesson]:
    """The lessons in ``nav`` order, front matter validated."""
    lessons = []
    for name in nav_files():
        path = DOCS / name
        if not path.is_file():
            continue  # MkDocs itself reports a nav entry without its page
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        if not is_lesson(meta):
            continue
        check_front_matter(meta, str(path.relative_to(ROOT)))
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


def minutes(total: int) -> str:
    """A duration in French (« 40 min », « 1 h 30 »), with no-break spaces."""
    hours, rest = divmod(total, 60)
    return f"{hours}\u00a0h\u00a0{rest:02d}" if hours else f"{rest}\u00a0min"
