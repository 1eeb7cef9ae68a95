"""Citing the site and the report (issue 7): CITATION.cff, the "Cite this page" box, JSON-LD.

- CITATION.cff is valid CFF 1.2.0 (cffconvert, with the schema it ships) and agrees with
  pyproject.toml, mkdocs.yml and data/report.yaml;
- every page type, in both languages, has a cite box with APA and BibTeX naming the page's title
  and canonical address and the report (its author in Thai script, the year in the page's era,
  the funder), and BibTeX that a BibTeX parser (pybtex) reads;
- every page type has one JSON-LD block of the right schema.org type in the page's language;
- a title crafted from data (</script>, quotes, braces) stays text in all of them;
- data/report.yaml is checked like the other data.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string

from builder.citation import iso_duration, json_ld, reuse_href
from builder.cli import main
from conftest import FIXTURE_DATA, PAGES, ROOT, copy_project

SITE_URL = "https://phanthamit.example/"  # mkdocs.yml's placeholder; the builds here do not set SITE_URL
TYPES = {"module": "LearningResource", "facilitator": "LearningResource", "directory": "Dataset"}


# --- reading a built page ------------------------------------------------------------------------

class Boxes(HTMLParser):
    """Text of the cite box's parts, by class, and the embed box's code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: dict[str, list[str]] = {}
        self.open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        keep = next((c for c in classes if c.startswith(("phanthamit-cite__", "phanthamit-embed__code"))), None)
        if tag in ("p", "pre", "textarea", "code", "em", "a"):
            self.open.append(keep)
            if keep:
                self.parts.setdefault(keep, []).append("")

    def handle_endtag(self, tag):
        if tag in ("p", "pre", "textarea", "code", "em", "a") and self.open:
            self.open.pop()

    def handle_data(self, data):
        for keep in self.open:
            if keep:
                self.parts[keep][-1] += data


def boxes(page: str) -> dict[str, list[str]]:
    parser = Boxes()
    parser.feed(page)
    return parser.parts


def canonical(page: str) -> str:
    return html.unescape(re.search(r'<link rel="canonical" href="([^"]+)">', page)[1])


def heading(page: str) -> str:
    """The page's <h1> as text (its permalink ¶ left out), as MkDocs titles the page."""
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", h1))).strip()


def json_lds(page: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]


def read(site: Path, path: str) -> str:
    return (site / path.lstrip("/") / "index.html").read_text(encoding="utf-8")


# --- CITATION.cff --------------------------------------------------------------------------------

def cff_problems(text: str) -> str | None:
    """cffconvert's validation against the CFF schema it ships; None when valid."""
    from cffconvert import Citation

    try:
        Citation(text).validate()
    except Exception as err:  # noqa: BLE001 - cffconvert raises jsonschema's errors, among others
        return str(err).splitlines()[0]
    return None


def test_citation_cff_is_valid():
    assert cff_problems((ROOT / "CITATION.cff").read_text(encoding="utf-8")) is None


@pytest.mark.parametrize("edit", [
    lambda cff: cff.pop("authors"),
    lambda cff: cff.update(license="CC-BY-4"),                 # not an SPDX id
    lambda cff: cff["references"][0].update(type="leaflet"),  # not a CFF type
])
def test_citation_cff_validation_catches_a_broken_file(edit):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    edit(cff)
    assert cff_problems(yaml.safe_dump(cff, allow_unicode=True)) is not None


def test_citation_cff_agrees_with_the_project_and_the_report(dataset):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert cff["url"] == SITE_URL
    assert f'site_url: !ENV [SITE_URL, "{SITE_URL}"]' in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    [reference] = cff["references"]
    report = dataset.report
    assert reference["type"] == "report"
    assert reference["title"] == report.programme.text.th
    [author] = reference["authors"]
    assert f'{author["given-names"]} {author["family-names"]}' == report.author.name
    assert (reference["year"], reference["month"]) == (report.date.year_ce, report.date.month)
    assert reference["institution"]["name"] == report.institution.name.th
    assert report.funder.name.en.split(" (")[0] in reference["notes"]


