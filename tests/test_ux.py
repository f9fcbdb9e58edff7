"""What a learner sees on a 360 px phone, in the dark, on paper and through search (issue 14, ux part).

Layout is measured in headless Chromium: quiz and checklist rows, diagram text size, page width, link targets under
the fixed header, theme colours of diagrams and progress bars, the search index and its results, the print PDF.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from tests.conftest import built_pages
from tests.test_a11y import settle

PHONE = {"width": 360, "height": 740}

# For every choice row (quiz; matching questions have no box) and checklist row: the box, the first line of its
# text, the row's box and what a tap at the row's far right edge would hit.
ROWS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(row => row.offsetParent && row.querySelector(':scope > input:is([type=checkbox], [type=radio])')).map(row => {
    row.scrollIntoView({block: 'center', behavior: 'instant'});
    const box = row.querySelector('input').getBoundingClientRect();
    const label = row.querySelector('label');
    const range = document.createRange();
    range.selectNodeContents(label);
    const first = Array.from(range.getClientRects()).filter(r => r.width > 0)[0];
    const rect = row.getBoundingClientRect();
    const hit = document.elementFromPoint(rect.right - 3, rect.top + rect.height / 2);
    return {text: label.textContent.trim().slice(0, 40), box: [box.left, box.top, box.right, box.bottom],
            first: [first.left, first.top, first.right, first.bottom], height: rect.height,
            edgeHitsRow: !!hit && (hit === label || label.contains(hit) || hit === row)};
})"""


def _aligned(row: dict[str, Any]) -> list[str]:
    """Problems of one row: box not on the first line of its text, or not vertically centred on it."""
    problems = []
    left, top, right, bottom = row["box"]
    f_left, f_top, f_right, f_bottom = row["first"]
    if right > f_left:
        problems.append("box not left of its text")
    if not (top >= f_top - 1 and bottom <= f_bottom + 1):
        problems.append(f"box {top:.1f}–{bottom:.1f} outside its first line {f_top:.1f}–{f_bottom:.1f}")
    elif abs((top + bottom) / 2 - (f_top + f_bottom) / 2) > 2:
        problems.append("box not centred on its first line")
    return problems


@pytest.mark.browser
def test_choice_and_checklist_rows_on_a_phone(page: Any, server: str, site: Path) -> None:
    """At 360×740, each quiz choice and checklist item is one row, and no page scrolls sideways.

    One row: the box beside the first line of its text, centred on it, the row at least 44 px high and clickable up
    to its right edge.
    """
    page.set_viewport_size(PHONE)
    problems: list[str] = []
    rows_seen = 0
    for name in built_pages(site):
        page.goto(server + name)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{name}: page {width[0]} px wide in a {width[1]} px screen")
        for selector, min_height in ((".quiz fieldset > div", 44), ("ul.checklist > li", 44),
                                     ("li.task-list-item", 44)):
            for row in page.evaluate(ROWS, selector):
                rows_seen += 1
                found = _aligned(row)
                if row["height"] < min_height - 0.5:
                    found.append(f"row {row['height']:.0f} px high")
                if not row["edgeHitsRow"]:
                    found.append("right edge of the row not clickable")
                problems += [f"{name} «{row['text']}»: {p}" for p in found]
    assert rows_seen > 100
    assert not problems, "\n".join(problems[:40])
    assert not page.js_errors


@pytest.mark.browser
def test_whole_row_ticks_the_box(page: Any, server: str) -> None:
    """A tap in the empty right part of a choice row selects that choice (the row is the target, not just the text)."""
    page.set_viewport_size(PHONE)
    page.goto(server + "definitions.html")
    row = page.locator(".quiz fieldset > div").nth(2)
    row.scroll_into_view_if_needed()
    box = row.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    assert row.locator("input").is_checked()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_bars_follow_the_scheme(page: Any, server: str, scheme: str) -> None:
    """The tracks of « Mon parcours »'s progress bars are dark in the dark scheme and light in the light one."""
    page.emulate_media(color_scheme=scheme)
    page.goto(server + "parcours.html")
    page.wait_for_load_state("load")
    colours = page.evaluate("""() => Array.from(document.querySelectorAll('progress')).map(bar => {
        const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
        const ctx = canvas.getContext('2d');
        const bg = getComputedStyle(document.body).backgroundColor;
        ctx.fillStyle = bg; ctx.fillRect(0, 0, 1, 1);
        ctx.fillStyle = getComputedStyle(bar, '::-webkit-progress-bar').backgroundColor; ctx.fillRect(0, 0, 1, 1);
        return Array.from(ctx.getImageData(0, 0, 1, 1).data).slice(0, 3);
    })""")
    assert colours
    for rgb in colours:
        luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
        assert (luminance < 0.3) if scheme == "dark" else (luminance > 0.7), f"{scheme}: progress track {rgb}"


