"""Page weight and start-up cost: minified assets, glossary tooltips, search and theme still working."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import built_pages

ROOT = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has ``!!python/object/apply`` tags; they are irrelevant here."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _own_assets() -> list[str]:
    """The project's own scripts and stylesheet listed in mkdocs.yml (vendored files excluded)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    names = [str(n) for n in config["extra_javascript"] + config["extra_css"]]
    return [n for n in names if "/vendor/" not in n]


def test_own_scripts_and_stylesheet_are_minified(site: Path) -> None:
    """Each built script/stylesheet of ours is smaller than its source, has no comment and no indented line."""
    assets = _own_assets()
    assert any(n.endswith(".css") for n in assets) and any(n.endswith(".js") for n in assets)
    for name in assets:
        built = (site / name).read_text(encoding="utf-8")
        source = ROOT / "docs" / name
        if source.is_file():
            assert len(built) < 0.9 * len(source.read_text(encoding="utf-8")), f"{name} is not minified"
        assert not re.search(r"^\s+\S", built, flags=re.M), f"{name} keeps indented lines"
        assert "/*" not in built or name.endswith(".js"), f"{name} keeps a CSS comment"
        assert not re.search(r"^\s*//", built, flags=re.M), f"{name} keeps a line comment"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed to parse the scripts")
