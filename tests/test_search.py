"""Search that finds Thai words (issue 6).

The indexer (builder/search_index.py) on tricky text: compounds, words across a line break in the
source, tone marks typed in another order, punctuation stuck to words, Thai mixed with English.
The matching in the browser (theme/assets/javascripts/search.js) runs here in Node.js on indexes
built by the indexer, so both halves are tested together. Then the built site: one index per
language, nothing from Material's own search, and in Debian's Chromium a Thai query typed into the
box returns a known page.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from builder.search_index import (
    build_index, decode, encode, make_doc, normalise, pack, page_text, site_pages, tokenize, unpack,
)
from conftest import ROOT

SEARCH_JS = ROOT / "theme" / "assets" / "javascripts" / "search.js"
NODE = shutil.which("node")


def html(body: str, title: str = "หน้า") -> str:
    return (f"<html><head><title>{title} - พันธมิตร</title></head><body><nav>เมนู ปุ๋ย</nav><main>"
            f"<article class=\"md-content__inner md-typeset\"><h1 id=\"t\">{title}<a class=\"headerlink\" href=\"#t\">¶</a></h1>"
            f"{body}</article></main></body></html>")


def index_of(pages: dict[str, str], lang: str = "th") -> dict:
    """An index of small pages {url: body html}, as the builder writes it."""
    docs = [make_doc(url, html(body, title=url.strip("/") or "home")) for url, body in pages.items()]
    return build_index(lang, docs, [])


def search(index: dict, *queries: str, filters: tuple[str, ...] = ()) -> list[list[str]]:
    """The URLs search.js returns for each query, best first."""
    if NODE is None:
        pytest.skip("node is not installed (make installs it with the npm packages)")
    program = ("const s = require(process.argv[1]);"
               "const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
               "const index = new s.Index(data.index);"
               "console.log(JSON.stringify(data.queries.map(q => index.search(q, data.filters).map(r => r.page.url))));")
    done = subprocess.run([NODE, "-e", program, str(SEARCH_JS)], input=json.dumps(
        {"index": index, "queries": list(queries), "filters": list(filters)}, ensure_ascii=False),
        capture_output=True, text=True, encoding="utf-8", check=True)
    return json.loads(done.stdout)


# --- text rules ------------------------------------------------------------------------------------

def test_nfc_never_nfkc_sara_am_stays_one_character():
    assert normalise("น้ำ") == "น\u0e49\u0e33"
    assert len(normalise("ทำ")) == 2
    assert "\u0e33" in normalise("กำลัง")  # NFKC would give ํ + า
    assert unicodedata.normalize("NFKC", "\u0e33") != "\u0e33"  # …which is why it is never used


def test_thai_spellings_typed_more_than_one_way_are_one():
    assert normalise("น\u0e4d\u0e49\u0e32") == "น้ำ"  # nikhahit, tone mark, sara aa → tone mark, sara am
    assert normalise("น\u0e49\u0e4d\u0e32") == "น้ำ"
    assert normalise("ก\u0e48\u0e35") == "กี่"  # tone mark typed before the vowel
    assert normalise("ป\u0e38\u0e4b\u0e4b") == normalise("ปุ๋")  # a mark typed twice
    assert normalise("เเม่") == "แม่"  # sara e twice is sara ae
    assert normalise("e\u0301") == "é"  # NFC


def test_punctuation_separates_words():
    tokens = tokenize(normalise("(ลำพูน), “ปุ๋ยเคมี”/OTOP"))
    assert "ลำพูน" in tokens and "OTOP" in tokens
    assert not any(re.search(r"[()“”,/]", t) and len(t) > 1 for t in tokens), tokens


def test_thai_mixed_with_english_and_digits():
    tokens = tokenize(normalise("เครือข่าย OTOPจังหวัดตรัง ปี ๒๕๔๘ SWOT Analysis"))
    assert {"OTOP", "ตรัง", "๒๕๔๘", "SWOT", "Analysis"} <= set(tokens)
    assert "".join(tokens) == normalise("เครือข่าย OTOPจังหวัดตรัง ปี ๒๕๔๘ SWOT Analysis")


def test_site_terms_are_words():
    assert tokenize("ธนาคารหมู่บ้านตรัง", frozenset({"ธนาคารหมู่บ้าน"}))[0] == "ธนาคารหมู่บ้าน"


def test_page_text_is_the_article_without_permalinks_citations_and_scripts():
    page = page_text(html(
        '<p>ปุ๋ยเคมี <a class="cite" href="../source/#L1">บรรทัด 833</a></p><script>var x = "โคนม";</script>'
        '<h2 id="members">สมาชิก<a class="headerlink" href="#members">¶</a></h2><p data-search-exclude>ลำไย</p><p>ยางพารา</p>',
        title="เครือข่ายปุ๋ย"))
    text = page.joined
    assert page.title == "เครือข่ายปุ๋ย"
    assert "ปุ๋ยเคมี" in text and "ยางพารา" in text
    for left_out in ("เมนู", "บรรทัด", "833", "โคนม", "¶", "ลำไย"):
        assert left_out not in text
    (start, end, anchor), = page.anchors
    assert anchor == "members" and text[start:end].strip() == "สมาชิก"


def test_main_when_there_is_no_article():
    page = page_text("<html><head><title>404 - x</title></head><body><main><p>ไม่พบหน้า</p></main></body></html>")
    assert "ไม่พบหน้า" in page.joined and page.title == "404"


def test_token_numbers_and_spaces_round_trip():
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 40000]
    assert decode(encode(numbers)) == numbers
    tokens = tokenize("Yan Ta Khao (Trang) ย่านตาขาว ตรัง 2548 rice")
    assert pack(tokens)[:4] == ["Yan", "Ta", "Khao", " "]  # spaces between English words left out…
    assert unpack(pack(tokens)) == tokens  # …and put back


def test_anchors_point_at_their_headings():
    doc = make_doc("x/", html('<p>ก่อน</p><h2 id="one">หัวข้อหนึ่ง</h2><p>เนื้อหา</p><h3 id="two">Two words</h3><p>end</p>'))
    for first, count, anchor in doc.anchors:
        shown = "".join(doc.tokens[first:first + count]).strip()
        assert shown == {"one": "หัวข้อหนึ่ง", "two": "Two words"}[anchor]


# --- matching in the browser's code, on indexes the builder wrote -------------------------------------

def test_compound_words_contain_their_parts():
    index = index_of({"a/": "<p>การเกษตรในชนบท</p>", "b/": "<p>เกษตรกรรายย่อย</p>", "c/": "<p>สหกรณ์ออมทรัพย์</p>"})
    found, = search(index, "เกษตร")
    assert sorted(found) == ["a/", "b/"]


def test_a_word_across_a_line_break_in_the_source():
    index = index_of({"a/": "<p>กลุ่มธนาคาร\nหมู่บ้านวัดชัยศรี</p>", "b/": "<p>ธนาคาร ของรัฐ</p>", "c/": "<p>ปุ๋\nยเคมี</p>"})
    bank, fertiliser = search(index, "ธนาคารหมู่บ้าน", "ปุ๋ยเคมี")
    assert bank[0] == "a/" and "b/" not in bank[:1]
    assert fertiliser == ["c/"]


def test_tone_marks_typed_in_another_order_still_match():
    index = index_of({"a/": "<p>น้ำดื่มของสหกรณ์</p>", "b/": "<p>นาข้าว</p>"})
    found = search(index, "น\u0e4d\u0e49\u0e32ดื่ม", "น้ำดื่ม", "นํ้าดื่ม")
    assert found == [["a/"], ["a/"], ["a/"]]


def test_punctuation_stuck_to_a_word_does_not_hide_it():
    index = index_of({"a/": "<p>เครือข่ายปุ๋ยเคมี(สระบุรี),โคนม</p>", "b/": "<p>สระบุรีและโคนม</p>"})
    plain, bracketed = search(index, "สระบุรี", "(สระบุรี)")
    assert sorted(plain) == sorted(bracketed) == ["a/", "b/"]


def test_mixed_thai_and_english_query():
    index = index_of({"a/": "<p>เครือข่าย OTOP จังหวัดตรัง</p>", "b/": "<p>OTOP ทั่วประเทศ</p>", "c/": "<p>ตรัง</p>"})
    found, = search(index, "OTOP ตรัง")
    assert found[0] == "a/" and set(found) <= {"a/", "b/", "c/"}


def test_phrase_words_near_each_other_rank_first():
    index = index_of({
        "far/": "<p>ธนาคารกรุงไทยให้สินเชื่อ</p>" + "<p>ข้อความอื่น</p>" * 30 + "<p>งานประจำปีของหมู่บ้าน</p>",
        "near/": "<p>ตั้งธนาคารหมู่บ้านขึ้นในตำบล</p>",
        "one/": "<p>หมู่บ้านเดียว</p>",
    })
    found, = search(index, "ธนาคาร หมู่บ้าน")
    assert found[:2] == ["near/", "far/"]
    # Typed without the space, and found nowhere whole: cut into the index's words.
    index = index_of({"far/": "<p>ธนาคารกรุงไทย</p>" + "<p>ข้อความ</p>" * 30 + "<p>ของหมู่บ้าน</p>",
                      "near/": "<p>ธนาคารของหมู่บ้าน</p>", "none/": "<p>ตลาด</p>"})
    found, = search(index, "ธนาคารหมู่บ้าน")
    assert found[:2] == ["near/", "far/"] and "none/" not in found


def test_english_words_start_where_a_word_starts():
    index = index_of({"a/": "<p>The rice mills of Saraburi.</p>", "b/": "<p>The price of milk.</p>",
                      "c/": "<p>Cooperatives and a cooperative federation.</p>"}, lang="en")
    rice, cooperative, plural = search(index, "rice mill", "cooperative", "Cooperatives")
    assert rice == ["a/"]
    assert cooperative == ["c/"] and plural == ["c/"]


def test_filters_keep_pages_with_every_chosen_facet():
    docs = [make_doc(u, html(f"<p>ปุ๋ย {u}</p>")) for u in ("a/", "b/", "c/")]
    docs[0].facets = ["province:loei", "sector:fertiliser"]
    docs[1].facets = ["province:trang", "sector:fertiliser"]
    index = build_index("th", docs, [])
    assert search(index, "ปุ๋ย", filters=("sector:fertiliser",))[0] in (["a/", "b/"], ["b/", "a/"])
    assert search(index, "ปุ๋ย", filters=("sector:fertiliser", "province:trang"))[0] == ["b/"]
    assert search(index, "", filters=("province:loei",))[0] == ["a/"]


# --- the built site --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def indexes(site) -> dict[str, dict]:
    return {lang: json.loads((site / "search" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("th", "en")}


def test_one_index_per_language_with_only_its_pages(site, indexes):
    for lang, index in indexes.items():
        urls = [p["u"] for p in index["pages"]]
        assert index["lang"] == lang and len(urls) > 50
        if lang == "en":
            assert all(u.startswith("en/") for u in urls)
        else:
            assert not any(u.startswith("en/") for u in urls)
        # Every page of the language but the report (front matter: search exclude).
        prefix = "" if lang == "th" else "en/"
        assert sorted(urls) == sorted(prefix + p for p, _ in site_pages(site, lang) if p != "source/")


def test_directory_pages_carry_their_facets(indexes, dataset):
    network = dataset.networks[0]
    pages = {p["u"]: p for p in indexes["th"]["pages"]}
    facets = pages[f"directory/{network.id}/"]["f"]
    assert f"form:{network.form.value}" in facets
    assert {f"province:{p}" for p in network.provinces} <= set(facets)
    assert {f"sector:{s}" for s in network.sectors} <= set(facets)
    names = {f["name"]: f for f in indexes["en"]["facets"]}
    assert [p.name.en for p in dataset.provinces] == [v[1] for v in names["province"]["values"]]


def test_the_index_is_the_text_of_the_page(site, indexes):
    """Decoded, a page's tokens are its text (as the search shows it in snippets)."""
    page = next(p for p in indexes["th"]["pages"] if p["u"] == "directory/trang-rubber/")
    terms = indexes["th"]["terms"]
    text = "".join(terms[i] for i in decode(page["s"]))
    assert page["t"] in text and "ยางพารา" in text


