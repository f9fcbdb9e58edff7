"""Our scripts reach the browser as one minified, content-named file (scripts/build/minify.py)."""

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


def test_every_page_loads_our_scripts_as_one_file(site: Path) -> None:
    """Each page links one script of ours: the same file everywhere, named by its content.

    It holds every listed script in the listed order (the generated course index first), minified; the listed
    files stay in the site on their own.
    """
    listed = _listed()
    assert len(listed) > 5 and listed[0].endswith("course-index.js")
    linked: set[str] = set()
    for page in site.rglob("*.html"):
        found = OURS.findall(page.read_text(encoding="utf-8"))
        ours = [src for src in found if "/vendor/" not in src and src != minify.END_SCRIPT
                and not src.startswith("assets/javascripts/bundle.")
                and src not in GROUP_PAGE_ONLY]
        assert len(ours) == 1, (page.name, ours)
        assert found[-2:] == [ours[0], minify.END_SCRIPT], (page.name, found)  # the empty one comes last
        linked.add(ours[0])
    assert len(linked) == 1
    name = linked.pop()
    assert not set(listed) & {name}
    bundle = (site / name).read_text(encoding="utf-8")
    digest = hashlib.sha256(bundle.encode("utf-8")).hexdigest()[:8]
    assert name == f"assets/javascripts/partenariat.{digest}.min.js"
    sources = [(n, (site / n).read_text(encoding="utf-8") if n.endswith("course-index.js")
                else (ROOT / "docs" / n).read_text(encoding="utf-8")) for n in listed]
    assert bundle == minify.bundle_source(sources)
    assert len(bundle) < 0.8 * sum(len(code) for _, code in sources)  # minified
    assert all((site / n).is_file() for n in listed)  # the SCORM launcher loads course-index.js and store.js alone


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed to run the bundle")
def test_a_failing_script_stops_only_itself(tmp_path: Path) -> None:
    """In the joined file, a script that throws does not stop the next one, and its error still surfaces."""
    code = minify.bundle_source([("a.js", "throw new Error('boom');"),
                                       ("b.js", "globalThis.ran = 'b ran';\nconsole.log(globalThis.ran);")])
    (tmp_path / "bundle.js").write_text(code, encoding="utf-8")
    proc = subprocess.run(["node", str(tmp_path / "bundle.js")], capture_output=True, text=True, timeout=30)
    assert proc.stdout.strip() == "b ran"
    assert "boom" in proc.stderr and proc.returncode != 0