def test_minified_scripts_still_parse(site: Path) -> None:
    """Node.js parses every minified script of ours (``node --check``): minification broke no syntax."""
    for name in (n for n in _own_assets() if n.endswith(".js")):
        proc = subprocess.run(["node", "--check", str(site / name)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{name}: {proc.stderr}"


@pytest.mark.browser
def test_minified_assets_run_in_the_page(page: object, server: str) -> None:
    """On a lesson served over HTTP, the minified stylesheet applies and the store and quiz scripts start."""
    page.goto(server + "definitions.html")  # type: ignore[attr-defined]
    state = page.evaluate(  # type: ignore[attr-defined]
        """() => ({store: typeof (window.Partenariat && window.Partenariat.store && window.Partenariat.store.put),
                   sheet: [...document.styleSheets].some(s => (s.href || '').endsWith('extra.css') && s.cssRules.length > 10)})"""
    )
    assert state == {"store": "function", "sheet": True}


def test_first_per_section_keeps_one_tooltip_per_term_and_section() -> None:
    """A repeated term loses its ``abbr`` within a section, keeps it after a heading or in a new quiz question."""
    from scripts.build.tooltips import first_per_section

    abbr = '<abbr title="Définition">réseau</abbr>'
    html = (f'<h2 id="a">A</h2><p>{abbr} et {abbr}</p><h3 id="b">B</h3><p>{abbr}</p>'
            f'<div class="quiz" data-qid="q1"><p>{abbr} {abbr}</p></div>')
    out = first_per_section(html)
    kept = '<abbr data-preview title="Définition">réseau</abbr>'  # marked for tooltips.js, skipped by Material
    assert out == (f'<h2 id="a">A</h2><p>{kept} et réseau</p><h3 id="b">B</h3><p>{kept}</p>'
                   f'<div class="quiz" data-qid="q1"><p>{kept} réseau</p></div>')
    # a term kept by an earlier pass (content reused from a processed page) counts as seen
    assert first_per_section(f"<p>{kept} {abbr}</p>") == f"<p>{kept} réseau</p>"


def test_no_page_leaves_material_a_tooltip_to_mount(site: Path) -> None:
    """No built article has a ``[title]`` Material would mount a tooltip component on: tooltips.js shows them all."""
    import lxml.html

    left = [f"{name}: <{el.tag} title={el.get('title')[:40]!r}>"
            for name in built_pages(site) for article in lxml.html.parse(site / name).getroot().iter("article")
            for el in article.xpath(".//*[@title][not(@data-preview)]")]
    assert not left, "\n".join(left[:10])


def test_built_lesson_has_one_tooltip_per_term_per_section(site: Path) -> None:
    """In the built lesson, no glossary term carries two ``abbr[title]`` in one section, yet every term seen keeps one."""
    html = (site / "definitions.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    sections = re.split(r"<h[1-6][\s>]|<div\b[^>]*\bdata-qid=", article)
    kept = 0
    for section in sections:
        titles = re.findall(r'<abbr data-preview title="([^"]*)">', section)
        assert "<abbr title=" not in section, "a glossary term left to Material's per-element tooltips"
        assert len(titles) == len(set(titles)), f"repeated tooltip in a section: {section[:120]}"
        kept += len(titles)
    assert kept >= 10


@pytest.mark.browser
def test_glossary_tooltip_and_theme_toggle_still_work(page: object, server: str) -> None:
    """Hovering a kept glossary term opens Material's tooltip with its definition; the palette toggle switches scheme."""
    page.goto(server + "definitions.html")  # type: ignore[attr-defined]
    term = page.locator("article abbr[title]").first  # type: ignore[attr-defined]
    definition = term.get_attribute("title")
    term.hover()
    tip = page.locator(".md-tooltip2--active")  # type: ignore[attr-defined]
    tip.wait_for()
    assert definition and definition[:30] in tip.inner_text()
    body = page.locator("body")  # type: ignore[attr-defined]
    before = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()  # type: ignore[attr-defined]
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {before!r}")  # type: ignore[attr-defined]
    assert body.get_attribute("data-md-color-scheme") in {"default", "slate"}


@pytest.mark.browser
def test_glossary_tooltips_come_from_one_listener(browser: Any, server: str) -> None:
    """A kept glossary term's tooltip comes from tooltips.js alone, as Material's looked.

    It opens on hover (tap on a phone) with the definition, once, describing the term, inside a 360 px screen; it
    follows the term when the window is resized or a box around it scrolls; it leaves when the pointer does (a tap
    elsewhere) or at Escape, and the term gets its ``title`` back; it is not printed. A heading's permalink shows its
    name when focused, and hides it on blur.
    """
    for viewport, touch in (({"width": 1280, "height": 800}, False), ({"width": 360, "height": 740}, True)):
        context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        tab.goto(server + "fondements.html")
        tab.wait_for_load_state("load")
        term = tab.locator("article p abbr[data-preview]").last  # a term down the page (none left in questions)
        term.scroll_into_view_if_needed()
        definition = term.get_attribute("title")
        assert definition
        term.tap() if touch else term.hover()
        tab.wait_for_selector(".md-tooltip2--active")
        tips = tab.locator(".md-tooltip2")
        assert tips.count() == 1, "Material mounted its own tooltip on the term as well"
        assert tips.inner_text() == definition and tips.get_attribute("role") == "tooltip"
        assert term.get_attribute("aria-describedby") == tips.get_attribute("id")
        assert term.get_attribute("title") is None  # the browser's own tooltip would cover ours
        box = tab.locator(".md-tooltip2__inner").bounding_box()
        host = term.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] and box["y"] > host["y"]
        # a stale place (as after the term moved), then the window is resized or a box in the article scrolls:
        # the tooltip is back under the term
        for moved in ("window", "document.querySelector('article')"):
            placed = tab.evaluate(f"""() => {{ const style = document.querySelector('.md-tooltip2').style;
                                              const placed = style.getPropertyValue('--md-tooltip-host-y');
                                              style.setProperty('--md-tooltip-host-y', '0px');
                                              {moved}.dispatchEvent(new Event('{"resize" if moved == "window" else "scroll"}'));
                                              return [placed, style.getPropertyValue('--md-tooltip-host-y')]; }}""")
            assert placed[0] == placed[1] != "0px", moved
        tab.emulate_media(media="print")  # a tooltip open when the learner prints does not cover the text on paper
        assert not tips.is_visible()
        tab.emulate_media(media="screen")
        if touch:
            tab.locator("article h1").tap()
        else:
            tab.mouse.move(5, viewport["height"] - 5)
        tips.wait_for(state="detached")
        assert term.get_attribute("title") == definition and term.get_attribute("aria-describedby") is None
        if not touch:
            term.hover()
            tab.wait_for_selector(".md-tooltip2--active")
            tab.keyboard.press("Escape")
            assert tips.count() == 0 and term.get_attribute("title") == definition
            # a heading's permalink, reached by keyboard: its name shown, nothing added to describe it
            permalink = tab.locator("article h2 a.headerlink").first
            permalink.focus()
            tab.wait_for_selector(".md-tooltip2--active")
            assert tips.inner_text() == permalink.get_attribute("aria-label") == "Lien vers cette section"
            assert permalink.get_attribute("aria-describedby") is None
            permalink.blur()
            tips.wait_for(state="detached")
        assert not errors
        context.close()


@pytest.mark.browser
def test_search_index_waits_until_the_search_opens(page: object, server: str) -> None:
    """A page that is only read never requests the search index; opening the search loads it and results appear."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))  # type: ignore[attr-defined]
    page.goto(server + "definitions.html")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    page.wait_for_function("document.querySelector('meta[name=theme-color]')")  # type: ignore[attr-defined]  # palette mounted
    assert not [url for url in requested if "search_index" in url]
    page.locator("label.md-header__button[for='__search']").click()  # type: ignore[attr-defined]
    page.locator("input.md-search__input").press_sequentially("pérennité")  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item")  # type: ignore[attr-defined]
    assert [url for url in requested if url.endswith("search/search_index.json")]
    assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_start_up_state_set_early_is_cleared_as_material_would(page: object, server: str) -> None:
    """Start-up state set early by overrides/main.html ends as Material leaves it.

    The root has Material's « js » class, the palette's switching mark is gone once the page has started
    (transitions back), and a scheme chosen on one page is still applied on the next one.
    """
    page.goto(server + "definitions.html")  # type: ignore[attr-defined]
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")  # type: ignore[attr-defined]
    classes = page.evaluate("document.documentElement.className").split()  # type: ignore[attr-defined]
    assert "js" in classes and "no-js" not in classes
    # the body's start-up setAttribute (which keeps the switching mark off) is gone once the page has loaded
    assert not page.evaluate("Object.prototype.hasOwnProperty.call(document.body, 'setAttribute')")  # type: ignore[attr-defined]
    before = page.locator("body").get_attribute("data-md-color-scheme")  # type: ignore[attr-defined]
    page.locator("form[data-md-component=palette] label:visible").first.click()  # type: ignore[attr-defined]
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {before!r}")  # type: ignore[attr-defined]
    chosen = page.locator("body").get_attribute("data-md-color-scheme")  # type: ignore[attr-defined]
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")  # type: ignore[attr-defined]
    page.goto(server + "glossaire.html")  # type: ignore[attr-defined]
    assert page.locator("body").get_attribute("data-md-color-scheme") == chosen  # type: ignore[attr-defined]
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")  # type: ignore[attr-defined]
    assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_each_table_is_drawn_in_one_scrolling_box(page: Any, server: str) -> None:
    """At phone width, once Material has wrapped the tables, each table is drawn in exactly one box that scrolls.

    A table wider than the screen scrolls inside its box, which is then a named keyboard stop (overrides/main.html).
    """
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "construire-un-partenariat.html")
    page.wait_for_function("document.querySelector('.md-typeset__scrollwrap > .md-typeset__table > table')")
    page.wait_for_load_state("load")
    boxes = page.evaluate("""() => [...document.querySelectorAll('article table:not([class])')].map(table => {
        const drawn = [];
        for (let e = table.parentElement; e && e.tagName !== 'ARTICLE'; e = e.parentElement)
          if (e.classList.contains('md-typeset__scrollwrap') && getComputedStyle(e).display !== 'contents') drawn.push(e);
        const box = drawn[0];
        return {drawn: drawn.length, scrolls: !!box && box.scrollWidth > box.clientWidth + 1,
                stop: !!box && box.tabIndex === 0 && /défilement horizontal/.test(box.getAttribute('aria-label') || '')};
      })""")
    assert boxes and all(box["drawn"] == 1 for box in boxes), boxes
    assert any(box["scrolls"] for box in boxes), "no table wider than a 360 px screen: pick another page"
    assert all(box["stop"] for box in boxes if box["scrolls"]), boxes
    assert not page.js_errors


_WATCH_BODY = """
  window.ptSeen = [];
  new MutationObserver(records => records.forEach(r => window.ptSeen.push(
      [r.attributeName, r.target.getAttribute(r.attributeName), document.readyState])))
    .observe(document, {subtree: true, attributes: true,
                        attributeFilter: ['data-md-color-switching', 'data-md-color-scheme']});
"""


@pytest.mark.browser
def test_first_visit_on_a_dark_device_starts_dark(page: Any, server: str) -> None:
    """A first visit on a device that prefers dark shows the dark scheme from the first paint, not after Material starts.

    The scheme is set while the page is still being parsed (Material sets it again later, to the same value); the
    palette's switching mark never goes on while the page starts (it would restyle the whole page twice for no
    change); switching to light marks the body while the colours change and unmarks it, as Material does.
    """
    page.emulate_media(color_scheme="dark")
    page.add_init_script(_WATCH_BODY)
    page.goto(server + "definitions.html")
    page.wait_for_function("document.querySelector('meta[name=theme-color]')")  # Material's palette has started
    page.wait_for_function("document.readyState === 'complete'")
    seen = page.evaluate("window.ptSeen")
    schemes = [(value, state) for name, value, state in seen if name == "data-md-color-scheme"]
    assert schemes[0] == ("slate", "loading"), seen  # dark while the page is still being parsed
    assert {value for value, _ in schemes} == {"slate"}, seen
    assert not [mark for mark in seen if mark[0] == "data-md-color-switching"], seen
    page.evaluate("window.ptSeen = []")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
    marks = [value for name, value, _ in page.evaluate("window.ptSeen") if name == "data-md-color-switching"]
    assert marks == ["", None]  # marked while the colours change, then unmarked, as Material does
    assert not page.js_errors


# Each time a « color-scheme » meta tag is added, or changes, Chromium restyles every element of the page.
_WATCH_SCHEME_TAG = """
  window.ptSchemeTag = [];
  new MutationObserver(records => records.forEach(r => {
      const added = [...r.addedNodes].some(n => n.nodeName === 'META' && n.name === 'color-scheme');
      if (added || (r.type === 'attributes' && r.target.nodeName === 'META' && r.target.name === 'color-scheme'))
          window.ptSchemeTag.push([r.type, !!document.querySelector('article')]);
  })).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['name', 'content']});
