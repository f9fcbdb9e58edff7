"""Faithfulness to the five seeds (issue 28).

What the course adds says so, summaries keep the lessons' markers, tooltips fit the sense of the word and never sit
in a question, one label per source, and the decision tree covers the Guide Tanmia's cases.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml
from mkdocs.exceptions import PluginError

from scripts.build import tooltips
from scripts.checks import readability
from scripts.model import course, quizbank

DOCS = course.DOCS
LESSONS = [lesson.slug for lesson in course.load_lessons()]
SEEDS = {key: path.read_text(encoding="utf-8") for key, path in course.seed_files().items()}

# What says « the course made this »: an invented example or situation, or the course's own reading.
MADE_FOR_THE_COURSE = re.compile(r"\b(?:imaginée?s?|inventée?s?) (?:pour|par) le cours\b", re.I)
COURSE_MARKER = re.compile(r"\b(?:du|le|au|par le|pour le) cours\b|\bsa lecture\b|\best le sien\b", re.I)
ADMONITION = re.compile(r"^(?P<indent> *)(?:!!!|\?\?\?\+?) (?P<kind>[\w-]+)(?: \"(?P<title>[^\"]*)\")?\s*$")
SCENARIO_KINDS = {"example", "question"}


def _boxes(path: Path) -> list[tuple[int, str, str]]:
    """(line, kind, title and body) of every admonition of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    boxes = []
    for number, line in enumerate(lines):
        match = ADMONITION.match(line)
        if not match:
            continue
        indent = len(match.group("indent")) + 4
        body = [match.group("title") or ""]
        for following in lines[number + 1:]:
            if following.strip() and len(following) - len(following.lstrip(" ")) < indent:
                break
            body.append(following)
        boxes.append((number + 1, match.group("kind"), "\n".join(body)))
    return boxes


def test_every_example_or_scenario_box_says_it_is_made_for_the_course() -> None:
    """Each « example » or « question » box of docs/ says, in its title or its text, that it was made for the course.

    These boxes hold an example or a situation to judge: « imaginé pour le cours », « situation imaginée pour le
    cours »… tell the reader the seeds do not describe it.
    """
    unmarked = [f"{path.relative_to(course.ROOT)}:{line}: {kind} « {text.splitlines()[0]} »"
                for path in sorted(DOCS.rglob("*.md"))
                for line, kind, text in _boxes(path)
                if kind in SCENARIO_KINDS and not MADE_FOR_THE_COURSE.search(text)]
    assert not unmarked, "boxes that do not say they were made for the course:\n" + "\n".join(unmarked)


def test_scenario_box_check_catches_an_unmarked_example(tmp_path: Path) -> None:
    """The box reader sees an unmarked example and a marked one apart, and reads a box's indented body only."""
    page = tmp_path / "p.md"
    page.write_text('!!! example "Exemple"\n    Une commune.\n\nTexte imaginé pour le cours.\n\n'
                    '??? question "Partenariat ?"\n    Situation imaginée pour le cours. Une mairie…\n', encoding="utf-8")
    boxes = _boxes(page)
    assert [(line, kind) for line, kind, _ in boxes] == [(1, "example"), (6, "question")]
    assert [bool(MADE_FOR_THE_COURSE.search(text)) for _, _, text in boxes] == [False, True]


# --- summaries keep the lessons' markers -----------------------------------------------------------------------

STOP = set("""le la les l un une des du de d à au aux et ou en y ne pas que qui quoi dont où ce cet cette ces se s
sa son ses leur leurs il ils elle elles on nous vous je tu est sont être a ont avoir par pour sur dans avec sans plus
moins très tout tous toute toutes même aussi mais donc or ni car c qu n m t comme entre chaque ainsi lui eux dit dire
peut peuvent doit doivent fait faire selon cours leçon voir""".split())
SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ö«])")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def _content_words(text: str) -> set[str]:
    """The words that carry meaning: no function word, no seed label, no link target."""
    for entry in readability.seed_labels():
        text = text.replace(entry["label"], " ")
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return {w for w in re.findall(r"[^\W\d_]+", _fold(text)) if w not in STOP and len(w) > 2}


