"""The theme layer at run time, tested where a learner meets it.

What overrides/main.html, overrides/404.html, extra.css and the diagram hook change in Material's behaviour: phone
menu, search highlight, diagrams, print, 404 page, refused site data; online and from file://, in both schemes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import serve_folder
from tests.test_a11y import settle
from tests.test_deploy import _SubfolderHandler

pytestmark = pytest.mark.browser

# ---------- helpers ----------

_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _rgba(css: str) -> tuple[float, float, float, float]:
    """A computed CSS colour (``rgb(…)`` or ``rgba(…)``) as (r, g, b, alpha)."""
    found = _RGB.fullmatch(css.strip())
    assert found, f"unexpected colour {css!r}"
    r, g, b, a = found.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def _over(top: tuple[float, float, float, float], below: tuple[float, float, float]) -> tuple[float, float, float]:
    """``top`` composited over the opaque colour ``below``."""
    alpha = top[3]
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], below, strict=True))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour (0–255 channels)."""
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two opaque colours."""
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture()
def new_page(browser: Any) -> Iterator[Any]:
    """Makes pages in fresh contexts (``new_page(width, scheme, init_script)``) that record JavaScript errors."""
    contexts: list[Any] = []

    def make(width: int = 1280, scheme: str = "light", init_script: str | None = None) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


# ---------- the phone menu (overrides/main.html: the menu <button>; extra.css: the drawer's levels) ----------

# Where the keyboard focus is, and whether a person sees it: on screen, on top (not under an open level), and how far
# the drawer's scrolling box has been pushed sideways.
_FOCUS = """() => {
  const a = document.activeElement, box = a.getBoundingClientRect();
  const wrap = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap');
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {inDrawer: !!a.closest('.md-sidebar--primary'), tag: a.tagName, href: a.getAttribute('href'),
          text: a.textContent.trim().replace(/\\s+/g, ' '),
          onScreen: box.width > 0 && box.left >= 0 && box.right <= innerWidth && box.top >= 0 && box.bottom <= innerHeight,
          onTop: !!hit && (hit === a || a.contains(hit)), shift: wrap.scrollLeft};
}"""

# The « Le module » level of the drawer and its links, by their titles.
_MODULE_LINKS = """() => {
  const level = [...document.querySelectorAll('.md-sidebar--primary nav.md-nav')]
    .find(nav => nav.querySelector(':scope > .md-nav__title')?.textContent.trim() === 'Le module');
  return [...level.querySelectorAll(':scope > .md-nav__list > .md-nav__item > a[href]')]
    .filter(a => a.getClientRects().length).map(a => a.getAttribute('href'));
}"""

# The « Le module » link « Fondements » is on screen and drawn on top: the drawer has slid in and shows that level.
_MODULE_SHOWN = """() => {
  const a = document.querySelector('.md-sidebar--primary a.md-nav__link[href="fondements.html"]');
  const box = a.getBoundingClientRect(), hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return box.left >= 0 && box.right <= innerWidth && !!hit && a.contains(hit);
}"""


def _origin(kind: str, server: str, site: Path) -> str:
    """The site's root address, served over http or opened from disk (the offline edition)."""
    return server if kind == "http" else site.as_uri() + "/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("origin", ["http", "file"])
@pytest.mark.parametrize("width", [360, 768, 1100])
def test_menu_opens_on_the_module_list_with_a_visible_focus(new_page: Any, server: str, site: Path, width: int,
                                                            origin: str, scheme: str) -> None:
    """Below 1,220 px the ☰ menu opens on « Le module », the focus on one of its links, on screen; nothing shifts.

    Tapped, the menu shows the « Le module » list of a lesson (not the lesson's contents panel beside it), the drawer's
    box is not pushed sideways, the focus is on a « Le module » link a person sees. Tab then walks the rest of that
    list in order, on screen, and Shift+Tab from the first link never lands out of sight in the drawer. Escape
    closes the menu and gives the focus back to the button; Enter on the button opens it again the same way.
    """
    page = new_page(width, scheme)
    page.goto(_origin(origin, server, site) + "definitions.html")
    page.wait_for_load_state("load")
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    button = page.get_by_role("button", name="Navigation")
    links = page.evaluate(_MODULE_LINKS)
    assert "fondements.html" in links and "evaluation-finale.html" in links, links

    for opening in ("tap", "keyboard"):
        if opening == "tap":
            button.click()
        else:
            button.focus()
            page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        page.wait_for_function(_MODULE_SHOWN)
        first = page.evaluate(_FOCUS)
        assert first["inDrawer"] and first["tag"] == "A" and first["href"] in links, first
        assert first["onScreen"] and first["onTop"] and first["shift"] == 0, first
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('pt-drawer-button')")
        assert not page.locator("#__drawer").is_checked()

    button.click()
    page.wait_for_function(_MODULE_SHOWN)
    start = page.evaluate(_FOCUS)
    # Tab walks the rest of « Le module », each link on screen and on top, the drawer never pushed sideways.
    for href in links[links.index(start["href"]) + 1:]:
        page.keyboard.press("Tab")
        now = page.evaluate(_FOCUS)
        assert now["href"] == href and now["onScreen"] and now["onTop"] and now["shift"] == 0, (href, now)
    # Back to the first link, then one step before it: never a place in the drawer that cannot be seen.
    page.locator(f".md-sidebar--primary a.md-nav__link[href='{start['href']}']").first.focus()
    page.keyboard.press("Shift+Tab")
    before = page.evaluate(_FOCUS)
    assert before["shift"] == 0, before
    assert not before["inDrawer"] or before["onTop"], before
    assert not page.js_errors


