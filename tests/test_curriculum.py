"""The learning-forum curriculum: complete bilingual modules, programme schedules whose times add
up, two views of every module in both languages, and participant pages with no answers or
facilitator notes."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from builder import curriculum
from builder.dataset import load_dataset
from builder.labels import label
from builder.model import Text
from conftest import without_word_marks

THAI = re.compile(r"[\u0e01-\u0e4e]")
LANGS = ("th", "en")


def page(site: Path, url: str, lang: str) -> str:
    return (site / ("" if lang == "th" else "en") / url / "index.html").read_text(encoding="utf-8")


def article(page_html: str) -> str:
    """The page's main text as a reader sees it: tags out (glossary links split the text), entities
    decoded, whitespace squashed."""
    body = re.search(r"<article[^>]*>(.*?)</article>", page_html, re.S).group(1)
    return squash(html.unescape(re.sub(r"<[^>]+>", "", body)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def texts(value):
    """Every Text inside a record."""
    if isinstance(value, Text):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
    elif hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name))


# --- the data ------------------------------------------------------------------------------------

def test_the_curriculum_has_modules_and_a_programme(dataset):
    assert dataset.modules, "data/curriculum/modules/ holds the modules"
    assert dataset.programmes, "data/curriculum/programmes.yaml holds at least one sample programme"
    numbers = sorted(m.number for m in dataset.modules)
    assert numbers == list(range(1, len(numbers) + 1)), "modules are numbered 1, 2, 3… without gaps"


def test_every_module_has_every_part_in_both_languages(dataset):
    for m in dataset.modules:
        assert m.objectives and m.key_points and m.activities and m.assessment and m.facilitator_notes, m.id
        assert m.discussion, f"{m.id}: questions for discussion"
        assert m.worksheets, f"{m.id}: at least one worksheet"
        for activity in m.activities:
            assert activity.steps and activity.minutes > 0, (m.id, activity.id)
        for q in m.assessment:
            assert q.answer.th and q.answer.en, (m.id, q.question.en)
        for text in texts(m):
            assert THAI.search(text.th), f"{m.id}: Thai text without Thai: {text.th!r}"
            assert text.en.strip(), f"{m.id}: empty English for {text.th!r}"
        for kind, ids in (("activity", [a.id for a in m.activities]), ("worksheet", [w.id for w in m.worksheets])):
            assert len(ids) == len(set(ids)), f"{m.id}: duplicate {kind} ids {ids} (page anchors, PDF names)"


def test_every_fact_in_a_module_is_cited(dataset):
    for m in dataset.modules:
        cited = [*m.key_points, *(f for a in m.activities for f in a.facts)] + ([m.case] if m.case else [])
        assert all(item.sources for item in cited), m.id
        assert m.sources, m.id


# --- the schedule --------------------------------------------------------------------------------

def test_programme_times_add_up(dataset):
    for programme in dataset.programmes:
        for day in curriculum.schedule(dataset, programme):
            modules = [dataset_module(dataset, mid) for mid in day.day.modules]
            lunches = 1 if day.day.lunch_after else 0
            expected = (sum(m.minutes for m in modules) + programme.break_minutes * (len(modules) - 1 - lunches)
                        + programme.lunch_minutes * lunches)
            elapsed = curriculum.minutes_of(day.end) - curriculum.minutes_of(day.start)
            assert elapsed == expected, (programme.id, day.day.title.en)
            assert day.start == day.day.start
            for before, after in zip(day.slots, day.slots[1:]):
                assert before.end == after.start, "slots follow each other without gaps"
            for slot in day.slots:
                assert curriculum.minutes_of(slot.end) - curriculum.minutes_of(slot.start) == slot.minutes
                if slot.module:
                    assert slot.minutes == sum(a.minutes for a in slot.module.activities)


def dataset_module(dataset, module_id):
    return next(m for m in dataset.modules if m.id == module_id)


def test_schedule_of_the_fixture_programme(project):
    """The fixture's one-day programme: a 60-minute module twice from 09:00 with a 15-minute break."""
    data = load_dataset(project / "data")
    (day,) = curriculum.schedule(data, data.programmes[0])
    assert [(s.start, s.end, s.module.id if s.module else None) for s in day.slots] == [
        ("09:00", "10:00", "forum-basics"), ("10:00", "10:15", None), ("10:15", "11:15", "forum-basics"),
    ]
    assert day.teaching_minutes == 120
    module = data.modules[0]
    assert [(a.id, start, end) for a, start, end in curriculum.activity_times(module)] == [
        ("warm-up", "0:00", "0:20"), ("four-stages", "0:20", "1:00"),
    ]
    assert curriculum.duration(80, "th") == "1 ชั่วโมง 20 นาที" and curriculum.duration(45, "en") == "45 min"
    assert curriculum.duration(120, "en") == "2 h"


