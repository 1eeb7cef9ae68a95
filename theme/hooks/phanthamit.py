"""MkDocs hooks for the Phanthamit site (loaded by `hooks:` in mkdocs.yml).

1. Every page must exist in every language. mkdocs-static-i18n never fails on a missing
   translation (with fallback_to_default it puts the Thai page under /en/; without, it leaves the
   page out of that language); this hook makes it a build error, listing every missing page.
   Pages outside the language folders are errors too (the plugin would treat them as Thai).
2. The 404 page is rendered once per language build into the same site/404.html, so the last
   language (English) would win; only the default language (Thai) renders it.
3. `mkdocs serve` injects a live-reload inline script that no fixed hash can allow, so the served
   preview goes without the Content-Security-Policy (theme/main.html checks config.extra.serving).
4. MkDocs titles a nav section after its name in mkdocs.yml ("Directory"); this hook titles each
   section after its first page, the section's index, so the nav reads in the page's language.
5. MkDocs takes a page's title from its first heading as plain text, and the theme prints it
   unescaped (<title>, header, nav); the hook escapes it once, so a name from the data that
   looks like markup stays text.
6. The first use of each glossary term on a page links to its glossary entry with a tooltip
   (builder/glossary_markup.py; the builder writes the terms to build/glossary.json).
7. The offline copy (builder/offline.py) builds with Material's offline plugin, so without
   directory URLs: pages open from disk, where "x/" does not open x/index.html. MkDocs resolves
   Markdown links for either kind of URL, but the raw HTML that the builder writes into the
   Markdown (directory lists, the province map) is written once, for both builds, with
   directory-style links; this hook completes those to x/index.html, as it does its own glossary
   links. Links to the files the copy leaves out (builder.offline.LEFT_OUT: the course packages,
   the zip itself) go to the online site instead. The hook also drops the plugin's script from
   unpkg.com (a shim for Material's search worker, which this site does not use: no request may
   leave the site) and the 404 page (no server), keeps each page's canonical link the web
   address the online site gives it.
8. No <link rel="alternate" hreflang> in a page's <head> (Material writes them): for each,
   Material's script fetches a sitemap.xml beside it, and since mkdocs-static-i18n points them
   at the page's translation, that is <page>/sitemap.xml, a 404 (on a phone, two or three wasted
   requests per page, each answered with the 404 page; from disk, an error). They only tell search
   engines about translations, which sitemap.xml does (theme/sitemap.xml: th, en and x-default
   for every page), and the language switch already links to the same page in the other language.
9. Each page gets its "Cite this page" and "Embed this page" boxes and its schema.org JSON-LD
   (builder/citation.py, from build/citation.json that the builder writes; printed by
   theme/partials/cite.html and theme/main.html). They get the title as the reader sees it in the
   <title>: Material prints `page.title | striptags`, which decodes it once (undoing 5.), and the
   browser decodes MkDocs' own entities (&lt; from the Markdown) once more. The citations escape
   it again for where it goes (HTML, BibTeX, JSON).
10. Thai words stay whole at the end of a line (builder/thai_words.py): Chromium's own Thai
   line breaking splits words such as เครือ|ข่าย. Done last, after the glossary links.
"""
from __future__ import annotations

import posixpath
import re
from html import escape, unescape
from pathlib import Path, PurePosixPath


from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Section


def _languages(config) -> list[str]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return []
    return [lang.locale for lang in i18n.config.languages if lang.build]


_command = "build"


def on_startup(command, dirty):
    global _command
    _command = command


def on_config(config):
    config.extra["serving"] = _command == "serve"
    if "polyfills" in config.extra:
        config.extra["polyfills"] = [url for url in config.extra["polyfills"] if not re.match(r"[a-z]+:|//", url)]
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        building = i18n.current_language or i18n.default_language
        if building == i18n.default_language and config.use_directory_urls:
            config.theme.static_templates.add("404.html")
        else:
            config.theme.static_templates.discard("404.html")
    return config