# ---------- search ----------

LEARNING_PAGES = {"definitions.html", "fondements.html", "acteurs.html", "conditions.html", "forces-et-faiblesses.html",
                  "construire-un-partenariat.html", "notions-voisines.html", "cas-pratiques.html", "glossaire.html",
                  "sources.html", "bibliographie.html"}


def _index_pages(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


def test_search_index_holds_learning_material_only(site: Path) -> None:
    """The learners' index: lessons, cases, glossary and sources; not the print edition nor the trainers' pages.

    Neither the home page nor « Mon parcours » either; the offline copy of the index (search_index.js) is the same.
    """
    pages = _index_pages(site)
    assert LEARNING_PAGES <= pages
    assert not {p for p in pages if p.startswith("formateurs/") or p in {"imprimer.html", "index.html", "parcours.html", "revoir.html",
                                                                     "s-entrainer.html"}}
    inlined = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert "imprimer.html" not in inlined and "formateurs/" not in inlined
    assert '"boost":0.2' in inlined  # page-level entries down-weighted in the copy used from file:// too


def _search(page: Any, server: str, query: str) -> list[dict[str, Any]]:
    """Type `query` in the search box of the home page; the result groups as shown (links, folded or not, marks)."""
    page.goto(server + "index.html")
    page.locator("label.md-header__button[for='__search']").click()
    page.wait_for_function(  # the index is loaded (Material's French placeholder replaced the initializer)
        "!document.querySelector('.md-search-result__meta').textContent.includes('Initialisation')")
    page.locator("input.md-search__input").press_sequentially(query)
    page.wait_for_selector(".md-search-result__item")
    # The worker answers each keystroke in turn: wait until the list has stopped changing (3 looks, 150 ms apart).
    page.wait_for_function("""() => {
        const now = document.querySelector('.md-search-result__list').innerHTML;
        const seen = window.__resultLooks = (window.__resultLooks || []).concat([now]).slice(-3);
        return seen.length === 3 && seen.every(x => x === now);
    }""", polling=150, timeout=10000)
    return page.evaluate("""() => Array.from(document.querySelectorAll('.md-search-result__item')).map(li =>
        Array.from(li.querySelectorAll('a.md-search-result__link')).map(a => ({
            href: new URL(a.href).pathname.replace(/^\\//, '') + new URL(a.href).hash,
            url: a.href, folded: !!a.closest('details'),
            marks: Array.from(a.querySelectorAll('mark')).map(m => m.textContent)})))""")


@pytest.mark.browser
def test_search_ranks_the_matching_section_first(page: Any, server: str) -> None:
    """« conditions perennite remion »: first the Conditions lesson, with its Remion section shown first.

    The section is the first entry under the lesson's title, not folded under « n de plus ».
    """
    groups = _search(page, server, "conditions perennite remion")
    first = groups[0]
    assert first[0]["href"] == "conditions.html", first[0]
    assert first[1]["href"] == "conditions.html#remion" and not first[1]["folded"], first[:3]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), [
    ("est-ce un partenariat", "outils.html#arbre"),  # a section's title, typed as learners do
    ("Est-ce un partenariat ?", "outils.html#arbre"),  # copied from the page
    ("le reseau", "notions-voisines.html#reseau"),  # « le » is a word, not the start of « Levesque »
    ("conditions perennite remion", "conditions.html#remion"),  # queries that already worked still do
    ("cooperation", "definitions.html#pelletier"),
    ("l'etat catalyseur", "acteurs.html#etat"),
])
def test_search_ranks_the_named_section_first(page: Any, server: str, query: str, expected: str) -> None:
    """A query naming a section (its title, or its key words) shows that section first, unfolded.

    « est-ce un partenariat » is the title of the decision tree of « Outils pour décider »: the tree comes before
    the two sections titled « Ce qui n’est pas un partenariat », which hold the same four words and more.
    """
    groups = _search(page, server, query)
    sections = [link for link in groups[0] if "#" in link["href"]]
    assert sections and sections[0]["href"] == expected and not sections[0]["folded"], \
        [[link["href"] for link in group] for group in groups[:4]]


