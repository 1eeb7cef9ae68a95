"""Thai lines on a phone break between words, never inside one (builder/thai_words.py).

Chromium breaks Thai with its own dictionary and splits words the site uses everywhere
(เครือ|ข่าย, ความร่วม|มือ). In Debian's Chromium at 360 px, every line break inside a run of Thai
letters must fall between two words as the builder segments them. The gate: the same pages with
the word marking stripped on their way to the browser do show words cut in two. The marking adds
no characters: the text a reader copies (and the search index reads) is the same.
"""
from __future__ import annotations

import pytest

from builder.thai_words import THAI_RUN, ThaiWords
from conftest import without_word_marks

PHONE = {"width": 360, "height": 800}
PAGES = ["/directory/", "/directory/loei-funding/", "/handbook/approaches/approach-1/", "/handbook/success/",
         "/curriculum/m01-vision/", "/en/directory/loei-funding/"]

# Per block of text (paragraph, list item, cell…): its text and where its lines break.
LINES = """() => {
  const out = [];
  const range = document.createRange();
  for (const block of document.querySelector('article').querySelectorAll('p, li, td, th, h1, h2, h3, h4, dd, dt, summary')) {
    if (block.closest('details:not([open]), svg') || block.querySelector('p, ul, ol, table, div')) continue;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let node, text = '', top = null;
    const breaks = [];
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.textContent.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rects = range.getClientRects();
        if (!rects.length) continue;
        const y = Math.round(rects[0].top);
        if (top !== null && y > top + 5) breaks.push(text.length + i);
        top = y;
      }
      text += node.textContent;
    }
    if (breaks.length) out.push([text, breaks]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def words(dataset) -> ThaiWords:
    return ThaiWords(term.th for term in dataset.glossary)


def open_page(browser, url: str, strip: bool):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if strip:
        page.route(url, lambda route: route.fulfill(response=(r := route.fetch()), body=without_word_marks(r.text())))
    page.goto(url, wait_until="networkidle")
    return context, page


def cut_words(blocks: list, words: ThaiWords) -> list[str]:
    """'เครือ|ข่าย' for each line break inside a word."""
    cuts = []
    for text, breaks in blocks:
        for run in THAI_RUN.finditer(text):
            inside = [b - run.start() for b in breaks if run.start() < b < run.end()]
            bounds, at = set(), 0
            for word in words.split(run.group()):
                at += len(word)
                bounds.add(at)
            cuts += [f"{run.group()[:b][-8:]}|{run.group()[b:][:8]}" for b in inside if b not in bounds]
    return cuts


@pytest.mark.parametrize("path", PAGES)
def test_thai_lines_break_between_words(browser, server, words, path):
    context, page = open_page(browser, server + path, strip=False)
    try:
        blocks = page.evaluate(LINES)
        text = page.locator("article").text_content()
    finally:
        context.close()
    assert sum(len(b) for _, b in blocks) > 5, "the page wraps at phone width"
    assert cut_words(blocks, words) == []
    context, page = open_page(browser, server + path, strip=True)
    try:
        assert page.locator("article").text_content() == text, "the marking adds no characters"
    finally:
        context.close()


def test_gate_without_the_marking_chromium_cuts_words(browser, server, words):
    cuts = []
    for path in PAGES[:4]:
        context, page = open_page(browser, server + path, strip=True)
        try:
            cuts += cut_words(page.evaluate(LINES), words)
        finally:
            context.close()
    assert len(cuts) >= 5, cuts
