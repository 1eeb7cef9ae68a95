"""Thai words kept whole at the end of a line.

Thai has no spaces between words, and browsers break Thai lines with their own dictionary (ICU in
Chromium), which splits words the site uses everywhere (เครือ|ข่าย, ความร่วม|มือ, งบ|ประมาณ).
Here pythainlp's newmm segmenter, with the glossary's terms added to its dictionary, finds the
words; each becomes <span class="w"> (white-space: nowrap in the site's and the print stylesheet)
with <wbr> between words, so a line may break between words and nowhere else. The PDFs
(builder/pdf.py) mark the text they print; the MkDocs hook marks each page's HTML (mark_html).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup

from .html_text import map_text

THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
LONG_WORD = 12  # a dictionary "word" longer than this (a glossary phrase) may break between its words


class ThaiWords:
    """Thai text → HTML in which each word is kept whole (<span class="w">) and may break after."""

    def __init__(self, glossary_terms: Iterable[str]):
        from pythainlp.corpus import thai_words
        from pythainlp.tokenize import word_tokenize
        from pythainlp.util import dict_trie

        extra = {run for term in glossary_terms for run in THAI_RUN.findall(term)}
        self._tokenize = word_tokenize
        self._words = dict_trie(set(thai_words()) | extra)
        self._plain = dict_trie(set(thai_words()))
        self.split = lru_cache(maxsize=None)(self._split)

    def _split(self, run: str) -> tuple[str, ...]:
        words = []
        for word in self._tokenize(run, custom_dict=self._words, engine="newmm", keep_whitespace=False):
            if len(word) > LONG_WORD:  # a long glossary phrase: keep its own words whole, not all of it
                words += self._tokenize(word, custom_dict=self._plain, engine="newmm", keep_whitespace=False)
            else:
                words.append(word)
        merged: list[str] = []
        for word in words:  # ๆ (mai yamok) repeats the word before it: never at the start of a line
            if merged and word.startswith("ๆ"):
                merged[-1] += word
            else:
                merged.append(word)
        return tuple(merged)

    def mark_run(self, run: str) -> str:
        """A run of Thai letters as HTML: its words, each kept whole, with a break allowed between."""
        return "<wbr>".join(f'<span class="w">{w}</span>' if len(w) > 1 else w for w in self.split(run))

    def html(self, text: str) -> Markup:
        """Escape text for HTML and mark its Thai words."""
        text = re.sub(r"\s+", " ", text).strip().replace(" ๆ", "\u00a0ๆ")  # "ต่าง ๆ" stays on one line
        out, last = [], 0
        for match in THAI_RUN.finditer(text):
            out.append(html.escape(text[last:match.start()], quote=False))
            out.append(self.mark_run(match.group()))
            last = match.end()
        out.append(html.escape(text[last:], quote=False))
        return Markup("".join(out))


def shared_words(glossary_terms: Iterable[str]) -> ThaiWords:
    """Building the dictionary takes seconds: the pages, the PDFs and the course packages share one."""
    return _words(frozenset(glossary_terms))


@lru_cache(maxsize=2)
def _words(glossary_terms: frozenset[str]) -> ThaiWords:
    return ThaiWords(sorted(glossary_terms))


# Text inside these elements is left as it is: drawings (SVG text cannot hold <span>), code, form
# fields and the document's head.
_UNMARKED = {"svg", "script", "style", "pre", "code", "textarea", "title", "select", "option"}


def mark_html(page_html: str, words: ThaiWords) -> str:
    """Mark the Thai words in the text of an HTML fragment; tags and attributes stay as they are."""
    return map_text(page_html, _UNMARKED, lambda text: THAI_RUN.sub(lambda run: words.mark_run(run.group()), text))


_WORD_MARK = re.compile(r'<span class="w">([^<]*)</span>')


def unmark_html(page_html: str) -> str:
    """mark_html undone: the same text with fewer tags (faster to parse for the search index)."""
    return _WORD_MARK.sub(r"\1", page_html).replace("<wbr>", "")
