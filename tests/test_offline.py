"""The offline copy (builder/offline.py): site/downloads/phanthamit-offline.zip, unpacked once into a
temporary folder, works opened from disk (file://).

- Every page's links, stylesheets, scripts and images are files of the copy (test_links' checker,
  with two more rules for the disk: a link to a folder, "x/", shows a file listing there instead of
  x/index.html, and "/x" means the root of the disk), #fragments included; nothing is loaded from
  another host. A crafted page shows that each rule fails when broken.
- In Debian's Chromium, from file://: the Thai home, then a handbook page, a network of the
  directory and a curriculum module by clicking links; the language switch opens the same module
  in English; English pages and a glossary term from there. No console error, no failed request,
  no Content-Security-Policy violation, and every request is for a file:// URL.
- The site's search works from disk (its index loaded as a script): a Thai and an English query
  find a network, and the result opens its page.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from builder.build import REPORT_DATE
from builder.offline import FOLDER, ZIP
from test_links import Site, report

# A script, image or stylesheet from another host (a canonical link only names the page's address).
REMOTE = re.compile(r'<(?:script|img|iframe|source|embed)\b[^>]*\bsrc="(?:[a-z]+:)?//'
                    r'|<link\b(?![^>]*\brel="canonical")[^>]*\bhref="(?:[a-z]+:)?//')
NETWORK = "loei-funding"  # a network page, reached from the directory's list (raw HTML from the builder)


class OfflineCopy(Site):
    """test_links' checker for pages opened from disk: there a folder does not mean its index.html,
    and an absolute path starts at the root of the disk."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.folders = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}

    def resolve(self, source: str, url: str):
        parts = urlsplit(url)
        path = unquote(parts.path)
        if not (parts.scheme or parts.netloc) and path:
            if path.startswith("/"):
                return None, None, "absolute path: from disk it starts at the root of the file system"
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
            if path.endswith("/") or joined == "." or joined in self.folders:
                return None, None, "a folder: from disk it shows a file listing, not its index.html"
        return super().resolve(source, url)

    def remote(self) -> list[str]:
        return [f"{p}: {m.group(0)}" for p in sorted(self.files) if p.endswith(".html")
                for m in REMOTE.finditer((self.root / p).read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def archive(site) -> zipfile.ZipFile:
    with zipfile.ZipFile(site / ZIP) as opened:
        yield opened


@pytest.fixture(scope="module")
def copy(archive, tmp_path_factory) -> Path:
    """The zip unpacked, as a trainer would; returns its one folder."""
    target = tmp_path_factory.mktemp("offline")
    archive.extractall(target)
    return target / FOLDER


def test_the_zip_holds_the_whole_site_in_one_folder(site, archive):
    names = archive.namelist()
    assert names == sorted(names), "entries in a fixed order"
    assert {n.split("/")[0] for n in names} == {FOLDER}
    assert {i.date_time for i in archive.infolist()} == {(2005, 8, 1, 0, 0, 0)}, f"the report's date ({REPORT_DATE})"
    inside = {n.removeprefix(FOLDER + "/") for n in names}
    assert {"index.html", "en/index.html", "directory/networks.csv", "directory/networks.json",
            "search/th.js", "search/en.js"} <= inside
    pdfs = {p.relative_to(site).as_posix() for p in (site / "downloads").rglob("*.pdf")}
    assert pdfs and pdfs <= inside, "every PDF of the site"
    assert not [n for n in inside if n.endswith((".imscc", ".zip")) or n == "404.html"]
    assert archive.read(f"{FOLDER}/directory/networks.csv") == (site / "directory" / "networks.csv").read_bytes()


def test_every_link_of_every_page_is_a_file_of_the_copy(copy):
    checker = OfflineCopy(copy)
    pages = [p for p in checker.files if p.endswith(".html")]
    assert "index.html" in pages and any(p.startswith("en/directory/") for p in pages)
    assert 'lang="th"' in (copy / "index.html").read_text(encoding="utf-8")[:200], "the start file is the Thai home"
    problems = checker.problems()
    assert not problems, report(problems)
    assert not checker.remote()


def test_files_left_out_are_linked_on_the_online_site(site, copy):
    """The reuse page offers the zip and the course packages; the copy has neither (the zip cannot
    hold itself), so its links lead to them on the web."""
    online = re.search(r'<link rel="canonical" href="([^"]*)"', (site / "index.html").read_text(encoding="utf-8"))[1]
    name = ZIP.rsplit("/", 1)[1]
    hrefs = [h for p in copy.rglob("*.html") for h in re.findall(r'href="([^"]*)"', p.read_text(encoding="utf-8"))
             if h.endswith((name, ".imscc"))]
    assert any(h.endswith(name) for h in hrefs), "a page offers the offline copy"
    assert all(h.startswith(online + "downloads/") for h in hrefs), hrefs


def test_the_checker_fails_on_links_that_need_a_server(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<h1 id="here">b</h1>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="b/index.html#here">fine</a> <a href="b/">folder</a> <a href="b/#here">folder with anchor</a>'
        ' <a href="./">this folder</a> <a href="b">folder without slash</a> <a href="/b/index.html">absolute</a>'
        ' <a href="b/index.html#nowhere">missing anchor</a> <link rel="canonical" href="https://example.org/b/">'
        ' <script src="https://example.org/x.js"></script> <link rel="stylesheet" href="//example.org/x.css">',
        encoding="utf-8")
    checker = OfflineCopy(tmp_path)
    problems = checker.problems()
    for url in ("b/", "b/#here", "./", "b", "/b/index.html", "b/index.html#nowhere"):
        assert any(p.startswith(f"index.html: {url} (") for p in problems), (url, report(problems))
    assert len(problems) == 6, report(problems)
    assert [p.split(": ", 1)[1][:12] for p in checker.remote()] == ["<script src=", "<link rel=\"s"]


# --- in Chromium, from file:// ------------------------------------------------------------------

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"}`));
"""


class Walk:
    """A browser tab on the offline copy that records everything that goes wrong."""

    def __init__(self, browser, copy: Path):
        self.base = copy.as_uri() + "/"
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.add_init_script(script=LISTEN)
        self.context.on("request", self._request)
        self.context.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} ({r.failure})"))
        # Nothing leaves the machine, even when a page is broken.
        self.context.route(lambda url: urlsplit(url).scheme not in ("file", "data"), lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))

    def _request(self, request) -> None:
        if urlsplit(request.url).scheme not in ("file", "data"):
            self.problems.append(f"request to another host: {request.url}")

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self._arrived(path)

    def follow(self, path: str, hover: str | None = None) -> None:
        """Click a visible link on the page that leads to `path` (under the copy's folder)."""
        if hover:
            self.page.locator(hover).hover()
        link = self.page.evaluate_handle(
            "(target) => [...document.querySelectorAll('a[href]')].find((a) => a.href === target"
            " && a.getClientRects().length && getComputedStyle(a).visibility !== 'hidden') || null",
            self.base + path)
        assert link.as_element() is not None, f"{self.page.url}: no visible link to {path}"
        with self.page.expect_navigation():
            link.as_element().click()
        self._arrived(path)

    def _arrived(self, path: str) -> None:
        self.page.wait_for_load_state("load")
        assert self.page.url == self.base + path
        assert self.page.locator("h1").first.inner_text().strip(), f"{path}: no heading"
        self.problems += [f"csp: {v}" for v in self.page.evaluate("window.__cspViolations")]

    def lang(self) -> str:
        return self.page.locator("html").get_attribute("lang")

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().removesuffix("¶").strip()

    def search(self, query: str) -> list[str]:
        """Type into the site's search box; the result links, in order."""
        self.page.locator("input[type=search]").first.click()
        self.page.keyboard.type(query)
        self.page.wait_for_selector(f'[data-search-results][data-search-query="{query}"] a[href]')
        return self.page.eval_on_selector_all("[data-search-results] a[href]", "l => l.map(a => a.href)")

    def close(self) -> list[str]:
        self.context.close()
        return self.problems


def test_pages_open_from_disk_in_both_languages(browser, copy, dataset):
    walk = Walk(browser, copy)
    network = next(n for n in dataset.networks if n.id == NETWORK)
    walk.open("index.html")
    assert walk.lang() == "th"
    walk.follow("handbook/index.html")
    walk.follow("handbook/process/index.html")
    walk.follow("directory/index.html")
    walk.follow(f"directory/{NETWORK}/index.html")
    assert walk.heading() == network.name.th
    walk.follow("curriculum/index.html")
    walk.follow("curriculum/m01-vision/index.html")
    walk.follow("en/curriculum/m01-vision/index.html", hover=".md-header__option .md-select")  # the language switch
    assert walk.lang() == "en"
    walk.follow("en/directory/index.html")
    walk.follow(f"en/directory/{NETWORK}/index.html")
    assert walk.heading() == network.name.en
    walk.follow("en/handbook/index.html")
    term = walk.page.locator("article a.term").first  # a key term, linked to its glossary entry
    href = term.evaluate("a => a.href")
    assert href.startswith(walk.base + "en/handbook/glossary/index.html#"), href
    walk.follow(href.removeprefix(walk.base))
    assert walk.page.locator(f"#{href.rsplit('#', 1)[1]}").count() == 1
    problems = walk.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_search_works_from_disk(browser, copy, dataset, lang):
    walk = Walk(browser, copy)
    prefix = "" if lang == "th" else "en/"
    network = next(n for n in dataset.networks if n.id == NETWORK)
    walk.open(prefix + "index.html")
    found = walk.search(network.name[lang])
    pages = [url.split("#")[0] for url in found]
    target = walk.base + f"{prefix}directory/{NETWORK}/index.html"
    assert target in pages[:3], found
    assert all(url.startswith(walk.base + prefix) and url.endswith(".html") for url in pages), found
    walk.follow(found[pages.index(target)].removeprefix(walk.base))
    assert walk.heading() == network.name[lang]
    problems = walk.close()
    assert not problems, "\n".join(problems)
