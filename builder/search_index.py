"""The site's search index: one file per language, read by theme/assets/javascripts/search.js.

Thai is written without spaces between words, so a search that matches only at the start of
whitespace-separated chunks (lunr, Material's built-in search) misses most Thai words. Here every
built page's main text (<article>, else <main>) is cut into tokens once, at build time:

- text is NFC-normalised (never NFKC: that would split ำ into ํ + า) and common Thai typing
  variants are made canonical (`normalise`); the browser applies the same rules to the query;
- runs of Thai letters are cut into words by pythainlp's newmm with its dictionary plus the site's
  own terms (glossary, provinces, sectors; `site_words`); runs of other letters and digits are one
  word each; whitespace and punctuation are separators, so "(ลำพูน)" holds the word ลำพูน;
- each page is stored as its whole token sequence, words and separators, as numbers into one
  vocabulary sorted by frequency (`encode`). That is smaller than the text itself gzipped, and it
  keeps everything the browser needs: the words and their positions (proximity of the words of a
  phrase), the exact text around a match (snippets), and the token boundaries (whole-word matches
  rank before matches inside a compound, such as เกษตร inside การเกษตร).

The browser decodes the pages, joins each page's words into one string and finds the query in it
(so a word the segmenter cut differently, or split by a line break, is still found), cutting a
query that is found nowhere as a whole into the vocabulary's words (maximal matching).

Output: site/search/th.json and site/search/en.json. Left out: pages whose Markdown front matter
says `search: exclude: true` (Material's own convention; the report page), elements with a
`data-search-exclude` attribute, heading permalinks (¶) and citation links ("บรรทัด 833").
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .labels import LABELS
from .model import Dataset
from .thai_words import unmark_html

LANGUAGES = {"th": "", "en": "en/"}  # language → where its pages are under the site root
INDEX = "search/{lang}.json"  # under the site root, for every language
SCRIPT = "search/{lang}.js"  # the same index as a script, for the offline copy (builder/offline.py)

# Thai letters, vowels, tone marks and signs that belong to words. Left out: ฯ (U+0E2F) and ๆ
# (U+0E46), which are punctuation-like, ฿ (U+0E3F), and the Thai digits, which count as digits.
THAI_LETTERS = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
THAI_DIGITS = "\u0e50-\u0e59"
_RUNS = re.compile(
    rf"(?P<thai>[{THAI_LETTERS}]+)"
    rf"|(?P<word>(?:[^\W_\u0e00-\u0e7f]|[{THAI_DIGITS}])+)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)
_UPPER_VOWEL = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47"  # ั ิ ี ึ ื ุ ู ็
_TONE = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # ่ ้ ๊ ๋ ์
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"


def normalise(text: str) -> str:
    """NFC, then the Thai spellings people type in more than one way made one (search.js does the
    same to the query): เ+เ → แ; nikhahit + sara aa (ํ+า, with a tone mark between or not) → sara am
    (ำ) after the tone mark; a tone mark typed before an upper or lower vowel goes after it; a mark
    typed twice counts once. NFKC would do the opposite of the sara am rule, so it is never used."""
    text = unicodedata.normalize("NFC", text)
    if not re.search(r"[\u0e00-\u0e7f]", text):
        return text
    text = text.replace("\u0e40\u0e40", "\u0e41")
    text = re.sub(rf"\u0e4d([{_TONE}]?)\u0e32", "\\1\u0e33", text)
    text = re.sub(rf"([{_TONE}])([{_UPPER_VOWEL}])", r"\2\1", text)
    text = re.sub(rf"([{_MARKS}])\1+", r"\1", text)
    return text


def is_word(token: str) -> bool:
    """Words are searched; separators (whitespace, punctuation, ฯ, ๆ) only show in snippets."""
    match = _RUNS.match(token)
    return bool(match) and match.lastgroup in ("thai", "word")


@lru_cache(maxsize=8)
def _trie(extra: frozenset[str]):
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    return dict_trie(dict_source=set(thai_words()) | set(extra))


def tokenize(text: str, words: frozenset[str] = frozenset()) -> list[str]:
    """Tokens of normalised text: Thai runs cut by newmm (pythainlp's dictionary plus `words`),
    other letter/digit runs whole, each whitespace run as one " ", each other character alone."""
    from pythainlp.tokenize import word_tokenize

    tokens: list[str] = []
    for match in _RUNS.finditer(text):
        kind, run = match.lastgroup, match.group()
        if kind == "thai":
            tokens += word_tokenize(run, custom_dict=_trie(words), engine="newmm", keep_whitespace=False)
        elif kind == "space":
            tokens.append(" ")
        else:
            tokens.append(run)
    return tokens


def site_words(data: Dataset) -> frozenset[str]:
    """The site's own Thai terms for the segmenter's dictionary: glossary terms, province and sector
    names (each Thai run of them, so "กลุ่ม/องค์กรประชาชน" gives องค์กรประชาชน; a run with
    "และ" in it is a phrase, not a word)."""
    names = [t.th for t in data.glossary] + [p.name.th for p in data.provinces] + [s.name.th for s in data.sectors]
    runs = {m.group() for name in names for m in re.finditer(rf"[{THAI_LETTERS}]+", normalise(name))}
    return frozenset(r for r in runs if len(r) > 1 and "และ" not in r)


# --- page text -------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"script", "style", "template", "noscript"}
# Not text of the page but links about it: the heading permalinks (¶) and the citations of report
# lines ("บรรทัด 833", "line 833"), which are on every fact and would fill snippets.
_SKIP_CLASSES = {"headerlink", "cite"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "wbr",
           "small", "span", "strong", "sub", "sup", "time", "u", "var", "tspan"}


@dataclass
class PageText:
    title: str = ""
    text: list[str] = field(default_factory=list)  # pieces of normalised text
    anchors: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end) offsets, heading id

    @property
    def joined(self) -> str:
        return "".join(self.text)


class _Extract(HTMLParser):
    """Text of the first <article> (or <main>, when there is no article); headings with an id
    become anchors. Block elements are separated by a space; scripts, headerlinks (¶), citation
    links and elements marked data-search-exclude are left out."""

    def __init__(self, container: str):
        super().__init__(convert_charrefs=True)
        self.container = container
        self.page = PageText()
        self.stack: list[tuple[str, bool]] = []  # open elements inside the container: (tag, skipped)
        self.inside = self.done = False
        self.heading: tuple[str, int, str] | None = None  # open heading: tag, start, id
        self.title_parts: list[str] | None = None
        self.title_done = False
        self.length = 0

    def _add(self, text: str) -> None:
        text = normalise(text)
        self.page.text.append(text)
        self.length += len(text)
        if self.title_parts is not None:
            self.title_parts.append(text)

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if not self.inside:
            if tag == self.container:
                self.inside, self.stack = True, []
            return
        values = dict(attrs)
        skipped = (tag in _SKIP or "data-search-exclude" in values or bool(_SKIP_CLASSES & set((values.get("class") or "").split()))
                   or (bool(self.stack) and self.stack[-1][1]))
        if tag not in _INLINE:
            self._add(" ")
        if tag in _VOID:
            return
        self.stack.append((tag, skipped))
        if skipped:
            return
        if re.fullmatch(r"h[1-6]", tag):
            if tag == "h1" and not self.title_done:
                self.title_parts = []
            elif tag != "h1" and values.get("id"):
                self.heading = (tag, self.length, values["id"])

    def handle_endtag(self, tag):
        if not self.inside or self.done:
            return
        if not self.stack:
            if tag == self.container:
                self.done = True
            return
        # Close up to the matching open tag (html.parser does not repair unclosed <p>, <li>…).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        else:
            return
        if tag == "h1" and self.title_parts is not None:
            self.page.title = " ".join("".join(self.title_parts).split())
            self.title_parts, self.title_done = None, True
        if self.heading and tag == self.heading[0]:
            self.page.anchors.append((self.heading[1], self.length, self.heading[2]))
            self.heading = None
        if tag not in _INLINE:
            self._add(" ")

    def handle_data(self, data):
        if self.inside and not self.done and not (self.stack and self.stack[-1][1]):
            self._add(data)


class _Title(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] | None = None
        self.title = ""

    def handle_starttag(self, tag, attrs):
        if tag == "title" and not self.title:
            self.parts = []

    def handle_endtag(self, tag):
        if tag == "title" and self.parts is not None:
            self.title, self.parts = normalise(" ".join("".join(self.parts).split())), None

    def handle_data(self, data):
        if self.parts is not None:
            self.parts.append(data)


def page_text(html: str) -> PageText:
    """The searchable text of a built page: its <article> (Material's md-content__inner), or its
    <main> when it has no article; the title is the first <h1> there, else the <title>."""
    container = "article" if re.search(r"<article[\s>]", html) else "main"
    parser = _Extract(container)
    parser.feed(unmark_html(html))
    parser.close()
    page = parser.page
    if not page.title:
        head = _Title()
        head.feed(html)
        page.title = head.title.rsplit(" - ", 1)[0]
    return page


# --- the index -------------------------------------------------------------------------------------

# Token numbers as text, without separators between them: base 32, the last digit from a second
# alphabet, so the most frequent 32 tokens take one character and the first 1,024 two.
_MORE = "0123456789abcdefghijklmnopqrstuv"
_LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-"


def encode(numbers: list[int]) -> str:
    out = []
    for n in numbers:
        digits = _LAST[n % 32]
        n //= 32
        while n:
            digits = _MORE[n % 32] + digits
            n //= 32
        out.append(digits)
    return "".join(out)


def decode(text: str) -> list[int]:
    numbers, n = [], 0
    for ch in text:
        if ch in _LAST:
            numbers.append(n * 32 + _LAST.index(ch))
            n = 0
        else:
            n = n * 32 + _MORE.index(ch)
    return numbers


@dataclass
class Doc:
    url: str  # from the site root, e.g. "directory/loei-funding/" or "en/"
    title: str
    tokens: list[str]
    anchors: list[tuple[int, int, str]]  # (first token, token count, heading id)
    facets: list[str] = field(default_factory=list)  # "province:loei", "form:area", …


def make_doc(url: str, html: str, words: frozenset[str] = frozenset()) -> Doc:
    """Tokenize a page, with the heading anchors moved from character offsets to token numbers."""
    page = page_text(html)
    text = page.joined
    # Cut the text at heading boundaries so that no token crosses one.
    cuts = sorted({0, len(text)} | {o for start, end, _ in page.anchors for o in (start, end)})
    tokens: list[str] = []
    token_at: dict[int, int] = {}
    for a, b in zip(cuts, cuts[1:]):
        token_at[a] = len(tokens)
        tokens += tokenize(text[a:b], words)
    token_at[len(text)] = len(tokens)
    tokens, token_at = _squeeze_spaces(tokens, token_at)
    anchors = [(token_at[s], token_at[e] - token_at[s], hid) for s, e, hid in page.anchors]
    return Doc(url, page.title, tokens, anchors)


def _squeeze_spaces(tokens: list[str], token_at: dict[int, int]) -> tuple[list[str], dict[int, int]]:
    """One " " between tokens at most, none at the ends; token numbers in token_at follow."""
    kept: list[str] = []
    new_index: list[int] = []
    for token in tokens:
        new_index.append(len(kept))
        if token == " " and (not kept or kept[-1] == " "):
            continue
        kept.append(token)
    new_index.append(len(kept))
    while kept and kept[-1] == " ":
        kept.pop()
    limit = len(kept)
    return kept, {offset: min(new_index[i], limit) for offset, i in token_at.items()}


def _other_word(token: str) -> bool:
    match = _RUNS.match(token)
    return bool(match) and match.lastgroup == "word" and match.end() == len(token)


def pack(tokens: list[str]) -> list[str]:
    """Leave out the " " between two words that are not Thai (English text is half spaces):
    two such words never touch otherwise, so `unpack` (and search.js) can put it back."""
    return [t for i, t in enumerate(tokens)
            if not (t == " " and 0 < i < len(tokens) - 1 and _other_word(tokens[i - 1]) and _other_word(tokens[i + 1]))]


def unpack(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for t in tokens:
        if out and _other_word(out[-1]) and _other_word(t):
            out.append(" ")
        out.append(t)
    return out


def build_index(lang: str, docs: list[Doc], facets: list[dict]) -> dict:
    """The index of one language as a JSON-ready dict (see search.js for how it is read)."""
    packed = [pack(doc.tokens) for doc in docs]
    counts = Counter(t for tokens in packed for t in tokens)
    counts.setdefault(" ", 0)  # search.js puts spaces back, so it needs the number of " "
    terms = sorted(counts, key=lambda t: (-counts[t], t))
    number = {t: i for i, t in enumerate(terms)}
    return {
        "version": 1,
        "lang": lang,
        "terms": terms,
        "separators": [i for i, t in enumerate(terms) if not is_word(t)],
        "facets": facets,
        "pages": [
            {"u": d.url, "t": d.title, "s": encode([number[t] for t in tokens]), "a": [list(a) for a in d.anchors],
             **({"f": d.facets} if d.facets else {})}
            for d, tokens in zip(docs, packed)
        ],
    }


def _facets(data: Dataset, lang: str) -> tuple[list[dict], dict[str, list[str]]]:
    """Directory facets (province, form, sector) with their names in `lang`, and the facets of each
    directory page by URL (under the language's root): a network page has its provinces, form and
    sectors; a province, form or sector page has its own value."""
    forms = sorted({n.form.value for n in data.networks}, key=["area", "business", "academic", "social", "unknown"].index)
    sectors = [s for s in data.sectors if any(s.id in n.sectors for n in data.networks)]
    facets = [
        {"name": "province", "label": LABELS["province"][lang], "all": LABELS["all"][lang],
         "values": [[p.id, p.name[lang]] for p in data.provinces]},
        {"name": "form", "label": LABELS["form"][lang], "all": LABELS["all"][lang],
         "values": [[f, LABELS[f"form_{f}"][lang]] for f in forms]},
        {"name": "sector", "label": LABELS["sector"][lang], "all": LABELS["all"][lang],
         "values": [[s.id, s.name[lang]] for s in sectors]},
    ]
    by_url: dict[str, list[str]] = {}
    for n in data.networks:
        by_url[f"directory/{n.id}/"] = ([f"province:{p}" for p in n.provinces] + [f"form:{n.form.value}"]
                                        + [f"sector:{s}" for s in n.sectors])
    for p in data.provinces:
        by_url[f"directory/province/{p.id}/"] = [f"province:{p.id}"]
    for f in forms:
        by_url[f"directory/form/{f}/"] = [f"form:{f}"]
    for s in sectors:
        by_url[f"directory/sector/{s.id}/"] = [f"sector:{s.id}"]
    return facets, by_url


def _excluded(docs_dir: Path | None, lang: str, path: str) -> bool:
    """Front matter `search: exclude: true` in the page's Markdown (build/docs/<lang>/…)."""
    if docs_dir is None:
        return False
    source = docs_dir / lang / path / "index.md"
    if not source.is_file():
        return False
    match = re.match(r"---\n(.*?)\n---\n", source.read_text(encoding="utf-8"), re.S)
    meta = (yaml.safe_load(match.group(1)) or {}) if match else {}
    search = meta.get("search") if isinstance(meta, dict) else None
    return isinstance(search, dict) and bool(search.get("exclude"))


def site_pages(site_dir: Path, lang: str) -> list[tuple[str, Path]]:
    """(path under the language root, file) of every page of one language, in URL order."""
    root = site_dir / LANGUAGES[lang]
    others = [site_dir / prefix for other, prefix in LANGUAGES.items() if other != lang and prefix]
    pages = []
    for file in sorted(root.rglob("index.html")):
        if any(o in file.parents for o in others) or (site_dir / "search") in file.parents:
            continue
        path = file.parent.relative_to(root).as_posix()
        pages.append(("" if path == "." else path + "/", file))
    return pages


def index_script(index_json: str, lang: str) -> str:
    """The index as a script, for pages opened from disk (file://), which cannot fetch it: search.js
    loads it with <script src>, and it files the index under its language in self.phanthamitSearch."""
    return f'(self.phanthamitSearch = self.phanthamitSearch || {{}})["{lang}"] = {index_json.strip()};\n'


def write_search_index(data: Dataset, site_dir: Path, docs_dir: Path | None = None) -> dict[str, Path]:
    """Index every page of the built site, one file per language; returns the files written."""
    words = site_words(data)
    written = {}
    for lang, prefix in LANGUAGES.items():
        facets, facets_by_url = _facets(data, lang)
        docs = []
        for path, file in site_pages(site_dir, lang):
            if _excluded(docs_dir, lang, path):
                continue
            doc = make_doc(prefix + path, file.read_text(encoding="utf-8"), words)
            doc.facets = facets_by_url.get(path, [])
            docs.append(doc)
        target = site_dir / INDEX.format(lang=lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        index = build_index(lang, docs, facets)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        written[lang] = target
    return written
