"""Key terms are explained where they appear: first use linked to the glossary, never inside
links, headings or drawings; Thai terms found inside running Thai text."""
from __future__ import annotations

import re

from builder.glossary_markup import Mark, mark_terms

TH = [Mark("network-linking", "การเชื่อมโยงเครือข่าย", "network linking"), Mark("network", "เครือข่าย", "network")]
EN = [Mark("alliance-network", "alliance network", "เครือข่ายพันธมิตร")]


def test_thai_term_inside_a_run_of_thai_text():
    out = mark_terms("<p>ทีมวิจัยสร้างการเชื่อมโยงเครือข่ายในจังหวัด</p>", TH, "../glossary/", "th")
    assert '<a class="term" href="../glossary/#network-linking" title="network linking">การเชื่อมโยงเครือข่าย</a>' in out
    assert "#network\"" not in out, "the shorter term inside the longer one is not marked again"


def test_only_the_first_use_is_linked():
    out = mark_terms("<p>เครือข่าย หนึ่ง</p><p>เครือข่าย สอง</p>", TH, "g/", "th")
    assert out.count('class="term"') == 1


def test_links_headings_and_drawings_are_left_alone():
    page = '<h2>เครือข่าย</h2><a href="x">เครือข่าย</a><svg><text>เครือข่าย</text></svg><p>ไม่มี</p>'
    assert mark_terms(page, TH, "g/", "th") == page


def test_english_terms_match_whole_words_in_any_case():
    out = mark_terms("<p>An Alliance network; alliance networking.</p>", EN, "g/", "en")
    assert re.findall(r'class="term"[^>]*>([^<]*)<', out) == ["Alliance network"]


def test_tooltip_is_escaped():
    out = mark_terms("<p>เครือข่าย</p>", [Mark("n", "เครือข่าย", 'a "quoted" <b>')], "g/", "th")
    assert 'title="a &quot;quoted&quot; &lt;b&gt;"' in out


def test_built_pages_explain_terms(site):
    page = (site / "directory" / "loei-funding" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="term" href="\.\./\.\./handbook/glossary/#[a-z0-9-]+" title="[^"]+">', page)
    for heading in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", page, re.S):
        assert 'class="term"' not in heading