# --- the cite box ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, path, lang", PAGES)
def test_cite_box_names_the_page_and_the_report(site, dataset, kind, path, lang):
    page = read(site, path)
    parts = boxes(page)
    title, url = heading(page), canonical(page)
    assert url == SITE_URL + path.lstrip("/")
    page_apa, report_apa = parts["phanthamit-cite__apa"]
    page_bib, report_bib = parts["phanthamit-cite__bibtex"]
    assert title in page_apa and url in page_apa

    report = dataset.report
    year = report.date.year_be if lang == "th" else report.date.year_ce
    assert f"({year})" in report_apa
    for text in (report.author.name, report.programme.text.th, report.funder.name[lang], report.institution.name[lang]):
        assert text in report_apa, text
    if lang == "en":
        assert f"[{report.programme.text.en}]" in report_apa  # the translated title, marked as one

    [(key, entry)] = parse_string(page_bib, "bibtex").entries.items()
    assert entry.fields["title"] == "{" + title + "}" and entry.fields["url"] == url
    assert entry.persons["author"][0].last_names == ["{Phanthamit project}"]
    [(_, source)] = parse_string(report_bib, "bibtex").entries.items()
    assert source.type == "techreport" and source.fields["year"] == str(report.date.year_ce)
    assert [str(p) for p in source.persons["author"]] == ["{" + report.author.name + "}", "others"]
    assert report.funder.name[lang] in source.fields["note"]


def test_every_page_has_its_own_bibtex_key(site):
    keys = {}
    for file in site.rglob("index.html"):
        parts = boxes(file.read_text(encoding="utf-8"))
        if "phanthamit-cite__bibtex" in parts:
            [key] = parse_string(parts["phanthamit-cite__bibtex"][0], "bibtex").entries.keys()
            assert key not in keys, f"{file} and {keys.get(key)} share {key}"
            keys[key] = file
    assert len(keys) > 50


@pytest.mark.parametrize("path", ["/directory/", "/en/curriculum/m01-vision/"])
def test_boxes_stay_out_of_the_search_index(site, path):
    """What the index reads of a page (builder/search_index.py) has neither box; the gate: without
    their data-search-exclude it would have both."""
    from builder.search_index import page_text

    page = read(site, path)
    apa = boxes(page)["phanthamit-cite__apa"][0]
    text = page_text(page).joined
    assert "@misc{" not in text and "<iframe" not in text and apa[:40] not in text
    unmarked = page_text(page.replace("data-search-exclude", "")).joined
    assert "@misc{" in unmarked and "<iframe" in unmarked


# --- JSON-LD -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, path, lang", PAGES)
def test_json_ld_names_the_type_and_the_language(site, dataset, kind, path, lang):
    page = read(site, path)
    [node] = json_lds(page)
    assert node["@context"] == "https://schema.org"
    assert node["@type"] == TYPES.get(kind, "WebPage")
    assert node["inLanguage"] == lang == re.search(r'<html lang="(\w+)"', page)[1]
    assert node["url"] == canonical(page) and node["name"] == heading(page)
    assert ("license" in node) == (kind != "source")  # the report's own text is not the project's to license
    based_on = node["isBasedOn"]
    assert based_on["@type"] == "Report" and based_on["inLanguage"] == "th"
    assert based_on["datePublished"] == "2005-08" and based_on["author"]["name"] == dataset.report.author.name
    assert based_on["funder"]["name"] == dataset.report.funder.name[lang]

    if node["@type"] == "LearningResource":
        module = dataset.modules[0]
        assert path.rstrip("/").split("/")[-2 if kind == "facilitator" else -1] == module.id
        assert node["timeRequired"] == iso_duration(module.minutes)
        assert node["isPartOf"]["url"] == SITE_URL + ("en/" if lang == "en" else "") + "curriculum/"
        if kind == "module":
            assert node["audience"]["audienceType"] == module.audience[lang]
    if node["@type"] == "Dataset":
        formats = {d["encodingFormat"]: d["contentUrl"] for d in node["distribution"]}
        assert set(formats) == {"text/csv", "application/json"}
        for address in formats.values():
            assert address.startswith(SITE_URL) and (site / address.removeprefix(SITE_URL)).is_file(), address