def test_no_material_search(site):
    """Material's search plugin is off: no lunr index, no worker fetch; the box is the site's own."""
    assert not (site / "search" / "search_index.json").exists()
    page = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in page and 'name="search"' not in page
    assert re.search(r'<input type="search" class="md-search__input"', page)
    assert "assets/javascripts/search.js" in page


# --- the theme -------------------------------------------------------------------------------------

ALWAYS = """    <label class="md-header__button md-icon" for="__search">
      {% set icon = config.theme.icon.search or "material/magnify" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </label>
    {% include "partials/search.html" %}
"""

def test_header_is_materials_own_with_the_search_box_always_there():
    """theme/partials/header.html overrides Material's only to show the search box without
    Material's search plugin; the rest must stay Material's, so that an upgrade that changes the
    header shows up here (copy it again and make the same change)."""
    material = Path(pytest.importorskip("material").__file__).parent / "templates" / "partials" / "header.html"
    theirs = material.read_text(encoding="utf-8")
    ours = (ROOT / "theme" / "partials" / "header.html").read_text(encoding="utf-8")
    strip = lambda text: re.sub(r"^\{#-.*?-#\}\s*", "", text, flags=re.S)  # leading comment
    condition = re.compile(r' *\{% if "material/search" in config\.plugins %\}\n.*?\{% endif %\}\n *\{% endif %\}\n', re.S)
    assert len(condition.findall(theirs)) == 1, "Material's header no longer shows search the same way: compare by hand"
    unconditional = condition.sub(lambda m: ALWAYS, theirs)
    assert strip(ours) == strip(unconditional)