def _units(markdown: str) -> list[str]:
    """Paragraphs, list items and table rows of a page's body (front matter, headings and box titles left out)."""
    if markdown.startswith("---\n"):
        markdown = markdown.split("\n---\n", 1)[1]
    units: list[str] = []
    current: list[str] = []
    for line in markdown.splitlines():
        starts = re.match(r"^\s*(?:[-*]|\d+\.|\|)\s", line) or not line.strip() or line.lstrip().startswith(
            ("#", "!!!", "???"))
        if starts:
            if current:
                units.append(" ".join(current))
            current = [line] if line.strip() and not line.lstrip().startswith(("#", "!!!", "???")) else []
        else:
            current.append(line)
    if current:
        units.append(" ".join(current))
    return units


def _lesson_sentences(markdown: str) -> list[tuple[str, set[str], bool]]:
    """(sentence, content words, marked as the course's) for each sentence of a lesson.

    A sentence is the course's when it says so, or when the next sentence is a bare marker (« C’est la lecture du
    cours. »: three content words at most) that refers back to it.
    """
    found = []
    for unit in _units(markdown):
        sentences = [s for s in SENTENCE.split(unit) if s.strip()]
        for index, sentence in enumerate(sentences):
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            marked = bool(COURSE_MARKER.search(sentence)) or bool(
                COURSE_MARKER.search(following) and len(_content_words(following)) <= 3)
            found.append((sentence, _content_words(sentence), marked))
    return found


def unmarked_restatements(lesson_md: str, summary_md: str, share: float = 0.5) -> list[tuple[str, str]]:
    """(summary sentence, lesson sentence) pairs where a summary restates, without a marker, what the lesson marks.

    Each sentence of the summary (four content words or more, in a unit with no marker) is matched to the lesson
    sentence that holds most of its content words; when that sentence is the course's reading and holds at least
    ``share`` of them, the summary says it without saying whose it is.
    """
    lesson = _lesson_sentences(lesson_md)
    found = []
    for unit in _units(summary_md):
        if COURSE_MARKER.search(unit):
            continue
        for sentence in (s for s in SENTENCE.split(unit) if s.strip()):
            words = _content_words(sentence)
            if len(words) < 4:
                continue
            best = max(lesson, key=lambda t: (len(words & t[1]), len(words & t[1]) / len(words | t[1])))
            if best[2] and len(words & best[1]) / len(words) >= share:
                found.append((sentence.strip(), best[0].strip()))
    return found


@pytest.mark.parametrize("slug", LESSONS)
def test_summary_keeps_the_lessons_markers(slug: str) -> None:
    """« L’essentiel » states nothing that its lesson marks as the course's reading without the same marker.

    A summary sentence is compared with the lesson sentence closest to it; if that one is the course's reading
    (« lecture du cours », « le cours y voit »…), the summary's bullet or paragraph must say so too.
    """
    lesson = (DOCS / f"{slug}.md").read_text(encoding="utf-8")
    summary = (DOCS / "essentiel" / f"{slug}.md").read_text(encoding="utf-8")
    found = unmarked_restatements(lesson, summary)
    assert not found, "\n".join(f"essentiel/{slug}.md: « {s} » restates, unmarked, « {ref} »" for s, ref in found)


def test_summary_check_sees_a_reading_stated_as_the_seeds() -> None:
    """A summary that drops the lesson's « lecture du cours » is caught; with its marker, or on a seed fact, it is not."""
    lesson = ("Le Diaporama Réseau et territoire décrit trois dimensions. Le cours les lit comme les trois dimensions "
              "de chaque acteur, personnelle, professionnelle et institutionnelle.\n\nL’État est catalyseur, "
              "régulateur et coordinateur.\n")
    assert unmarked_restatements(lesson, "- Chaque acteur engage trois dimensions : personnelle, professionnelle "
                                         "et institutionnelle.\n")
    assert not unmarked_restatements(lesson, "- Le cours lit trois dimensions de chaque acteur : personnelle, "
                                             "professionnelle et institutionnelle.\n")
    assert not unmarked_restatements(lesson, "- L’État est catalyseur, régulateur et coordinateur de l’action.\n")