def on_files(files, config):
    languages = _languages(config)
    if not languages:
        return files
    pages: dict[str, set[str]] = {lang: set() for lang in languages}
    stray: list[str] = []
    for file in files.documentation_pages():
        parts = PurePosixPath(file.src_uri).parts
        if len(parts) > 1 and parts[0] in pages:
            pages[parts[0]].add(PurePosixPath(*parts[1:]).as_posix())
        else:
            stray.append(file.src_uri)
    every = set().union(*pages.values())
    problems = [
        f"  {lang}/{path}: missing (present in {', '.join(o for o in languages if path in pages[o])})"
        for lang in languages
        for path in sorted(every - pages[lang])
    ]
    problems += [f"  {path}: page outside the language folders ({', '.join(languages)})" for path in sorted(stray)]
    if problems:
        raise PluginError(
            f"Translations incomplete in {config.docs_dir}: every page needs a version in each "
            "language folder.\n" + "\n".join(problems)
        )
    return files


def on_env(env, config, files):
    # All pages have been read by now, so their titles (front matter or first heading) are known.
    for file in files.documentation_pages():
        page = file.page
        section = page.parent if page is not None else None
        if isinstance(section, Section) and section.children and section.children[0] is page and page.is_index and page.title:
            section.title = page.title
    return env


# A relative href (no scheme, not from the root, not only a #fragment): its path, then ?… or #….
_RELATIVE_HREF = re.compile(r'(\bhref=")((?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)[^"?#]+)(?=["?#])')


def _offline_links(html: str, page, config) -> str:
    """For the offline copy (see 7. above): x/ → x/index.html in the hrefs of raw HTML, and links
    to the files the copy leaves out → the online site."""
    from builder.offline import LEFT_OUT  # only the builder makes the offline copy

    def link(match: re.Match) -> str:
        href = match.group(2)
        if href.endswith("/") or href in (".", ".."):
            href = href.rstrip("/") + "/index.html"
        target = PurePosixPath(posixpath.normpath(posixpath.join(posixpath.dirname(page.url), href)))
        if config.site_url and any(target.match(pattern) for pattern in LEFT_OUT):
            href = config.site_url.rstrip("/") + "/" + target.as_posix()
        return match.group(1) + href

    return _RELATIVE_HREF.sub(link, html)


def on_page_content(html, page, config, files):
    if page.title:
        page.title = escape(page.title)
    if not config.use_directory_urls:
        html = _offline_links(html, page, config)
        if page.canonical_url:  # the page's address on the web, as the online site has it
            page.canonical_url = page.canonical_url.removesuffix("index.html")
    marks_file = Path(config.config_file_path).parent / "build" / "glossary.json"
    if not marks_file.is_file():  # a sample project without the builder's output
        return html
    html = _glossary_links(html, page, config, marks_file)
    return _thai_words(html, page, marks_file)


def _glossary_links(html: str, page, config, marks_file: Path) -> str:
    from builder.glossary_markup import mark_terms, read_marks  # here: a bare sample project has no builder

    lang, _, path = page.file.src_uri.partition("/")
    if lang not in ("th", "en") or path.startswith(("handbook/glossary/", "source/")):
        return html
    glossary = ("" if lang == "th" else "en/") + "handbook/glossary/"
    here = page.url or "."
    href = posixpath.relpath(glossary, here if here.endswith("/") else posixpath.dirname(here) or ".")
    href += "/" if config.use_directory_urls else "/index.html"
    return mark_terms(html, read_marks(marks_file, lang), href, lang)


def _thai_words(html: str, page, marks_file: Path) -> str:
    """See 10. above. The whole report (source/) is left to the browser: it is the largest page, read
    to check a citation, and marking its every word would add a fifth to its download."""
    if page.file.src_uri.partition("/")[2].startswith("source/"):
        return html
    from builder.glossary_markup import read_marks
    from builder.thai_words import mark_html, shared_words

    words = shared_words(mark.text for mark in read_marks(marks_file, "th"))
    return mark_html(html, words)


# The <link rel="alternate" hreflang> tags of a page's <head> (Material's and theme/main.html's).
_HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    head, end, body = output.partition("</head>")
    return _HREFLANG_LINK.sub("", head) + end + body


def on_page_context(context, page, config, nav):
    facts_file = Path(config.config_file_path).parent / "build" / "citation.json"
    lang, _, path = page.file.src_uri.partition("/")
    if not facts_file.is_file() or lang not in ("th", "en") or not page.canonical_url:
        return context  # a sample project without the builder's output
    from builder.citation import page_context, read_facts  # here: a bare sample project has no builder

    context["phanthamit_cite"] = page_context(
        read_facts(facts_file), lang=lang, path=path, title=unescape(Markup(page.title or config.site_name).striptags()),
        url=page.canonical_url, site_name=config.site_name, site_url=config.site_url or "",
        page_url=page.url, directory_urls=config.use_directory_urls)
    return context
