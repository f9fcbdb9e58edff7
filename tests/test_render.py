"""Questions rendered once and reused: the lesson, the print worksheet and the answer key agree."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from scripts.build import quizrender, sealed, trainer
from scripts.model import course, quizbank
from tests.conftest import ROOT

BANK = quizbank.load_bank()
QUESTIONS = {q.id: (slug, q) for slug, quiz in BANK.items() for q in quiz.questions}
CHOICE_TYPES = ("single", "multiple", "truefalse")
# On paper: every lesson question, and of the final the items of its two print forms (sealed.print_forms)
PRINTED = ({q.id for slug, quiz in BANK.items() if slug != trainer.FINAL for q in quiz.questions}
           | {qid for _, ids in sealed.print_forms(BANK[trainer.FINAL]) for qid in ids})


def _doc(site: Path, name: str) -> Any:
    return lxml.html.fromstring((site / name).read_text(encoding="utf-8"))


def _plain(markdown: str) -> str:
    """A choice's Markdown as its rendered text reads (emphasis, code and links removed, spaces folded)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*`]", "", text).split())


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def test_every_question_renders_with_its_id_everywhere(site: Path) -> None:
    """Each question appears under its id on its page and in the answer key, and on paper if it is printed.

    Every lesson question is printed; of the final pool, the items of the print edition's two forms.
    """
    printed = {el.get("data-qid") for el in _doc(site, "imprimer.html").xpath("//li[@data-qid]")}
    keyed = {el.get("data-qid") for el in _doc(site, "formateurs/corrige.html").xpath("//li[@data-qid]")}
    pages: dict[str, Any] = {}
    for qid, (slug, question) in QUESTIONS.items():
        doc = pages.setdefault(slug, _doc(site, f"{slug}.html"))
        found = doc.xpath(f"//*[@id='q-{qid}']")
        assert len(found) == 1, f"{slug}.html: no element with id q-{qid}"
        assert (found[0].get("data-qid"), found[0].get("data-type")) == (qid, question.type)
        assert (qid in printed) == (qid in PRINTED), f"imprimer.html: worksheet item for {qid}"
        assert qid in keyed, f"formateurs/corrige.html: no answer-key item for {qid}"
    assert not re.search(r"partenariat:\w+:", (site / "imprimer.html").read_text(encoding="utf-8"))


def test_choices_in_shown_order_on_page_worksheet_and_key(site: Path) -> None:
    """Choices appear in display_choices() order on the web page, the worksheet and the answer key; letters agree."""
    sheet = _doc(site, "imprimer.html")
    key = _doc(site, "formateurs/corrige.html")
    pages: dict[str, Any] = {}
    checked = 0
    for qid, (slug, question) in QUESTIONS.items():
        if question.type not in CHOICE_TYPES:
            continue
        shown = quizrender.shown_choices(question)
        expected = [_plain(c.text) for c in shown]
        doc = pages.setdefault(slug, _doc(site, f"{slug}.html"))
        quiz = doc.xpath(f"//*[@id='q-{qid}']")[0]
        labels = [_text(label) for label in quiz.xpath(".//fieldset//label")]
        assert labels == expected, f"{slug}.html, {qid}: choices not in the shown order"
        values = [int(i.get("value")) for i in quiz.xpath(".//fieldset//input")]
        assert [question.choices[v] for v in values] == list(shown), f"{qid}: input values are not the YAML indexes"
        letters = quizbank.LETTERS[: len(shown)]
        if qid not in PRINTED:
            continue
        # an item in both print forms is printed twice, the same way: its first copy is read
        printed = [_text(li) for li in sheet.xpath(f"(//li[@data-qid='{qid}'])[1]//ul[@class='worksheet-choices']/li")]
        assert printed == [f"☐ {letter}. {text}" for letter, text in zip(letters, expected, strict=True)], qid
        right = [f"{letters[i]}." for i, c in enumerate(shown) if c.correct]
        assert right == [f"{letter}." for letter in question.correct_letters]
        item = key.xpath(f"//li[@data-qid='{qid}']")[0]
        if question.type == "truefalse":
            assert _text(item.xpath(".//ul[@class='answer-key-answers']")[0]) == f"Réponse : {question.correct_texts[0]}"
            continue
        named = [_text(li).split(" ", 1)[0] for li in item.xpath(".//ul[@class='answer-key-answers']/li")
                 if "— bonne réponse" in _text(li)]
        assert named == right, f"{qid}: the answer key names {named}, the worksheet shows the right ones as {right}"
        checked += 1
    assert checked >= 10


