"""Build the offline editions: the site in a zip, to open from file:// with no server and no network.

Two editions, from one source:
- ``apprenant`` (learners): no trainers' section, so no answer key and no trainer sheet, and no link to them;
- ``formateur`` (trainers): the whole site.
Each zip holds, at its top, ``OUVRIR-LE-COURS.html`` (opens the home page), ``LISEZMOI.txt`` (how to use it, in
French) and the site under ``cours/``. With ``SOURCE_DATE_EPOCH`` set, the same commit gives byte-identical zips:
the build date of the pages comes from it, and every archive entry has that date, fixed permissions and a fixed order.

Usage: .venv/bin/python -m scripts.outputs.bundle [--out dist/] [--edition apprenant|formateur]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from scripts.model import course

EDITIONS = ("apprenant", "formateur")
SITE_DIR = "cours"  # the folder of the zip holding the site
START = "OUVRIR-LE-COURS.html"
README = "LISEZMOI.txt"
NEVER_SHIPPED = (".map", ".gz")  # source maps and pre-compressed copies: a reader never loads them
NBSP = "\u00a0"

_START_PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="0; url={site}/index.html">
<title>Partenariat — ouvrir le cours</title>
</head>
<body>
<main>
<h1>Partenariat — module de formation</h1>
<p>Le cours s’ouvre… Si rien ne se passe, <a href="{site}/index.html">ouvrez le cours ici</a>.</p>
</main>
</body>
</html>
"""

_README = """Partenariat — module de formation en ligne
Édition {edition_name} — version {version}, construite le {date}

POUR COMMENCER
Décompressez tout le fichier zip, puis ouvrez {start} (double-clic) :
le cours s’ouvre dans votre navigateur. Il fonctionne sans connexion
Internet et sans rien installer.

CONTENU
- {start} : ouvre la page d’accueil du cours ;
- {site}/ : le cours lui-même (ne séparez pas ses fichiers).

{edition_note}

VOS RÉPONSES
Vos réponses et vos cases cochées sont enregistrées dans ce navigateur,
sur cet ordinateur. Pour les garder ou changer d’ordinateur, utilisez
« Exporter ma progression » dans la page « Mon parcours ».
"""

_NOTES = {
    "apprenant": ("apprenant",
                  "Cette édition est destinée aux apprenants : elle ne contient ni\n"
                  "l’espace formateurs ni les corrigés des quiz."),
    "formateur": ("formateur",
                  "Cette édition contient l’espace « Formateurs » (guide, programme,\n"
                  "fiches par leçon et corrigés des quiz). Ne la distribuez pas aux\n"
                  "apprenants : donnez-leur l’édition apprenant."),
}


def _french(text: str) -> str:
    """No-break spaces inside « » and before : ; ? ! (French typography)."""
    for mark in (" :", " ;", " ?", " !", " »"):
        text = text.replace(mark, NBSP + mark[1:])
    return text.replace("« ", "«" + NBSP)


def build_site(dest: Path, edition: str = "formateur", extra: dict[str, str] | None = None) -> None:
    """Build the site of ``edition`` strictly into ``dest`` (``extra``: added to the learners' ``extra`` settings)."""
    from scripts.outputs.export_lms import learner_config  # the learners' configuration, shared with the SCORM package

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)]
    learners = edition == "apprenant"
    proc = subprocess.run(command + (["-f", "-"] if learners else []), cwd=course.ROOT, capture_output=True, text=True,
                          env=env, input=learner_config(extra) if learners else None)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build ({edition}) failed:\n{proc.stdout}{proc.stderr}")


def zip_date() -> tuple[int, int, int, int, int, int]:
    """The date of every archive entry: SOURCE_DATE_EPOCH when set (reproducible), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    moment = max(moment, datetime(1980, 1, 1, tzinfo=UTC))  # the earliest date a zip can hold
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def top_files(edition: str) -> dict[str, bytes]:
    """The start page and the French read-me at the top of the zip."""
    version, date = course.build_stamp()
    name, note = _NOTES[edition]
    readme = _french(_README.format(edition_name=name, version=version, date=date, start=START, site=SITE_DIR,
                                    edition_note=note))
    return {START: _START_PAGE.format(site=SITE_DIR).encode("utf-8"),
            README: readme.replace("\n", "\r\n").encode("utf-8")}  # CRLF: readable in any Windows editor


def write_zip(out: Path, entries: dict[str, bytes]) -> Path:
    """A deterministic zip: entries in name order, one date, fixed permissions, the same compression."""
    stamp = zip_date()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the machine
            info.external_attr = 0o100644 << 16
            archive.writestr(info, entries[name], compresslevel=9)
    return out


def make_bundle(out: Path, edition: str = "formateur", site: Path | None = None) -> Path:
    """Zip the site of ``edition`` (built now unless ``site`` is given) with its start page; return the zip's path."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: choose one of {', '.join(EDITIONS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if site is None:
            site = Path(tmp) / "site"
            build_site(site, edition)
        entries = top_files(edition)
        for path in site.rglob("*"):
            if path.is_file() and not path.name.endswith(NEVER_SHIPPED):
                entries[f"{SITE_DIR}/{path.relative_to(site).as_posix()}"] = path.read_bytes()
        return write_zip(out, entries)


def make_bundles(out_dir: Path) -> dict[str, Path]:
    """Both editions, ``partenariat-apprenant.zip`` and ``partenariat-formateur.zip``, in ``out_dir``."""
    return {edition: make_bundle(out_dir / f"partenariat-{edition}.zip", edition) for edition in EDITIONS}


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=course.ROOT / "dist", help="folder for the zips (default dist/)")
    parser.add_argument("--edition", choices=EDITIONS, help="only this edition (default: both)")
    args = parser.parse_args()
    if not os.environ.get("SOURCE_DATE_EPOCH"):
        print("SOURCE_DATE_EPOCH is not set: the zips carry today's date (set it for reproducible zips).")
    editions = [args.edition] if args.edition else list(EDITIONS)
    for edition in editions:
        path = make_bundle(args.out / f"partenariat-{edition}.zip", edition)
        print(f"{path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
