"""Tabs of one browser writing progress at machine speed: no answer lost, no reset undone, with and without Web Locks."""

from __future__ import annotations

import time
from typing import Any

import pytest

from scripts.model import quizbank
from tests.test_browser import KEY, SETTLE

pytestmark = pytest.mark.browser
BANK = quizbank.load_bank()
RUNS = {True: 10, False: 5}  # with Web Locks, and without (the fallback)
NO_LOCKS = "delete Navigator.prototype.locks;"  # a browser without Web Locks: the store's fallback path

# Every tab waits for the same `storage` event (set by another page), so that all start within a fraction of a ms.
ARM = """([ui, direct, reset]) => {
  window.__raced = null;
  window.addEventListener('storage', function go(event) {
    if (event.key !== 'go') return;
    window.removeEventListener('storage', go);
    const store = window.Partenariat.store, feedback = {};
    if (reset) store.reset();
    // through the page: the right boxes ticked, the form submitted (quiz.js saves and says « Bonne réponse »)
    ui.forEach(qid => {
      const quiz = document.querySelector(`[data-qid='${qid}']`);
      quiz.querySelectorAll('fieldset input').forEach(i => { i.checked = i.dataset.correct === 'true'; });
      quiz.querySelector('form').requestSubmit();
      feedback[qid] = quiz.querySelector('.quiz-feedback').textContent;
    });
    // straight to the store: half in a tight loop, half a few ms apart
    const put = id => store.put('answers', id, {v: ['0'], ok: true, score: 1});
    direct.forEach((id, k) => k % 2 ? setTimeout(() => put(id), k) : put(id));
    setTimeout(() => { window.__raced = feedback; }, direct.length + 1);
  });
}"""

# What this tab shows and what its localStorage holds, once its own writes have landed.
VIEW = """async (key) => {
  const store = window.Partenariat.store;
  if (store.settled) await store.settled();
  const record = JSON.parse(localStorage.getItem(key) || '{}');
  return {shown: store.all('answers').map(p => p[0]).sort(),
          stored: Object.keys((record.buckets || {}).answers || {}).sort()};
}"""


def _tabs(context: Any, server: str, count: int, page: str) -> tuple[list[Any], Any]:
    """`count` tabs on `page` (loaded side by side) and one more tab of the site, a plain file, that starts the race."""
    tabs = [context.new_page() for _ in range(count)]
    starter = context.new_page()
    for tab in tabs:
        tab.goto(server + page, wait_until="commit")
    starter.goto(server + "assets/javascripts/store.js")
    for tab in tabs:
        tab.wait_for_load_state()
    return tabs, starter


def _race(tabs: list[Any], starter: Any, plans: list[tuple[list[str], list[str], bool]]) -> list[dict[str, str]]:
    """Start every tab's plan at once; return what each page said for the questions it answered.

    A plan: questions answered through the page, ids put straight in the store, whether the tab resets first.
    """
    for tab, plan in zip(tabs, plans, strict=True):
        tab.evaluate(ARM, list(plan))
    starter.evaluate("localStorage.setItem('go', String(Math.random()))")
    said = []
    for tab in tabs:
        tab.wait_for_function("window.__raced !== null", polling=20)
        said.append(tab.evaluate("window.__raced"))
    return said


def _converged(pages: list[Any]) -> list[str]:
    """The answers every tab shows and stores once they agree (their writes landed, repairs included).

    Tabs receive one another's writes a moment later, so their views are read again until all agree; a lost answer
    makes them agree on less, which the callers' assertions catch.
    """
    deadline = time.monotonic() + 15
    while True:
        views = [page.evaluate(VIEW, KEY) for page in pages]
        lists = {tuple(v["shown"]) for v in views} | {tuple(v["stored"]) for v in views}
        if len(lists) == 1:
            return list(lists.pop())
        assert time.monotonic() < deadline, f"the tabs never agreed: {views}"
        pages[0].wait_for_timeout(50)


def _choice_questions() -> list[str]:
    """Ids of the « Définitions » questions that a click on their right boxes answers (single, multiple, true/false)."""
    return [q.id for q in BANK["definitions"].questions if q.type in {"single", "multiple", "truefalse"}]