"""


@pytest.mark.browser
@pytest.mark.parametrize("device", ["light", "dark"])
def test_color_scheme_tag_is_set_before_the_article_and_follows_the_toggle(page: Any, server: str, device: str) -> None:
    """The page's « color-scheme » tag is added and set before the article is parsed, never again at start-up.

    One tag, with the scheme shown (as Material computes it, from the header); Material's own tag is kept out of
    the browser's sight and its value copied: switching scheme with the header toggle updates the page's tag.
    """
    page.emulate_media(color_scheme=device)
    page.add_init_script(_WATCH_SCHEME_TAG)
    page.goto(server + "definitions.html")
    page.wait_for_function("document.querySelector('meta[name=pt-material-color-scheme]')?.content")  # Material started
    header_scheme = "getComputedStyle(document.querySelector('[data-md-component=header]')).colorScheme"
    state = page.evaluate(f"""() => ({{
        tags: [...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content),
        material: document.querySelector('meta[name=pt-material-color-scheme]').content,
        shown: {header_scheme}, changes: window.ptSchemeTag}})""")
    assert state["tags"] == [state["shown"]] == [state["material"]] == [device], state
    assert state["changes"] and not any(late for _, late in state["changes"]), state  # only while the article is not there
    page.locator("form[data-md-component=palette] label:visible").first.click()
    other = "dark" if device == "light" else "light"
    page.wait_for_function(f"document.querySelector('meta[name=color-scheme]').content === {other!r}")
    assert page.evaluate(header_scheme) == other
    assert page.locator("meta[name=color-scheme]").count() == 1
    assert not page.js_errors


def _trace_load(page: Any, url: str) -> list[dict[str, Any]]:
    """The browser's timeline events (tasks, scripts, events dispatched) while ``url`` loads."""
    cdp = page.context.new_cdp_session(page)
    events: list[dict[str, Any]] = []
    done: list[bool] = []
    cdp.on("Tracing.dataCollected", lambda message: events.extend(message["value"]))
    cdp.on("Tracing.tracingComplete", lambda message: done.append(True))
    cdp.send("Tracing.start", {"transferMode": "ReportEvents", "traceConfig": {
        "includedCategories": ["devtools.timeline", "disabled-by-default-devtools.timeline"]}})
    page.goto(url)
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(50)
    return events


