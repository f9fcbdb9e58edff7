"""Our scripts reach the browser as one shared minified, content-named file, and one more where a page needs it."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.build import minify

ROOT = Path(__file__).resolve().parent.parent
OURS = re.compile(r'<script\b[^>]*\bsrc="(?:\.\.?/)*(assets/javascripts/[^"]+)"')


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has ``!!python/object/apply`` tags; they are irrelevant here."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _listed() -> list[str]:
    """The scripts of ours that mkdocs.yml lists under extra_javascript, in order."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    return [str(n) for n in config["extra_javascript"] if minify.bundled(n)]


# The trainers' group page's own scripts, loaded by that page only (scripts/build/trainer_edition.py)
GROUP_PAGE_ONLY = tuple(f"assets/javascripts/{name}.js" for name in ("groupe", "lrs-groupe", "stats", "correction"))


def _sources(site: Path, names: list[str]) -> list[tuple[str, str]]:
    """The scripts ``names`` as the bundles join them: the generated course index as built, the others from docs/."""
    return [(n, (site / n).read_text(encoding="utf-8") if n.endswith("course-index.js")
             else (ROOT / "docs" / n).read_text(encoding="utf-8")) for n in names]


def _named_by_content(site: Path, name: str, stem: str) -> str:
    """The bundle ``name``'s text, once checked to be named ``stem.<its content hash>.min.js``."""
    text = (site / name).read_text(encoding="utf-8")
    assert name == f"assets/javascripts/{stem}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}.min.js"
    return text


def test_every_page_loads_our_scripts_as_one_file(site: Path) -> None:
    """Each page links one shared script of ours, the same file everywhere, named by its content.

    It holds every listed script that is not page-scoped, in the listed order (the generated course index first),
    minified; the listed files stay in the site on their own.
    """
    listed = _listed()
    assert len(listed) > 5 and listed[0].endswith("course-index.js")
    linked: set[str] = set()
    for page in site.rglob("*.html"):
        found = OURS.findall(page.read_text(encoding="utf-8"))
        ours = [src for src in found if "/vendor/" not in src and src != minify.END_SCRIPT
                and not src.startswith("assets/javascripts/bundle.") and "/partenariat-page." not in src
                and src not in GROUP_PAGE_ONLY]
        assert len(ours) == 1, (page.name, ours)
        assert found[-1] == minify.END_SCRIPT and ours[0] in found[-3:], (page.name, found)  # the empty one last
        linked.add(ours[0])
    assert len(linked) == 1
    name = linked.pop()
    bundle = _named_by_content(site, name, "partenariat")
    shared = [n for n in listed if n not in minify.PAGE_SCRIPTS]
    assert bundle == minify.bundle_source(_sources(site, shared))
    assert len(bundle) < 0.8 * sum(len(code) for _, code in _sources(site, shared))  # minified
    assert all((site / n).is_file() for n in listed)  # the SCORM launcher loads course-index.js and store.js alone


def test_page_scoped_scripts_reach_exactly_the_pages_holding_their_elements(site: Path) -> None:
    """A page-scoped script is in the page's second file iff the page holds one of its markers.

    That file comes between the shared one and the empty last one, holds those scripts in the listed order, is
    named by its content, and every page-scoped script reaches at least one page (a renamed element would
    otherwise silently switch its script off). The pages that need them most are checked by name.
    """
    listed = _listed()
    assert set(minify.PAGE_SCRIPTS) <= set(listed)
    reached: set[str] = set()
    by_page: dict[str, list[str]] = {}
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        wanted = [n for n in listed if n in minify.PAGE_SCRIPTS and any(m in html for m in minify.PAGE_SCRIPTS[n])]
        own = [src for src in OURS.findall(html) if "/partenariat-page." in src]
        rel = page.relative_to(site).as_posix()
        by_page[rel] = wanted
        if not wanted:
            assert own == [], rel
            continue
        assert len(own) == 1, (rel, own)
        found = OURS.findall(html)
        assert found[-2:] == [own[0], minify.END_SCRIPT], (rel, found)
        text = _named_by_content(site, own[0], "partenariat-page")
        assert text == minify.bundle_source(_sources(site, wanted)), rel
        reached |= set(wanted)
    assert reached == set(minify.PAGE_SCRIPTS)
    js = "assets/javascripts/"
    assert {js + "parcours.js", js + "attestation.js", js + "releve.js", js + "final.js"} <= set(by_page["parcours.html"])
    assert js + "quiz-extra.js" in by_page["definitions.html"] and js + "redaction.js" in by_page["definitions.html"]
    assert by_page["index.html"] == [] and by_page["glossaire.html"] == []


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed to run the bundle")
def test_a_failing_script_stops_only_itself(tmp_path: Path) -> None:
    """In the joined file, a script that throws does not stop the next one, and its error still surfaces."""
    code = minify.bundle_source([("a.js", "throw new Error('boom');"),
                                       ("b.js", "globalThis.ran = 'b ran';\nconsole.log(globalThis.ran);")])
    (tmp_path / "bundle.js").write_text(code, encoding="utf-8")
    proc = subprocess.run(["node", str(tmp_path / "bundle.js")], capture_output=True, text=True, timeout=30)
    assert proc.stdout.strip() == "b ran"
    assert "boom" in proc.stderr and proc.returncode != 0