@pytest.mark.parametrize("locks", [True, False], ids=["web-locks", "sans-web-locks"])
@pytest.mark.parametrize("count", [2, 3])
def test_tabs_answering_at_machine_speed_lose_nothing(browser: Any, server: str, count: int, locks: bool) -> None:
    """2 or 3 tabs answer at once (page submits and direct store writes a few ms apart), 10 times over (5 without locks).

    Every answer a page confirmed (« Bonne réponse ») or the store accepted is, afterwards, shown and stored in every
    tab. Also without Web Locks (deleted before any script runs), where the store writes at once and repairs.
    """
    ui = _choice_questions()
    others = [q.id for slug in ("fondements", "acteurs", "conditions") for q in BANK[slug].questions]
    for run in range(RUNS[locks]):
        context = browser.new_context()
        if not locks:
            context.add_init_script(NO_LOCKS)
        try:
            tabs, starter = _tabs(context, server, count, "definitions.html")
            assert tabs[0].evaluate("'locks' in navigator") is locks
            plans = [(ui[n::count][:3], others[n::count][:6], False) for n in range(count)]
            said = _race(tabs, starter, plans)
            for feedback in said:
                assert feedback and all(text.startswith("Bonne réponse") for text in feedback.values()), feedback
            expected = sorted(qid for plan in plans for qid in plan[0] + plan[1])
            assert _converged(tabs) == expected, f"run {run}"
        finally:
            context.close()


@pytest.mark.parametrize("locks", [True, False], ids=["web-locks", "sans-web-locks"])
def test_reset_racing_an_answer_never_brings_erased_answers_back(browser: Any, server: str, locks: bool) -> None:
    """A reset in one tab and answers in another at once, 10 times over (5 without locks): the erased stay erased.

    The answering tab had given the erased answers itself (it keeps its own changes to write them again if another
    tab's write lacks them: a reset must not count as such). An answer dated after the reset may stay.
    """
    lesson = [q.id for q in BANK["acteurs"].questions]
    erased, fresh = lesson[:4], lesson[4:8]
    for run in range(RUNS[locks]):
        context = browser.new_context()
        if not locks:
            context.add_init_script(NO_LOCKS)
        try:
            (resetter, answerer), starter = _tabs(context, server, 2, "index.html")
            answerer.evaluate("ids => ids.forEach(id => window.Partenariat.store.put('answers', id, "
                              "{v: ['0'], ok: false, score: 0}))", erased)
            answerer.evaluate(SETTLE)
            resetter.wait_for_function("n => window.Partenariat.store.all('answers').length === n", arg=len(erased))
            _race([resetter, answerer], starter, [([], [], True), ([], fresh, False)])
            left = _converged([resetter, answerer])
            assert not set(left) & set(erased), f"run {run}: erased answers came back: {left}"
            assert set(left) <= set(fresh)
            assert resetter.evaluate("window.Partenariat.store.resetDate()") > 0
        finally:
            context.close()


# Counts this page's writes of the progress key.
COUNT_WRITES = """(() => { const set = Storage.prototype.setItem; window.__writes = 0;
  Storage.prototype.setItem = function (k, v) { if (k === 'partenariat:progress:v1') window.__writes++; return set.call(this, k, v); };
})();"""
PUT = "([q, v, ok, first]) => window.Partenariat.store.put('answers', q, {v: [v], ok, score: ok ? 1 : 0, first}).done"


@pytest.mark.parametrize("locks", [True, False], ids=["web-locks", "sans-web-locks"])
def test_tabs_never_rewrite_in_turn(browser: Any, server: str, locks: bool) -> None:
    """A tab rewrites storage only when it lacks one of its changes, not when a merge reads a field differently.

    Tab B answers wrongly, tab A (as a tab that had not seen it) rightly « at first attempt », B answers again: the
    stored answer keeps B's first attempt. Seeing B's last write, A has nothing to write (before, A rewrote its
    reading of the first attempt, B rewrote back, and so on without end).
    """
    context = browser.new_context()
    context.add_init_script(COUNT_WRITES)
    if not locks:
        context.add_init_script(NO_LOCKS)
    try:
        a, b = context.new_page(), context.new_page()
        for tab in (a, b):
            tab.goto(server + "index.html")
        q = BANK["definitions"].questions[0].id
        seen = "([q, v]) => (window.Partenariat.store.get('answers', q) || {v: []}).v[0] === v"
        b.evaluate(PUT, [q, "0", False, False])
        a.wait_for_function(seen, arg=[q, "0"])
        a.evaluate(PUT, [q, "1", True, True])
        b.wait_for_function(seen, arg=[q, "1"])
        b.evaluate(PUT, [q, "2", True, False])
        a.wait_for_function(seen, arg=[q, "2"])
        a.evaluate(SETTLE)  # a write A asked for on seeing B's is done by now
        assert a.evaluate("window.__writes") == 1
        assert b.evaluate(f"JSON.parse(localStorage.getItem('{KEY}')).buckets.answers['{q}'].first") is False
    finally:
        context.close()
