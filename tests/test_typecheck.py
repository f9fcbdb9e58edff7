"""The build and tooling code under scripts/ type-checks with mypy (settings and stubs pinned in the project)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_is_clean_over_scripts() -> None:
    """`mypy` (configured in pyproject.toml to check scripts/) reports no error."""
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout


def test_mypy_reports_a_type_error(tmp_path: Path) -> None:
    """The same mypy does report a wrong type (the check can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text('def f(x: int) -> str:\n    return x\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(bad)],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1 and "Incompatible return value type" in proc.stdout