def test_answer_key_has_answers_and_explanations(site: Path) -> None:
    """The built answer key: every question with its direct link, right answer(s) and explanation, by lesson."""
    page = (site / "formateurs" / "corrige.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(page)
    for qid, (slug, question) in QUESTIONS.items():
        item = doc.xpath(f"//li[@data-qid='{qid}']")[0]
        assert item.xpath(f".//a[@href='../{slug}.html#q-{qid}']"), qid
        answers = _text(item.xpath(".//ul[@class='answer-key-answers']")[0])
        for text in question.correct_texts:
            assert _plain(text) in answers, qid
        explanation = _text(item.xpath(".//div[@class='answer-key-explanation']")[0])
        assert _plain(question.explanation)[:40] in explanation, qid
    headings = [h.get("id") for h in doc.xpath("//article//h2") if (h.get("id") or "").startswith("corrige-")]
    titles = trainer.load_model().titles
    assert headings == [f"corrige-{s}" for s in titles if s in BANK]
    assert 'href="../definitions.html#lange"' in page  # the bank's links work from docs/formateurs/


def test_each_trainer_sheet_links_to_its_lessons_answer_key(site: Path) -> None:
    """Each lesson's trainer sheet links to that lesson's own section of the answer key."""
    for lesson in course.load_lessons():
        if lesson.slug not in BANK:
            continue
        doc = _doc(site, f"formateurs/{lesson.slug}.html")
        assert doc.xpath(f"//article//a[@href='corrige.html#corrige-{lesson.slug}']"), lesson.slug


def test_relink_leaves_anchors_and_absolute_urls() -> None:
    """Fragments rendered at docs/ root get `up` on relative links only."""
    html = '<a href="a.html#x">1</a><a href="#y">2</a><a href="https://e.org/">3</a><img src="i.svg"><a href="/r">4</a>'
    assert quizrender.relink(html, "../") == (
        '<a href="../a.html#x">1</a><a href="#y">2</a><a href="https://e.org/">3</a><img src="../i.svg"><a href="/r">4</a>')
    assert quizrender.relink(html, "") == html


def test_a_build_renders_each_question_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One build: each question through mkdocs-quiz once, one translation set-up, the bank and each lesson read once.

    Each lesson's text is also turned into HTML once: its own page, reused by the print edition.
    """
    import markdown
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs_quiz import plugin, translations

    calls = {"quiz": 0, "translations": 0, "bank": 0, "lessons": 0, "markdown": 0}

    def counting(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(plugin.MkDocsQuizPlugin, "_process_quiz", counting("quiz", plugin.MkDocsQuizPlugin._process_quiz))
    monkeypatch.setattr(translations.TranslationManager, "__init__",
                        counting("translations", translations.TranslationManager.__init__))
    monkeypatch.setattr(quizbank, "load_quiz", counting("bank", quizbank.load_quiz))  # a quiz file validated
    quizbank._loaded.clear()  # as in a fresh process: nothing validated yet
    monkeypatch.setattr(course, "Lesson", counting("lessons", course.Lesson))  # a lesson parsed = one Lesson made
    course._loaded.clear()  # as in a fresh process: nothing parsed yet
    real_md = plugin.MkDocsQuizPlugin._create_fragment_markdown
    monkeypatch.setattr(plugin.MkDocsQuizPlugin, "_create_fragment_markdown", counting("markdown", real_md))
    lines = {}
    for lesson in course.load_lessons():
        body = course.split_front_matter(lesson.path.read_text(encoding="utf-8"))[1]
        lines[lesson.slug] = next(line for line in body.splitlines() if len(line) > 40 and line[0].isalpha())
    converted = dict.fromkeys(lines, 0)
    real_convert = markdown.Markdown.convert

    def convert(self: Any, source: str) -> str:
        for slug, line in lines.items():
            converted[slug] += line in source
        return real_convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    # [scale] work per page that does not grow with the course: each page's source is read a few times in all
    # (not once per page built), and valid front matter is never parsed again for line numbers
    reads: dict[str, int] = {}
    real_read = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.suffix == ".md" and course.DOCS in self.parents:
            reads[self.name] = reads.get(self.name, 0) + 1
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(course, "_front_matter_lines", counting("front-matter-lines", course._front_matter_lines))
    calls["front-matter-lines"] = 0
    # [/scale]
    # [nav] the navigation's links to other pages are rendered once per folder (overrides/partials/nav-item.html)
    from mkdocs.theme import Theme

    envs: list[Any] = []
    real_get_env = Theme.get_env
    monkeypatch.setattr(Theme, "get_env", lambda self: envs.append(real_get_env(self)) or envs[-1])
    # [/nav]
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    # [qcontent] matching, ordering and written answers (associer, ordonner, redaction) are rendered by the hook
    assert calls["quiz"] == sum(1 for _, q in QUESTIONS.values() if q.type not in ("associer", "ordonner") and not q.written)
    assert calls["translations"] == 1
    assert calls["markdown"] == 1
    assert calls["bank"] == len(list(quizbank.QUIZZES.glob("*.yml")))
    assert calls["lessons"] == len(course.load_lessons())
    assert converted == dict.fromkeys(lines, 1)
    assert (tmp_path / "site" / "imprimer.html").is_file()
    pages = len(list((tmp_path / "site").rglob("*.html")))
    assert reads and max(reads.values()) <= 5 < pages, sorted(reads.items(), key=lambda kv: -kv[1])[:3]  # [scale]
    assert calls["front-matter-lines"] == 0  # [scale]
    # [nav] one render per (folder, linked page), not one per (page built, linked page)
    built = [p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*.html")]
    folders = {p.parent for p in built} | {"(no page)"}
    links = envs[-1].globals["nav_links"]
    assert 0 < len(links) <= len(folders) * len(built) < pages * (pages - 1), len(links)


def _bank_fragments() -> list[str]:
    """Every piece of Markdown a question is made of (text, choices, feedbacks, explanation, pairs, steps)."""
    texts: list[str] = []
    for _, q in QUESTIONS.values():
        texts += [q.question, q.explanation, *q.steps]
        texts += [part for choice in q.choices for part in (choice.text, choice.feedback)]
        texts += [part for pair in q.pairs for part in (pair.left, pair.right, pair.feedback)]
    return [text for text in texts if text]


# Texts in which Markdown or one of its extensions does something: none may take the plain-text shortcut.
NOT_PLAIN = ["1. Un", "12) deux", "- tiret", "+ plus", "* étoile", "# Titre", "> citation", ": définition", "| a | b |",
             "!!! note", "??? note", "a *b*", "a _b_", "`code`", "[lien](x.md)", "a <b>", "a & b", "a\\b", "x { .cls }",
             "*[PME]: x", "deux espaces  ", " espace", "espace ", "a\tb", "    indenté", "~~barré~~", "--8<-- \"x.md\"",
             "=== \"Onglet\"", "ligne\n\nautre paragraphe", "ligne\n1. liste", "ligne\n- liste", "Titre\n===",
             "Titre\n---", "terme\n: définition", "coupure  \nforcée", "ligne\n    indentée", "ligne\n??? note",
             "ligne\n> citation", "ligne\n| a | b |"]


def test_plain_text_shortcut_is_what_markdown_gives() -> None:
    """A question fragment taken as plain text (no Markdown conversion) comes out exactly as Markdown makes it.

    The renderer skips Python-Markdown for texts whose every line is one in which nothing is Markdown (most choices,
    feedbacks and stems); for every such fragment of the bank, one-line and multi-line, the real conversion (the
    build's extensions, as mkdocs-quiz sets them up) gives the same HTML, and texts with Markdown syntax never take
    the shortcut. Plain lines ending with a link line send only that line through Markdown, with the same result.
    """
    from types import SimpleNamespace

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs_quiz.plugin import MkDocsQuizPlugin

    config = load_config(str(ROOT / "mkdocs.yml"))
    files = get_files(config)
    root = files.get_file_from_path("index.md")
    page = SimpleNamespace(file=root, meta={}, url=root.url)
    once = quizrender._OnceQuiz(lambda: MkDocsQuizPlugin()._create_fragment_markdown(page, config, files))  # type: ignore[arg-type]
    instance = once._create_fragment_markdown(page, config, files)
    plain = [text for text in _bank_fragments() if quizrender.plain_paragraph(text) is not None]
    assert len(plain) > len(QUESTIONS)  # the shortcut is taken (most choices are plain text)
    assert sum("\n" in text.strip("\n") for text in plain) > len(QUESTIONS) / 4  # and by stems written on several lines
    extra = ["Une phrase : avec « guillemets », 50 % et l’apostrophe !", "x", "2024 est une année",
             "\nune ligne\npuis une autre, 12 % (et des parenthèses)\nsans syntaxe\n"]
    for text in plain + extra:
        assert quizrender.plain_paragraph(text) is not None, text
        instance.reset()
        assert once._convert_fragment_markdown(text, page, config, files, md_inst=instance) == instance.convert(text), text
    for text in NOT_PLAIN:
        assert quizrender.plain_paragraph(text) is None, text
        assert quizrender.plain_paragraph(f"Une ligne ordinaire\n{text}") is None or "\n" in text, text
    # explanations of plain lines ending with a « Revoir » link: only the link line goes through Markdown
    ending = [text for text in _bank_fragments() if quizrender.link_ending(text) is not None]
    assert len(ending) > len(QUESTIONS) / 2
    ending.append("Deux lignes\nsans syntaxe\n[Revoir\xa0: les acteurs](acteurs.md#etat)")
    for text in ending:
        instance.reset()
        assert once._convert_fragment_markdown(text, page, config, files, md_inst=instance) == instance.convert(text), text
    # the same once the link lines have gone through Markdown together, as a build does before its first question
    endings = [quizrender.link_ending(text) for text in ending]
    once.prepare_links(found[1] for found in endings if found)
    assert len(once._links) > len(QUESTIONS) / 4
    for text in ending:
        instance.reset()
        assert once._convert_fragment_markdown(text, page, config, files, md_inst=instance) == instance.convert(text), text
    for text in ["[lien](acteurs.md)", "# Titre\n[lien](acteurs.md)", "texte\n[lien](acteurs.md) et la suite",
                 "texte *appuyé*\n[lien](acteurs.md)", "texte\n[lien](acteurs.md){ .cls }", "texte\n![image](x.svg)"]:
        assert quizrender.link_ending(text) is None, text


# ---------------------------------------------------------------- matching and ordering

FIXTURE = ROOT / "tests" / "fixtures" / "quizzes" / "new-types.yml"
NEW_TYPES = ("associer", "ordonner")


def _fixture_questions() -> str:
    """The matching and ordering questions of the bank's fixture, as YAML list items."""
    text = FIXTURE.read_text(encoding="utf-8")
    blocks = ["  - id:" + block for block in text.split("  - id:")[1:]]
    return "".join(block for block in blocks if re.search(r"^    type: (associer|ordonner)$", block, re.M))


@pytest.fixture(scope="session")
def extra_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course built with the fixture's matching and ordering questions added to the « Définitions » quiz."""
    import shutil
    import subprocess

    project = tmp_path_factory.mktemp("extra") / "project"
    (project.parent / "shared").symlink_to(ROOT.parent / "shared")  # the seeds, beside the project
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".git", "dist",
                                                                   "__pycache__", "tests"))
    quiz = project / "quizzes" / "definitions.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").rstrip("\n") + "\n" + _fixture_questions(), encoding="utf-8")
    site = project / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


