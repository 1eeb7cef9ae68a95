"""Stable addresses, the sitemap, and the reuse page.

- The real site's pages are exactly the published list (urls/published.txt) minus the redirected
  addresses (urls/redirects.yaml): a new page must be listed, a removed one redirected.
- In a fixture project, a page renamed without a redirect fails the build with a message naming
  the file, the line and the address, and leaves the previous site alone; with a redirect, the old
  address in both languages, opened in Chromium, lands on the new page. A redirect to a page that
  does not exist, or from an address that is still a page, fails the build.
- sitemap.xml lists every built page of both languages once, with its th/en/x-default alternates.
- The reuse page exists in both languages, links the agreed download files, and the footer of every
  page links to it in the page's language.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import posixpath
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from conftest import FIXTURE_DATA, ROOT, QuietHandler, copy_project

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HREF = re.compile(r'<a href="([^"]*)"[^>]*>')


def pages_of(site: Path, lang: str) -> set[str]:
    """Addresses of one language's pages, without the /en/ prefix: folders holding an index.html."""
    base = site / "en" if lang == "en" else site
    found = set()
    for index in base.rglob("index.html"):
        folder = index.parent.relative_to(base).as_posix()
        if lang == "th" and (folder == "en" or folder.startswith("en/")):
            continue
        found.add("/" if folder == "." else f"/{folder}/")
    return found


def published_list() -> set[str]:
    lines = (ROOT / "urls" / "published.txt").read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


def test_built_pages_are_the_published_ones(site):
    redirected = set(yaml.safe_load((ROOT / "urls" / "redirects.yaml").read_text(encoding="utf-8")) or {})
    published = published_list()
    th, en = pages_of(site, "th"), pages_of(site, "en")
    assert th == en, f"pages in one language only: {sorted(th ^ en)}"
    new = sorted(th - published)
    assert not new, f"new page(s) {new}: add each address to urls/published.txt (addresses never change once published)"
    gone = sorted(published - th - redirected)
    assert not gone, f"published page(s) {gone} are gone: add a redirect to the page that replaces each in urls/redirects.yaml"
    still = sorted(redirected & th)
    assert not still, f"{still} are redirected but still pages: remove the redirects"


# --- a fixture project where a page is renamed ---------------------------------------------------

NOTES = {"th": "# บันทึกภาคสนาม\n\nบันทึกของทีมวิจัย\n", "en": "# Field notes\n\nThe research team's notes.\n"}


