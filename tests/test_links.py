"""Every internal link and anchor in the built site resolves, in both languages.

The checker reads every .html page of the built site with the standard library's html.parser,
collects each page's ids, and follows every <a href>, <link href>, <img src>, <script src>,
<source src> (also srcset, <use href>, <area href>, <iframe src>, inline styles) and every url()
or @import in the site's own CSS: the target must be a file inside the site (a directory URL means
its index.html) and a #fragment must be an id on the target page — fragment-only links too, and
the citations to report lines (source/#L123). Search results (search/th.json, search/en.json) are
followed the same way. Only links with another scheme (mailto:, data:, javascript:, …) and
absolute http(s) addresses of other hosts (test_build forbids those anyway) are not followed.

MkDocs' own check (strict: true with validation of links and anchors in mkdocs.yml) stops a
broken Markdown link before any HTML exists; tests below prove both gates still fail when broken.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from builder.cli import main
from conftest import FIXTURE_DATA, ROOT, copy_project

# Attributes that hold one URL, by tag ("*": any tag).
URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
    "source": ("src",), "iframe": ("src",), "embed": ("src",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "use": ("href", "xlink:href"), "image": ("href", "xlink:href"),
    "form": ("action",), "object": ("data",),
}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL=(\S+?)\s*(?:\*/)?\s*$", re.M)


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (url, what it is, for messages)
    css: list[str] = field(default_factory=list)  # <style> blocks and style="" attributes


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page, self._in_style = page, False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id", "name") if tag in ("a", "map") else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        for name in URL_ATTRS.get(tag, ()):
            if values.get(name) is not None:
                self.page.refs.append((values[name].strip(), f"<{tag} {name}>"))
        if values.get("srcset"):
            for candidate in values["srcset"].split(","):
                if candidate.strip():
                    self.page.refs.append((candidate.split()[0], f"<{tag} srcset>"))
        if values.get("style"):
            self.page.css.append(values["style"])
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.page.css.append(data)


def css_urls(text: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(text)]


class Site:
    """The built site as files and parsed pages; `problems()` lists every broken reference."""

    def __init__(self, root: Path, base_path: str = "/"):
        self.root, self.base_path = root, base_path.rstrip("/") + "/"
        self.files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        self._pages: dict[str, Page] = {}

    def page(self, path: str) -> Page:
        if path not in self._pages:
            page = Page()
            _Parser(page).feed((self.root / path).read_text(encoding="utf-8"))
            self._pages[path] = page
        return self._pages[path]

    def resolve(self, source: str, url: str) -> tuple[str | None, str | None, str | None]:
        """(target file, fragment, problem) for a URL found in file `source`; target None = not followed."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None, None, None  # mailto:, data:, javascript:, or another host (test_build forbids those)
        path = unquote(parts.path)
        fragment = unquote(parts.fragment) if "#" in url else None
        if not path:
            return source, fragment, None
        if path.startswith("/"):  # absolute: the site is served at base_path (site_url's path)
            if not (path + "/").startswith(self.base_path):
                return None, None, f"absolute path outside the site's base {self.base_path}"
            joined = posixpath.normpath("/" + path[len(self.base_path):]).lstrip("/")
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
            if joined == ".." or joined.startswith("../"):
                return None, None, "points outside the site"
        joined = "" if joined == "." else joined
        if path.endswith("/") or not joined or (joined not in self.files and f"{joined}/index.html" in self.files):
            target = posixpath.join(joined, "index.html")  # a directory URL means its index.html
        else:
            target = joined
        if target not in self.files:
            return None, None, f"no file {target}"
        return target, fragment, None

    def check_ref(self, source: str, url: str, what: str) -> str | None:
        target, fragment, problem = self.resolve(source, url)
        if problem:
            return f"{source}: {url} ({what}: {problem})"
        if target and fragment and target.endswith(".html") and fragment not in self.page(target).ids:
            where = "this page" if target == source else target
            return f"{source}: {url} ({what}: no id {fragment!r} on {where})"
        return None

    def problems(self, only: list[str] | None = None) -> list[str]:
        found: list[str] = []
        for path in sorted(only or self.files):
            if path.endswith(".html"):
                page = self.page(path)
                refs = list(page.refs) + [(u, "inline CSS url()") for css in page.css for u in css_urls(css)]
            elif path.endswith(".css"):
                text = (self.root / path).read_text(encoding="utf-8")
                refs = [(u, "CSS url()") for u in css_urls(text)] + [(u, "source map") for u in SOURCE_MAP.findall(text)]
            elif path.endswith(".js"):
                refs = [(u, "source map") for u in SOURCE_MAP.findall((self.root / path).read_text(encoding="utf-8"))]
            else:
                continue
            for url, what in refs:
                problem = self.check_ref(path, url, what)
                if problem:
                    found.append(problem)
        return found

    def search_problems(self) -> list[str]:
        """Search results: each page of the search index of each language (search/<lang>.json,
        builder/search_index.py) and each heading a result can link to, from the site root."""
        found = []
        indexes = sorted((self.root / "search").glob("*.json"))
        assert indexes, "no search index in search/"
        for index in indexes:
            for entry in json.loads(index.read_text(encoding="utf-8"))["pages"]:
                for url in [entry["u"] or "./"] + [f"{entry['u']}#{anchor[2]}" for anchor in entry["a"]]:
                    problem = self.check_ref("index.html", url, "search result")
                    if problem:
                        found.append(problem.replace("index.html: ", f"search/{index.name}: ", 1))
        return found


def report(problems: list[str]) -> str:
    return f"{len(problems)} broken link(s):\n" + "\n".join(problems)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data; tags such as !!python/name:… or !ENV read as None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def base_path() -> str:
    """Where the site is served: the path of site_url ("/" until it has one)."""
    site_url = mkdocs_config().get("site_url") or "/"
    return urlsplit(site_url).path or "/"