def _extra_bank() -> dict[str, quizbank.Question]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "new-types.yml").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
        quiz = quizbank.load_bank(Path(folder))["definitions"]
    return {q.id: q for q in quiz.questions if q.type in NEW_TYPES}


EXTRA = _extra_bank()


def test_matching_and_ordering_render_accessibly(extra_site: Path) -> None:
    """Matching and ordering questions render with accessible markup, in display order.

    associer: a fieldset, a legend, one labelled select per left item, options in display order; ordonner: steps
    in display order, buttons named with the step text, a live region.
    """
    doc = _doc(extra_site, "definitions.html")
    match = EXTRA["fx-associer-definitions"]
    quiz = doc.xpath(f"//*[@id='q-{match.id}']")[0]
    assert quiz.get("data-type") == "associer" and quiz.xpath(".//fieldset/legend")
    selects = quiz.xpath(".//fieldset//select")
    assert len(selects) == len(match.pairs)
    for select, pair in zip(selects, match.pairs, strict=True):
        label = quiz.xpath(f".//label[@for='{select.get('id')}']")
        assert label and _text(label[0]) == pair.left
        assert [o.text for o in select.xpath("./option")][1:] == list(match.display_options())
        assert select.xpath("./option")[0].get("value") == ""
    order = EXTRA["fx-ordonner-guide"]
    quiz = doc.xpath(f"//*[@id='q-{order.id}']")[0]
    steps = quiz.xpath(".//ol[@class='quiz-steps']/li")
    assert [_text(li.xpath(".//*[@class='step-text']")[0]) for li in steps] == list(order.display_steps())
    assert [int(li.get("data-step")) for li in steps] == list(order.step_order())
    for li in steps:
        text_id = li.xpath(".//*[@class='step-text']/@id")[0]
        names = [b.get("aria-labelledby").split() for b in li.xpath(".//button")]
        assert [_text(b) for b in li.xpath(".//button")] == ["↑ Monter", "↓ Descendre"]
        assert all(name[1] == text_id and name[0] == b.get("id") for name, b in zip(names, li.xpath(".//button"), strict=True))
    assert quiz.xpath(".//*[@role='status' and @aria-live='polite' and contains(@class, 'quiz-steps-status')]")
    index = (extra_site / "assets" / "javascripts" / "course-index.js").read_text(encoding="utf-8")
    assert match.id in index and order.id in index  # counted by « Mon parcours »


