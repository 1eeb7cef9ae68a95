"""Key terms explained where they appear: the first use of each glossary term on a page becomes a
link to its glossary entry, with the other language's rendering and the definition as a tooltip.

Works on the page's HTML text (not its Markdown), so links, headings, code and drawings are left
alone. Thai has no spaces between words, so Thai terms match anywhere in a run of text; English
terms match whole words only.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .html_text import map_text
from .model import Term

# Text inside these elements is never marked (a link in a link, a term in a heading…).
SKIP = {"a", "abbr", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style", "svg", "title",
        "select", "option", "label", "button", "textarea", "nav", "header", "footer"}


@dataclass(frozen=True)
class Mark:
    """One term as it appears in one language, and what its tooltip says."""

    id: str
    text: str
    tooltip: str


def marks_for(terms: list[Term], lang: str) -> list[Mark]:
    other = "en" if lang == "th" else "th"
    marks = []
    for term in terms:
        shown, translated = getattr(term, lang), getattr(term, other)
        tooltip = translated + (f" — {term.definition[lang]}" if term.definition else "")
        marks.append(Mark(term.id, shown, tooltip))
    return sorted(marks, key=lambda m: -len(m.text))  # longest first: การเชื่อมโยงเครือข่าย before เครือข่าย


def write_marks(terms: list[Term], path: Path) -> None:
    """The builder hands the glossary to the MkDocs hook as JSON (the hook never reads data/)."""
    data = {lang: [m.__dict__ for m in marks_for(terms, lang)] for lang in ("th", "en")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_marks(path: Path, lang: str) -> list[Mark]:
    return [Mark(**m) for m in json.loads(path.read_text(encoding="utf-8"))[lang]]


def mark_terms(page_html: str, marks: list[Mark], glossary_href: str, lang: str) -> str:
    """Link the first use of each term in the page's running text to the glossary."""
    if not marks:
        return page_html
    flags = re.IGNORECASE if lang == "en" else 0
    edge = r"\b" if lang == "en" else ""
    pattern = re.compile("|".join(f"{edge}{re.escape(html.escape(m.text, quote=False))}{edge}" for m in marks), flags)
    by_text = {html.escape(m.text, quote=False).casefold(): m for m in marks}
    done: set[str] = set()

    def replace(match: re.Match) -> str:
        mark = by_text.get(match.group(0).casefold())
        if mark is None or mark.id in done:
            return match.group(0)
        done.add(mark.id)
        return (f'<a class="term" href="{html.escape(glossary_href)}#{mark.id}" '
                f'title="{html.escape(mark.tooltip)}">{match.group(0)}</a>')

    return map_text(page_html, SKIP, lambda text: pattern.sub(replace, text))