@pytest.fixture(scope="module")
def checked(site) -> Site:
    return Site(site, base_path())


def test_every_internal_link_and_anchor_resolves(checked):
    pages = [p for p in checked.files if p.endswith(".html")]
    assert "index.html" in pages and "en/index.html" in pages and "404.html" in pages
    assert any(p.startswith("en/directory/") for p in pages), "the English pages are checked too"
    problems = checked.problems()
    assert not problems, report(problems)


def test_search_results_lead_to_pages_and_headings(checked):
    problems = checked.search_problems()
    assert not problems, report(problems)


def test_the_checker_saw_citations_and_css(checked):
    """Not vacuous: citations into the report and the font url()s were followed."""
    network = checked.page("directory/trang-rubber/index.html")
    cites = [u for u, _ in network.refs if "source/#L" in u]
    assert cites and all(checked.check_ref("directory/trang-rubber/index.html", u, "a") is None for u in cites)
    css = (checked.root / "assets" / "stylesheets" / "phanthamit.css").read_text(encoding="utf-8")
    assert any(u.endswith(".woff2") for u in css_urls(css))


# --- the gate fails when something is broken -------------------------------------------------

BREAKS = {
    # name: (page to break, change to make, text the failure must contain)
    "missing page": ("directory/index.html", lambda s: s.replace('href="trang-rubber/"', 'href="no-such-network/"', 1),
                     "directory/index.html: no-such-network/ (<a href>: no file directory/no-such-network/index.html)"),
    "missing report line": ("directory/trang-rubber/index.html", lambda s: re.sub(r'source/#L\d+"', 'source/#L999999"', s, count=1),
                            "directory/trang-rubber/index.html: ../../source/#L999999 (<a href>: no id 'L999999' on source/index.html)"),
    "cited line lost its id": ("source/index.html", lambda s: re.sub(r'id="L(\d+)"', r'id="gone\1"', s),
                               "(<a href>: no id 'L"),
    "missing fragment on the same page": ("en/directory/index.html", lambda s: s.replace('href="#', 'href="#no-such-heading-', 1),
                                          "en/directory/index.html: #no-such-heading-"),
    "missing script": ("en/index.html", lambda s: s.replace("javascripts/bundle.", "javascripts/gone.", 1),
                       "en/index.html: ../assets/javascripts/gone."),
    "missing stylesheet": ("index.html", lambda s: s.replace("stylesheets/phanthamit.css", "stylesheets/gone.css", 1),
                           "index.html: assets/stylesheets/gone.css (<link href>: no file assets/stylesheets/gone.css)"),
    "missing image": ("index.html", lambda s: s.replace("<h1", '<img src="assets/images/none.png" alt=""><h1', 1),
                      "index.html: assets/images/none.png (<img src>: no file assets/images/none.png)"),
    "missing font in CSS": ("assets/stylesheets/phanthamit.css", lambda s: s.replace("sarabun-thai-400-normal.woff2", "gone.woff2", 1),
                            "assets/stylesheets/phanthamit.css: ../fonts/gone.woff2 (CSS url(): no file assets/fonts/gone.woff2)"),
    "outside the site": ("directory/index.html", lambda s: s.replace('href="trang-rubber/"', 'href="../../../etc/passwd"', 1),
                         "directory/index.html: ../../../etc/passwd (<a href>: points outside the site)"),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_the_link_gate_fails_on_a_broken_copy(site, tmp_path, name):
    page, change, expected = BREAKS[name]
    broken = tmp_path / "site"
    shutil.copytree(site, broken, copy_function=os.link)  # hard links: fast, and never written through
    original = (broken / page).read_text(encoding="utf-8")
    changed = change(original)
    assert changed != original, f"the break {name!r} no longer applies to {page}; update it"
    (broken / page).unlink()
    (broken / page).write_text(changed, encoding="utf-8")
    checker = Site(broken, base_path())
    assert not Site(site, base_path()).problems(only=[page]), "the intact page is clean"
    pages = [page] if page != "source/index.html" else ["directory/trang-rubber/index.html"]
    problems = checker.problems(only=pages)
    assert any(expected in p for p in problems), report(problems)


# --- MkDocs' own gate: strict, with link and anchor validation ---------------------------------

def test_mkdocs_build_is_strict_about_links_and_anchors(tmp_path):
    """mkdocs.yml as MkDocs reads it: strict, and every link check at least a warning (strict makes
    warnings errors; "info" or "ignore" would let a broken Markdown link or anchor through).
    docs_dir points at an empty folder: a clean clone has no build/docs yet."""
    import logging

    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path))
    assert config["strict"] is True
    for check in ("not_found", "anchors", "unrecognized_links", "absolute_links"):
        assert config["validation"]["links"][check] >= logging.WARNING, f"validation.links.{check}"
    for check in ("not_found", "absolute_links"):
        assert config["validation"]["nav"][check] >= logging.WARNING, f"validation.nav.{check}"


def _fixture_project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path, FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    shutil.copy(ROOT / "data" / "source" / "report-th.txt", root / "data" / "source")
    return root


@pytest.mark.parametrize("link, message", [
    ("[x](no-such-page.md)", "no-such-page.md"),
    ("[x](directory/index.md#no-such-heading)", "no-such-heading"),
])
def test_a_broken_markdown_link_fails_the_build(tmp_path, capsys, link, message):
    root = _fixture_project(tmp_path)
    for lang in ("th", "en"):
        index = root / "content" / lang / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + f"\n{link}\n", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert message in err and "index.md" in err, err
    assert not (root / "site").exists()
