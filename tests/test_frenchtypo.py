"""French typography in the text the browser scripts, the theme templates and the Python builders show.

The lessons and the question bank are checked in test_typography.py. Here the same rules apply to the string
literals of docs/assets/javascripts/*.js (not vendor/), of the inline scripts of overrides/*.html, to the text
of those templates, and to the string constants of scripts/build/*.py and scripts/outputs/*.py: a no-break space
(U+00A0 or U+202F) before « : ; ! ? » and inside « ». A small tokenizer finds the literals (it skips comments and
regular expressions), so a message built by concatenation, such as ``"« " + name + " »"``, is checked piece by piece.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS_DIR = ROOT / "docs" / "assets" / "javascripts"
OVERRIDES = ROOT / "overrides"
SCORM = ROOT / "scripts" / "outputs" / "scorm"  # the SCORM package's runtime and launcher, shown in the LMS
PY_DIRS = (ROOT / "scripts" / "build", ROOT / "scripts" / "outputs")
NOBREAK = "\u00a0\u202f"


@dataclass(frozen=True)
class Literal:
    """One string literal (or one text piece of a template literal) of a source file."""

    line: int
    start: int  # offset of the opening quote in the source text
    end: int  # offset just after the closing quote
    raw: str  # the literal as written, quotes included
    value: str  # what it means, escapes decoded


# ---------------------------------------------------------------------------------------------------------------
# JavaScript literals

JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
# After one of these, a slash starts a regular expression; after a name, a number, ) or ], it divides.
REGEX_AFTER_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof"}


def _js_unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code in ("\n", "\r\n", "\r"):
            return ""  # line continuation
        return JS_ESCAPES.get(code, code)

    return JS_ESCAPE.sub(one, body)


def js_scan(source: str) -> tuple[list[Literal], str]:
    """Every string literal of ``source`` and every text piece of its template literals; and the code left.

    Comments and regular expressions are skipped. A slash starts a regular expression unless it follows a name,
    a number, a literal, ``)`` or ``]`` (a keyword such as ``return`` excepted): good enough for hand-written
    scripts. The code left is ``source`` with its literals, comments and regular expressions blanked out.
    """
    found: list[Literal] = []
    blanked: list[tuple[int, int]] = []
    i, n = 0, len(source)
    last = ""  # the last significant token: "word", "value" or the punctuation character
    braces: list[str] = []  # "{" for a block or object, "${" for a template substitution

    def line_of(offset: int) -> int:
        return source.count("\n", 0, offset) + 1

    def add(start: int, end: int, body_start: int, body_end: int) -> None:
        raw = source[start:end]
        blanked.append((start, end))
        found.append(Literal(line_of(start), start, end, raw, _js_unescape(source[body_start:body_end])))

    def template(start: int) -> int:
        """Read a template literal's text from ``start`` (just after ` or }); return where code resumes."""
        j = start
        while j < n:
            c = source[j]
            if c == "\\":
                j += 2
            elif c == "`":
                add(start - 1, j + 1, start, j)
                return j + 1
            elif source.startswith("${", j):
                add(start - 1, j + 2, start, j)
                braces.append("${")
                return j + 2
            else:
                j += 1
        raise ValueError(f"unterminated template literal at line {line_of(start)}")

    while i < n:
        c = source[i]
        if c.isspace():
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            blanked.append((i, end))
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                raise ValueError(f"unterminated comment at line {line_of(i)}")
            blanked.append((i, end + 2))
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and source[j] != c:
                if source[j] == "\n":
                    raise ValueError(f"unterminated string at line {line_of(i)}")
                j += 2 if source[j] == "\\" else 1
            add(i, j + 1, i + 1, j)
            i, last = j + 1, "value"
        elif c == "`":
            i, last = template(i + 1), "value"
        elif c == "/" and (last not in ("word", "value", ")", "]") or last in REGEX_AFTER_WORDS):
            j, in_class = i + 1, False
            while j < n and (in_class or source[j] != "/"):
                if source[j] == "\n":
                    raise ValueError(f"unterminated regular expression at line {line_of(i)}")
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            j += 1
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1  # flags
            blanked.append((i, j))
            i, last = j, "value"
        elif c.isalnum() or c in "_$":
            j = i
            while j < n and (source[j].isalnum() or source[j] in "_$"):
                j += 1
            word = source[i:j]
            last = word if word in REGEX_AFTER_WORDS else "word"
            i = j
        elif c == "{":
            braces.append("{")
            i, last = i + 1, c
        elif c == "}":
            if braces and braces.pop() == "${":
                i, last = template(i + 1), "value"
            else:
                i, last = i + 1, c
        else:
            i, last = i + 1, c
    code = list(source)
    for start, end in blanked:
        code[start:end] = " " * (end - start)
    return found, "".join(code)