def test_search_dialog_has_a_name_and_no_material_hooks():
    partial = re.sub(r"\{#-.*?-#\}", "", (ROOT / "theme" / "partials" / "search.html").read_text(encoding="utf-8"), flags=re.S)
    assert 'role="dialog" aria-label="{{ lang.t(\'search\') }}"' in partial
    assert "data-md-component" not in partial and 'name="search"' not in partial
    assert "data-search-results" in partial and 'type="search"' in partial


# --- in Chromium -----------------------------------------------------------------------------------

def _type(page, query: str) -> list[str]:
    page.locator("input[type=search]").first.click()
    page.keyboard.type(query, delay=20)
    page.wait_for_selector(f'[data-search-results][data-search-query="{query}"]')
    return [urlsplit(a).path for a in page.eval_on_selector_all("[data-search-results] a[href]", "l => l.map(a => a.href)")]


def test_a_thai_query_typed_in_the_box_finds_the_page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/directory/loei-funding/")
    found = _type(page, "ธนาคารหมู่บ้าน")
    assert found[0] == "/directory/khon-kaen-finance/", found
    assert all(not p.startswith("/en/") for p in found)
    first = page.locator("[data-search-results] a[href]").first
    assert first.locator("mark").first.inner_text() == "ธนาคารหมู่บ้าน"
    assert first.locator("h1").inner_text() == "เครือข่ายองค์กรการเงินจังหวัดขอนแก่น"
    # Keys: down to the second result, up to the box, Enter opens the best result.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('[data-search-results] li') !== null")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/directory/khon-kaen-finance/**")
    assert "/search/th.json" in requests
    assert not any("search_index" in r or "/workers/" in r for r in requests)
    assert errors == []
    context.close()


