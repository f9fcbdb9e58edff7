"""Layer 1: the closed JSON schemas (front matter, quiz files) checked fast, and explained in full when broken.

jsonschema-rs (compiled) says at once whether data is valid: a build checks every page and quiz file, nearly always
valid. Only data it refuses goes through jsonschema, whose errors carry the keyword, the path and the schema that
name the line and say what to fix (``course._fix_hint``, ``quizbank.load_quiz``). Both implement Draft 2020-12;
``tests/test_schema.py`` checks that they agree on every page and quiz file and on broken copies of them.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    import jsonschema


class Schema:
    """One closed schema, compiled once per process."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._fast = jsonschema_rs.Draft202012Validator(schema)
        self._full: jsonschema.Draft202012Validator | None = None

    def valid(self, data: Any) -> bool:
        """Whether jsonschema-rs finds ``data`` valid (a value it cannot read, such as a date, is not)."""
        try:
            return bool(self._fast.is_valid(data))
        except (ValueError, TypeError):
            return False

    def errors(self, data: Any) -> list[jsonschema.ValidationError]:
        """Every error of ``data``, as jsonschema reports them; none when it is valid."""
        if self.valid(data):
            return []
        import jsonschema  # only refused data needs jsonschema's detailed errors (and its import time)

        if self._full is None:
            self._full = jsonschema.Draft202012Validator(self.schema)
        found = list(self._full.iter_errors(data))
        if found:
            return found
        # the two validators disagree: report what jsonschema-rs refused rather than let the data through
        try:
            refused = [jsonschema.ValidationError(error.message, validator="jsonschema-rs",
                                                  path=deque(error.instance_path), instance=error.instance, schema={})
                       for error in self._fast.iter_errors(data)]
        except (ValueError, TypeError):  # a value JSON has no type for (a date…)
            refused = []
        return refused or [jsonschema.ValidationError("a value JSON has no type for: write it as text",
                                                      validator="jsonschema-rs", schema={})]