def js_literals(source: str) -> list[Literal]:
    """Every string literal of ``source`` and every text piece of its template literals (see ``js_scan``)."""
    return js_scan(source)[0]


# ---------------------------------------------------------------------------------------------------------------
# Templates (overrides/*.html) and Python builders

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)</script>", re.S | re.I)
STYLE = re.compile(r"<style\b[^>]*>.*?</style>|<!--.*?-->", re.S | re.I)  # style sheets and HTML comments
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
ATTRIBUTE = re.compile(r"""\b(?:aria-label|title|alt|placeholder|content|aria-description)\s*=\s*"([^"]*)\"""")


def _blank(match: re.Match[str]) -> str:
    """The match replaced by spaces, new lines kept: offsets and line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def template_literals(source: str) -> list[Literal]:
    """The JavaScript literals of a template's inline scripts, then its visible text and named attributes."""
    source = JINJA_COMMENT.sub(_blank, source)
    found: list[Literal] = []
    for script in SCRIPT.finditer(source):
        body = script.start(2)
        for lit in js_literals(JINJA.sub(_blank, script.group(2))):
            start = body + lit.start
            found.append(Literal(source.count("\n", 0, start) + 1, start, body + lit.end, lit.raw, lit.value))
    markup = JINJA.sub(_blank, STYLE.sub(_blank, SCRIPT.sub(_blank, source)))
    for attribute in ATTRIBUTE.finditer(markup):
        start = attribute.start(1)
        found.append(Literal(markup.count("\n", 0, start) + 1, start, attribute.end(1), attribute.group(1),
                             html.unescape(attribute.group(1))))
    for text in re.finditer(r">([^<>]+)<", markup):
        if text.group(1).strip():
            start = text.start(1)
            found.append(Literal(markup.count("\n", 0, start) + 1, start, text.end(1), text.group(1).strip(),
                                 html.unescape(text.group(1))))
    return found


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


NOBREAK_NAMES = {"NBSP", "NNBSP"}  # module constants holding a no-break space
HOLE = "\ufffc"  # stands for an f-string's substitution: neither a letter nor a space


def _python_value(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    parts = []
    for part in node.values if isinstance(node, ast.JoinedStr) else []:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            parts.append(part.value)
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name) and part.value.id in NOBREAK_NAMES:
            parts.append("\u00a0")
        else:
            parts.append(HOLE)
    return "".join(parts)


def python_literals(source: str) -> list[Literal]:
    """Every string constant and f-string of a Python module, docstrings left out.

    An f-string is read whole, its substitutions as a placeholder (``{NBSP}`` as the no-break space it is);
    the strings inside a substitution are read on their own.
    """
    tree = ast.parse(source)
    skip = _docstring_nodes(tree)
    inside = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in inside:
            continue
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            raw = ast.get_source_segment(source, node) or ""
            found.append(Literal(node.lineno, 0, 0, raw, _python_value(node)))
    return found


# ---------------------------------------------------------------------------------------------------------------
# The rules

LETTER = r"[^\W\d_]"
WORD = re.compile(r"[^\W\d_]+")
ELISION = re.compile(r"(?<![^\W\d_])(?:[cdjlmnst]|qu)[’'](?=[^\W\d_])", re.I)  # l’, d’, qu’…
FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "de", "un", "une", "et", "est", "vous", "votre", "vos", "pour", "dans",
    "sur", "avec", "pas", "ne", "ce", "cette", "ces", "en", "au", "aux", "à", "ou", "sont", "qui", "que",
    "il", "elle", "son", "sa", "ses", "leur", "plus", "sans", "par", "se", "nous", "été", "être",
}
ENGLISH_WORDS = {
    "the", "is", "are", "not", "of", "to", "and", "an", "no", "with", "from", "for", "be", "it", "its", "this",
    "that", "does", "has", "have", "must", "missing", "expected", "each", "only", "failed", "default", "unknown",
    "bad", "which", "into", "see", "empty", "without", "give", "use", "set",
}