# --- tooltips ------------------------------------------------------------------------------------------------

def test_no_tooltip_inside_a_question(site: Path) -> None:
    """On every built page, no glossary tooltip (``abbr``) sits inside a question.

    A question is a quiz question (stem, choices, feedback, explanation), a worksheet or answer-key item (all carry
    ``data-qid``) or a lesson's « question » box. Lesson prose keeps its tooltips.
    """
    found = []
    for page in sorted(site.rglob("*.html")):
        root = lxml.html.parse(str(page)).getroot()
        inside = root.xpath("//*[@data-qid]//abbr | //*[contains(concat(' ', normalize-space(@class), ' '), "
                            "' question ')]//abbr")
        found += [f"{page.relative_to(site)}: {abbr.text_content()}" for abbr in inside]
    assert not found, "\n".join(found[:20])
    assert lxml.html.parse(str(site / "notions-voisines.html")).getroot().xpath("//article//p//abbr[@title]")


def test_glossary_has_one_definition_per_paragraph() -> None:
    """Each glossary definition is a paragraph of its own, the first one included, and every line is a definition.

    The glossary is appended to every page; Python-Markdown takes one definition off a paragraph of them at a time
    and reads the rest again, so definitions written on consecutive lines cost every page's build their square.
    """
    lines = tooltips.ABBREVIATIONS_MD.read_text(encoding="utf-8").split("\n")
    filled = [line for line in lines if line.strip()]
    assert filled and all(re.match(r"^\*\[[^\]]+\]: \S", line) for line in filled)
    assert not [line for before, line in zip(lines, lines[1:], strict=False) if before.strip() and line.strip()]


def test_question_tooltips_are_unwrapped_whatever_the_markup() -> None:
    """The tooltip pass unwraps every term inside a question element (nested tags included), and only there."""
    abbr = '<abbr title="Définition">réseau</abbr>'
    html = (f'<p>{abbr}</p><div class="quiz" data-qid="q1"><div><p>{abbr}</p></div><label>{abbr}</label></div>'
            f'<ol><li class="worksheet-question" data-qid="q2"><p>{abbr}</p></li></ol>'
            f'<details class="question"><summary>{abbr}</summary><p>{abbr}</p></details><p>{abbr}</p>')
    out = tooltips.without_question_tooltips(html)
    assert out.count("<abbr") == 2 and out.startswith(f"<p>{abbr}</p>") and out.endswith(f"<p>{abbr}</p>")


def test_excluded_passages_lose_their_tooltip_only_there() -> None:
    """A listed passage loses its term's tooltip (the term's text stays); the same word elsewhere keeps it."""
    exclusion = tooltips.Exclusion("réseau", "Tout fonctionne sans réseau", ("index.md",), 1)
    abbr = '<abbr title="Définition">réseau</abbr>'
    html = f"<p>Tout fonctionne\nsans {abbr}, et votre progression vous suit.</p><p>Le {abbr} relie.</p>"
    out, met = tooltips.without_excluded(html, (exclusion,), "index.md")
    assert out == f"<p>Tout fonctionne\nsans réseau, et votre progression vous suit.</p><p>Le {abbr} relie.</p>"
    assert met == {exclusion}
    assert tooltips.without_excluded(html, (exclusion,), "outils.md") == (html, set())


def test_every_excluded_passage_is_on_its_pages_without_its_tooltip(site: Path) -> None:
    """Each passage of docs/includes/tooltips.yml is on a built page, and there its term has no tooltip."""
    exclusions = tooltips.load_exclusions()
    assert exclusions
    texts = {}
    for page in sorted(site.rglob("*.html")):
        source = str(page.relative_to(site).with_suffix(".md"))
        html = page.read_text(encoding="utf-8")
        texts[source] = html
    for exclusion in exclusions:
        pages = exclusion.pages or tuple(texts)
        seen = False
        for source in pages:
            html = texts.get(source, "")
            plain = tooltips._Plain(html)
            for match in exclusion.pattern.finditer(plain.text):
                seen = True
                piece = html[plain.origin(match.start()):plain.origin(match.end() - 1) + 1]
                assert f"{exclusion.term}</abbr>" not in piece, f"{source}: « {exclusion.passage} » keeps its tooltip"
        assert seen, f"tooltips.yml:{exclusion.line}: « {exclusion.passage} » is on no built page"


