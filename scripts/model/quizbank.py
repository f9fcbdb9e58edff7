"""Layer 2: parse and validate ``quizzes/*.yml`` into typed questions with stable ids.

Every error names ``file:line`` and says what to fix; all errors of a file are reported at once.
The order in which choices, matching options and ordering steps are shown is decided here, once,
by a shuffle seeded by the question id (:meth:`Question.display_choices` and friends), so that the
web page, the print worksheet, the answer key, SCORM and the exports all agree.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pymdownx.slugs import slugify

from scripts.model.course import DOCS, ROOT, SLUG, closed, load_lessons, seed_files, seed_passage, split_front_matter
from scripts.model.schema import Schema

QUIZZES = ROOT / "quizzes"
BLANK = "____"
# Every scenario is invented for the course and says so where learners read it (web, paper, exports).
SCENARIO_MARK = "Situation imaginée pour le cours."
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]*)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}")
FENCE = re.compile(r"^\s*(```|~~~)")
GENERATED_ANCHORS = {"quiz", "auto-evaluation"}
FINAL = "evaluation-finale"  # the final assessment: objectives are written <lesson-slug>/<objective-id>
LEVELS = ("se souvenir", "comprendre", "appliquer", "analyser")
TYPES = ("single", "multiple", "truefalse", "fill", "associer", "ordonner", "redaction")
# A written answer (3–6 sentences) self-rated against a rubric: never right or wrong, so never in a score.
WRITTEN = "redaction"
SCORED_TYPES = tuple(kind for kind in TYPES if kind != WRITTEN)
RUBRIC_SIZE = (3, 5)
MODEL_SENTENCES = (3, 6)
# What a learner gives each criterion of a rubric (stored as 0, 1, 2).
SELF_RATINGS = ("pas atteint", "en partie", "atteint")
LETTERS = "ABCDEFGHIJ"
# Property names every JavaScript object inherits: an id equal to one of them breaks a plain-object lookup.
JS_RESERVED = frozenset(name.lower() for name in (
    "constructor", "prototype", "__proto__", "toString", "toLocaleString", "valueOf", "hasOwnProperty",
    "isPrototypeOf", "propertyIsEnumerable", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
    "__lookupSetter__"))
# Raw HTML (a tag, a comment, a doctype) or an HTML character reference: refused in every quiz field,
# because quiz text is rendered into pages and copied into every export.
RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# Where Markdown reads an address: after "](" (inline link or image) and after "[label]:" (a reference definition).
LINK_TARGET = re.compile(r"\]\(|^[ \t]*\[[^\]\n]+\]:", re.M)
# What a browser skips before reading an address's scheme (WHATWG URL: C0 controls and spaces around it, tabs and
# newlines anywhere), plus Markdown's angle brackets and backslash escapes: « java\tscript: » is still javascript:.
SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f<>\\]+")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?=:)")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# An attribute list (attr_list) that sets an attribute, e.g. { onclick="…" } or { href="…" } after a link.
ATTRIBUTE_SET = re.compile(r"\{[^{}\n]*=[^{}\n]*\}")
_slug = slugify(case="lower", normalize="NFD")

TEXT = {"type": "string", "minLength": 1}
CHOICE = closed(["text"], {"text": {"type": "string"}, "correct": {"type": "boolean"}, "feedback": TEXT})
SEED_PASSAGE = seed_passage(4)
PAIR = closed(["left", "right"], {"left": TEXT, "right": TEXT, "feedback": TEXT})
# One criterion of a written answer's rubric, drawn from the seeds: its passage(s) quoted exactly.
CRITERION = closed(["id", "text", "basis"], {
    "id": {"type": "string", "pattern": SLUG}, "text": TEXT,
    "basis": {"anyOf": [SEED_PASSAGE, {"type": "array", "minItems": 1, "items": SEED_PASSAGE}]}})
REQUIRED = ["id", "type", "level", "objectives", "question", "explanation"]
QUESTION = closed(REQUIRED, {
    "id": {"type": "string", "pattern": SLUG},
    "type": {"enum": list(TYPES)},
    "level": {"enum": list(LEVELS)},
    "objectives": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    "scenario": {"type": "boolean"},
    "shuffle": {"type": "boolean"},
    "absolute": {"anyOf": [SEED_PASSAGE, {"type": "array", "minItems": 1, "items": SEED_PASSAGE}]},
    "question": {"type": "string", "minLength": 5},
    "choices": {"type": "array", "items": CHOICE},
    "answer": {"type": "boolean"},
    "answers": {"type": "array", "items": {"type": "string"}},
    "pairs": {"type": "array", "minItems": 3, "maxItems": 6, "items": PAIR},
    "distractors": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    "steps": {"type": "array", "minItems": 3, "maxItems": 7, "items": {"type": "string", "minLength": 1}},
    "order_source": SEED_PASSAGE,
    # the seed passage(s) the item rests on: its key must follow from them
    "basis": {"anyOf": [SEED_PASSAGE, {"type": "array", "minItems": 1, "items": SEED_PASSAGE}]},
    # a blind reviewer's judgement of the level (someone who did not write the item)
    "review": closed(["level", "agree"], {"level": {"enum": list(LEVELS)}, "agree": {"type": "boolean"},
                                          "note": TEXT}),
    # final items: estimated probability that a just-competent learner answers right (modified Angoff)
    "angoff": {"type": "number", "minimum": 0.05, "maximum": 0.99},
    "explanation": {"type": "string"},
    # redaction: the case the learner writes about, the model answer and the rubric (3 to 5 criteria)
    "case": TEXT,
    "model_answer": TEXT,
    "rubric": {"type": "array", "items": CRITERION},
})
QUIZ_FILE = closed(["lesson", "questions"], {
    "lesson": {"type": "string", "pattern": SLUG},
    "pass_mark": {"type": "integer", "minimum": 1, "maximum": 100},
    # final only: how many items of the pool one learner sees (a form drawn to the blueprint)
    "form_size": {"type": "integer", "minimum": 1},
    "questions": {"type": "array", "minItems": 1, "items": QUESTION},
})
QUIZ_VALIDATOR = Schema(QUIZ_FILE)


class QuizError(ValueError):
    """One or more problems in the question bank, each located as file:line."""


class _Map(dict[str, Any]):
    """A YAML mapping that remembers its own line and each key's line."""

    line: int = 0
    key_lines: dict[str, int]
    text_lines: dict[str, int]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader whose mappings carry their source lines and which records every key written twice in a mapping."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str, int]] = []  # (line, key, line of its first occurrence)


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    # PyYAML keeps the last of two equal keys without a word: the first one would be lost silently.
    first: dict[str, int] = {}
    for key_node, _ in node.value:  # before construct_mapping, which expands merge keys (<<) into node.value
        if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
            line = key_node.start_mark.line + 1
            if key_node.value in first:
                loader.duplicates.append((line, key_node.value, first[key_node.value]))
            first.setdefault(key_node.value, line)
    result = _Map(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    # first line of each scalar's text: a block scalar (| or >) starts on the line after its key
    result.text_lines = {k.value: v.start_mark.line + (2 if getattr(v, "style", None) in ("|", ">") else 1)
                         for k, v in node.value if hasattr(k, "value")}
    return result


class _Seq(list[Any]):
    """A YAML sequence that remembers the first line of each item's text."""

    item_lines: list[int]


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_sequence(node, deep=True))
    result.item_lines = [item.start_mark.line + (2 if getattr(item, "style", None) in ("|", ">") else 1)
                         for item in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _permutation(key: str, size: int) -> list[int]:
    """A shuffle of ``range(size)`` decided by ``key`` alone (Fisher–Yates driven by SHA-256).

    Hand-rolled rather than ``random.shuffle`` so that the order never depends on the Python version,
    the platform or the process: the same id always gives the same order, everywhere.
    """
    order = list(range(size))
    for i in range(size - 1, 0, -1):
        digest = hashlib.sha256(f"{key}\x00{i}".encode()).digest()
        j = int.from_bytes(digest[:8], "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


@dataclass(frozen=True)
class Choice:
    """One proposed answer."""

    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    """One pair of a matching (``associer``) question: a left item and the right item it goes with."""

    left: str
    right: str
    feedback: str = ""


@dataclass(frozen=True)
class SeedPassage:
    """An exact passage of a seed document (``absolute``, ``order_source``)."""

    seed: str
    passage: str


@dataclass(frozen=True)
class Criterion:
    """One criterion of a written answer's rubric: a stable id (self-ratings are stored under it), its text, its seeds."""

    id: str
    text: str
    basis: tuple[SeedPassage, ...] = ()


@dataclass(frozen=True)
class Question:
    """A validated question, identified by its stable id."""

    id: str
    type: str
    question: str
    explanation: str
    source: str
    line: int
    choices: tuple[Choice, ...] = ()
    answers: tuple[str, ...] = ()
    scenario: bool = False
    level: str = ""
    objectives: tuple[str, ...] = ()
    shuffle: bool = True
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    absolute: tuple[SeedPassage, ...] = ()
    order_source: SeedPassage | None = None
    basis: tuple[SeedPassage, ...] = ()
    review_level: str = ""
    review_agree: bool | None = None
    angoff: float | None = None
    case: str = ""
    model_answer: str = ""
    rubric: tuple[Criterion, ...] = ()

    @property
    def written(self) -> bool:
        """A written answer (``redaction``): self-rated on a rubric, never scored right or wrong."""
        return self.type == WRITTEN

    @property
    def counted_level(self) -> str:
        """The level the item counts at: a level the blind reviewer disputes counts at the lower of the two."""
        if not self.review_level or self.review_agree:
            return self.level
        return min(self.level, self.review_level, key=LEVELS.index) if self.level else self.review_level

    @property
    def stem(self) -> str:
        """The question as learners read it: a scenario says first that the course made it up (docs/sources.md)."""
        if self.case:
            return f"{SCENARIO_MARK} {self.case}\n\n{self.question}"
        return f"{SCENARIO_MARK} {self.question}" if self.scenario else self.question

    @property
    def correct_texts(self) -> list[str]:
        """Texts of the correct choices, or accepted answers for a fill-in."""
        return [c.text for c in self.choices if c.correct] if self.choices else list(self.answers)

    def display_choices(self) -> tuple[Choice, ...]:
        """The choices in the order they are shown everywhere (page, worksheet, answer key, exports).

        single/multiple: shuffled by the question id, or as written with ``shuffle: false``;
        truefalse: Vrai then Faux; other types: no choices.
        """
        if self.type not in ("single", "multiple") or not self.shuffle:
            return self.choices
        return tuple(self.choices[i] for i in _permutation(f"{self.id}:choices", len(self.choices)))

    def letter(self, choice: Choice) -> str:
        """The letter (A, B, C…) of a choice in the shown order."""
        return LETTERS[self.display_choices().index(choice)]

    @property
    def correct_letters(self) -> list[str]:
        """Letters of the correct choices in the shown order (the answer key's names for them)."""
        return [LETTERS[i] for i, c in enumerate(self.display_choices()) if c.correct]

    def display_options(self) -> tuple[str, ...]:
        """associer: the right-hand options offered in each list (pairs' right items and distractors), shuffled.

        Never in the pairs' order: that would give every answer away.
        """
        if self.type != "associer":
            return ()
        options = [p.right for p in self.pairs] + list(self.distractors)
        order = _permutation(f"{self.id}:options", len(options))
        if order[: len(self.pairs)] == list(range(len(self.pairs))):
            order = order[1:] + order[:1]
        return tuple(options[i] for i in order)

    def step_order(self) -> tuple[int, ...]:
        """ordonner: indexes (YAML order, which is the right order) of the steps as first shown; never the right order."""
        if self.type != "ordonner":
            return ()
        order = _permutation(f"{self.id}:steps", len(self.steps))
        if order == sorted(order):
            order = order[1:] + order[:1]
        return tuple(order)

    def display_steps(self) -> tuple[str, ...]:
        """ordonner: the steps' texts in the order first shown."""
        return tuple(self.steps[i] for i in self.step_order())


@dataclass(frozen=True)
class Quiz:
    """The questions inserted into one page."""

    lesson: str
    source: str
    questions: tuple[Question, ...]
    pass_mark: int | None = None
    form_size: int | None = None


@dataclass
class _Errors:
    items: list[str] = field(default_factory=list)

    def add(self, where: str, line: int, message: str) -> None:
        self.items.append(f"{where}:{line}: {message}")


def page_anchors(path: Path) -> set[str]:
    """Anchors a Markdown page defines: heading ids (explicit or slugified) and attr-list ids."""
    anchors = set(GENERATED_ANCHORS)
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    in_fence = False
    for line in body.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        anchors.update(ATTR_ID.findall(line))
        heading = HEADING.match(line)
        if heading and not ATTR_ID.search(heading.group(2)):
            anchors.add(_slug(heading.group(2), "-"))
    return anchors


def _line_of(data: Any, path: list[Any]) -> int:
    """The closest known source line for a jsonschema error path."""
    line = getattr(data, "line", 1)
    node = data
    for key in path:
        if isinstance(node, _Map) and isinstance(key, str):
            line = node.key_lines.get(key, node.line)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line


def _check_links(text: str, where: str, first_line: int, errors: _Errors, anchors: dict[str, set[str]]) -> bool:
    """Check Markdown links to pages and sections; return whether one targets a section."""
    has_section_link = False
    for found in LINK.finditer(text):
        target = found.group(1)
        line = first_line + text[: found.start()].count("\n")
        if target.startswith(("http://", "https://", "mailto:")):
            errors.add(where, line, f"external link {target!r}: link to a lesson section instead")
            continue
        page, _, anchor = target.partition("#")
        page = page or ""
        if not page.endswith(".md"):
            errors.add(where, line, f"link {target!r}: write it as 'lesson.md#section'")
            continue
        if page not in anchors:
            path = DOCS / page
            if not path.is_file():
                errors.add(where, line, f"link {target!r}: page docs/{page} does not exist")
                continue
            anchors[page] = page_anchors(path)
        if anchor:
            if anchor not in anchors[page]:
                known = ", ".join(sorted(anchors[page]))
                errors.add(where, line, f"link {target!r}: no section #{anchor} in docs/{page} (known: {known})")
            else:
                has_section_link = True
    return has_section_link


@dataclass
class _Context:
    """What validation looks questions up against: section anchors, lessons' objectives, seed texts."""

    anchors: dict[str, set[str]] = field(default_factory=dict)
    objectives: dict[str, set[str]] = field(default_factory=dict)
    _seeds: dict[str, str] | None = None

    @classmethod
    def build(cls) -> _Context:
        """Objectives of every lesson in ``nav`` (front matter already validated by course.load_lessons)."""
        return cls(objectives={lesson.slug: set(lesson.objectives) for lesson in load_lessons()})

    def seed(self, key: str) -> str | None:
        """A seed's text, normalised for passage look-up, or None if there is no such seed."""
        if self._seeds is None:
            self._seeds = {k: normalise_passage(path.read_text(encoding="utf-8")) for k, path in seed_files().items()}
        return self._seeds.get(key)


def normalise_passage(text: str) -> str:
    """Compare passages modulo whitespace and apostrophe style (the typography fixer curls them)."""
    return re.sub(r"\s+", " ", text).replace("’", "'").strip()


def _strings(node: Any, line: int, path: str, found: list[tuple[str, int, str]] | None = None) -> list[tuple[str, int, str]]:
    """Every string in a parsed YAML node, with its closest source line and its path (added to ``found``)."""
    found = [] if found is None else found
    if isinstance(node, str):
        found.append((node, line, path))
    elif isinstance(node, _Map):
        for key, value in node.items():
            _strings(value, node.text_lines.get(key, node.key_lines.get(key, node.line)), f"{path}/{key}", found)
    elif isinstance(node, dict):
        for key, value in node.items():
            _strings(value, line, f"{path}/{key}", found)
    elif isinstance(node, list):
        lines = node.item_lines if isinstance(node, _Seq) else [line] * len(node)
        for index, item in enumerate(node):
            _strings(item, getattr(item, "line", lines[index]), f"{path}/{index + 1}", found)
    return found


def _check_raw_html(texts: list[tuple[str, int, str]], where: str, label: str, errors: _Errors) -> bool:
    """Refuse raw HTML and character references in every text of a question (``_strings``)."""
    ok = True
    for text, line, path in texts:
        found = RAW_HTML.search(text)
        if found:
            line += text.count("\n", 0, found.start()) if "\n" in text else 0
            snippet = text[found.start(): found.start() + 20].split("\n")[0]
            errors.add(where, line, f"{label}: {path.lstrip('/')}: raw HTML {snippet!r} is not allowed in a quiz: "
                                    "write plain text with Markdown (**gras**, [lien](leçon.md#section)); "
                                    "for the characters < and & write « inférieur à », « et »")
            ok = False
    return ok


def link_scheme(target: str) -> str | None:
    """The scheme a browser would read at the start of a link ``target`` (lower case), or None for a relative link."""
    found = SCHEME.match(SCHEME_NOISE.sub("", target[:100]))
    return found.group(0).lower() if found else None


def _check_urls(texts: list[tuple[str, int, str]], where: str, label: str, errors: _Errors) -> bool:
    """Refuse, in every text of a question, links other than http(s):, mailto: and relative, and attribute lists.

    Quiz text becomes links on pages opened from file:// and inside learning platforms, where nothing blocks a
    javascript: or data: address: the build is the only guard.
    """
    ok = True
    for text, line, path in texts:
        for found in LINK_TARGET.finditer(text):
            target = text[found.end():]
            scheme = link_scheme(target)
            if scheme is None or scheme in SAFE_SCHEMES:
                continue
            at = line + text.count("\n", 0, found.start())
            shown = target[: target.index(":") + 1] + "…"
            errors.add(where, at, f"{label}: {path.lstrip('/')}: link to {shown!r}: a '{scheme}:' address is not allowed "
                                  "in a quiz: link to a lesson section (leçon.md#section), or to an http(s): or mailto: "
                                  "address")
            ok = False
        for found in ATTRIBUTE_SET.finditer(text):
            at = line + text.count("\n", 0, found.start())
            errors.add(where, at, f"{label}: {path.lstrip('/')}: attribute list {found.group(0)[:40]!r} sets an HTML "
                                  "attribute, which is not allowed in a quiz: remove it")
            ok = False
    return ok


def _check_passages(raw: _Map, key: str, where: str, label: str, errors: _Errors, ctx: _Context) -> tuple[SeedPassage, ...]:
    """``absolute`` / ``order_source`` / ``basis``: each passage must be found in its seed; return them typed."""
    value = raw.get(key)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        line = getattr(item, "key_lines", {}).get("passage", raw.key_lines.get(key, raw.line))
        text = ctx.seed(item["seed"])
        if text is None:
            known = ", ".join(sorted(seed_files()))
            errors.add(where, line, f"{label}: {key}: no seed {item['seed']!r} (seeds: {known})")
        elif normalise_passage(item["passage"]) not in text:
            errors.add(where, line, f"{label}: {key}: passage {item['passage']!r} not found in seed {item['seed']}: "
                                    "copy it exactly from the seed file, on one line")
        found.append(SeedPassage(item["seed"], item["passage"].strip()))
    return tuple(found)


def _check_objectives(raw: _Map, lesson: str, where: str, label: str, errors: _Errors, ctx: _Context) -> bool:
    """Lesson quiz: ids of that lesson's objectives; final assessment: ``<lesson-slug>/<objective-id>``."""
    ok = True
    line = raw.key_lines.get("objectives", raw.line)
    for objective in raw.get("objectives", []):
        if lesson == FINAL:
            slug, _, oid = objective.partition("/")
            if slug not in ctx.objectives:
                errors.add(where, line, f"{label}: objective {objective!r}: write <lesson>/<objective-id> with a lesson "
                                        f"of the course ({', '.join(ctx.objectives)})")
                ok = False
                continue
            known, bare = ctx.objectives[slug], oid
        else:
            known, bare = ctx.objectives.get(lesson, set()), objective
        if bare not in known:
            page = objective.partition("/")[0] if lesson == FINAL else lesson
            errors.add(where, line, f"{label}: objective {objective!r} is not in the front matter of docs/{page}.md "
                                    f"(objectives: {', '.join(sorted(known))})")
            ok = False
    return ok


def _check_question(raw: _Map, where: str, errors: _Errors, ctx: _Context, lesson: str) -> Question | None:
    """Semantic checks that the schema cannot express; return the typed question."""
    line = raw.line
    qid = raw["id"]
    label = f"question {qid!r}"
    kind = raw["type"]
    choices = tuple(Choice(c["text"].strip(), bool(c.get("correct")), c.get("feedback", "").strip())
                    for c in raw.get("choices", []))
    answers = tuple(a.strip() for a in raw.get("answers", []))
    pairs = tuple(Pair(p["left"].strip(), p["right"].strip(), p.get("feedback", "").strip()) for p in raw.get("pairs", []))
    distractors = tuple(d.strip() for d in raw.get("distractors", []))
    steps = tuple(step.strip() for step in raw.get("steps", []))
    strings = _strings(raw, raw.line, "")  # every text of the question, once for both checks
    ok = _check_raw_html(strings, where, label, errors)
    ok = _check_urls(strings, where, label, errors) and ok
    if qid.lower() in JS_RESERVED:
        errors.add(where, raw.key_lines.get("id", line), f"{label}: this id is a name every JavaScript object already "
                                                         "has (constructor, prototype…): choose another id")
        ok = False
    if kind in ("single", "multiple"):
        if not choices:
            errors.add(where, line, f"{label}: a {kind} question needs 'choices'")
            return None
        for index, (choice, raw_choice) in enumerate(zip(choices, raw["choices"], strict=True)):
            if not choice.text:
                errors.add(where, raw_choice.line, f"{label}: choice {index + 1} is empty: write its text")
                ok = False
            elif "\n" in choice.text:
                errors.add(where, raw_choice.line, f"{label}: choice {index + 1} spans several lines: keep it on one")
                ok = False
        texts = [c.text for c in choices]
        if len(set(texts)) != len(texts):
            errors.add(where, line, f"{label}: two choices have the same text")
            ok = False
        right = sum(c.correct for c in choices)
        if right == 0:
            errors.add(where, line, f"{label}: no correct answer: mark one choice with 'correct: true'")
            ok = False
        elif kind == "single" and right > 1:
            errors.add(where, line, f"{label}: {right} correct choices in a single-choice question: use type 'multiple' or keep one")
            ok = False
        elif kind == "multiple" and right < 2:
            errors.add(where, line, f"{label}: a multiple-answer question needs at least two correct choices: use type 'single'")
            ok = False
        if len(choices) < 3:
            errors.add(where, line, f"{label}: give at least three choices")
            ok = False
    elif kind == "truefalse":
        if "answer" not in raw:
            errors.add(where, line, f"{label}: no correct answer: add 'answer: true' or 'answer: false'")
            return None
        choices = (Choice("Vrai", raw["answer"] is True), Choice("Faux", raw["answer"] is False))
    elif kind == "fill":
        if raw["question"].count(BLANK) != 1:
            errors.add(where, raw.key_lines.get("question", line), f"{label}: a fill-in question needs exactly one blank written {BLANK}")
            ok = False
        if not answers or not all(answers):
            errors.add(where, raw.key_lines.get("answers", line),
                       f"{label}: no correct answer: list the accepted answers in 'answers' (none empty)")
            ok = False
    elif kind == "associer":
        if not pairs:
            errors.add(where, line, f"{label}: a matching question needs 'pairs' (3 to 6 items, each with left and right)")
            return None
        for side in ("left", "right"):
            texts = [getattr(p, side) for p in pairs]
            if len(set(texts)) != len(texts):
                errors.add(where, raw.key_lines.get("pairs", line), f"{label}: two pairs have the same {side} text: each must differ")
                ok = False
        for text in distractors:
            if text in {p.right for p in pairs} or distractors.count(text) > 1:
                errors.add(where, raw.key_lines.get("distractors", line),
                           f"{label}: distractor {text!r} repeats a right-hand item: each option must differ")
                ok = False
    elif kind == "ordonner":
        if not steps:
            errors.add(where, line, f"{label}: an ordering question needs 'steps' (3 to 7, listed in the right order)")
            return None
        if len(set(steps)) != len(steps):
            errors.add(where, raw.key_lines.get("steps", line), f"{label}: two steps have the same text: each must differ")
            ok = False
        if "order_source" not in raw:
            errors.add(where, line, f"{label}: an ordering question needs 'order_source: {{seed, passage}}': "
                                    "the passage of the seed that gives this order")
            ok = False
    rubric: tuple[Criterion, ...] = ()
    if kind == WRITTEN:
        rubric, written_ok = _check_written(raw, where, label, errors, ctx)
        ok = ok and written_ok
    allowed = {"single": {"choices", "shuffle"}, "multiple": {"choices", "shuffle"}, "truefalse": {"answer"},
               "fill": {"answers"}, "associer": {"pairs", "distractors"}, "ordonner": {"steps", "order_source"},
               WRITTEN: {"case", "model_answer", "rubric"}}[kind]
    for key in ("choices", "answer", "answers", "pairs", "distractors", "steps", "order_source", "shuffle",
                "case", "model_answer", "rubric"):
        if key in raw and key not in allowed:
            hint = (": matching options and steps are always shuffled (their written order is the answer)"
                    if key == "shuffle" and kind in ("associer", "ordonner") else "")
            errors.add(where, raw.key_lines.get(key, line), f"{label}: '{key}' does not belong to a question of type {kind}{hint}")
            ok = False
    if not _check_objectives(raw, lesson, where, label, errors, ctx):
        ok = False
    count = len(errors.items)
    absolute = _check_passages(raw, "absolute", where, label, errors, ctx)
    order_source = _check_passages(raw, "order_source", where, label, errors, ctx)
    basis = _check_passages(raw, "basis", where, label, errors, ctx)
    if "angoff" in raw and lesson != FINAL:
        errors.add(where, raw.key_lines.get("angoff", line), f"{label}: 'angoff' belongs to final-assessment items only")
    ok = ok and len(errors.items) == count
    explanation = raw["explanation"].strip()
    leading = len(raw["explanation"]) - len(raw["explanation"].lstrip())
    exp_line = raw.text_lines.get("explanation", line) + raw["explanation"].count("\n", 0, leading)
    if not explanation:
        errors.add(where, exp_line, f"{label}: explanation missing: say why the answer is right")
        ok = False
    elif not _check_links(explanation, where, exp_line, errors, ctx.anchors):
        errors.add(where, exp_line, f"{label}: the explanation must link to the lesson section that teaches it (lesson.md#section)")
        ok = False
    for choice, raw_choice in zip(choices, raw.get("choices", []), strict=False):
        if choice.feedback:
            _check_links(choice.feedback, where, raw_choice.line, errors, ctx.anchors)
    for pair, raw_pair in zip(pairs, raw.get("pairs", []), strict=False):
        if pair.feedback:
            _check_links(pair.feedback, where, raw_pair.line, errors, ctx.anchors)
    if not ok:
        return None
    return Question(id=qid, type=kind, question=raw["question"].strip(), explanation=explanation,
                    source=where, line=line, choices=choices, answers=answers,
                    scenario=bool(raw.get("scenario", False)), level=raw.get("level", ""),
                    objectives=tuple(raw.get("objectives", ())), shuffle=raw.get("shuffle", True) is not False,
                    pairs=pairs, distractors=distractors, steps=steps, absolute=absolute,
                    order_source=order_source[0] if order_source else None, basis=basis,
                    review_level=(raw.get("review") or {}).get("level", ""),
                    review_agree=(raw.get("review") or {}).get("agree"), angoff=raw.get("angoff"),
                    case=raw.get("case", "").strip() if kind == WRITTEN else "",
                    model_answer=raw.get("model_answer", "").strip() if kind == WRITTEN else "", rubric=rubric)


def sentences(text: str) -> int:
    """How many sentences a text has: runs ending with . ! ? or … (a link's or abbreviation's dot is rare here)."""
    plain = LINK.sub("", text)
    return len([part for part in re.split(r"(?<=[.!?…])\s+", plain.strip()) if re.search(r"\w", part)])


def _check_written(raw: _Map, where: str, label: str, errors: _Errors, ctx: _Context) -> tuple[tuple[Criterion, ...], bool]:
    """redaction: a model answer of 3 to 6 sentences and a rubric of 3 to 5 criteria, each grounded in the seeds."""
    line = raw.line
    count = len(errors.items)
    answer = raw.get("model_answer", "").strip()
    if not answer:
        errors.add(where, line, f"{label}: a written-answer question needs 'model_answer': the answer a trainer expects, "
                                f"in {MODEL_SENTENCES[0]} to {MODEL_SENTENCES[1]} sentences")
    elif not MODEL_SENTENCES[0] <= sentences(answer) <= MODEL_SENTENCES[1]:
        errors.add(where, raw.text_lines.get("model_answer", line),
                   f"{label}: model_answer has {sentences(answer)} sentence(s): write {MODEL_SENTENCES[0]} to "
                   f"{MODEL_SENTENCES[1]}, as learners are asked to")
    criteria = raw.get("rubric") or []
    if not RUBRIC_SIZE[0] <= len(criteria) <= RUBRIC_SIZE[1]:
        errors.add(where, raw.key_lines.get("rubric", line),
                   f"{label}: a written-answer question needs a 'rubric' of {RUBRIC_SIZE[0]} to {RUBRIC_SIZE[1]} "
                   f"criteria, each {{id, text, basis: {{seed, passage}}}} (found {len(criteria)})")
    rubric = []
    seen: dict[str, int] = {}
    for criterion in criteria:
        at = getattr(criterion, "line", line)
        if criterion["id"] in seen:
            errors.add(where, at, f"{label}: rubric criterion id {criterion['id']!r} is used twice (first at line "
                                  f"{seen[criterion['id']]}): self-ratings are stored by criterion id, make each unique")
        seen.setdefault(criterion["id"], at)
        basis = _check_passages(criterion, "basis", where, f"{label}: rubric {criterion['id']!r}", errors, ctx)
        rubric.append(Criterion(criterion["id"], criterion["text"].strip(), basis))
    return tuple(rubric), len(errors.items) == count


def _lesson_problem(lesson: str, ctx: _Context) -> str | None:
    """Why a quiz's ``lesson`` is not a page that can hold a quiz, or None."""
    page = DOCS / f"{lesson}.md"
    if not page.is_file():
        return f"docs/{lesson}.md does not exist"
    if lesson == FINAL or lesson in ctx.objectives:
        return None
    meta, _ = split_front_matter(page.read_text(encoding="utf-8"))
    if "objectives" not in meta:
        return (f"docs/{lesson}.md is not a lesson (no 'objectives' in its front matter): a quiz belongs to a lesson "
                f"of the course ({', '.join(ctx.objectives)}) or to {FINAL}")
    return f"docs/{lesson}.md is not in the course: add it to 'nav' in mkdocs.yml"


def load_quiz(path: Path, errors: _Errors, ctx: _Context) -> Quiz | None:
    """Parse one quiz file, recording its errors."""
    where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    loader = _LineLoader(path.read_text(encoding="utf-8"))
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(where, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    finally:
        loader.dispose()
    for line, key, first in loader.duplicates:
        errors.add(where, line, f"key '{key}' written twice in the same block (first at line {first}): "
                                "keep one, or start a new question with '- id:' if this is another question")
    if loader.duplicates:
        return None
    schema_errors = QUIZ_VALIDATOR.errors(data)
    for err in schema_errors:
        field_path = "/".join(map(str, err.absolute_path)) or "(file)"
        message = err.message
        if err.validator == "required" and "explanation" in message:
            message += ": explanation missing, say why the answer is right"
        elif err.validator == "required" and ("'level'" in message or "'objectives'" in message):
            message += f": give its level ({', '.join(LEVELS)}) and the objective ids it assesses"
        elif err.validator in ("minItems", "maxItems") and err.absolute_path and err.absolute_path[-1] in ("pairs", "steps"):
            count = len(err.instance) if isinstance(err.instance, list) else "?"
            message = (f"{count} {err.absolute_path[-1]}: a matching question has 3 to 6 pairs, "
                       "an ordering question 3 to 7 steps")
        errors.add(where, _line_of(data, list(err.absolute_path)), f"{field_path}: {message}")
    if schema_errors:
        return None
    problem = _lesson_problem(data["lesson"], ctx)
    if problem:
        errors.add(where, data.key_lines["lesson"], f"lesson {data['lesson']!r}: {problem}")
    if "form_size" in data and data["lesson"] != FINAL:
        problem = f"'form_size' belongs to the final assessment ({FINAL}.yml) only: remove it"
        errors.add(where, data.key_lines["form_size"], problem)
    questions = [_check_question(raw, where, errors, ctx, data["lesson"]) for raw in data["questions"]]
    if None in questions or problem:
        return None
    return Quiz(lesson=data["lesson"], source=where, questions=tuple(q for q in questions if q),
                pass_mark=data.get("pass_mark"), form_size=data.get("form_size"))


# [render] One validation per build: several hooks ask for the course's own bank; it is read again only when a quiz,
# a page (section anchors, objectives) or a seed (passages) changed.
_loaded: dict[str, Any] = {}


def _bank_signature() -> tuple[tuple[str, int], ...]:
    paths = [ROOT / "mkdocs.yml", *QUIZZES.glob("*.yml"), *DOCS.rglob("*.md"), *seed_files().values()]
    return tuple(sorted((str(path), path.stat().st_mtime_ns) for path in paths if path.is_file()))


def load_bank(directory: Path = QUIZZES, complete: bool | None = None) -> dict[str, Quiz]:
    """Every quiz by the page it belongs to; raise QuizError listing every problem (the course's own bank: once)."""
    if directory != QUIZZES or complete is not None:
        return _load_bank(directory, complete)
    signature = _bank_signature()
    if _loaded.get("signature") != signature:
        _loaded["bank"] = _load_bank(directory, complete)
        _loaded["signature"] = signature
    return dict(_loaded["bank"])
# [/render]


def _load_bank(directory: Path = QUIZZES, complete: bool | None = None) -> dict[str, Quiz]:
    """Every quiz by the page it belongs to; raise QuizError listing every problem.

    ``complete`` (default: when reading the course's own ``quizzes/``) also requires a quiz for every
    lesson in ``nav``.
    """
    errors = _Errors()
    ctx = _Context.build()
    quizzes: dict[str, Quiz] = {}
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        quiz = load_quiz(path, errors, ctx)
        if quiz is None:
            continue
        if path.stem != quiz.lesson and quiz.lesson in quizzes:
            errors.add(quiz.source, 1, f"a second quiz for {quiz.lesson!r}: one file per page")
        for q in quiz.questions:
            if q.id in seen:
                errors.add(q.source, q.line, f"duplicate id {q.id!r} (first used at {seen[q.id]}): ids are unique across the course")
            seen[q.id] = f"{q.source}:{q.line}"
        quizzes[quiz.lesson] = quiz
    if complete is None:
        complete = directory.resolve() == QUIZZES.resolve()
    if complete:
        present = {path.stem for path in directory.glob("*.yml")}
        where = str(directory.relative_to(ROOT)) if directory.is_relative_to(ROOT) else str(directory)
        for slug in ctx.objectives:
            if slug not in present and slug not in quizzes:
                errors.add(f"docs/{slug}.md", 1, f"lesson {slug!r} is in nav but has no quiz: write {where}/{slug}.yml")
    if errors.items:
        raise QuizError("invalid quiz source:\n" + "\n".join(errors.items))
    return quizzes


def to_quiz_markdown(question: Question) -> str:
    """The mkdocs-quiz ``<quiz>`` block for one question, choices in their shown order.

    mkdocs-quiz knows single, multiple, true/false and fill-in questions only: matching and ordering
    questions are rendered by the build's own hook.
    """
    if question.type not in ("single", "multiple", "truefalse", "fill"):
        raise ValueError(f"{question.source}:{question.line}: question {question.id!r}: a {question.type} question "
                         "has no mkdocs-quiz form")
    if question.type == "fill":
        body = question.question.replace(BLANK, f"[[{question.answers[0]}]]")
        return f"<quiz>\n{body}\n\n---\n{question.explanation}\n</quiz>"
    lines = [question.question]
    for choice in question.display_choices():
        lines.append(f"- [{'x' if choice.correct else ' '}] {choice.text}")
        if choice.feedback:
            lines.extend(f"    > {part}" for part in choice.feedback.splitlines())
    return "<quiz>\n" + "\n".join(lines) + f"\n\n{question.explanation}\n</quiz>"
