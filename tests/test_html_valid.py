"""HTML gate: the Nu HTML Checker (vnu.jar, from npm) finds no error in the built site, bar an explained allow-list."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ALLOWLIST = Path(__file__).with_name("vnu-allowlist.txt")

pytestmark = [pytest.mark.vnu,
              pytest.mark.skipif(shutil.which("java") is None or not VNU.is_file(),
                                 reason="needs Java and node_modules/vnu-jar (make test installs both)")]


def allowlist() -> list[tuple[re.Pattern[str], str]]:
    """The accepted errors: (pattern of the message, upstream cause), from tests/vnu-allowlist.txt."""
    entries = []
    for number, line in enumerate(ALLOWLIST.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        pattern, _, cause = line.partition(" # ")
        assert pattern.strip() and cause.strip(), f"vnu-allowlist.txt:{number}: write `regex # upstream cause`"
        entries.append((re.compile(pattern.strip()), cause.strip()))
    return entries


def vnu(target: Path) -> list[dict[str, Any]]:
    """The checker's errors for a folder or a file (JSON messages: url, lastLine, message, extract)."""
    proc = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--skip-non-html", str(target)],
                          capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def quoted(message: dict[str, Any]) -> str:
    """`message [extract]` on one line: what the allow-list's patterns are searched in."""
    return f"{message['message']} [{' '.join(message.get('extract', '').split())}]"


def describe(message: dict[str, Any], root: Path) -> str:
    """One line for a report: file:line: message [extract]."""
    where = message.get("url", "").removeprefix("file:").removeprefix(str(root)).lstrip("/")
    return f"{where}:{message.get('lastLine', '?')}: {quoted(message)[:400]}"


@pytest.fixture(scope="module")
def site_errors(site: Path) -> list[dict[str, Any]]:
    """Every error the checker finds in the built site (one run for the module)."""
    return vnu(site)


def test_site_is_valid_html(site: Path, site_errors: list[dict[str, Any]]) -> None:
    """No error in any built page except those the allow-list explains; stale entries are reported."""
    entries = allowlist()
    used: set[str] = set()
    unexpected = []
    for message in site_errors:
        text = quoted(message)
        match = next((pattern for pattern, _ in entries if pattern.search(text)), None)
        if match is None:
            unexpected.append(describe(message, site))
        else:
            used.add(match.pattern)
    assert not unexpected, f"{len(unexpected)} HTML error(s):\n" + "\n".join(unexpected)
    for pattern, cause in entries:
        if pattern.pattern not in used:
            warnings.warn(f"vnu-allowlist.txt entry no longer needed, delete it: {pattern.pattern} ({cause})", stacklevel=1)


def test_checker_catches_broken_html(tmp_path: Path) -> None:
    """The gate can fail: a page with a stray end tag, an image without alt and a duplicate id is reported."""
    broken = tmp_path / "casse.html"
    broken.write_text(
        '<!doctype html>\n<html lang="fr">\n<head><meta charset="utf-8"><title>Page cassée</title></head>\n<body>\n'
        '<main><p id="a">Un paragraphe</span></p>\n<p id="a"><img src="schema.svg"></p></main>\n</body>\n</html>\n',
        encoding="utf-8",
    )
    (tmp_path / "notes.txt").write_text("pas du HTML", encoding="utf-8")
    errors = vnu(tmp_path)
    messages = [m["message"] for m in errors]
    assert any("Stray end tag" in m for m in messages), messages
    assert any("alt" in m for m in messages), messages
    assert any("Duplicate ID" in m for m in messages), messages
    assert not any(pattern.search(quoted(m)) for pattern, _ in allowlist() for m in errors)
