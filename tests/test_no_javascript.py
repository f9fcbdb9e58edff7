"""Without JavaScript, a quiz says in French that it needs it, and « Valider » never reloads the page silently."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

NOTICE = "Ce quiz a besoin de JavaScript pour vérifier et enregistrer vos réponses"


@pytest.fixture(params=[360, 1280], ids=["phone", "desktop"])
def no_js_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A page in a fresh context with JavaScript turned off, at phone and desktop widths."""
    width = request.param
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.width = width
    yield page
    context.close()


def _notice_is_shown(page: Any, scope: Any) -> None:
    """The notice inside ``scope`` is visible, in French, and within the screen's width."""
    notice = scope.locator(".quiz-noscript").first
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"{NOTICE}\u00a0: activez JavaScript dans votre navigateur")
    box = notice.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.width, box


def _notices_read_aloud(page: Any) -> int:
    """How many times the notice is in Chromium's accessibility tree (what screen readers get), not ignored.

    Asked of Chromium itself: Playwright's own ARIA snapshot leaves every <noscript> out, even when it is shown.
    """
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return sum(1 for node in nodes if node["role"]["value"] == "StaticText" and not node.get("ignored")
               and NOTICE in node.get("name", {}).get("value", ""))


@pytest.mark.browser
def test_lesson_quiz_without_javascript_says_so_and_does_not_reload(no_js_page: Any, server: str) -> None:
    """JavaScript off: each question of a lesson shows the French notice where « Valider » was, hidden.

    Enter on a chosen radio button or in a fill-in blank (what « Valider » did) sends no request and leaves the
    address as it was: the page is not reloaded with ?answer=…. Nothing can announce a navigation that does not
    happen, so each Enter is given two seconds to start one.
    """
    page = no_js_page
    page.goto(server + "definitions.html")
    assert page.locator("html").get_attribute("class") == "no-js"
    address = page.url
    blank = page.locator(".quiz[data-type='fill'] .quiz-blank-input").first
    blank.fill("coopération")
    radio = page.locator(".quiz[data-type='single'] input[type='radio']").first
    radio.check()
    for field in (radio, blank):
        with pytest.raises(PlaywrightTimeoutError), page.expect_request(lambda r: "answer=" in r.url, timeout=2000):
            field.press("Enter")
        assert page.url == address
    expect(blank).to_have_value("coopération")  # the page was not reloaded: what was typed is still there
    quizzes = page.locator(".quiz[data-qid]")
    assert quizzes.count() >= 8
    for index in range(quizzes.count()):
        quiz = quizzes.nth(index)
        _notice_is_shown(page, quiz)
        expect(quiz.locator(".quiz-button")).to_be_hidden()
    assert _notices_read_aloud(page) == quizzes.count()


@pytest.mark.browser
@pytest.mark.parametrize(("name", "root"), [("revoir.html", "[data-review]"), ("s-entrainer.html", "[data-practice]")])
def test_review_page_without_javascript_says_so(no_js_page: Any, server: str, name: str, root: str) -> None:
    """JavaScript off: « Revoir mes erreurs » and « S’entraîner », whose questions a script chooses, show the notice."""
    page = no_js_page
    page.goto(server + name)
    _notice_is_shown(page, page.locator(root))
    assert _notices_read_aloud(page) == 1  # the hidden questions' own notices are not read


@pytest.mark.browser
def test_with_javascript_the_notice_stays_out(page: Any, server: str) -> None:
    """JavaScript on: no notice anywhere in the quiz, and « Valider » is there to click."""
    page.goto(server + "definitions.html")
    quiz = page.locator(".quiz[data-qid]").first
    expect(quiz.locator(".quiz-button")).to_be_visible()
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    assert _notices_read_aloud(page) == 0
