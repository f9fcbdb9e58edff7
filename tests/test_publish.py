"""Publishing online: `make build` gives the learners' site with its offline zip; the trainers' edition stays apart."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
import pytest

from scripts.outputs import bundle, publish


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The learners' site as `make build` publishes it, built into a temporary folder."""
    dest = tmp_path_factory.mktemp("publish") / "site"
    publish.learners_site(dest)
    return dest


@pytest.mark.slow
def test_published_site_has_no_trainers_pages_nor_links_to_them(published: Path) -> None:
    """No trainers' page, no answer key and no link or menu entry leading to them in the learners' site."""
    assert not (published / "formateurs").exists()
    for page in published.rglob("*.html"):
        doc = lxml.html.fromstring(page.read_bytes())
        hrefs = [href for href in doc.xpath("//a/@href") if "formateurs/" in href]
        assert not hrefs, f"{page.relative_to(published)}: {hrefs}"
        menu = " ".join(doc.xpath("//nav[contains(@class,'md-nav--primary')]//text()"))
        assert "Formateurs" not in menu and "Corrigés" not in menu, page.relative_to(published)


@pytest.mark.slow
def test_published_home_page_links_the_offline_zip(published: Path) -> None:
    """The home page's « Hors ligne » entry links the learners' zip, which is there and opens as the offline edition."""
    doc = lxml.html.fromstring((published / "index.html").read_bytes())
    (link,) = doc.xpath("//dd//a[@download]")
    assert link.get("href") == publish.DOWNLOAD and "hors ligne" in link.text_content()
    with zipfile.ZipFile(published / publish.DOWNLOAD) as archive:
        names = set(archive.namelist())
        assert {bundle.START, bundle.README, f"{bundle.SITE_DIR}/index.html"} <= names
        assert not any(name.startswith(f"{bundle.SITE_DIR}/formateurs/") for name in names)
        home = archive.read(f"{bundle.SITE_DIR}/index.html").decode("utf-8")
    assert publish.DOWNLOAD not in home  # the offline edition does not offer to download itself


def test_home_page_tells_how_to_open_the_offline_edition(site: Path) -> None:
    """The home page names the zip's real start file, and links no zip where none is published (full build)."""
    doc = lxml.html.fromstring((site / "index.html").read_bytes())
    (entry,) = [dd for dt in doc.xpath("//dt[normalize-space()='Hors ligne']") for dd in dt.xpath("following-sibling::dd[1]")]
    assert bundle.START in entry.text_content() and "index.html" not in entry.text_content()
    assert not entry.xpath(".//a[@download]")