def test_matching_and_ordering_in_worksheet_and_answer_key(extra_site: Path) -> None:
    """Matching and ordering questions on paper and in the answer key, with the worksheet's letters.

    Worksheet: matching as items with a blank beside lettered options, ordering as lettered steps with a rank box;
    the answer key gives each pair and the order, naming options and steps by their worksheet letters.
    """
    sheet = _doc(extra_site, "imprimer.html")
    key = _doc(extra_site, "formateurs/corrige.html")
    match = EXTRA["fx-associer-definitions"]
    options = match.display_options()
    rows = sheet.xpath(f"//li[@data-qid='{match.id}']//table[@class='worksheet-match']/tbody/tr")
    assert [_text(r.xpath("./td[1]")[0]) for r in rows][: len(match.pairs)] == [
        f"{i}. {p.left}" for i, p in enumerate(match.pairs, 1)]
    assert all(_text(r.xpath("./td[2]")[0]) == "____" for r in rows[: len(match.pairs)])
    assert [_text(r.xpath("./td[3]")[0]) for r in rows] == [f"{quizbank.LETTERS[i]}. {t}" for i, t in enumerate(options)]
    answers = [_text(li) for li in key.xpath(f"//li[@data-qid='{match.id}']//ul[@class='answer-key-answers']/li")]
    for i, pair in enumerate(match.pairs):
        assert answers[i].startswith(f"{i + 1}. {pair.left} → {quizbank.LETTERS[options.index(pair.right)]}. {pair.right}")
    assert answers[-1].startswith("Sans correspondance")
    order = EXTRA["fx-ordonner-guide"]
    printed = [_text(li) for li in sheet.xpath(f"//li[@data-qid='{order.id}']//ul[@class='worksheet-steps']/li")]
    assert printed == [f"Rang : ____ {quizbank.LETTERS[i]}. {t}" for i, t in enumerate(order.display_steps())]
    shown = list(order.step_order())
    answers = [_text(li) for li in key.xpath(f"//li[@data-qid='{order.id}']//ul[@class='answer-key-answers']/li")]
    assert answers == [f"{r}. {quizbank.LETTERS[shown.index(r - 1)]}. {s}" for r, s in enumerate(order.steps, 1)]