@pytest.mark.browser
def test_our_start_up_runs_in_a_task_of_its_own(page: Any, server: str) -> None:
    """Our scripts start in a task of their own, not in the one where DOMContentLoaded runs Material's start-up.

    A page's longest task is the one that fires DOMContentLoaded; Chromium runs the last deferred script in it,
    hence the empty script after ours (scripts/build/minify.py).
    """
    events = _trace_load(page, server + "fondements.html")
    ours = next(e for e in events if e.get("name") == "EvaluateScript" and "/partenariat." in e["args"]["data"].get("url", ""))
    ready = next(e for e in events if e.get("name") == "EventDispatch" and e["args"]["data"].get("type") == "DOMContentLoaded"
                 and e["pid"] == ours["pid"] and e["tid"] == ours["tid"] and e["ts"] > ours["ts"])
    # a thread's tasks do not nest (some are traced as begin/end pairs): an event belongs to the last task begun
    starts = sorted(e["ts"] for e in events if e.get("name") == "RunTask" and e.get("ph") in ("X", "B")
                    and (e["pid"], e["tid"]) == (ours["pid"], ours["tid"]))

    def task_of(event: dict[str, Any]) -> int:
        return max(ts for ts in starts if ts <= event["ts"])

    assert task_of(ours) != task_of(ready)
    assert not page.js_errors


