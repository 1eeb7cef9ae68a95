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
"""
from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path, PurePosixPath


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
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        building = i18n.current_language or i18n.default_language
        if building == i18n.default_language:
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


def on_page_content(html, page, config, files):
    if page.title:
        page.title = escape(page.title)
    lang, _, path = page.file.src_uri.partition("/")
    if lang not in ("th", "en") or path.startswith(("handbook/glossary/", "source/")):
        return html
    marks_file = Path(config.config_file_path).parent / "build" / "glossary.json"
    if not marks_file.is_file():  # a sample project without the builder's output
        return html
    from builder.glossary_markup import mark_terms, read_marks  # here: a bare sample project has no builder

    glossary = ("" if lang == "th" else "en/") + "handbook/glossary/"
    here = page.url or "."
    href = posixpath.relpath(glossary, here if here.endswith("/") else posixpath.dirname(here)) + "/"
    return mark_terms(html, read_marks(marks_file, lang), href, lang)
