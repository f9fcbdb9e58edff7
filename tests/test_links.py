"""linkchecker, anchors included, finds no broken link in the built site."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

RC = Path(__file__).parent / "linkcheckerrc"
pytestmark = pytest.mark.linkcheck


def _linkchecker(url: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("linkchecker")
    return subprocess.run([str(exe), "--config", str(RC), url], capture_output=True, text=True, timeout=1800)  # slow on a loaded machine


def test_no_broken_links_or_anchors(server: str) -> None:
    """Every internal link and #anchor of the served site resolves (zero errors)."""
    proc = _linkchecker(server)
    # linkchecker reports a missing anchor as a warning: both counts must be zero
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " 0 warnings found. 0 errors found." in proc.stdout, proc.stdout[-6000:]


def test_linkchecker_sees_a_broken_anchor() -> None:
    """The same configuration does report a link to a missing anchor (the check can fail)."""
    tmp_path = Path(tempfile.mkdtemp(prefix="linkcheck-"))
    tmp_path.chmod(0o755)  # linkchecker drops root privileges before reading files
    (tmp_path / "a.html").write_text('<html><body><a href="b.html#nowhere">b</a></body></html>', encoding="utf-8")
    (tmp_path / "b.html").write_text('<html><body><h2 id="here">x</h2></body></html>', encoding="utf-8")
    proc = _linkchecker((tmp_path / "a.html").as_uri())
    assert "Anchor `nowhere' (decoded: `nowhere') not" in proc.stdout
    assert " 0 warnings found. 0 errors found." not in proc.stdout
