"""Apply French typography to Markdown and YAML sources, in place and idempotently.

No-break space before : ; ? ! and inside « », typographic apostrophe between letters.
Fenced code and inline code are left alone.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NBSP = "\u00a0"
SOURCES = (".md", ".yml", ".yaml")
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`[^`]*`)")
RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[ \t]+([:;?!])(?=\s|$)"), NBSP + r"\1"),  # plain space before high punctuation
    (re.compile(r"[ \t]+»"), NBSP + "»"),
    (re.compile(r"(?<=[^\s(\[!?])([;?!])(?=\s|$)"), "\u202f" + r"\1"),  # glued ; ? !
    (re.compile(r"«[ \t]*(?=\S)"), "«" + NBSP),
    (re.compile(r"(?<=\S)»"), NBSP + "»"),
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
]


def fix_text(text: str) -> str:
    """Return ``text`` with French typography applied outside code."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        parts = INLINE_CODE.split(line)
        for i in range(0, len(parts), 2):  # even parts are outside inline code
            for pattern, repl in RULES:
                parts[i] = pattern.sub(repl, parts[i])
        out.append("".join(parts))
    return "\n".join(out)


def main(paths: list[str]) -> int:
    """Rewrite each file given on the command line."""
    for name in paths:
        path = Path(name)
        if path.suffix not in SOURCES:  # an SVG's or a page's CSS and markup would be broken by these rules
            print(f"{path}: skipped (only Markdown and YAML sources: {', '.join(SOURCES)})", file=sys.stderr)
            continue
        before = path.read_text(encoding="utf-8")
        after = fix_text(before)
        if after != before:
            path.write_text(after, encoding="utf-8")
            print(f"fixed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