def language(value: str) -> str:
    """« fr », « en » or « ? » (no word either way), by counting common words."""
    words = [w.lower() for w in WORD.findall(value)]
    fr = sum(w in FRENCH_WORDS for w in words) + len(ELISION.findall(value))
    en = sum(w in ENGLISH_WORDS for w in words)
    return "fr" if fr > en else "en" if en > fr else "?"


RULES: list[tuple[str, re.Pattern[str], bool]] = [
    # (what is wrong, where, only in a literal that is clearly French)
    ("plain space before « : ; ! ? »", re.compile(r"[ \t\n][:;!?](?=[\s).,»]|$)"), False),
    ("plain space or none after «", re.compile(rf"«(?![{NOBREAK}])"), False),
    ("plain space or none before »", re.compile(rf"(?<![{NOBREAK}])»"), False),
    ("no space before « ; ! ? »", re.compile(rf"(?:{LETTER}|[»)])[;!?](?=\s|$)"), True),
    ("no space before « : »", re.compile(rf"(?:{LETTER}|[»)]):(?=\s|$)"), True),
    # « 70 % »: a number and its percent sign stay on one line (a literal may start where the number was added)
    ("plain space before « % »", re.compile(r"(?:^|\d)[ \t]%(?=[\s),.;—]|$)"), False),
]


def offences(value: str) -> list[str]:
    """What is wrong with the French typography of one literal's text (nothing for English text)."""
    lang = language(value)
    if lang == "en":
        return []  # developers' messages: build errors, command-line help
    return [what for what, pattern, french_only in RULES if (lang == "fr" or not french_only) and pattern.search(value)]


def _sources() -> list[tuple[Path, list[Literal]]]:
    found = []
    for path in [*sorted(JS_DIR.glob("*.js")), *sorted(SCORM.glob("*.js"))]:
        found.append((path, js_literals(path.read_text(encoding="utf-8"))))
    for path in [*sorted(OVERRIDES.rglob("*.html")), *sorted(SCORM.glob("*.html"))]:
        found.append((path, template_literals(path.read_text(encoding="utf-8"))))
    for folder in PY_DIRS:
        for path in sorted(folder.glob("*.py")):
            found.append((path, python_literals(path.read_text(encoding="utf-8"))))
    return found


_README_TYPESET = "the offline zip's LISEZMOI.txt: bundle._french() puts the no-break spaces in (test_offline checks the file)"
# Literals the rules take for French text but that are not shown as written, each with its reason:
# (file, the literal as written or its beginning) -> why.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("scripts/outputs/bundle.py", '"""Partenariat — module de formation en ligne'): _README_TYPESET,
    ("scripts/outputs/bundle.py", '"Cette édition est destinée aux apprenants'): _README_TYPESET,
    ("scripts/outputs/bundle.py", '"Cette édition contient l’espace « Formateurs »'): _README_TYPESET,
    **{("scripts/outputs/bundle.py", mark): "what bundle._french() replaces"
       for mark in ('" :"', '" ;"', '" ?"', '" !"', '" »"', '"« "', '"«"')},
}


def report(path: Path, literals: list[Literal]) -> list[str]:
    """One line per offending literal: file:line, what is wrong, the literal as written."""
    name = str(path.relative_to(ROOT))
    out = []
    for lit in literals:
        wrong = offences(lit.value)
        if wrong and not any(where == name and lit.raw.startswith(raw) for where, raw in EXCEPTIONS):
            out.append(f"{name}:{lit.line}: {', '.join(wrong)}: {lit.raw[:120]}")
    return out


SOURCES = _sources()


@pytest.mark.parametrize(("path", "literals"), SOURCES, ids=[str(p.relative_to(ROOT)) for p, _ in SOURCES])
def test_french_typography_in_code(path: Path, literals: list[Literal]) -> None:
    """Every literal that is French text has a no-break space before « : ; ! ? » and inside « »."""
    assert not report(path, literals)


def test_every_exception_is_still_needed() -> None:
    """Each exception matches a literal that the rules would flag: none is left behind once its code is gone."""
    flagged = {(str(path.relative_to(ROOT)), lit.raw) for path, literals in SOURCES for lit in literals if offences(lit.value)}
    unused = [key for key in EXCEPTIONS if not any(name == key[0] and raw.startswith(key[1]) for name, raw in flagged)]
    assert not unused