@pytest.mark.parametrize(("content", "message"), [
    ("inconnu:\n  - passage: \"un inconnu ici\"\n    sens: rien\n", "not a term"),
    ("réseau:\n  - passage: \"sans connexion\"\n    sens: une connexion\n", "does not contain"),
    ("réseau:\n  - passage: \"sans réseau\"\n", "needs a passage and its sens"),
])
def test_exclusion_list_errors_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    """A bad entry of tooltips.yml stops the build with its file, its line and what is wrong."""
    path = tmp_path / "tooltips.yml"
    path.write_text("# comment\n" + content, encoding="utf-8")
    with pytest.raises(PluginError, match=rf"tooltips\.yml:\d+: .*{message}"):
        tooltips.load_exclusions(path)


# --- one label per source ------------------------------------------------------------------------------------

SEED_NAMED = readability.seed_named_files()


@pytest.mark.parametrize("path", SEED_NAMED, ids=[str(p.relative_to(course.ROOT)) for p in SEED_NAMED])
def test_one_label_per_source_everywhere(path: Path) -> None:
    """Every page of docs/ and every quiz names a seed by its label of sources.yml only.

    Sources and bibliography pages and glossary tooltips included; a note in brackets is the label's own: no
    « Namur » or « Tanmia » alone, no other date note, no lone « diaporama », no « synthèse de la Note de synthèse ».
    """
    findings = readability.check_labels(path)
    assert not findings, "\n".join(f"{path.relative_to(course.ROOT)}:{f.line}: {f.message}" for f in findings)


def test_label_rules_catch_each_kind_of_misnaming(tmp_path: Path) -> None:
    """The label check catches the town alone, the guide's name alone, a second note and the doubled synthesis.

    File numbers are allowed on the sources page only, which maps each label to its file.
    """
    page = tmp_path / "p.md"
    page.write_text("# T\n\nÀ Namur, on parle de Tanmia.\n\nL’Atelier de Namur (2008) le dit.\n\n"
                    "La synthèse de la Note de synthèse, fichier 003.\n\n"
                    "L’Atelier de Namur (Province de Namur, 2008) et le Guide Tanmia (pas une fin en soi).\n",
                    encoding="utf-8")
    messages = [(f.line, f.message) for f in readability.check_labels(page)]
    assert {line for line, _ in messages} == {3, 5, 7}
    text = " ".join(message for _, message in messages)
    assert "« Namur » seul" in text and "« Guide Tanmia »" in text and "sa note « Province de Namur, 2008 »" in text
    assert "définition qui conclut" in text and "003" in text
    assert not [f for f in readability.check_labels(DOCS / "sources.md") if "003" in f.message or "000" in f.message]


# --- the decision tree ---------------------------------------------------------------------------------------

def _tanmia_cases() -> list[str]:
    """The Guide Tanmia's « not a partnership » cases, read from the seed itself (its list ends mid-way)."""
    text = SEEDS["003"]
    start = text.index("Il n’ y a pas de véritable relation de partenariat")
    listed = text[start:].split(":", 1)[1].split("uploads/")[0]
    return [case.strip(" ;") for case in re.split(r"\s*Q\s+", listed) if case.strip(" ;")]