def test_lunch_follows_its_module(dataset):
    """A full day has a lunch break, right after the module the programme names."""
    for programme in dataset.programmes:
        for day in curriculum.schedule(dataset, programme):
            lunches = [i for i, slot in enumerate(day.slots) if slot.lunch]
            if day.day.lunch_after is None:
                assert lunches == []
                continue
            (at,) = lunches
            assert day.slots[at - 1].module.id == day.day.lunch_after
            assert day.slots[at].minutes == programme.lunch_minutes and day.slots[at].module is None
            assert "11:00" <= day.slots[at].start <= "13:00", "lunch around midday"


@pytest.mark.parametrize("lunch_after, message", [
    ("m99-nothing", "'m99-nothing' must be one of the day's modules, not the last"),
    ("forum-basics-last", None),
])
def test_lunch_after_must_be_a_module_of_the_day(project, capsys, lunch_after, message):
    from builder.cli import main

    path = project / "data" / "curriculum" / "programmes.yaml"
    text = path.read_text(encoding="utf-8")
    if lunch_after == "forum-basics-last":  # the day's last module: no module follows the lunch
        lunch_after, message = "forum-basics", "'forum-basics' must be one of the day's modules, not the last"
        text = text.replace("modules: [forum-basics, forum-basics]", "modules: [forum-basics]")
    day = re.search(r"\n( +)modules: .*\n", text)
    assert day, "the fixture programme lists its modules on one line"
    text = text.replace(day[0], day[0] + f"{day[1]}lunch_after: {lunch_after}\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"{day[1]}lunch_after: {lunch_after}") + 1
    assert main(["--root", str(project), "validate"]) == 1
    err = capsys.readouterr().err
    assert f"data/curriculum/programmes.yaml:{line}: [0].days[0].lunch_after: {message}" in err, err


def test_programme_pages_show_the_computed_times(site, dataset):
    for programme in dataset.programmes:
        for lang in LANGS:
            text = article(page(site, f"curriculum/programme/{programme.id}", lang))
            assert programme.title[lang] in text
            for day in curriculum.schedule(dataset, programme):
                assert day.day.title[lang] in text
                for slot in day.slots:
                    assert f"{slot.start}–{slot.end}" in text
                    if slot.module:
                        assert slot.module.title[lang] in text
                    if slot.lunch:
                        assert f"{slot.start}–{slot.end} {label('lunch', lang)}" in text


# --- the pages -----------------------------------------------------------------------------------

def test_every_module_has_both_views_in_both_languages(site, dataset):
    index = {lang: page(site, "curriculum", lang) for lang in LANGS}
    for m in dataset.modules:
        for lang in LANGS:
            for url in (f"curriculum/{m.id}", f"curriculum/{m.id}/facilitator"):
                html_ = page(site, url, lang)
                assert f'<html lang="{lang}"' in html_
                h1 = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html_, re.S).group(1)))
                assert m.title[lang] in h1
            assert f'href="{m.id}/"' in index[lang] and f'href="{m.id}/facilitator/"' in index[lang]