def test_menu_levels_still_open_and_close_by_touch(new_page: Any, server: str) -> None:
    """The drawer's closed levels, hidden once out of sight, still open and close by touch.

    On the home page at 360 px, « Ressources » opens its level on a tap, its links on screen, and its back arrow
    closes it.
    """
    page = new_page(360)
    page.goto(server + "index.html")
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Navigation").click()
    ressources = page.locator(".md-sidebar--primary label.md-nav__link", has_text="Ressources")
    ressources.click()
    glossary = page.locator(".md-sidebar--primary a.md-nav__link[href='glossaire.html']")
    page.wait_for_function("""() => { const a = document.querySelector('.md-sidebar--primary a[href="glossaire.html"]');
        const b = a.getBoundingClientRect(), hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return b.left >= 0 && b.right <= innerWidth && !!hit && a.contains(hit); }""")
    assert glossary.is_visible()
    page.locator(".md-sidebar--primary nav.md-nav > label.md-nav__title", has_text="Ressources").click()
    page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary a[href=\"glossaire.html\"]'))"
                           ".visibility === 'hidden'")
    assert ressources.is_visible()
    assert not page.js_errors


@pytest.mark.parametrize("width", [360, 1100])
def test_menu_sections_open_by_keyboard(new_page: Any, server: str, width: int) -> None:
    """From the home page, the keyboard alone reaches every lesson through the ☰ menu.

    « Le module » and « Ressources » are sections (Material renders their labels unfocusable): with the drawer open,
    Tab reaches « Le module », Enter opens its level, and Tab then lands on its first lesson, on screen. Closed, the
    drawer leaves the labels unfocusable again, as the wide layout's headings.
    """
    page = new_page(width)
    page.goto(server + "index.html")
    page.wait_for_load_state("load")
    button = page.get_by_role("button", name="Navigation")
    button.click()
    page.wait_for_function("document.getElementById('__drawer').checked")
    for _ in range(12):  # walk the top level of the drawer until « Le module »
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "__nav_2_label":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Le module", page.evaluate(_FOCUS)
    page.keyboard.press("Enter")
    page.wait_for_function(_MODULE_SHOWN)
    page.keyboard.press("Tab")
    now = page.evaluate(_FOCUS)
    assert now["href"] in page.evaluate(_MODULE_LINKS) and now["onScreen"] and now["shift"] == 0, now
    page.keyboard.press("Escape")
    assert page.locator("#__nav_2_label").get_attribute("tabindex") == ""
    assert not page.js_errors


# ---------- search highlighting (overrides/main.html, extrahead) ----------

_DIAGRAM_TEXTS = "() => [...document.querySelectorAll('svg.schema-svg text')].map(t => t.innerHTML)"


@pytest.mark.parametrize(("name", "query"), [("acteurs.html", "l'etat catalyseur"), ("outils.html", "partenariat")])
def test_search_highlight_leaves_diagram_text_intact(new_page: Any, server: str, name: str, query: str) -> None:
    """Opened from a search result (« ?h= »), a page marks the words in its text, never in a diagram's SVG text.

    A <mark> is no SVG element: the words it took vanished from the drawing.
    """
    page = new_page(360)
    page.goto(server + name)
    page.wait_for_load_state("load")
    plain = page.evaluate(_DIAGRAM_TEXTS)
    assert plain
    page.goto(server + name + "?h=" + quote(query))
    page.wait_for_load_state("load")
    assert page.locator("article mark[data-md-highlight]").count() > 0  # the highlighter ran on the text
    assert page.locator("svg mark").count() == 0
    assert page.evaluate(_DIAGRAM_TEXTS) == plain
    assert not page.js_errors