@pytest.mark.browser
def test_phone_menu_works_by_keyboard(page: Any, server: str) -> None:
    """At phone width the menu opens, closes and takes the focus by keyboard.

    The menu button opens it by keyboard, the focus goes to a link on screen, Escape closes it and gives the focus
    back to the button.
    """
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "definitions.html")
    page.wait_for_load_state("load")
    button = page.locator("button.pt-drawer-button")
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    focused = page.evaluate("""() => { const a = document.activeElement, box = a.getBoundingClientRect();
        return {inMenu: !!a.closest('.md-sidebar--primary'), text: a.textContent.trim(), width: box.width}; }""")
    assert focused["inMenu"] and focused["text"] and focused["width"] > 0, focused
    page.locator(".md-sidebar--primary a[href='fondements.html']").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('pt-drawer-button')")
    assert not page.js_errors


def test_questions_held_back_from_search_come_back_unchanged() -> None:
    """The search hook takes each marked question out of a page's content and puts it back byte for byte."""
    from scripts.build.quizrender import marked_for_search
    from scripts.build.search import hold_back, put_back

    first = '<div class="quiz" data-qid="a" data-search-exclude><h3>Question 1</h3><p>Lange (2003)</p></div>'
    second = '<div class="quiz" data-qid="b" data-search-exclude><p>Pelletier (1997)</p></div>'
    page = f"<h2 id='quiz'>Quiz</h2>\n{marked_for_search(first)}\n<p>entre</p>{marked_for_search(second)}<p>fin</p>"
    content, held = hold_back(page)
    assert held == [first, second]
    assert "Lange" not in content and "Pelletier" not in content and "<p>entre</p>" in content
    assert put_back(f"<html>{content}</html>", held) == f"<html>{page}</html>".replace(
        marked_for_search(first), first).replace(marked_for_search(second), second)


def _search_sections(html: str) -> list[tuple[str | None, str, str]]:
    """What Material's search plugin reads from an article: (anchor, title, text) of each section it keeps."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data if not s.is_excluded()]


def test_held_back_questions_add_nothing_to_the_search_index(site: Path) -> None:
    """Every searched page with questions gives Material's parser the same sections without its questions.

    This is what lets scripts/build/search.py hold questions back from the plugin: were a question indexable (no
    ``data-search-exclude``, or a heading with an id), its page's sections would differ. No marker is left behind.
    """
    import lxml.html

    from scripts.build.quizrender import NOT_READ_BY_SEARCH
    from scripts.build.search import HELD, searched

    checked = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert not HELD.search(html) and NOT_READ_BY_SEARCH[0] not in html, path.name
        article = lxml.html.fromstring(html).find(".//article")
        source = path.relative_to(site).with_suffix(".md").as_posix()
        if article is None or not searched(source) or not article.xpath(".//div[@data-qid]"):
            continue
        whole = lxml.html.tostring(article, encoding="unicode")
        for question in article.xpath(".//div[@data-qid]"):
            question.drop_tree()
        assert _search_sections(lxml.html.tostring(article, encoding="unicode")) == _search_sections(whole), source
        checked += 1
    assert checked >= 8  # the lessons and the final assessment
