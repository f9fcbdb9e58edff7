"""The pinned Python packages install on a fresh Debian 12 (bookworm), whose own Python is 3.11.2."""

from __future__ import annotations

import importlib.metadata as metadata
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = "3.11.2"  # python3 of Debian 12; PyPI releases may ask for a newer 3.11 patch release


def test_every_pinned_package_admits_debians_python() -> None:
    """Each release pinned in requirements.txt accepts Python 3.11.2 (its Requires-Python, as installed here).

    Only the pins: pip cannot step back from them, while it picks for each Python the releases of what they pull in.
    """
    lines = (re.sub(r"#.*", "", line).strip() for line in (ROOT / "requirements.txt").read_text().splitlines())
    pins = [Requirement(line) for line in lines if line]
    assert len(pins) > 20, pins
    refused = []
    for pin in pins:
        dist = metadata.distribution(pin.name)
        assert pin.specifier.contains(dist.version), f"{pin} is pinned but {dist.version} is installed: run scripts/setup.sh"
        if not SpecifierSet(dist.metadata.get("Requires-Python") or "").contains(DEBIAN_PYTHON):
            refused.append(f"{pin} (Requires-Python {dist.metadata['Requires-Python']})")
    assert not refused, f"these do not install on Debian 12's Python {DEBIAN_PYTHON}; pin an earlier release: {refused}"