# ---------- diagrams on a phone (scripts/build/svg.py, overrides/main.html, schemas.js) ----------

def test_wide_diagram_says_it_pans_on_a_phone_only(new_page: Any, server: str) -> None:
    """At 360 px a diagram wider than the screen says, above it, that it scrolls sideways; at 1,280 px it does not.

    At 1,280 px the same diagram fits its frame and the line stays hidden.
    """
    phone = new_page(360)
    phone.goto(server + "acteurs.html")
    phone.wait_for_load_state("load")
    figure = phone.locator("figure.schema").first
    phone.wait_for_function("document.querySelector('figure.schema .schema-scroll').getAttribute('role') === 'region'")
    hint = figure.locator(".schema-hint")
    assert hint.is_visible()
    assert "défiler" in hint.inner_text()
    desk = new_page(1280)
    desk.goto(server + "acteurs.html")
    desk.wait_for_load_state("load")
    desk.wait_for_function("document.querySelector('figure.schema .schema-scroll').scrollWidth"
                           " <= document.querySelector('figure.schema .schema-scroll').clientWidth + 1")
    assert not desk.locator("figure.schema .schema-hint").first.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagram_zoom_opens_larger_in_the_page_and_closes(new_page: Any, server: str, scheme: str) -> None:
    """At 360 px « Agrandir le schéma » shows the diagram larger than in the page, and closes without Back.

    The dialog shows it in the page's colours, pans both ways and has « Fermer »; Escape or « Fermer » closes it,
    the diagram back in place, the focus on the link, the address unchanged.
    """
    page = new_page(360, scheme)
    page.goto(server + "acteurs.html")
    page.wait_for_load_state("load")
    address = page.url
    figure = page.locator("figure.schema").first
    in_page = figure.locator("svg.schema-svg").evaluate("svg => svg.getBoundingClientRect().width")
    fill = figure.locator("svg.schema-svg .sch-box").first.evaluate("r => getComputedStyle(r).fill")
    link = figure.locator("a.schema-zoom")
    for closing in ("Escape", "Fermer"):
        link.click()
        dialog = page.locator("dialog.pt-zoom[open]")
        dialog.wait_for()
        assert page.url == address
        zoomed = dialog.locator("svg.schema-svg")
        assert zoomed.evaluate("svg => svg.getBoundingClientRect().width") >= 1.4 * in_page
        assert zoomed.locator(".sch-box").first.evaluate("r => getComputedStyle(r).fill") == fill
        view = dialog.locator(".pt-zoom__view")
        assert view.evaluate("v => v.scrollWidth > v.clientWidth && v.scrollHeight > v.clientHeight")
        close = dialog.get_by_role("button", name="Fermer")
        assert close.is_visible()
        assert close.evaluate("b => b === document.activeElement")
        if closing == "Escape":
            page.keyboard.press("Escape")
        else:
            close.click()
        dialog.wait_for(state="detached")
        assert figure.locator(".schema-scroll svg.schema-svg").count() == 1
        assert link.evaluate("a => a === document.activeElement")
    assert not page.js_errors


# ---------- print (extra.css) ----------

_LINK_COLOURS = """() => {
  const background = el => {  /* the first opaque background from the element up */
    for (let node = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll('article a[href]')].filter(a => a.getClientRects().length)
    .map(a => [a.textContent.trim().slice(0, 40), getComputedStyle(a).color, background(a)]);
}"""