@pytest.fixture
def renamed(tmp_path: Path) -> Path:
    """A fixture project whose page notes/ was published and is now at field-notes/."""
    root = copy_project(tmp_path, FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    shutil.copy(ROOT / "data" / "source" / "report-th.txt", root / "data" / "source")
    for lang, text in NOTES.items():
        page = root / "content" / lang / "field-notes" / "index.md"
        page.parent.mkdir(parents=True)
        page.write_text(text, encoding="utf-8")
    (root / "urls").mkdir()
    (root / "urls" / "published.txt").write_text("# published\n/\n/notes/\n/field-notes/\n", encoding="utf-8")
    (root / "urls" / "redirects.yaml").write_text("{}\n", encoding="utf-8")
    return root


def build(root: Path, capsys) -> tuple[int, str]:
    code = main(["--root", str(root), "build"])
    return code, capsys.readouterr().err


def test_renamed_page_without_redirect_fails_the_build(renamed, capsys):
    (renamed / "site").mkdir()
    (renamed / "site" / "index.html").write_text("previous site", encoding="utf-8")
    code, err = build(renamed, capsys)
    assert code == 1
    assert "urls/published.txt:3: page /notes/ was published and is gone: add a redirect in urls/redirects.yaml" in err
    assert "Traceback" not in err
    assert (renamed / "site" / "index.html").read_text(encoding="utf-8") == "previous site"


def test_bad_redirects_fail_the_build(renamed, capsys):
    (renamed / "urls" / "redirects.yaml").write_text("/notes/: /nowhere/\n/field-notes/: /\n", encoding="utf-8")
    code, err = build(renamed, capsys)
    assert code == 1
    assert "urls/redirects.yaml:1: /notes/ redirects to /nowhere/, which is not a page" in err
    assert "urls/redirects.yaml:2: /field-notes/ is still a page" in err
    assert not (renamed / "site").exists()


def test_malformed_address_names_file_and_line(renamed, capsys):
    (renamed / "urls" / "redirects.yaml").write_text("# moved\n/notes/: field-notes\n", encoding="utf-8")
    code, err = build(renamed, capsys)
    assert code == 1
    assert "urls/redirects.yaml:2: 'field-notes' is not a page address" in err


@pytest.fixture
def redirected_site(renamed, capsys):
    """The renamed project with its redirect, built, served on 127.0.0.1."""
    (renamed / "urls" / "redirects.yaml").write_text("/notes/: /field-notes/\n", encoding="utf-8")
    code, err = build(renamed, capsys)
    assert code == 0, err
    handler = functools.partial(QuietHandler, directory=str(renamed / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield renamed / "site", f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_old_address_lands_on_the_new_page(redirected_site, page):
    site, base = redirected_site
    for prefix, lang in (("/", "th"), ("/en/", "en")):
        page.goto(f"{base}{prefix}notes/")
        page.wait_for_url(f"{base}{prefix}field-notes/")
        assert page.title().startswith(NOTES[lang].splitlines()[0].removeprefix("# ") + " - ")
        assert page.locator("html").get_attribute("lang") == lang
        # The redirect page itself: its language, a visible link, the canonical address.
        old = (site / prefix.strip("/") / "notes" / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in old
        assert '<a href="../field-notes/">' in old
        assert re.search(rf'<link rel="canonical" href="https?://[^"]*{prefix}field-notes/">', old)
        assert "<script" not in old
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/field-notes/</loc>" in sitemap and "/notes/<" not in sitemap


# --- sitemap -------------------------------------------------------------------------------------

def test_sitemap_lists_every_page_of_both_languages_once(site):
    base = re.search(r'<link rel="canonical" href="([^"]*)">', (site / "index.html").read_text(encoding="utf-8")).group(1)
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == (site / "sitemap.xml").read_bytes()
    urls = ET.parse(site / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
    locs = [u.findtext(f"{SITEMAP}loc") for u in urls]
    assert len(locs) == len(set(locs)), "a page is listed twice"
    th = {base + p.lstrip("/") for p in pages_of(site, "th")}
    en = {base + "en" + p for p in pages_of(site, "en")}
    assert set(locs) == th | en
    assert base + "404.html" not in locs
    for url, loc in zip(urls, locs):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        path = loc.removeprefix(base).removeprefix("en/")
        assert alternates == {"th": base + path, "en": base + "en/" + path, "x-default": base + path}, loc


# --- the reuse page and the footer ---------------------------------------------------------------

DOWNLOADS = {
    "downloads/phanthamit-th.imscc", "downloads/phanthamit-en.imscc", "downloads/phanthamit-offline.zip",
    "directory/networks.json", "directory/networks.csv",
}


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_reuse_page_links_the_agreed_downloads(site, prefix):
    page = site / prefix / "reuse" / "index.html"
    text = page.read_text(encoding="utf-8")
    here = posixpath.join(prefix, "reuse")
    targets = {posixpath.normpath(posixpath.join(here, href)) for href in HREF.findall(text)}
    assert DOWNLOADS <= targets, f"missing download links: {sorted(DOWNLOADS - targets)}"
    assert ("CC BY 4.0" in text) and ("MIT" in text)
    assert "?embed=1" in text


def test_footer_links_the_reuse_page_from_every_page(site):
    pages = [(site / p.lstrip("/") / "index.html", "reuse") for p in pages_of(site, "th")]
    pages += [(site / "en" / p.lstrip("/") / "index.html", "en/reuse") for p in pages_of(site, "en")]
    for page, reuse in pages:
        text = page.read_text(encoding="utf-8")
        footer = text[text.index('<div class="md-copyright">'):]
        assert "CC BY 4.0" in footer.split("</div>")[0], page
        href = HREF.search(footer).group(1)
        folder = page.parent.relative_to(site).as_posix()
        assert posixpath.normpath(posixpath.join(folder, href)) == reuse, f"{page.relative_to(site)}: footer link {href}"