def test_tokenizer_reads_every_quote_of_the_scripts() -> None:
    """Once literals, comments and regular expressions are blanked out, no quote is left in the scripts' code.

    A quote left over would mean the tokenizer lost track (a regular expression read as a division, or the
    reverse) and checked code as text, or text as code.
    """
    scripts = [path.read_text(encoding="utf-8") for path in [*sorted(JS_DIR.glob("*.js")), *sorted(SCORM.glob("*.js"))]]
    for path in [*sorted(OVERRIDES.rglob("*.html")), *sorted(SCORM.glob("*.html"))]:
        source = JINJA_COMMENT.sub(_blank, path.read_text(encoding="utf-8"))
        scripts += [JINJA.sub(_blank, script.group(2)) for script in SCRIPT.finditer(source)]
    assert len(scripts) > 20
    for source in scripts:
        literals, code = js_scan(source)
        left = [line.strip() for line in code.splitlines() if re.search("[\"'`«»]", line)]
        assert not left, left[:5]


SAMPLE_JS = r"""
// « Commentaire » : ignoré, comme "ce texte ? là"
var re = /["'] : « /g, ratio = a / b / c;  /* « ni ceci » ; */
var ok = a ? "Juste." : "Faux";
var name = "« " + quoted + " »";
var label = "Déjà répondu : " + (first ? "juste" : "faux");
var good = "Déjà répondu : « " + x + " »";
var text = `Score : ${n > 1 ? "points" : "point"} sur ${total}`;
var code = ["http://localhost:8000", "a:hover", "[data-x]", "k:" + id, "HH:mm", "x ? y : z"];
if (!/^\d+$/.test(value)) throw new Error("bad bucket name: " + value);
"""


def test_tokenizer_finds_literals_not_comments_nor_regexes() -> None:
    """Strings, template pieces and escapes are read; comments and regular expressions are not literals."""
    values = [lit.value for lit in js_literals(SAMPLE_JS)]
    assert "« " in values and " »" in values and "Juste." in values and "Faux" in values
    assert "Score : " in values and "points" in values and " sur " in values and "" in values  # template pieces
    assert "Déjà répondu\u00a0: «\u00a0" in values  # the escape is decoded
    assert not [v for v in values if "Commentaire" in v or "ni ceci" in v or "ce texte" in v or v.startswith("[\"'")]
    lines = {lit.value: lit.line for lit in js_literals(SAMPLE_JS)}
    assert lines["« "] == 5 and lines["Score : "] == 8


def test_rules_flag_the_known_offenders_and_nothing_else() -> None:
    """The concatenated « » pieces, a plain space before « : » or « ? » are flagged; code, URLs and English are not."""
    flagged = {lit.value for lit in js_literals(SAMPLE_JS) if offences(lit.value)}
    assert flagged == {"« ", " »", "Déjà répondu : ", "Score : ", "x ? y : z"}
    assert offences("Code refusé : ce code est illisible (mal recopié ?).") == ["plain space before « : ; ! ? »"]
    assert offences("Vous avez fini! Bravo") and not offences("Vous avez fini\u00a0! Bravo")
    assert offences("la réponse est correcte: bravo") and not offences("display: none; color: red")
    assert not offences("the passage « x » is not a term of the list: fix it")  # a developer's message in English


def test_python_f_strings_read_whole() -> None:
    """An f-string is checked whole: « {NBSP}{title}{NBSP} » passes, « {title} » does not; docstrings are skipped."""
    source = 'NBSP = "\u00a0"\ndef f(title):\n    """Le titre « x » : docstring."""\n' \
             '    return [f"«{NBSP}{title}{NBSP}»", f"module « {title} »", "Sans correspondance : " + title]\n'
    literals = python_literals(source)
    assert [lit.line for lit in literals if offences(lit.value)] == [4, 4]
    assert {lit.raw for lit in literals if offences(lit.value)} == {'f"module « {title} »"', '"Sans correspondance : "'}


def test_template_text_and_inline_scripts_are_read() -> None:
    """A template's text, its named attributes and its inline scripts are checked; Jinja comments are not."""
    source = ('{#- « commentaire » : ignoré -#}\n<p title="Aide : ici">Accessibilité&nbsp;: {{ level }}</p>\n'
              '<script>var a = "Copier : " + b;</script>\n<h1>Page « introuvable »</h1>')
    flagged = sorted((lit.line, lit.value.strip()) for lit in template_literals(source) if offences(lit.value))
    assert flagged == [(2, "Aide : ici"), (3, "Copier :"), (4, "Page « introuvable »")]
