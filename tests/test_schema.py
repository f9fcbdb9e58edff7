"""The fast schema check (jsonschema-rs) and the one that explains errors (jsonschema) agree on the course's data."""

from __future__ import annotations

import copy
import datetime
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scripts.model import course, quizbank
from scripts.model.schema import Schema

ROOT = Path(__file__).resolve().parent.parent
BROKEN_VALUES: tuple[Any, ...] = (None, 42, "", [], {}, "Pas Un Slug !", -1, True, ["x"], {"zz": 1}, 1.5,
                                  datetime.date(2026, 12, 7))


def _quiz_files() -> list[Any]:
    """Every quiz file as the bank reads it (YAML mappings and lists that remember their lines)."""
    out = []
    for path in sorted(quizbank.QUIZZES.glob("*.yml")):
        loader = quizbank._LineLoader(path.read_text(encoding="utf-8"))
        try:
            out.append(loader.get_single_data())
        finally:
            loader.dispose()
    return out


def _front_matters() -> list[dict[str, Any]]:
    """Every page's front matter (the snippets under docs/includes/ have none)."""
    metas = [course.split_front_matter(path.read_text(encoding="utf-8"))[0] for path in sorted(course.DOCS.rglob("*.md"))
             if "includes" not in path.relative_to(course.DOCS).parts]
    assert all(metas)
    return metas


def _places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value inside ``data`` (mapping keys and list indexes)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key)
            yield from _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*path, index)
            yield from _places(value, (*path, index))


def _broken(data: Any, count: int, seed: int) -> Iterator[Any]:
    """``count`` copies of ``data``, each with one value replaced or removed, or one unknown key added."""
    rand = random.Random(seed)
    places = list(_places(data))
    for _ in range(count):
        copied = copy.deepcopy(data)
        *parent_path, last = rand.choice(places)
        parent = copied
        for step in parent_path:
            parent = parent[step]
        action = rand.randrange(3)
        if action == 0 and isinstance(parent, dict):
            del parent[last]
        elif action == 1 and isinstance(parent, dict):
            parent["cle_inconnue"] = "x"
        else:
            parent[last] = rand.choice(BROKEN_VALUES)
        yield copied


def _agree(schema: Schema, data: Any) -> bool:
    """Whether jsonschema-rs and jsonschema give the same verdict on ``data``."""
    return schema.valid(data) == jsonschema.Draft202012Validator(schema.schema).is_valid(data)


def test_quiz_files_same_verdict_valid_and_broken() -> None:
    """Every quiz file is valid for both validators, and so is no broken copy of it for either (same verdict)."""
    files = _quiz_files()
    assert len(files) >= 8
    refused = 0
    for index, data in enumerate(files):
        assert quizbank.QUIZ_VALIDATOR.valid(data) and quizbank.QUIZ_VALIDATOR.errors(data) == []
        for broken in _broken(data, 60, seed=index):
            assert _agree(quizbank.QUIZ_VALIDATOR, broken), broken
            refused += not quizbank.QUIZ_VALIDATOR.valid(broken)
    assert refused > 200  # the broken copies do exercise the refusals


def test_front_matter_same_verdict_valid_and_broken() -> None:
    """Every page's front matter passes both validators; broken copies get the same verdict from both."""
    refused = 0
    for index, meta in enumerate(_front_matters()):
        schema = course.LESSON_VALIDATOR if course.is_lesson(meta) else course.PAGE_VALIDATOR
        assert schema.errors(meta) == [], meta.get("title")
        for broken in _broken(meta, 30, seed=index):
            assert _agree(schema, broken), broken
            refused += not schema.valid(broken)
    assert refused > 200


def test_refused_data_gets_jsonschema_errors_with_path() -> None:
    """Data the fast check refuses is explained by jsonschema: keyword and path, as the error messages need them."""
    meta = {"title": "Un titre", "description": "Une description assez longue.", "inconnue": 1}
    errors = course.PAGE_VALIDATOR.errors(meta)
    assert [e.validator for e in errors] == ["additionalProperties"]
    with pytest.raises(ValueError, match="inconnue"):
        course.check_front_matter(meta, "docs/inexistant.md")


def test_disagreement_and_foreign_values_are_reported_not_passed() -> None:
    """A value with no JSON type (a date) where text is due is refused; so is data only jsonschema-rs refuses."""
    schema = Schema({"type": "object", "properties": {"when": {"type": "string"}}})
    dated = {"when": datetime.date(2026, 12, 7)}
    assert not schema.valid(dated)
    assert [e.validator for e in schema.errors(dated)] == ["type"]

    class Refusing:
        """A fast validator that refuses everything, as a disagreeing one would."""

        def is_valid(self, data: Any) -> bool:
            return False

        def iter_errors(self, data: Any) -> Iterator[Any]:
            return iter(())

    lenient = Schema({"type": "object"})
    lenient._fast = Refusing()  # type: ignore[assignment]
    assert [e.validator for e in lenient.errors({})] == ["jsonschema-rs"]