# ---------------------------------------------------------------- in the browser, keyboard only


@pytest.fixture(scope="session")
def extra_server(extra_site: Path) -> Any:
    """The fixture site served on 127.0.0.1; yields its base URL."""
    from tests.conftest import serve_folder

    with serve_folder(extra_site) as url:
        yield url


def _focus(page: Any, selector: str) -> None:
    """Move the keyboard focus to `selector` with Tab, or Shift+Tab if it is behind."""
    behind = page.evaluate("""s => !!document.activeElement && document.activeElement !== document.body &&
        !!(document.activeElement.compareDocumentPosition(document.querySelector(s)) & Node.DOCUMENT_POSITION_PRECEDING)""",
                           selector)
    for _ in range(80):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if behind else "Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def _record(page: Any, qid: str) -> Any:
    return page.evaluate("id => window.Partenariat.store.get('answers', id) || null", qid)


def _choose(page: Any, select: str, wanted: str) -> None:
    """Pick `wanted` in a focused <select> with the arrow keys."""
    _focus(page, select)
    values = page.eval_on_selector(select, "s => Array.from(s.options).map(o => o.value)")
    current = page.eval_on_selector(select, "s => s.selectedIndex")
    target = values.index(wanted)
    for _ in range(abs(target - current)):
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    assert page.eval_on_selector(select, "s => s.value") == wanted