def facilitator_only(module, lang: str) -> tuple[list[str], list[str]]:
    """(texts only the facilitator sees, the labels that introduce them). A text that the
    participant sees anyway (an answer that repeats a key point) is left out of the first list."""
    hidden = [q.answer for q in module.assessment] + list(module.facilitator_notes)
    hidden += [i for a in module.activities for i in a.materials] + [a.room for a in module.activities if a.room]
    hidden_ids = {id(t) for t in hidden}
    visible = [t[lang] for t in texts(module) if id(t) not in hidden_ids]
    bare = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 (spacing may differ between the two)
    only = [t[lang] for t in hidden if not any(bare(t[lang]) in bare(v) for v in visible)]
    labels = [label(key, lang) + ":" for key in ("answer", "materials", "room")]
    return only, labels


def test_participant_views_show_no_answers_or_facilitator_notes(site, dataset):
    for m in dataset.modules:
        for lang in LANGS:
            participant_html = page(site, f"curriculum/{m.id}", lang)
            participant = article(participant_html)
            facilitator = article(page(site, f"curriculum/{m.id}/facilitator", lang))
            assert 'id="facilitator-notes"' not in participant_html
            only, labels = facilitator_only(m, lang)
            for text in only + labels:
                assert squash(text) not in participant, f"{lang}/{m.id}: the participant's view shows {text!r}"
            for text in [q.answer[lang] for q in m.assessment] + [n[lang] for n in m.facilitator_notes] + labels[:1]:
                assert squash(text) in facilitator, f"{lang}/{m.id}: the facilitator's view lacks {text!r}"
            for q in m.assessment:  # the questions themselves are for everyone
                assert squash(q.question[lang]) in participant


def test_module_pages_link_their_pdfs_and_the_handbook(site, dataset):
    for m in dataset.modules:
        for lang in LANGS:
            prefix = "../../" + ("../" if lang == "en" else "")
            participant = page(site, f"curriculum/{m.id}", lang)
            facilitator = page(site, f"curriculum/{m.id}/facilitator", lang)
            assert f'href="{prefix}{curriculum.module_pdf(lang, m.id, False)}"' in participant
            assert f'href="{prefix}../{curriculum.module_pdf(lang, m.id, True)}"' in facilitator
            for ws in m.worksheets:
                assert f'href="{prefix}{curriculum.worksheet_pdf(lang, m.id, ws.id)}"' in participant
            for activity in m.activities:
                assert f'id="activity-{activity.id}"' in participant
                if activity.method:
                    assert f'href="../../handbook/methods/{activity.method}/"' in participant
            if m.case:
                assert f'href="../../directory/{m.case.network}/"' in participant
            assert 'href="../../source/#L' in participant, "facts cite the report"


def test_html_in_module_data_is_shown_as_text(fixture_site):
    """The fixture module's facilitator note is markup; the page shows it as text."""
    page_html = (fixture_site / "curriculum" / "forum-basics" / "facilitator" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page_html and not re.search(r"<[^>]*\sonclick=", page_html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *ดาว* {: onclick=x }" in without_word_marks(page_html)


@pytest.mark.parametrize("lang", LANGS)
def test_printing_a_page_hides_the_site_chrome(server, page, lang):
    """The browser's print of an ordinary page: no header, navigation, search or footer."""
    prefix = "/" if lang == "th" else "/en/"
    page.goto(server + prefix + "curriculum/m01-vision/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"):
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    assert page.locator("article h1").is_visible()
    heading = page.evaluate("getComputedStyle(document.querySelector('article h2')).lineHeight")
    size = page.evaluate("getComputedStyle(document.querySelector('article h2')).fontSize")
    if lang == "th":
        assert float(heading.removesuffix("px")) >= 1.8 * float(size.removesuffix("px")) - 0.01
