"""Stable addresses: every published page keeps working, in both languages.

urls/published.txt lists every page address the site has ever published, one a line, written
without the language prefix ("/directory/", "/" for the home page): Thai lives at <site>/<path>,
English at <site>/en/<path>, and every page exists in both (theme/hooks/phanthamit.py checks that).
urls/redirects.yaml maps an old address to the page that replaced it ("/old/": "/new/").

After mkdocs has built the site, this stage checks the two files against the pages that were
built and writes, for each old address and in each language, a small page that sends the browser
on to the new one (a meta refresh, no script: the site's Content-Security-Policy allows none
inline). mkdocs-redirects would write the same pages, but it does not know mkdocs-static-i18n's
folder layout (github.com/mkdocs/mkdocs-redirects/issues/63) and checks none of the rules below.

A project without urls/ (the test fixtures) has nothing published yet: nothing is checked.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import BuildError

PUBLISHED = "urls/published.txt"
REDIRECTS = "urls/redirects.yaml"
LANGS = {"th": "", "en": "en/"}  # language → folder under the site root
_PATH = re.compile(r"/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*")
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
MOVED = {
    "th": ("ย้ายไปที่ {title}", "หน้านี้ย้ายไปอยู่ที่ {link}"),
    "en": ("Moved to {title}", "This page has moved to {link}"),
}


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str
    line: int


def write_redirects(root: Path, site_dir: Path) -> None:
    """Check urls/ against the built pages, then write a redirect page per old address and language."""
    pages = built_pages(site_dir)
    published = read_published(root / PUBLISHED)
    redirects = read_redirects(root / REDIRECTS)
    check(pages, published, redirects)
    for redirect in redirects:
        for lang in LANGS:
            write_redirect_page(site_dir, lang, redirect)


def built_pages(site_dir: Path) -> set[str]:
    """The addresses of the built Thai pages (a folder with an index.html, outside en/)."""
    pages = set()
    for index in site_dir.rglob("index.html"):
        folder = index.parent.relative_to(site_dir).as_posix()
        if folder != "en" and not folder.startswith("en/"):
            pages.add("/" if folder == "." else f"/{folder}/")
    return pages


def read_published(path: Path) -> dict[str, int]:
    """Address → its line; blank lines and # comments are skipped."""
    if not path.is_file():
        return {}
    published: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        _check_path(line, f"{PUBLISHED}:{number}")
        if line in published:
            raise BuildError(f"{PUBLISHED}:{number}: {line} is listed twice (first on line {published[line]})")
        published[line] = number
    return published


def read_redirects(path: Path) -> list[Redirect]:
    """The redirect map with the line of each entry (composed, so duplicate keys are caught too)."""
    if not path.is_file():
        return []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        raise BuildError(f"{REDIRECTS}: not valid YAML: {err}") from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise BuildError(f"{REDIRECTS}:{node.start_mark.line + 1}: expected a mapping of old address: new address")
    redirects: list[Redirect] = []
    seen: dict[str, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        where = f"{REDIRECTS}:{line}"
        if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
            raise BuildError(f"{where}: each entry is old address: new address, both plain text")
        old, new = key.value, value.value
        _check_path(old, where)
        _check_path(new, where)
        if old in seen:
            raise BuildError(f"{where}: {old} is redirected twice (first on line {seen[old]})")
        seen[old] = line
        redirects.append(Redirect(old, new, line))
    return redirects


def _check_path(path: str, where: str) -> None:
    if not _PATH.fullmatch(path) or "/./" in path or "/../" in path:
        raise BuildError(f"{where}: {path!r} is not a page address: write it like /directory/loei-funding/ (a leading and a trailing slash)")
    if path.startswith("/en/"):
        raise BuildError(f"{where}: {path}: write addresses without the /en/ prefix; they apply to both languages")


def check(pages: set[str], published: dict[str, int], redirects: list[Redirect]) -> None:
    """Every rule at once, so one build names every problem."""
    old = {r.old: r for r in redirects}
    problems = []
    for r in redirects:
        if r.old in pages:
            problems.append(f"{REDIRECTS}:{r.line}: {r.old} is still a page: remove the redirect, or the page")
        if r.new not in pages:
            hint = f" (it is itself redirected on line {old[r.new].line}: point at the final page)" if r.new in old else ""
            problems.append(f"{REDIRECTS}:{r.line}: {r.old} redirects to {r.new}, which is not a page{hint}")
    for path, line in published.items():
        if path not in pages and path not in old:
            problems.append(f"{PUBLISHED}:{line}: page {path} was published and is gone: add a redirect in {REDIRECTS}")
    if problems:
        raise BuildError("page addresses:\n  " + "\n  ".join(problems))


def write_redirect_page(site_dir: Path, lang: str, redirect: Redirect) -> None:
    """A page at the old address that sends the browser to the new one, in the page's language."""
    folder = LANGS[lang]
    target_html = (site_dir / folder / redirect.new.strip("/") / "index.html").read_text(encoding="utf-8")
    canonical = _CANONICAL.search(target_html)
    title = _TITLE.search(target_html)
    title_text = html.unescape(title.group(1).strip()) if title else redirect.new
    here = (folder + redirect.old.strip("/")).rstrip("/") or "."
    there = (folder + redirect.new.strip("/")).rstrip("/") or "."
    href = posixpath.relpath(there, here).rstrip("/") + "/"
    heading, sentence = MOVED[lang]
    link = f'<a href="{html.escape(href)}">{html.escape(title_text)}</a>'
    page = "\n".join([
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">",
        f'<meta http-equiv="refresh" content="0; url={html.escape(href)}">',
        '<meta name="robots" content="noindex">',
        *([f'<link rel="canonical" href="{html.escape(html.unescape(canonical.group(1)))}">'] if canonical else []),
        f"<title>{html.escape(heading.format(title=title_text))}</title>",
        "</head>",
        "<body>",
        f"<p>{sentence.format(link=link)}</p>",
        "</body>",
        "</html>",
        "",
    ])
    out = site_dir / folder / redirect.old.strip("/") / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