def _order_by_keys(page: Any, qid: str, size: int) -> None:
    """Put the steps in the right order with the « Monter » buttons, pressed with Enter and Space."""
    for position in range(size):
        current = page.eval_on_selector_all(f"#q-{qid} .quiz-step", "els => els.map(e => Number(e.dataset.step))")
        for press in range(current.index(position) - position):
            _focus(page, f"#q-{qid}-up-{position}")
            page.keyboard.press("Enter" if press % 2 else " ")
    assert page.eval_on_selector_all(f"#q-{qid} .quiz-step", "els => els.map(e => Number(e.dataset.step))") == list(range(size))


@pytest.mark.browser
def test_matching_and_ordering_by_keyboard_survive_reload(page: Any, extra_server: str) -> None:
    """Answer a matching and an ordering question with Tab, arrows, Enter and Space; scores, feedback, reload kept."""
    match, order = EXTRA["fx-associer-definitions"], EXTRA["fx-ordonner-guide"]
    page.goto(extra_server + f"definitions.html#q-{match.id}")
    # matching: first pair wrong, then right
    wrong = next(text for text in match.display_options() if text != match.pairs[0].right)
    _choose(page, f"#q-{match.id}-pair-0", wrong)
    for i, pair in enumerate(match.pairs[1:], start=1):
        _choose(page, f"#q-{match.id}-pair-{i}", pair.right)
    _focus(page, f"#q-{match.id} .quiz-button")
    page.keyboard.press("Enter")
    record = _record(page, match.id)
    assert record["v"] == [wrong] + [p.right for p in match.pairs[1:]]
    assert (record["ok"], record["score"]) == (False, pytest.approx((len(match.pairs) - 1) / len(match.pairs)))
    verdicts = page.locator(f"#q-{match.id} .pair-verdict").all_inner_texts()
    assert verdicts[0].startswith("Faux") and all(v == "Juste." for v in verdicts[1:])
    assert page.locator(f"#q-{match.id} section.content").is_visible()
    _choose(page, f"#q-{match.id}-pair-0", match.pairs[0].right)
    _focus(page, f"#q-{match.id} .quiz-button")
    page.keyboard.press(" ")
    record = _record(page, match.id)
    assert (record["ok"], record["score"], record["first"]) == (True, 1, False)
    # ordering: validate as first shown (scored by adjacent pairs), then put right by keyboard
    shown = list(order.step_order())
    expected = sum(b == a + 1 for a, b in zip(shown, shown[1:], strict=False)) / (len(shown) - 1)
    _focus(page, f"#q-{order.id} .quiz-button")
    page.keyboard.press("Enter")
    record = _record(page, order.id)
    assert record["v"] == [str(i) for i in shown] and record["score"] == pytest.approx(expected) and not record["ok"]
    assert "L’ordre attendu" in page.locator(f"#q-{order.id} .quiz-feedback").inner_text()
    _order_by_keys(page, order.id, len(order.steps))
    assert "déplacée en position" in page.locator(f"#q-{order.id} .quiz-steps-status").inner_text()
    _focus(page, f"#q-{order.id} .quiz-button")
    page.keyboard.press("Enter")
    assert _record(page, order.id)["ok"] is True
    # reload: the answers and their feedback come back
    page.reload()
    assert [page.eval_on_selector(f"#q-{match.id}-pair-{i}", "s => s.value") for i in range(len(match.pairs))] == [
        p.right for p in match.pairs]
    assert page.eval_on_selector_all(f"#q-{order.id} .quiz-step", "els => els.map(e => e.dataset.step)") == [
        str(i) for i in range(len(order.steps))]
    for qid in (match.id, order.id):
        assert "Déjà répondu\u00a0: faux au premier essai" in page.locator(f"#q-{qid} .quiz-feedback").inner_text()
    page.goto(extra_server + "parcours.html")
    answered = page.locator("[data-lesson='definitions'] [data-stat='answered']").inner_text()
    assert int(answered) == 2  # « Mon parcours » counts both
    assert not page.js_errors