@pytest.mark.parametrize("name", ["essentiel/definitions.html", "essentiel/acteurs.html"])
def test_print_from_dark_scheme_gives_dark_links_on_white(new_page: Any, server: str, name: str) -> None:
    """Printed while the screen shows the dark scheme, « L'essentiel » is on white, its links dark, ≥ 4.5:1."""
    page = new_page(1280, "dark")
    page.goto(server + name)
    page.wait_for_load_state("load")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.emulate_media(media="print")
    settle(page)  # Material's links change colour with a transition
    paper = _rgba(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert _luminance(paper[:3]) > 0.95, paper
    text = _over(_rgba(page.evaluate("getComputedStyle(document.querySelector('article')).color")), paper[:3])
    assert _contrast(text, paper[:3]) >= 4.5
    links = page.evaluate(_LINK_COLOURS)
    assert links
    problems = []
    for label, colour, background in links:
        under = _over(_rgba(background), paper[:3])
        ratio = _contrast(_over(_rgba(colour), under), under)
        if ratio < 4.5 or _luminance(under) < 0.9:
            problems.append(f"« {label} »: {colour} on {background}, {ratio:.1f}:1")
    assert not problems, "\n".join(problems)


# ---------- the 404 page (overrides/404.html) ----------

def _requests(page: Any) -> list[tuple[str, str]]:
    """(method, url) of every request the page sends, as they happen."""
    sent: list[tuple[str, str]] = []
    page.on("request", lambda request: sent.append((request.method, request.url)))
    return sent


def _search(page: Any, query: str) -> list[str]:
    """Opens the search, types ``query``; the results' texts once Material has counted them."""
    toggle = page.locator("label.md-header__button[for='__search']")
    if toggle.is_visible():
        toggle.click()
    else:
        page.locator("input.md-search__input").focus()
    # the index is loaded (Material's French placeholder replaced the initializer): a query sent before is lost
    page.wait_for_function("!document.querySelector('.md-search-result__meta').textContent.includes('Initialisation')")
    page.locator("input.md-search__input").press_sequentially(query)  # Material reads the query on keyup
    page.wait_for_function("/trouvé/.test(document.querySelector('.md-search-result__meta').textContent)")
    return page.locator(".md-search-result__item").all_inner_texts()


def test_404_under_a_subfolder_searches_from_the_site_root(new_page: Any, site: Path) -> None:
    """The 404 page of a sub-folder address loads the search index from the site's root.

    For /cours/formateurs/nope.html (site under /cours/) the search finds results, nothing is asked of
    /cours/formateurs/search/, and the scheme chosen on another page of the site is the one shown.
    """
    with serve_folder(site, _SubfolderHandler) as url:
        page = new_page(1280)
        page.goto(url + "cours/index.html")
        page.wait_for_load_state("load")
        page.locator("form[data-md-component=palette] label:not([hidden])").click()
        page.locator("body[data-md-color-scheme='slate']").wait_for(state="attached")
        sent = _requests(page)
        response = page.goto(url + "cours/formateurs/nope.html")
        assert response is not None and response.status == 404
        page.wait_for_load_state("load")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert _search(page, "partenariat")
        assert ("GET", url + "cours/search/search_index.json") in sent
        assert not [u for _, u in sent if "/formateurs/search/" in u], sent
        assert not page.js_errors


def test_404_at_a_very_deep_address_sends_few_requests(new_page: Any, site: Path) -> None:
    """At /cours/a/a/…/x.html (2,000 folders) the 404 page finds the site root in a few probes, not 2,001.

    It is still styled, with a working link home.
    """
    with serve_folder(site, _SubfolderHandler) as url:
        page = new_page(1280)
        sent = _requests(page)
        response = page.goto(url + "cours/" + "a/" * 2000 + "x.html")
        assert response is not None and response.status == 404
        page.wait_for_load_state("load")
        probes = [u for method, u in sent if method == "HEAD"]
        assert 1 <= len(probes) <= 10, len(probes)
        home = page.locator("article a", has_text="accueil du module").evaluate("a => a.href")
        assert home == url + "cours/index.html"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"


# ---------- refused site data (overrides/main.html, extrahead) ----------

REFUSE_STORAGE = {
    # Blocked cookies and site data: reading window.localStorage throws.
    "property": """for (const name of ['localStorage', 'sessionStorage']) Object.defineProperty(window, name, {
        configurable: true, get() { throw new DOMException('The access is denied for this document.', 'SecurityError'); }});""",
    # Storage present, every use of it refused.
    "methods": """for (const name of ['getItem', 'setItem', 'removeItem', 'key', 'clear']) Storage.prototype[name] =
        function () { throw new DOMException('The access is denied for this document.', 'SecurityError'); };""",
}


@pytest.mark.parametrize("how", sorted(REFUSE_STORAGE))
@pytest.mark.parametrize("width", [360, 1280])
def test_blocked_storage_keeps_search_and_theme_toggle_and_says_progress_is_not_kept(new_page: Any, server: str,
                                                                                    how: str, width: int) -> None:
    """Where the browser refuses site data, search and the scheme toggle work and the page says so in French.

    Pages start without error, the search finds results, the scheme toggle switches the page, and a banner says
    that progress cannot be kept.
    """
    page = new_page(width, "light", REFUSE_STORAGE[how])
    page.goto(server + "definitions.html")
    page.wait_for_load_state("load")
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    toggle.click()
    page.locator("body[data-md-color-scheme='slate']").wait_for(state="attached")
    toggle.click()
    page.locator("body[data-md-color-scheme='default']").wait_for(state="attached")
    banner = page.locator(".pt-store-banner")
    banner.wait_for()
    assert "ne sera pas conservée" in banner.inner_text()
    assert any("partenariat" in r.lower() for r in _search(page, "partenariat"))
    assert not page.js_errors
