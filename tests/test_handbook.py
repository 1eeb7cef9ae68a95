"""The handbook: the report's counts, complete bilingual records, glossary terms that exist,
and links that run both ways between handbook, directory and source."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

TEMPLATES = ROOT / "builder" / "templates"
HANDBOOK_PAGES = [
    "handbook/", "handbook/process/", "handbook/before/", "handbook/teams/", "handbook/methods/",
    "handbook/approaches/", "handbook/best-practice/", "handbook/success/", "handbook/sustainability/",
    "handbook/recommendations/", "handbook/agencies/", "handbook/glossary/",
]


def page(site: Path, url: str, lang: str = "th") -> str:
    return (site / ("" if lang == "th" else "en") / url / "index.html").read_text(encoding="utf-8")


def test_counts_the_reader_can_check(dataset):
    assert len(dataset.stages) == 4
    assert len(dataset.approaches) == 3
    assert sorted(r.number for r in dataset.recommendations) == list(range(1, 15))
    assert sorted(g.number for g in dataset.guidelines) == list(range(1, 30))
    assert len([f for f in dataset.factors if f.group == "sustainability"]) == 4
    assert len([f for f in dataset.factors if f.group == "opinion"]) == 34


def test_every_teaching_record_is_bilingual_and_cited(dataset):
    records = [*dataset.approaches, *dataset.methods, *dataset.factors, *dataset.guidelines, *dataset.recommendations]
    for record in records:
        assert record.sources, record
    for approach in dataset.approaches:
        assert approach.steps and approach.advantages and approach.disadvantages, approach.id
    for method in dataset.methods:
        assert method.purpose.th and method.purpose.en


def test_glossary_terms_used_in_templates_exist(dataset):
    used = {m for path in TEMPLATES.glob("*.j2") for m in re.findall(r'term\("([a-z0-9-]+)"\)', path.read_text(encoding="utf-8"))}
    assert used, "templates use glossary terms"
    assert used <= {t.id for t in dataset.glossary}


def test_glossary_gives_one_rendering_per_thai_term(dataset):
    seen: dict[str, str] = {}
    for term in dataset.glossary:
        assert seen.setdefault(term.th, term.en) == term.en, f"{term.th} has two English renderings"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_handbook_page_exists_and_cites_the_report(site, lang):
    for url in HANDBOOK_PAGES:
        html = page(site, url, lang)
        assert f'<html lang="{lang}"' in html
        if url not in ("handbook/", "handbook/methods/", "handbook/agencies/"):
            assert 'source/#L' in html, f"{url} cites no report line"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_approach_and_network_pages_link_both_ways(site, dataset, lang):
    for network in dataset.networks:
        if network.approach.value == "unknown":
            continue
        net = page(site, f"directory/{network.id}/", lang)
        assert f'handbook/approaches/{network.approach.value}/"' in net
        approach = page(site, f"handbook/approaches/{network.approach.value}/", lang)
        assert f'directory/{network.id}/"' in approach


@pytest.mark.parametrize("lang", ["th", "en"])
def test_method_and_province_pages_link_both_ways(site, dataset, lang):
    for method in dataset.methods:
        method_page = page(site, f"handbook/methods/{method.id}/", lang)
        for use in method.provinces:
            assert f'directory/province/{use.province}/"' in method_page
            assert f'handbook/methods/{method.id}/"' in page(site, f"directory/province/{use.province}/", lang)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_teams_page_and_province_pages_link_both_ways(site, dataset, lang):
    teams = page(site, "handbook/teams/", lang)
    for province in dataset.provinces:
        assert f'directory/province/{province.id}/"' in teams
        assert f'handbook/teams/#{province.id}"' in page(site, f"directory/province/{province.id}/", lang)


def test_recommendations_browsable_by_agency(site, dataset):
    agencies = page(site, "handbook/agencies/")
    for recommendation in dataset.recommendations:
        for agency in recommendation.agencies:
            assert f'id="{agency}"' in agencies
        if recommendation.agencies:
            assert f'recommendations/#r{recommendation.number}"' in agencies


def test_ui_strings_translate_key_terms_as_the_glossary_does(dataset):
    """A Thai key term in a UI string is rendered in its English twin as data/glossary.yaml says."""
    from builder.labels import LABELS

    wrong = []
    for key, text in LABELS.items():
        found = [term for term in dataset.glossary if term.th in text["th"]]
        outer = [t for t in found if not any(t.th != o.th and t.th in o.th for o in found)]  # the longest term wins
        wrong += [f"{key}: {t.th} → {t.en!r} not in {text['en']!r}" for t in outer if t.en.casefold() not in text["en"].casefold()]
    assert not wrong, "\n".join(wrong)