@pytest.mark.browser
def test_search_highlights_no_letter_alone(page: Any, server: str) -> None:
    """« l'etat catalyseur »: no one-letter mark in the results nor on the page reached.

    The page reached marks « État » and « catalyseur » (accents folded) and nothing else.
    """
    groups = _search(page, server, "l'etat catalyseur")
    marks = [mark for group in groups for link in group for mark in link["marks"]]
    assert marks and not [mark for mark in marks if len(mark.strip()) < 2]
    page.goto(groups[0][1]["url"])
    page.wait_for_load_state("load")
    landed = page.evaluate("Array.from(document.querySelectorAll('article mark')).map(m => m.textContent)")
    assert landed, "nothing highlighted on the page reached"
    folded = {unicodedata.normalize("NFD", m.lower()).encode("ascii", "ignore").decode() for m in landed}
    assert all(m.startswith(("etat", "catalyseur")) for m in folded), sorted(folded)
    assert "h=" not in page.url  # Material's own highlighter, which marks single letters, got nothing to do


@pytest.mark.browser
def test_search_highlight_folds_accents(page: Any, server: str) -> None:
    """« perennite » (typed without accents) finds « pérennité » and marks it on the page reached."""
    groups = _search(page, server, "perennite")
    page.goto(groups[0][1]["url"])
    page.wait_for_load_state("load")
    landed = page.evaluate("Array.from(document.querySelectorAll('article mark')).map(m => m.textContent)")
    assert "pérennité" in landed, landed


# ---------- diagrams ----------

DIAGRAM_TEXT = """() => Array.from(document.querySelectorAll('svg.schema-svg')).map(svg => {
    const scale = svg.getScreenCTM().a;
    const sizes = Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {title: svg.querySelector('title').textContent.slice(0, 40), smallest: Math.min(...sizes)};
})"""

# Every background or box of each diagram: its class and computed fill, as [r, g, b] over the page background.
DIAGRAM_FILLS = """() => Array.from(document.querySelectorAll('svg.schema-svg :is(.sch-bg, .sch-box, .sch-box-alt)')).map(shape => {
    const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor; ctx.fillRect(0, 0, 1, 1);
    ctx.fillStyle = getComputedStyle(shape).fill; ctx.fillRect(0, 0, 1, 1);
    return [shape.getAttribute('class'), Array.from(ctx.getImageData(0, 0, 1, 1).data).slice(0, 3)];
})"""


def _diagram_pages(site: Path) -> list[str]:
    return [name for name in built_pages(site) if 'class="schema-svg"' in (site / name).read_text(encoding="utf-8")]


