"""The course builds the same under MkDocs and under ProperDocs, its maintained drop-in fork."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(engine: str, dest: Path) -> dict[str, bytes]:
    """Every file of a strict build by ``engine`` (a module run with -m), the generator tag left out."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600", "PYTHONHASHSEED": "0"}
    proc = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--clean", "-f", "mkdocs.yml", "-d", str(dest)],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, f"{engine}: {proc.stdout}{proc.stderr}"
    return {path.relative_to(dest).as_posix(): GENERATOR.sub(b"", path.read_bytes())
            for path in sorted(dest.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    """ProperDocs and MkDocs give the same files, byte for byte but for the generator tag: pages, questions, scripts."""
    mkdocs, properdocs = _build("mkdocs", tmp_path / "mkdocs"), _build("properdocs", tmp_path / "properdocs")
    assert sorted(mkdocs) == sorted(properdocs)
    different = [name for name in mkdocs if mkdocs[name] != properdocs[name]]
    assert not different, different[:10]
    final = properdocs["evaluation-finale.html"].decode("utf-8")
    assert final.count("data-qid=") >= 30  # the questions are there, not only the page around them