def test_english_search_finds_english_pages_and_facets_filter(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/en/")
    page.locator("header label[for=__search]").first.tap()
    found = _type(page, "fertiliser")
    assert found and all(p.startswith("/en/") for p in found)
    assert "/en/directory/suphanburi-fertiliser/" in found[:5]
    page.select_option("[data-search-facets] select[data-facet=province]", "province:saraburi")
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] a[href]').length < 5")
    filtered = [urlsplit(a).path for a in page.eval_on_selector_all("[data-search-results] a[href]", "l => l.map(a => a.href)")]
    assert "/en/directory/saraburi-chemical-fertiliser/" in filtered
    assert "/en/directory/suphanburi-fertiliser/" not in filtered
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False
    context.close()


def test_open_results_pass_axe(browser, server):
    """The results panel, open with results and facets (the accessibility gate sees pages closed)."""
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.is_file():
        pytest.fail(f"{axe} is missing: run `npm ci` (or `make test`)")
    for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
        context = browser.new_context(viewport=viewport)
        context.add_init_script(path=str(axe))
        page = context.new_page()
        page.goto(f"{server}/directory/?q=ปุ๋ย")  # ?q= opens the search with a query, as Material's does
        page.wait_for_selector('[data-search-results][data-search-query="ปุ๋ย"] a[href]')
        assert page.locator("[data-search-facets] select").count() == 3
        page.wait_for_timeout(500)  # Material fades the panel in
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in results["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert not serious, f"{viewport}: {serious}"
        context.close()