@pytest.mark.browser
def test_diagram_text_is_14px_on_a_phone(page: Any, server: str, site: Path) -> None:
    """At 360×740 every diagram's smallest text renders at 14 CSS px or more, and the page never scrolls sideways."""
    page.set_viewport_size(PHONE)
    names = _diagram_pages(site)
    assert {"acteurs.html", "construire-un-partenariat.html", "forces-et-faiblesses.html"} <= set(names)
    problems = []
    for name in names:
        page.goto(server + name)
        page.wait_for_load_state("load")
        for diagram in page.evaluate(DIAGRAM_TEXT):
            if diagram["smallest"] < 14 - 0.05:
                problems.append(f"{name} «{diagram['title']}»: text at {diagram['smallest']:.1f} px")
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{name}: page {width[0]} px wide")
        # A diagram wider than the screen scrolls in its own frame, which the keyboard can reach and which is named.
        for frame in page.evaluate("""() => Array.from(document.querySelectorAll('.schema-scroll'))
                .filter(f => f.scrollWidth > f.clientWidth + 1)
                .map(f => [f.tabIndex, f.getAttribute('role'), f.getAttribute('aria-label') || ''])"""):
            if frame[0] != 0 or frame[1] != "region" or not frame[2].startswith("Schéma"):
                problems.append(f"{name}: scrolling diagram frame not a named focusable region: {frame}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagrams_take_the_scheme_colours(page: Any, server: str, site: Path, scheme: str) -> None:
    """In the dark scheme no diagram is a white card (every shape is dark); in the light one, every shape is light."""
    page.emulate_media(color_scheme=scheme)
    problems = []
    for name in _diagram_pages(site):
        page.goto(server + name)
        page.wait_for_load_state("load")
        for cls, rgb in page.evaluate(DIAGRAM_FILLS):
            luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
            if (luminance > 0.35) if scheme == "dark" else (luminance < 0.7):
                problems.append(f"{name}: {cls} filled {rgb}")
    assert not problems, "\n".join(problems[:20])


def test_diagram_stylesheets_hold_no_french_spacing() -> None:
    """Each diagram's own stylesheet holds no no-break space (French typography applied to CSS).

    The browser drops a declaration such as « fill: #fff\u00a0; » and paints the shape black.
    """
    for path in sorted((Path(__file__).resolve().parent.parent / "docs" / "assets" / "schemas").glob("*.svg")):
        for style in re.findall(r"<style>(.*?)</style>", path.read_text(encoding="utf-8"), flags=re.S):
            assert "\u00a0" not in style and "\u202f" not in style, path.name


@pytest.mark.browser
def test_diagram_opens_alone_in_the_theme(page: Any, server: str) -> None:
    """« Agrandir » opens the SVG file on its own, which colours itself from the reader's scheme (no white card)."""
    page.emulate_media(color_scheme="dark")
    page.goto(server + "acteurs.html")
    href = page.locator("a.schema-zoom").first.get_attribute("href")
    assert href.endswith(".svg")
    page.goto(server + href)
    fill = page.evaluate("getComputedStyle(document.querySelector('.sch-bg')).fill")
    assert fill in ("rgb(30, 33, 41)",), fill


# ---------- accessibility statement (RGAA 4.1) ----------

STATEMENT_SECTIONS = ["État de conformité", "Résultats des tests", "Contenus non accessibles", "Non-conformités",
                      "Dérogations pour charge disproportionnée", "Contenus non soumis à l’obligation d’accessibilité",
                      "Établissement de cette déclaration d’accessibilité", "Technologies utilisées",
                      "Environnement de test", "Outils pour évaluer l’accessibilité", "Retour d’information et contact",
                      "Voies de recours"]


def _level(rate: float) -> str:
    """The RGAA conformance level for a rate of criteria met (100 %: total; at least 50 %: partial)."""
    return "totalement conforme" if rate == 100 else "partiellement conforme" if rate >= 50 else "non conforme"


def test_accessibility_statement_follows_the_rgaa_template(site: Path) -> None:
    """« Accessibilité » follows the RGAA 4.1 statement template, its figures are those of its own criteria table.

    The table lists the 106 RGAA criteria once each (C, NC or NA); the percentage, the counts and the conformance
    level stated, and the level shown in the footer, are derived from it; every non-conformity is explained.
    """
    doc = lxml.html.fromstring((site / "accessibilite.html").read_text(encoding="utf-8"))
    article = doc.xpath("//article")[0]
    assert article.xpath("string(.//h1)").strip().startswith("Déclaration d’accessibilité")
    headings = [" ".join(h.text_content().replace("¶", "").split()) for h in article.xpath(".//h2 | .//h3")]
    for section in STATEMENT_SECTIONS:
        assert any(h.startswith(section) for h in headings), section
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in article.xpath(".//table//tr[td]")]
    criteria = [row[0] for row in rows]
    counts = {status: sum(row[2] == status for row in rows) for status in ("C", "NC", "NA")}
    per_theme = [sum(c.split(".")[0] == str(t) for c in criteria) for t in range(1, 14)]
    assert per_theme == [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12] and len(set(criteria)) == 106
    assert sum(counts.values()) == 106
    rate = round(100 * counts["C"] / (counts["C"] + counts["NC"]))
    text = " ".join(article.text_content().split())
    assert f"{rate} % des critères" in text
    assert f"{counts['C']} critères conformes sur {counts['C'] + counts['NC']} critères applicables" in text
    assert f"{counts['NA']} critères ne s’appliquent pas" in text
    level = _level(rate if counts["NC"] else 100)
    assert f"est {level} avec le référentiel" in text
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text
    non_conformities = " ".join(article.xpath("string(.//*[@id='non-conformites']/following-sibling::ul[1])").split())
    for row in rows:
        if row[2] == "NC":
            assert row[0] in non_conformities, f"criterion {row[0]} not explained under « Non-conformités »"
    footer = " ".join(doc.xpath("string(//*[@class='pt-a11y-status'])").split())
    assert footer == f"Accessibilité : {level}"
    assert re.search(r"\d{1,2} \w+ 20\d\d", text)  # the date of the checks