def test_decision_tree_covers_the_five_tanmia_cases_and_says_the_course_built_it(site: Path) -> None:
    """The tree reaches each « not a partnership » case of the Guide Tanmia and says the course built it.

    The cases are read from the seed; each is named on the image and in the text description. The image, the tools
    page and the summary that show it say « construit par le cours ».
    """
    cases = _tanmia_cases()
    assert len(cases) == 5
    svg = lxml.etree.parse(str(DOCS / "assets" / "schemas" / "arbre-est-ce-un-partenariat.svg")).getroot()
    image = _fold(" ".join(svg.itertext()))
    described = _fold(lxml.html.parse(str(site / "outils.html")).getroot().xpath("//article")[0].text_content())
    for case in cases:
        ordered = [w for w in re.findall(r"[^\W\d_]+", _fold(case)) if w in _content_words(case)]
        head = ordered[:2]  # what names the case: « simple rassemblement », « motivation secrète »…
        assert all(w in image for w in head), f"image: « {case} »"
        missing = [w for w in ordered if w not in described]
        assert all(w in described for w in head) and len(missing) <= len(ordered) // 3, f"outils.html: « {case} »"
    assert "construit par le cours" in image
    for page in ("outils.html", "essentiel/notions-voisines.html"):
        article = lxml.html.parse(str(site / page)).getroot().xpath("//article")[0]
        # the tree inlined (figure, by scripts/build/svg.py) or as an image; the paragraph before it and its name
        shown = article.xpath(".//figure[.//a[contains(@href, 'arbre-est-ce-un-partenariat')]]"
                              " | .//p[img[contains(@src, 'arbre-est-ce-un-partenariat')]]")[0]
        before = shown.xpath("preceding-sibling::*[1]")[0].text_content()
        name = " ".join(shown.xpath(".//img/@alt | .//*[local-name()='title']/text()"))
        assert "construit par le cours" in before and "construit par le cours" in name, page


def test_sources_page_says_what_the_course_adds() -> None:
    """sources.md has a section listing what the course adds, where, and the markers that show it."""
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    section = text.split("{ #ajouts-du-cours }", 1)[1]
    for marker in ("imaginé pour le cours", "construit par le cours", "lecture du cours", "au sens courant"):
        assert marker in section, marker
    for page in ("cas-pratiques.md", "fil-rouge.md", "outils.md", "glossaire.md"):
        assert f"]({page}" in section, page


def test_every_scenario_question_says_it_is_invented(site: Path) -> None:
    """Scenario questions open with « Situation imaginée pour le cours. » wherever they are shown, and only they.

    Checked in their quiz, on the print worksheets and in the Moodle export.
    """
    from scripts.model import quizbank
    from scripts.outputs import export_lms

    bank = quizbank.load_bank()
    pages = {quiz.lesson: lxml.html.fromstring((site / f"{quiz.lesson}.html").read_bytes()) for quiz in bank.values()}
    sheet = lxml.html.fromstring((site / "imprimer.html").read_bytes())
    scenarios = 0
    for quiz in bank.values():
        for question in quiz.questions:
            (block,) = pages[quiz.lesson].xpath(f"//*[@data-qid='{question.id}']//*[contains(@class,'quiz-question')]")
            shown = " ".join(block.text_content().split())
            assert shown.startswith("Situation imaginée pour le cours.") == question.scenario, (question.id, shown[:80])
            scenarios += question.scenario
            for item in sheet.xpath(f"//li[@class='worksheet-question'][@data-qid='{question.id}']"):
                assert ("Situation imaginée pour le cours." in item.text_content()) == question.scenario, question.id
    assert scenarios >= 30
    xml = export_lms.moodle_xml(bank, {quiz.lesson: quiz.lesson for quiz in bank.values()}, "v-test").decode("utf-8")
    assert xml.count("Situation imaginée pour le cours.") == scenarios

# --- what the seeds say, with their hedges, and where they stop ------------------------------------------------

CUT_OFF = re.compile(r"s[’']interromp|s[’']arr[êe]t|interrompue|inachev[ée]e", re.I)
# What names each case of the Guide Tanmia's interrupted list, in the seed's words or the course's short forms.
TANMIA_CASE_NAMES = (r"simple rassemblement|rassemblent simplement", r"motivation secr[eè]te",
                     r"entente (?:apparente|de fa[cç]ade)", r"tous les pouvoirs|pouvoir aux mains d[’']un seul",
                     r"d[ée]s[ée]quilibr\w* (?:de|dans le) partage des risques|risques mal partag[ée]s"
                     r"|partag[ée]s de fa[cç]on d[ée]s[ée]quilibr[ée]e")