@pytest.mark.parametrize("lang, page_url, directory_urls, expected", [
    ("th", "", True, "reuse/"),
    ("en", "en/curriculum/m01-vision/", True, "../../reuse/"),
    ("th", "index.html", False, "reuse/index.html"),                       # the offline copy
    ("en", "en/curriculum/m01-vision/index.html", False, "../../reuse/index.html"),
    ("en", "en/index.html", False, "reuse/index.html"),
])
def test_link_to_the_reuse_page(lang, page_url, directory_urls, expected):
    assert reuse_href(lang, page_url, directory_urls) == expected


@pytest.mark.parametrize("minutes, expected", [(150, "PT2H30M"), (60, "PT1H"), (45, "PT45M")])
def test_iso_duration(minutes, expected):
    assert iso_duration(minutes) == expected


def test_json_ld_cannot_end_its_script_element():
    text = str(json_ld({"name": '</script><script>alert(1)</script> & "x"'}))
    assert "<" not in text and ">" not in text and "&" not in text.replace("\\u0026", "")
    assert json.loads(text)["name"] == '</script><script>alert(1)</script> & "x"'


# --- a crafted title stays text ---------------------------------------------------------------------

CRAFTED = 'Rubber </script><script>alert("x")</script> {50%} & "co" \\ok'


@pytest.fixture(scope="module")
def crafted_site(tmp_path_factory) -> Path:
    """The fixture project with a network and a module whose English names are crafted to break out."""
    root = copy_project(tmp_path_factory.mktemp("crafted"), FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    shutil.copy(ROOT / "data" / "source" / "report-th.txt", root / "data" / "source")
    for file in ("networks/trang-rubber.yaml", "curriculum/modules/forum-basics.yaml"):
        doc = root / "data" / file
        data = yaml.safe_load(doc.read_text(encoding="utf-8"))
        data["name" if "networks" in file else "title"]["en"] = CRAFTED
        doc.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


@pytest.mark.parametrize("path", ["/en/directory/trang-rubber/", "/en/curriculum/forum-basics/facilitator/"])
def test_crafted_title_stays_text(crafted_site, path):
    page = read(crafted_site, path)
    assert "<script>alert(" not in page
    title = heading(page)
    assert CRAFTED in title
    [node] = json_lds(page)
    assert node["name"] == title
    parts = boxes(page)
    assert title in parts["phanthamit-cite__apa"][0]
    [(_, entry)] = parse_string(parts["phanthamit-cite__bibtex"][0], "bibtex").entries.items()
    assert r"\textbraceleft{}50\%\textbraceright{}" in entry.fields["title"]
    # The embed code, pasted into a page, is one iframe whose title is the page's title.
    [code] = parts["phanthamit-embed__code"]
    frame = Boxes()
    found = []
    frame.handle_starttag = lambda tag, attrs: found.append((tag, dict(attrs)))
    frame.feed(code)
    [(tag, attrs)] = found
    assert tag == "iframe" and attrs["title"] == title and attrs["src"] == canonical(page) + "?embed=1"


# --- data/report.yaml is checked like the other data ---------------------------------------------------

@pytest.mark.parametrize("edit, expected", [
    (("name: \"จุฑาทิพย์ ภัทราวาท\"", "name: \"จุฑาทิพย์ ภัทรา\""), r"data/report.yaml:\d+: author: .*must be one of the readings"),
    (("quote: \"สิงหาคม 2548\"", "quote: \"สิงหาคม 2549\""), r"data/report.yaml:\d+: date.sources\[0\].quote: quote not found"),
    (("year_be: 2548", "year_be: 2005"), r"data/report.yaml:\d+: date.year_be: "),
])
def test_bad_report_record_is_reported(project, capsys, edit, expected):
    report = project / "data" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    assert edit[0] in text
    report.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    assert main(["--root", str(project), "validate"]) == 1
    assert re.search(expected, capsys.readouterr().err)


def test_missing_report_record_is_reported(project, capsys):
    (project / "data" / "report.yaml").unlink()
    assert main(["--root", str(project), "validate"]) == 1
    assert "data/report.yaml:1: file is missing" in capsys.readouterr().err
