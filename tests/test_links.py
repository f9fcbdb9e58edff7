"""No broken link in the built site: linkchecker follows every internal link; every #anchor resolves.

linkchecker's own anchor check (its AnchorCheck plugin) keys its cache on the whole URL, fragment included
(linkcheck/checker/urlbase.py, ``set_cache_url``), so it downloads and parses a page once per distinct anchor
pointing into it: about 2,000 fetches here, 390 s of a test run instead of 25 s. linkchecker therefore checks
that every page, asset and image is reachable, and the anchors are checked below by parsing each page once.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

RC = Path(__file__).parent / "linkcheckerrc"


def _linkchecker(url: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("linkchecker")
    return subprocess.run([str(exe), "--config", str(RC), url], capture_output=True, text=True, timeout=1800)


def broken_anchors(site: Path) -> list[str]:
    """Every ``href`` of a built page whose fragment names no ``id`` (or ``a name``) in its target page.

    Links to other sites, and links whose target file is missing (linkchecker reports those), are skipped.
    """
    site = site.resolve()
    parser = lxml_html.HTMLParser(encoding="utf-8")
    pages = {path: lxml_html.parse(str(path), parser).getroot() for path in site.rglob("*.html")}
    ids = {path: {*root.xpath("//@id"), *root.xpath("//a/@name")} for path, root in pages.items()}
    broken = []
    for path, root in pages.items():
        for element in root.xpath("//*[@href]"):
            parts = urlsplit(element.get("href"))
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target in ids and unquote(parts.fragment) not in ids[target]:
                line = element.sourceline
                broken.append(f"{path.relative_to(site)}:{line}: {element.get('href')} (no such id in "
                              f"{target.relative_to(site) if target != path else 'this page'})")
    return broken


@pytest.mark.linkcheck
def test_no_broken_links(server: str) -> None:
    """linkchecker, following every internal link of the served site, finds no error and no warning."""
    proc = _linkchecker(server)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " 0 warnings found. 0 errors found." in proc.stdout, proc.stdout[-6000:]


@pytest.mark.linkcheck
def test_linkchecker_sees_a_missing_page() -> None:
    """The same configuration does report a link to a page that does not exist (the check can fail)."""
    tmp_path = Path(tempfile.mkdtemp(prefix="linkcheck-"))
    tmp_path.chmod(0o755)  # linkchecker drops root privileges before reading files
    (tmp_path / "a.html").write_text('<html><body><a href="b.html">b</a> <a href="c.html">c</a></body></html>',
                                     encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>b</p></body></html>", encoding="utf-8")
    proc = _linkchecker((tmp_path / "a.html").as_uri())
    assert "c.html" in proc.stdout and "1 error found" in proc.stdout, proc.stdout[-3000:]


def test_every_anchor_resolves(site: Path) -> None:
    """Every link with a #fragment (same page or another page of the site) points to an id that exists."""
    broken = broken_anchors(site)
    assert not broken, "\n".join(broken)


def test_anchor_check_sees_broken_anchors(tmp_path: Path) -> None:
    """A missing anchor on another page, on the same page or with an accented fragment is reported; good ones are not."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text(
        '<html><body><h2 id="ici">x</h2><a href="sub/b.html#nulle-part">1</a><a href="#ici">2</a>'
        '<a href="#absent">3</a><a href="sub/b.html#r%C3%A9sum%C3%A9">4</a><a href="https://x.org/#y">5</a>'
        '<a href="manque.html#z">6</a></body></html>', encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(
        '<html><body><h2 id="résumé">r</h2><a href="../a.html#ici">back</a><a href="../a.html#la">bad</a></body></html>',
        encoding="utf-8")
    broken = broken_anchors(tmp_path)
    assert sorted(b.split(": ", 1)[1].split(" ", 1)[0] for b in broken) == [
        "#absent", "../a.html#la", "sub/b.html#nulle-part"], broken
    assert all(b.startswith(("a.html:1:", "sub/b.html:1:")) for b in broken), broken