def _texts_listing_the_tanmia_cases() -> list[tuple[str, str]]:
    """(where, text) of each page of docs/ and each quiz question that names three or more of the five cases."""
    texts = [(str(path.relative_to(course.ROOT)), path.read_text(encoding="utf-8"))
             for path in sorted(DOCS.rglob("*.md")) + sorted(DOCS.rglob("*.svg"))]
    for path in sorted(quizbank.QUIZZES.glob("*.yml")):
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            texts.append((f"{path.relative_to(course.ROOT)} {question['id']}", str(question)))
    return [(where, text) for where, text in texts
            if sum(bool(re.search(name, text, re.I)) for name in TANMIA_CASE_NAMES) >= 3]


def test_the_guide_tanmias_interrupted_list_is_said_to_stop() -> None:
    """A page or quiz question that lists the Guide Tanmia's « not a partnership » cases says the list stops there.

    The seed breaks off after the fifth case (« Un déséquilibre de partage des risques uploads/… »): listing the
    cases as if complete would add an end the seed does not have.
    """
    assert len(_tanmia_cases()) == len(TANMIA_CASE_NAMES)
    listing = _texts_listing_the_tanmia_cases()
    assert any(where.startswith("docs/definitions.md") for where, _ in listing)
    silent = [where for where, text in listing if not CUT_OFF.search(text)]
    assert not silent, "lists the Guide Tanmia's cases without saying the list stops:\n" + "\n".join(silent)


# (seed, what the seed says, a rewording that drops its hedge or changes its words): each rewording was once in the
# course; the seed's own words are checked to be there, so an entry cannot outlive what it protects.
DISTORTIONS = (
    ("004", "L’engagement doit étre libre et contractuel", r"(?<!si l[’'])engagement est libre et contractuel"),
    ("001", "Les partenaires ne répondent pas toujours aux mêmes exigences et n'ont pas la même nature",
     r"de nature et (?:de statut|d[’']exigences) diff[ée]rent|n[’']ont pas la m[êe]me nature ni les m[êe]mes exigences"
     r"|n[’']ont pas toujours la m[êe]me nature"),
    ("001", "Le statut des acteurs peut être différent", r"leurs statuts diff[èe]rent|statuts diff[ée]rents entre acteurs"),
    ("000", "dont la résultante peut se traduire par des changements", r"[ée]valuation se traduit par"),
    ("003", "Le partenariat demeure un levier fondamental", r"(?:est|comme) le levier (?:fondamental|qui canalise)"),
    ("003", "Un simple rassemblement de personnes qui veulent uniquement accomplir des actions",
     r"rassemblement (?:de personnes qui veulent|pour) accomplir|se rassemblent simplement pour"),
    ("003", "Une personne qui détient tous les pouvoirs", r"«\s*une personne d[ée]tient tous les pouvoirs"),
    ("003", "Il peut être défini également comme un processus", r"d[ée]veloppement de trois fa[cç]ons"),
    ("004", "C’est souvent une solution magique",
     r"parfois pr[ée]sent[ée] comme une solution magique|pour qui c[’']est un effet de mode"
     r"|(?<!souvent )une «\s*solution magique\s*», parfois"),
    ("001", "l'intgration de la population dans la politique de consommation de masse",
     r"(?<!politique de )(?<!politique de la )consommation de masse"),
    ("000", "le partenariat institutionnalise en quelque sorte une coopération",
     r"institutionnalise une coop[ée]ration|institutionnalisation d[’']une coop[ée]ration|coop[ée]ration institutionnalis[ée]e"
     r"|que le partenariat institutionnalise(?![\s\u00a0]*«[\s\u00a0]*en quelque sorte)"),
    ("000", "peuvent se fixer des objectifs", r"(?:acteurs|ils) se fixent des objectifs"),
    ("000", "encourager la participation des citoyens comme un moyen de renforcer la responsabilité",
     r"participation renforce la responsabilit[ée]|leadership renforc[ée]es? par"),
    ("001", "atténuant les effets négatifs du monopole public", r"att[ée]nu\w* (?:les |des )?effets du monopole"),
    ("001", "Le partenariat se propose de miser sur la confiance", r"partenariat mise sur la confiance"),
    ("001", "Les appels d'offres ont professionnalisé les associations mais...cela entraîne la disparition des bénévoles",
     r"b[ée]n[ée]voles (?:s[’']en vont|partent), et|d[ée]part des b[ée]n[ée]voles et la marchandisation"),
    ("002", "La compréhension des interrelations qui se nouent entre les partenaires et les niveaux d’action aident donc",
     r"il faut comprendre les interrelations"),
    ("003", "Le partenariat est perçu comme une relation entre un ou plusieurs organismes",
     r"(?<!perçu comme )une relation entre un ou plusieurs organismes"),
    ("003", "La qualité du partenariat peut également être examinée selon un ensemble de critères",
     r"avec onze questions"),
)


