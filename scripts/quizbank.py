"""Layer 2: parse and validate ``quizzes/*.yml`` into typed questions with stable ids.

Every error names ``file:line`` and says what to fix; all errors of a file are reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from pymdownx.slugs import slugify

from scripts.course import DOCS, ROOT, SLUG, split_front_matter

QUIZZES = ROOT / "quizzes"
BLANK = "____"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]*)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}")
FENCE = re.compile(r"^\s*(```|~~~)")
GENERATED_ANCHORS = {"quiz", "auto-evaluation"}
_slug = slugify(case="lower", normalize="NFD")

CHOICE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "text": {"type": "string"},
        "correct": {"type": "boolean"},
        "feedback": {"type": "string", "minLength": 1},
    },
}
QUESTION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "type", "question", "explanation"],
    "properties": {
        "id": {"type": "string", "pattern": SLUG},
        "type": {"enum": ["single", "multiple", "truefalse", "fill"]},
        "scenario": {"type": "boolean"},
        "question": {"type": "string", "minLength": 5},
        "choices": {"type": "array", "items": CHOICE},
        "answer": {"type": "boolean"},
        "answers": {"type": "array", "items": {"type": "string"}},
        "explanation": {"type": "string"},
    },
}
QUIZ_FILE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["lesson", "questions"],
    "properties": {
        "lesson": {"type": "string", "pattern": SLUG},
        "pass_mark": {"type": "integer", "minimum": 1, "maximum": 100},
        "questions": {"type": "array", "minItems": 1, "items": QUESTION},
    },
}


class QuizError(ValueError):
    """One or more problems in the question bank, each located as file:line."""


class _Map(dict[str, Any]):
    """A YAML mapping that remembers its own line and each key's line."""

    line: int = 0
    key_lines: dict[str, int]
    text_lines: dict[str, int]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader whose mappings carry their source lines."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    result = _Map(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    # first line of each scalar's text: a block scalar (| or >) starts on the line after its key
    result.text_lines = {k.value: v.start_mark.line + (2 if getattr(v, "style", None) in ("|", ">") else 1)
                         for k, v in node.value if hasattr(k, "value")}
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


@dataclass(frozen=True)
class Choice:
    """One proposed answer."""

    text: str
    correct: bool = False
    feedback: str = ""


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

    @property
    def correct_texts(self) -> list[str]:
        """Texts of the correct choices, or accepted answers for a fill-in."""
        return [c.text for c in self.choices if c.correct] if self.choices else list(self.answers)


@dataclass(frozen=True)
class Quiz:
    """The questions inserted into one page."""

    lesson: str
    source: str
    questions: tuple[Question, ...]
    pass_mark: int | None = None


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


def _check_question(raw: _Map, where: str, errors: _Errors, anchors: dict[str, set[str]]) -> Question | None:
    """Semantic checks that the schema cannot express; return the typed question."""
    line = raw.line
    qid = raw["id"]
    label = f"question {qid!r}"
    kind = raw["type"]
    choices = tuple(Choice(c["text"].strip(), bool(c.get("correct")), c.get("feedback", "").strip())
                    for c in raw.get("choices", []))
    answers = tuple(a.strip() for a in raw.get("answers", []))
    ok = True
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
    for key in ("choices", "answer", "answers"):
        allowed = {"single": {"choices"}, "multiple": {"choices"}, "truefalse": {"answer"}, "fill": {"answers"}}[kind]
        if key in raw and key not in allowed:
            errors.add(where, raw.key_lines.get(key, line), f"{label}: '{key}' does not belong to a {kind} question")
            ok = False
    explanation = raw["explanation"].strip()
    leading = len(raw["explanation"]) - len(raw["explanation"].lstrip())
    exp_line = raw.text_lines.get("explanation", line) + raw["explanation"].count("\n", 0, leading)
    if not explanation:
        errors.add(where, exp_line, f"{label}: explanation missing: say why the answer is right")
        ok = False
    elif not _check_links(explanation, where, exp_line, errors, anchors):
        errors.add(where, exp_line, f"{label}: the explanation must link to the lesson section that teaches it (lesson.md#section)")
        ok = False
    for choice, raw_choice in zip(choices, raw.get("choices", []), strict=False):
        if choice.feedback:
            _check_links(choice.feedback, where, raw_choice.line, errors, anchors)
    if not ok:
        return None
    return Question(id=qid, type=kind, question=raw["question"].strip(), explanation=explanation,
                    source=where, line=line, choices=choices, answers=answers,
                    scenario=bool(raw.get("scenario", False)))


def load_quiz(path: Path, errors: _Errors, anchors: dict[str, set[str]]) -> Quiz | None:
    """Parse one quiz file, recording its errors."""
    where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(where, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    schema_errors = list(jsonschema.Draft202012Validator(QUIZ_FILE).iter_errors(data))
    for err in schema_errors:
        field_path = "/".join(map(str, err.absolute_path)) or "(file)"
        message = err.message
        if err.validator == "required" and "explanation" in message:
            message += ": explanation missing, say why the answer is right"
        errors.add(where, _line_of(data, list(err.absolute_path)), f"{field_path}: {message}")
    if schema_errors:
        return None
    page = DOCS / f"{data['lesson']}.md"
    if not page.is_file():
        errors.add(where, data.key_lines["lesson"], f"lesson {data['lesson']!r}: docs/{data['lesson']}.md does not exist")
    questions = [_check_question(raw, where, errors, anchors) for raw in data["questions"]]
    if None in questions:
        return None
    return Quiz(lesson=data["lesson"], source=where, questions=tuple(q for q in questions if q),
                pass_mark=data.get("pass_mark"))


def load_bank(directory: Path = QUIZZES) -> dict[str, Quiz]:
    """Every quiz by the page it belongs to; raise QuizError listing every problem."""
    errors = _Errors()
    anchors: dict[str, set[str]] = {}
    quizzes: dict[str, Quiz] = {}
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        quiz = load_quiz(path, errors, anchors)
        if quiz is None:
            continue
        if path.stem != quiz.lesson and quiz.lesson in quizzes:
            errors.add(quiz.source, 1, f"a second quiz for {quiz.lesson!r}: one file per page")
        for q in quiz.questions:
            if q.id in seen:
                errors.add(q.source, q.line, f"duplicate id {q.id!r} (first used at {seen[q.id]}): ids are unique across the course")
            seen[q.id] = f"{q.source}:{q.line}"
        quizzes[quiz.lesson] = quiz
    if errors.items:
        raise QuizError("invalid quiz source:\n" + "\n".join(errors.items))
    return quizzes


def to_quiz_markdown(question: Question) -> str:
    """The mkdocs-quiz ``<quiz>`` block for one question."""
    if question.type == "fill":
        body = question.question.replace(BLANK, f"[[{question.answers[0]}]]")
        return f"<quiz>\n{body}\n\n---\n{question.explanation}\n</quiz>"
    lines = [question.question]
    for choice in question.choices:
        lines.append(f"- [{'x' if choice.correct else ' '}] {choice.text}")
        if choice.feedback:
            lines.extend(f"    > {part}" for part in choice.feedback.splitlines())
    return "<quiz>\n" + "\n".join(lines) + f"\n\n{question.explanation}\n</quiz>"
