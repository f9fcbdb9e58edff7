"""Build the sites to publish online: the learners' site, and the trainers' edition published apart.

- ``python -m scripts.outputs.publish site/`` (``make build``): the learners' site (no trainers' section, no answer key, no
  link to them), with the learners' offline edition to download at ``telecharger/partenariat-apprenant.zip``,
  linked from the home page.
- ``python -m scripts.outputs.publish --trainers site-formateurs/`` (``make build-trainers``): the whole site, answer keys
  and group follow-up included, to publish under ``/espace-formateurs/`` behind a password (``deploy/nginx.conf``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from scripts.outputs import bundle

DOWNLOAD = "telecharger/partenariat-apprenant.zip"  # the learners' offline edition, beside the published pages


def learners_site(dest: Path) -> Path:
    """The learners' site in ``dest`` (replaced), with its offline zip to download; returns the zip's path."""
    if dest.exists():
        shutil.rmtree(dest)
    bundle.build_site(dest, "apprenant", extra={"offline_download": DOWNLOAD})
    # the zip is built from its own learners' build: its home page has no download link (it is the download)
    return bundle.make_bundle(dest / DOWNLOAD, "apprenant")


def trainers_site(dest: Path) -> None:
    """The trainers' edition (the whole site) in ``dest``."""
    bundle.build_site(dest, "formateur")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("dest", type=Path, help="the folder to build into (replaced)")
    parser.add_argument("--trainers", action="store_true", help="the trainers' edition instead of the learners' site")
    args = parser.parse_args(argv)
    if args.trainers:
        trainers_site(args.dest)
        print(f"{args.dest}/: the trainers' edition; publish it under /espace-formateurs/ behind a password.")
    else:
        zipped = learners_site(args.dest)
        print(f"{args.dest}/: the learners' site, with {zipped.relative_to(args.dest)} "
              f"({zipped.stat().st_size / 1024:.0f} KiB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
