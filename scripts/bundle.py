"""Build the offline bundle: the whole site in one zip, to open from file:// with no server.

Usage: .venv/bin/python -m scripts.bundle [--out dist/partenariat-hors-ligne.zip]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from scripts.course import ROOT

TOP = "partenariat"  # the folder the zip unpacks to
NEVER_SHIPPED = (".map", ".gz")  # source maps and pre-compressed copies: a reader never loads them


def build_site(dest: Path) -> None:
    """Build the site strictly into ``dest``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)],
                   cwd=ROOT, check=True, env=env)


def make_bundle(out: Path) -> Path:
    """Build the site and zip it under one top folder; return the zip's path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(site.rglob("*")):
                if path.is_file() and not path.name.endswith(NEVER_SHIPPED):
                    archive.write(path, f"{TOP}/{path.relative_to(site).as_posix()}")
    return out


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "partenariat-hors-ligne.zip")
    args = parser.parse_args()
    path = make_bundle(args.out)
    print(f"{path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