def test_every_page_has_the_footer_status_and_a_skip_link(site: Path) -> None:
    """Every page's footer links to the statement with its level; every page starts with a skip link (RGAA 12.7).

    The skip link is Material's « Aller au contenu », the first link of the page, to the page's main heading.
    """
    problems = []
    for name in built_pages(site):
        doc = lxml.html.fromstring((site / name).read_text(encoding="utf-8"))
        status = doc.xpath("//footer//*[@class='pt-a11y-status']/a")
        if not status or not status[0].get("href", "").endswith("accessibilite.html") \
                or not status[0].text_content().startswith("Accessibilité"):
            problems.append(f"{name}: no accessibility status in the footer")
        if not (site / Path(name).parent / status[0].get("href", "")).resolve().is_file() if status else False:
            problems.append(f"{name}: footer link to the statement is broken")
        links = doc.xpath("//body//a[@href]")
        heading = doc.xpath("//article//h1[@id]")
        if heading and (not links or "md-skip" not in links[0].get("class", "")
                        or links[0].get("href").split("#")[-1] != heading[0].get("id")):
            problems.append(f"{name}: the first link is not a skip link to the main heading")
    assert not problems, "\n".join(problems)


SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
           " p { margin-bottom: 2em !important; }")


@pytest.mark.browser
@pytest.mark.parametrize("part", range(2))
def test_no_sideways_scroll_at_320_with_text_spacing(page: Any, server: str, site: Path, part: int) -> None:
    """At 320 px wide with the WCAG text spacing applied (RGAA 10.11, 10.12), no page scrolls sideways (half the pages each)."""
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for name in built_pages(site)[part::2]:
        page.goto(server + name)
        page.add_style_tag(content=SPACING)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide.append(f"{name}: {width[0]} px")
    assert not wide, "\n".join(wide)


ACTIVE_TOOLTIPS = """() => Array.from(document.querySelectorAll('.md-tooltip--inline.md-tooltip--active')).map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent.trim(), left: r.left, right: r.right, x: parseFloat(t.style.getPropertyValue('--md-tooltip-x')),
          shown: getComputedStyle(t).opacity === '1', page: document.documentElement.scrollWidth, screen: innerWidth};
})"""


@pytest.mark.browser
@pytest.mark.parametrize(("origin", "width"), [("http", 360), ("file", 320), ("file", 360), ("file", 1280)])
def test_scheme_toggle_tooltip_stays_on_screen(page: Any, server: str, site: Path, origin: str, width: int) -> None:
    """The scheme toggle's tooltip, shown by a pointer and after a tap, stays inside the screen and widens no page.

    Online and from disk (the offline edition, where Material measures the tooltip's width as 0 beside the hidden
    iframe of the search worker). On a wide screen it stays where Material puts it.
    """
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(server + "definitions.html" if origin == "http" else (site / "definitions.html").as_uri())
    toggle = page.locator("form[data-md-component=palette] label:visible")
    for action in ("hover", "click"):
        getattr(toggle.first, action)()
        # the tooltip is shown on hover and, after a tap, on the other toggle, which takes the focus
        page.wait_for_function(f"({ACTIVE_TOOLTIPS})().some(t => t.shown)")
        page.wait_for_timeout(300)  # Material's 0.25 s slide into place
        settle(page)  # and, on a slow machine, until it has ended
        tips = [tip for tip in page.evaluate(ACTIVE_TOOLTIPS) if tip["shown"]]
        assert tips, action
        for tip in tips:
            assert 0 <= tip["left"] and tip["right"] <= tip["screen"], f"{action}: {tip}"
            assert tip["page"] <= tip["screen"], f"{action}: page {tip['page']} px wide"
            if width >= 1200:
                assert abs(tip["left"] - tip["x"]) < 1, f"{action}: moved although it fits: {tip}"
        page.mouse.move(0, 600)