def _course_texts() -> list[tuple[Path, str]]:
    """Every page of docs/, diagram and quiz file, with its text."""
    paths = sorted(DOCS.rglob("*.md")) + sorted(DOCS.rglob("*.svg")) + sorted(quizbank.QUIZZES.glob("*.yml"))
    return [(path, path.read_text(encoding="utf-8")) for path in paths]


@pytest.mark.parametrize(("seed", "said", "reworded"), DISTORTIONS, ids=[f"{d[0]}-{d[1][:32]}" for d in DISTORTIONS])
def test_no_rewording_drops_a_seed_hedge_or_changes_its_words(seed: str, said: str, reworded: str) -> None:
    """No page, diagram or quiz rewords a seed sentence in a way that drops its hedge or changes its words.

    « doit être », « pas toujours », « peut être », « peut se traduire », « un levier », « uniquement »,
    « souvent », « en quelque sorte », « est perçu comme », « se propose de »: the course keeps what the seed says
    as the seed says it.
    """
    assert course.normalise_passage(said) in course.normalise_passage(SEEDS[seed]), said
    found = [f"{path.relative_to(course.ROOT)}:{text[:match.start()].count(chr(10)) + 1}: « {match.group(0)} »"
             for path, text in _course_texts() for match in re.finditer(reworded, text, re.I)]
    assert not found, f"the seed says « {said} »:\n" + "\n".join(found)


# A sentence that relates one document to another: no seed cites another seed, so the link is the course's.
LINK_BETWEEN_DOCUMENTS = re.compile(r"va dans le m[êe]me sens|dit la m[êe]me chose|signale un risque proche"
                                    r"|ajoute une nuance", re.I)


def test_links_between_documents_say_they_are_the_courses() -> None:
    """A sentence that joins a document to another (« va dans le même sens »…) says the course makes the link."""
    found = [f"{path.relative_to(course.ROOT)}: « {sentence.strip()[:90]} »"
             for path, text in _course_texts() for unit in _units(text)
             for sentence in SENTENCE.split(unit)
             if LINK_BETWEEN_DOCUMENTS.search(sentence) and not COURSE_MARKER.search(sentence)]
    assert not found, "links between documents not marked as the course's:\n" + "\n".join(found)


def test_tips_in_lessons_say_whose_advice_they_are() -> None:
    """Each « tip » box of a lesson says it is the course's (« suggestion du cours »…) or whose words it gives.

    Tips hold advice and method; the seeds give none of it, so a tip either carries the course's marker or opens
    with the document it reports (« Selon le Diaporama Partenariat, … »).
    """
    labels = "|".join(re.escape(entry["label"]) for entry in readability.seed_labels())
    reported = re.compile(rf"^\s*(?:Selon|Pour) (?:le |la |l[’']){{0,1}}(?:{labels})\b")
    found = [f"docs/{slug}.md:{line}: « {text.splitlines()[0]} »"
             for slug in LESSONS for line, kind, text in _boxes(DOCS / f"{slug}.md")
             if kind == "tip" and not COURSE_MARKER.search(text)
             and not reported.search("\n".join(text.splitlines()[1:]).strip())]
    assert not found, "tips that do not say whose advice they are:\n" + "\n".join(found)