@pytest.mark.browser
def test_store_changes_refresh_matching_and_ordering(page: Any, extra_server: str) -> None:
    """An answer put into the store (as another tab or an import would) shows at once; a reset clears it."""
    match, order = EXTRA["fx-associer-definitions"], EXTRA["fx-ordonner-guide"]
    page.goto(extra_server + "definitions.html")
    values = [p.right for p in match.pairs]
    page.evaluate("([id, v]) => window.Partenariat.store.put('answers', id, {v: v, ok: true, score: 1})", [match.id, values])
    assert [page.eval_on_selector(f"#q-{match.id}-pair-{i}", "s => s.value") for i in range(len(values))] == values
    steps = [str(i) for i in range(len(order.steps))]
    page.evaluate("([id, v]) => window.Partenariat.store.put('answers', id, {v: v, ok: true, score: 1})", [order.id, steps])
    assert page.eval_on_selector_all(f"#q-{order.id} .quiz-step", "els => els.map(e => e.dataset.step)") == steps
    page.evaluate("() => window.Partenariat.store.reset()")
    assert page.eval_on_selector(f"#q-{match.id}-pair-0", "s => s.value") == ""
    assert page.eval_on_selector_all(f"#q-{order.id} .quiz-step", "els => els.map(e => Number(e.dataset.step))") == list(
        order.step_order())
    assert not page.js_errors


@pytest.mark.browser
def test_matching_and_ordering_have_no_axe_violation(page: Any, extra_server: str) -> None:
    """No axe violation on a page with matching and ordering questions, before and after a wrong answer.

    Each state is audited in both schemes, switched with the header toggle.
    """
    from tests.test_a11y import audit_both_schemes, use_scheme

    match, order = EXTRA["fx-associer-definitions"], EXTRA["fx-ordonner-guide"]
    use_scheme(page, extra_server, "light")
    page.goto(extra_server + "definitions.html")
    violations = audit_both_schemes(page, "definitions.html with matching and ordering")
    for i in range(len(match.pairs)):
        page.select_option(f"#q-{match.id}-pair-{i}", match.display_options()[0])
    page.click(f"#q-{match.id} .quiz-button")
    page.click(f"#q-{order.id} .quiz-button")
    assert page.locator(f"#q-{order.id}.is-wrong").count() == 1
    violations += audit_both_schemes(page, "definitions.html, answered")
    assert not violations, "\n".join(violations)
    assert not page.js_errors


@pytest.mark.browser
@pytest.mark.parametrize("right", [True, False])
def test_browser_answer_helper_handles_matching_and_ordering(page: Any, extra_server: str, right: bool) -> None:
    """tests/test_browser.py's answer() answers the new types rightly or wrongly, so quiz-wide tests can use it."""
    from tests.test_browser import answer

    page.goto(extra_server + "definitions.html")
    for qid in EXTRA:
        answer(page, qid, right=right)
        assert _record(page, qid)["ok"] is right, qid
    assert not page.js_errors


def test_bank_matching_and_ordering_in_shown_order(site: Path) -> None:
    """Every matching and ordering question of the bank: options and steps in display order on its page and on paper."""
    sheet = _doc(site, "imprimer.html")
    pages: dict[str, Any] = {}
    found = 0
    for qid, (slug, question) in QUESTIONS.items():
        if question.type not in NEW_TYPES:
            continue
        found += 1
        quiz = pages.setdefault(slug, _doc(site, f"{slug}.html")).xpath(f"//*[@id='q-{qid}']")[0]
        printed = sheet.xpath(f"//li[@data-qid='{qid}']")[0] if qid in PRINTED else None
        if printed is None:  # a final item in neither print form: not on paper
            continue
        if question.type == "associer":
            options = list(question.display_options())
            for select in quiz.xpath(".//select"):
                assert [o.get("value") for o in select.xpath("./option")][1:] == options, qid
            assert [_text(td) for td in printed.xpath(".//tbody/tr/td[3]")] == [
                f"{quizbank.LETTERS[i]}. {' '.join(t.split())}" for i, t in enumerate(options)], qid
        else:
            steps = [_plain(s) for s in question.display_steps()]
            assert [_text(s) for s in quiz.xpath(".//*[@class='step-text']")] == steps, qid
            assert [_text(li).split(". ", 1)[1] for li in printed.xpath(".//ul[@class='worksheet-steps']/li")] == steps
    if not found:
        pytest.skip("the bank has no matching or ordering question yet (the fixture tests above cover them)")