# ---------- navigation ----------

@pytest.mark.browser
def test_links_to_hand_out_are_links_with_a_copy_button(page: Any, server: str, context: Any) -> None:
    """A trainer sheet's « Liens à transmettre » are links; « Copier le lien » copies the full address and says so."""
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server + "formateurs/definitions.html")
    links = page.locator(".pt-share a[href]")
    assert links.count() == 3
    assert [links.nth(i).get_attribute("href") for i in range(3)] == [
        "../definitions.html", "../definitions.html#quiz", "../definitions.html#auto-evaluation"]
    page.locator(".pt-share .pt-copy").nth(1).click()
    page.locator(".pt-copy-status", has_text="Lien copié").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == server + "definitions.html#quiz"
    assert not page.js_errors


@pytest.mark.browser
def test_revoir_target_is_not_hidden_under_fixed_elements(page: Any, server: str) -> None:
    """After a wrong answer, its « Revoir » link shows the target heading clear of the fixed elements.

    Clear of the header and of the « Retour en haut » button, which appears as the page scrolls up.
    """
    page.set_viewport_size(PHONE)
    page.goto(server + "definitions.html")
    quiz = page.locator(".quiz[data-type='single']").first
    quiz.scroll_into_view_if_needed()
    quiz.locator("fieldset > div:not(:has([data-correct]))").first.locator("label").click()
    quiz.locator(".quiz-button").click()
    link = quiz.locator("section.content a[href*='#']").first
    link.wait_for()
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_timeout(800)  # the « Retour en haut » button fades in
    settle(page)  # and, on a slow machine, until it has ended
    boxes = page.evaluate("""id => {
        const rect = el => el && getComputedStyle(el).visibility !== 'hidden' && !el.hidden ? el.getBoundingClientRect() : null;
        const header = rect(document.querySelector('.md-header')), top = rect(document.querySelector('.md-top'));
        return {target: rect(document.getElementById(id)).top, header: header.bottom, top: top ? top.bottom : 0};
    }""", target)
    assert boxes["target"] >= max(boxes["header"], boxes["top"]), boxes


# ---------- print ----------

@pytest.mark.browser
def test_print_edition_keeps_headings_with_their_text(page: Any, server: str, tmp_path: Path) -> None:
    """The print edition as a PDF (Chromium): no page ends with a heading (read with pdftotext -bbox-layout).

    And in print layout, every worksheet box sits centred on the first line of its text.
    """
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: apt-get install poppler-utils")
    page.goto(server + "imprimer.html")
    page.emulate_media(media="print")
    problems = [f"«{row['text']}»: {p}" for row in page.evaluate(ROWS, "li.task-list-item") for p in _aligned(row)]
    headings = {" ".join(h.split()) for h in page.evaluate(
        "Array.from(document.querySelectorAll('article :is(h2, h3, h4)')).map(h => h.textContent.replace('¶', ''))")}
    pdf = tmp_path / "imprimer.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    out = tmp_path / "imprimer.html"
    subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(out)], check=True)
    doc = lxml.html.fromstring(out.read_bytes())
    pages = doc.xpath("//page")
    assert len(pages) > 10
    for number, pdf_page in enumerate(pages[:-1], start=1):
        blocks = pdf_page.xpath(".//block")
        last = " ".join(" ".join(w.text_content() for w in blocks[-1].xpath(".//word")).split()) if blocks else ""
        if last in headings:
            problems.append(f"page {number} ends with the heading «{last}»")
    assert not problems, "\n".join(problems)
