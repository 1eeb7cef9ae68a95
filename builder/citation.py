"""How to cite a page of the site and the report it is based on; each page's schema.org JSON-LD.

The project's own facts (name, version, release date, licences) come from CITATION.cff, the
report's from data/report.yaml: one source each. The builder writes what the pages need to
build/citation.json; the MkDocs hook (theme/hooks/phanthamit.py) calls `page_context` for each
page and theme/partials/cite.html prints the result, autoescaped. The JSON-LD is the one value
printed as is: `json_ld` escapes < > & inside it, so no data can close the <script> element.
"""
from __future__ import annotations

import json
import posixpath
from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from .errors import BuildError
from .labels import label
from .model import Dataset

CFF = Path(__file__).resolve().parent.parent / "CITATION.cff"  # describes this checkout, not a data folder
LICENCE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/", "MIT": "https://opensource.org/licenses/MIT"}
CONTENT_LICENCE = "CC-BY-4.0"  # the site's own content and data; the code is MIT
REPORT_KEY = "alliance-networks-report-2005"  # BibTeX key; ASCII, and no romanised name in it
BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543: Thai citations use B.E.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                   "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                   "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


# --- facts: CITATION.cff and the report, written for the hook ---------------------------------


def read_project(path: Path = CFF) -> dict:
    """The project's citation facts from CITATION.cff; a missing or malformed file is a BuildError."""
    try:
        cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise BuildError(f"{path}: cannot read the project's citation file: {err.strerror}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise BuildError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(cff, dict):
        raise BuildError(f"{path}:1: expected the fields of a CITATION.cff")
    for field in ("title", "authors", "version", "date-released", "license", "url"):
        if not cff.get(field):
            raise BuildError(f"{path}: {field}: missing (the cite box needs it)")
    authors = cff["authors"]
    if not (isinstance(authors, list) and len(authors) == 1 and isinstance(authors[0], dict) and authors[0].get("name")):
        raise BuildError(f"{path}: authors: expected one entity with a name (the project)")
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    if CONTENT_LICENCE not in licences:
        raise BuildError(f"{path}: license: must list {CONTENT_LICENCE}, the licence of the site's content")
    return {"title": str(cff["title"]), "author": str(authors[0]["name"]), "version": str(cff["version"]),
            "year": int(str(cff["date-released"])[:4]), "licences": [str(x) for x in licences], "url": str(cff["url"])}


def site_facts(data: Dataset, cff: Path = CFF) -> dict:
    """Everything page_context needs, as plain JSON values."""
    report = data.report
    return {
        "project": read_project(cff),
        "report": {
            "author": report.author.name,
            "and_team": report.author.and_team.model_dump(),
            "author_note": report.author.note.model_dump(),
            "genre": report.genre.text.model_dump(),
            "project": report.project.text.model_dump(),
            "programme": report.programme.text.model_dump(),
            "funder": report.funder.name.model_dump(),
            "institution": report.institution.name.model_dump(),
            "year_be": report.date.year_be,
            "month": report.date.month,
        },
        "modules": {m.id: {"minutes": m.minutes, "audience": m.audience.model_dump()} for m in data.modules},
    }


def write_facts(data: Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(site_facts(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def _read_facts(path: str, mtime_ns: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_facts(path: Path) -> dict:
    """build/citation.json, read once per build (the hook asks for every page)."""
    return _read_facts(str(path), path.stat().st_mtime_ns)


# --- the report ---------------------------------------------------------------------------------


def report_year(report: dict, lang: str) -> int:
    """Thai citations give the Buddhist Era year, as the report itself does; English the Common Era."""
    return report["year_be"] if lang == "th" else report["year_be"] - BE_OFFSET


def report_authors(report: dict, lang: str) -> str:
    """In Thai script in both languages, given name first (as the report cites Thai authors, line 187)."""
    return f"{report['author']} {report['and_team'][lang]}"


def report_apa(report: dict, lang: str) -> Markup:
    """APA 7 for a report; in English the Thai title is followed by its translation in brackets."""
    title = Markup("<em>{}</em>").format(report["programme"]["th"])
    if lang == "en":
        title += Markup(" [{}]").format(report["programme"]["en"])
    series = f"{report['genre'][lang]}, {report['project'][lang]}" if lang == "en" else f"{report['genre']['th']} {report['project']['th']}"
    funded = label("cite_funded_by", lang).format(funder=report["funder"][lang])
    authors = report_authors(report, lang)
    return Markup("{authors}{stop} ({year}). {title} ({series}). {institution}. {funded}").format(
        authors=authors, stop="" if authors.endswith(".") else ".", year=report_year(report, lang), title=title,
        series=series, institution=report["institution"][lang], funded=funded)


def report_bibtex(report: dict, lang: str) -> str:
    year_ce = report["year_be"] - BE_OFFSET
    note = label("cite_report_bibtex_note", lang).format(
        be=report["year_be"], funder=report["funder"][lang], translation=report["programme"]["en"])
    return bibtex_entry("techreport", REPORT_KEY, [
        ("author", "{" + bibtex_escape(report["author"]) + "} and others"),
        ("title", "{" + bibtex_escape(report["programme"]["th"]) + "}"),
        ("type", bibtex_escape(f"{report['genre']['th']} {report['project']['th']}")),
        ("institution", bibtex_escape(report["institution"]["th"])),
        ("year", str(year_ce)),
        ("month", str(report["month"])),
        ("language", "thai"),
        ("note", bibtex_escape(note)),
    ])


# --- a page of the site -------------------------------------------------------------------------


def page_key(lang: str, path: str) -> str:
    """'curriculum/m01-vision/index.md' in English → 'phanthamit-en-curriculum-m01-vision'."""
    folder = path.removesuffix("index.md").strip("/")
    return "-".join(["phanthamit", lang] + ([folder.replace("/", "-")] if folder else []))


def page_year(project: dict, lang: str) -> int:
    return project["year"] + BE_OFFSET if lang == "th" else project["year"]


def page_apa(project: dict, lang: str, title: str, url: str, site_name: str) -> Markup:
    """APA 7 for a web page: Author. (Year). Title. Site. URL."""
    return Markup("{author}. ({year}). <em>{title}</em>. {site}. {url}").format(
        author=project["author"], year=page_year(project, lang), title=title, site=site_name, url=url)


def page_bibtex(project: dict, lang: str, path: str, title: str, url: str, site_name: str) -> str:
    return bibtex_entry("misc", page_key(lang, path), [
        ("author", "{" + bibtex_escape(project["author"]) + "}"),
        ("title", "{" + bibtex_escape(title) + "}"),
        ("howpublished", bibtex_escape(site_name)),
        ("year", str(project["year"])),
        ("url", bibtex_url(url)),
        ("language", "thai" if lang == "th" else "english"),
        ("note", bibtex_escape(label("cite_page_bibtex_note", lang).format(version=project["version"], key=REPORT_KEY))),
    ])


def embed_snippet(url: str, title: str) -> str:
    """The iframe an LMS or another site pastes in; ?embed=1 shows the page without the site's frame."""
    return (f'<iframe src="{escape(url)}?embed=1" title="{escape(title)}" width="100%" height="600" '
            f'loading="lazy"></iframe>')


# --- schema.org JSON-LD --------------------------------------------------------------------------


def report_node(report: dict, lang: str) -> dict:
    node = {
        "@type": "Report",
        "name": report["programme"]["th"],
        "inLanguage": "th",
        "genre": report["genre"][lang],
        "author": {"@type": "Person", "name": report["author"]},
        "datePublished": f"{report['year_be'] - BE_OFFSET}-{report['month']:02d}",
        "funder": {"@type": "Organization", "name": report["funder"][lang]},
        "sourceOrganization": {"@type": "Organization", "name": report["institution"][lang]},
    }
    if lang == "en":
        node["alternateName"] = report["programme"]["en"]  # a translation: the report has no English title
    return node


def iso_duration(minutes: int) -> str:
    """150 → 'PT2H30M' (ISO 8601, as schema.org's timeRequired wants)."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def page_json_ld(facts: dict, lang: str, path: str, title: str, url: str, site_name: str, site_url: str) -> dict:
    """LearningResource for a module's two views, Dataset for the directory, WebPage for the rest."""
    project, report = facts["project"], facts["report"]
    home = site_url.rstrip("/") + "/" + ("" if lang == "th" else "en/")
    node: dict = {"@context": "https://schema.org", "@type": "WebPage", "name": title, "url": url, "inLanguage": lang}
    parts = path.removesuffix("index.md").strip("/").split("/")
    module = facts["modules"].get(parts[1]) if len(parts) in (2, 3) and parts[0] == "curriculum" else None
    facilitator = len(parts) == 3 and parts[2] == "facilitator"
    if module is not None and (len(parts) == 2 or facilitator):
        node["@type"] = "LearningResource"
        node["learningResourceType"] = "lesson plan" if facilitator else "module"
        node["timeRequired"] = iso_duration(module["minutes"])
        node["audience"] = ({"@type": "EducationalAudience", "educationalRole": "facilitator"} if facilitator
                            else {"@type": "EducationalAudience", "audienceType": module["audience"][lang]})
        node["isPartOf"] = {"@type": "LearningResource", "learningResourceType": "curriculum",
                            "name": label("curriculum", lang), "url": home + "curriculum/"}
    elif parts == ["directory"]:
        node["@type"] = "Dataset"
        node["description"] = label("directory_intro", lang)
        node["creator"] = {"@type": "Organization", "name": project["author"]}
        node["distribution"] = [
            {"@type": "DataDownload", "encodingFormat": kind, "contentUrl": site_url.rstrip("/") + "/directory/networks." + ext}
            for ext, kind in (("csv", "text/csv"), ("json", "application/json"))
        ]
    else:
        node["isPartOf"] = {"@type": "WebSite", "name": site_name, "url": home}
    if parts != ["source"]:  # the report's own text is not the project's to license
        node["license"] = LICENCE_URLS[CONTENT_LICENCE]
    node["isBasedOn"] = report_node(report, lang)
    return node


def json_ld(node: dict) -> Markup:
    """JSON for a <script type="application/ld+json">: < > & escaped, so nothing inside can end it."""
    text = json.dumps(node, ensure_ascii=False, indent=1)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


# --- everything a page's boxes show --------------------------------------------------------------


def page_context(facts: dict, *, lang: str, path: str, title: str, url: str, site_name: str, site_url: str,
                 page_url: str, directory_urls: bool = True) -> dict:
    """The values theme/partials/cite.html and theme/main.html print for one page."""
    project, report = facts["project"], facts["report"]
    return {
        "labels": {key: label(key, lang) for key in (
            "cite_this_page", "cite_report", "cite_apa", "cite_bibtex", "cite_licence",
            "cite_reuse", "embed_this_page", "embed_intro", "embed_code", "embed_copy", "embed_copied")},
        "names_note": label("cite_names_note", lang).format(be=report["year_be"], ce=report["year_be"] - BE_OFFSET),
        "apa": page_apa(project, lang, title, url, site_name),
        "bibtex": page_bibtex(project, lang, path, title, url, site_name),
        "report_apa": report_apa(report, lang),
        "report_bibtex": report_bibtex(report, lang),
        "author_note": report["author_note"][lang],
        "reuse_href": reuse_href(lang, page_url, directory_urls),
        "embed": embed_snippet(url, title),
        "json_ld": json_ld(page_json_ld(facts, lang, path, title, url, site_name, site_url)),
    }


def reuse_href(lang: str, page_url: str, directory_urls: bool = True) -> str:
    """Relative link from a page to the reuse page of its language; page_url is MkDocs' page.url
    ('' or 'en/x/' online, 'index.html' or 'en/x/index.html' in the offline copy)."""
    target = ("" if lang == "th" else "en/") + "reuse/" + ("" if directory_urls else "index.html")
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return posixpath.relpath(target, folder or ".") + ("/" if directory_urls else "")


# --- BibTeX -------------------------------------------------------------------------------------


def bibtex_escape(text: str) -> str:
    """Characters that mean something to BibTeX or LaTeX, written as commands (braces stay balanced)."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(text.split()))


def bibtex_url(url: str) -> str:
    """A URL may hold % and # (fine inside braces for url fields) but not braces or backslashes."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}"
