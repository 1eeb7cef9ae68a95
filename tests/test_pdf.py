"""The curriculum's PDFs (builder/pdf.py), read back with poppler's tools: every planned PDF is in
site/downloads/ on A4 with the Thai font embedded; the text layer reads back in Thai exactly as the
data says; participant handouts hold no answers or facilitator notes; every page has the running
header and its number; no line leaves the margins and no Thai word is cut at a line end; worksheets
are one page; Thai marks stay on their page; and one page looks like the approved picture."""
from __future__ import annotations

import html
import re
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder import curriculum
from builder.build import REPORT_DATE
from builder.labels import LABELS
from builder.pdf import CHROMIUM, pdf_date, plan_pdfs, prepare, print_to_pdf
from builder.thai_words import ThaiWords
from conftest import ROOT
from test_curriculum import facilitator_only, texts

REFERENCE = ROOT / "tests" / "fixtures" / "print-reference.png"  # page 1 of the fixture's Thai handout, 20 dpi
MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGIN_X = 18 * MM  # print.css: @page margin 22mm 18mm 20mm
THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make installs it)")


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdftotext(pdf: Path, *options: str) -> str:
    return run("pdftotext", *options, str(pdf), "-")


def info(pdf: Path) -> dict[str, str]:
    return dict(line.split(":", 1) for line in run("pdfinfo", str(pdf)).splitlines() if ":" in line)


def pages(pdf: Path) -> int:
    return int(info(pdf)["Pages"])


def reading(text: str) -> str:
    """Text as read: a line break between two Thai letters is no space (Thai has none between
    words); any other run of whitespace is one space."""
    text = re.sub(r"(?<=[\u0e01-\u0e4e])\n+(?=[\u0e01-\u0e4e])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def letters(text: str) -> str:
    """Text without whitespace or hyphens: a line that wraps at a space loses that space in the
    text layer (and Thai cannot tell it from a break between words), and pdftotext joins a word
    hyphenated at a line end without its hyphen; every letter and mark, in order, remains."""
    return re.sub(r"[\s-]+", "", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Line:
    text: str
    x_min: float
    x_max: float
    y_min: float
    y_max: float


def layout(pdf: Path) -> list[list[list[Line]]]:
    """Pages → paragraphs → lines, from pdftotext -bbox-layout. pdftotext makes each tall Thai line
    a block of its own, so a paragraph here is a run of lines of one flow (a column of text) that
    follow each other at line spacing: less than half a line's height between them."""
    out = pdftotext(pdf, "-bbox-layout")
    result = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        paragraphs = []
        for flow in re.findall(r"<flow>.*?</flow>", page, re.S):
            previous = None
            for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", flow, re.S):
                box = {k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', attrs)}
                words = [html.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", body, re.S)]
                line = Line(" ".join(words), box["xMin"], box["xMax"], box["yMin"], box["yMax"])
                height = line.y_max - line.y_min
                if previous and 0 <= line.y_min - previous.y_max < height / 2:
                    paragraphs[-1].append(line)
                else:
                    paragraphs.append([line])
                previous = line
        result.append(paragraphs)
    return result


def cut_words(lines: list[str], words: ThaiWords, source: str = "") -> list[str]:
    """Line breaks that fall inside a Thai word. Lines are one paragraph's; where Thai meets Thai
    across a break, the Thai run they form is segmented as the builder segments it, and the break
    must fall between two of its words. The text layer drops a space at which a line wraps, so a
    break whose two sides stand in `source` (the data's text) with a space between is a space."""
    joined, breaks = "", []
    for line in lines:
        if joined and THAI_RUN.fullmatch(joined[-1]) and line and THAI_RUN.fullmatch(line[0]):
            left, right = re.search(r"[\u0e01-\u0e4e]+$", joined).group(), THAI_RUN.match(line).group()
            if f"{left[-8:]} {right[:8]}" not in source:
                breaks.append(len(joined))
            else:
                joined += " "
        elif joined:
            joined += " "
        joined += line
    cuts = []
    for match in THAI_RUN.finditer(joined):
        inside = [b - match.start() for b in breaks if match.start() < b < match.end()]
        if not inside:
            continue
        bounds, at = set(), 0
        for word in words.split(match.group()):
            at += len(word)
            bounds.add(at)
        cuts += [f"{match.group()[:b][-10:]}|{match.group()[b:][:10]}" for b in inside if b not in bounds]
    return cuts


@pytest.fixture(scope="module")
def words(dataset):
    return ThaiWords(term.th for term in dataset.glossary)


def handouts(dataset, lang: str, facilitator: bool):
    return [(m, curriculum.module_pdf(lang, m.id, facilitator)) for m in dataset.modules]


# --- what is there -------------------------------------------------------------------------------

def test_every_planned_pdf_is_there_on_a4(site, dataset):
    docs = plan_pdfs(dataset)
    assert len(docs) == 2 * (1 + sum(2 + len(m.worksheets) for m in dataset.modules))
    found = {p.relative_to(site).as_posix() for p in (site / "downloads").rglob("*.pdf")}
    assert found == {doc.path for doc in docs}
    for doc in docs:
        facts = info(site / doc.path)
        width, height = map(float, re.match(r"\s*([\d.]+) x ([\d.]+) pts", facts["Page size"]).groups())
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, f"{doc.path}: {facts['Page size']}"
        assert facts["Title"].strip(), f"{doc.path} has a title"
        assert facts["CreationDate"].strip().endswith("2005 UTC"), f"{doc.path}: dated by the clock"
        if doc.template == "worksheet.html.j2":
            assert int(facts["Pages"]) == 1, f"{doc.path}: a worksheet fills one page, not {facts['Pages']}"


def test_pdf_dates_are_the_reports_date(site, dataset):
    raw = (site / curriculum.course_pdf("th")).read_bytes()
    stamp = pdf_date(REPORT_DATE)
    assert stamp == b"D:20050801000000+00'00'"
    assert raw.count(b"(" + stamp + b")") == 2, "CreationDate and ModDate"


def test_thai_font_is_embedded(site, dataset):
    for _, path in handouts(dataset, "th", False) + [(None, curriculum.course_pdf("th"))]:
        fonts = run("pdffonts", str(site / path)).splitlines()[2:]
        assert any("+Sarabun-Regular" in f for f in fonts), f"{path}: no Sarabun font\n" + "\n".join(fonts)
        # every font embedded (a symbol Sarabun lacks, such as →, comes from a system font)
        assert all(f.split()[-5] == "yes" for f in fonts), f"{path}: a font is not embedded\n" + "\n".join(fonts)


# --- the text layer ------------------------------------------------------------------------------

def test_thai_handout_text_reads_back_exactly(site, dataset):
    """Copying text out of the PDF gives the data's Thai: ำ whole, marks in order, words unbroken."""
    for m, path in handouts(dataset, "th", False):
        text = letters(pdftotext(site / path))
        phrases = [m.title.th, *[o.th for o in m.objectives], *[k.text.th for k in m.key_points],
                   *[s.th for a in m.activities for s in a.steps], *[q.question.th for q in m.assessment]]
        for phrase in phrases:
            assert letters(phrase) in text, f"{path}: {phrase!r} does not read back"
        assert "\u200b" not in text and "\u0e33" in text  # no zero-width spaces; sara am survives
    for m, path in handouts(dataset, "en", False):
        text = reading(pdftotext(site / path))
        assert squash(m.title.en) in text and squash(m.objectives[0].en) in text


def test_participant_pdfs_hold_no_answers_or_notes(site, dataset):
    for lang in ("th", "en"):
        for m in dataset.modules:
            participant = letters(pdftotext(site / curriculum.module_pdf(lang, m.id, False)))
            facilitator = letters(pdftotext(site / curriculum.module_pdf(lang, m.id, True)))
            only, labels = facilitator_only(m, lang)
            for text in only + labels:
                assert letters(text) not in participant, f"{lang}/{m.id}: the handout shows {text!r}"
            for text in [q.answer[lang] for q in m.assessment] + [n[lang] for n in m.facilitator_notes] + labels[:1]:
                assert letters(text) in facilitator, f"{lang}/{m.id}: the facilitator guide lacks {text!r}"


def test_every_page_has_the_running_header_and_its_number(site, dataset):
    for lang in ("th", "en"):
        for m in dataset.modules:
            for facilitator in (False, True):
                pdf = site / curriculum.module_pdf(lang, m.id, facilitator)
                total = pages(pdf)
                header = f"{'โมดูล' if lang == 'th' else 'Module'} {m.number}: {squash(m.title[lang])}"
                number = "หน้า" if lang == "th" else "Page"
                for n in range(1, total + 1):
                    text = pdftotext(pdf, "-f", str(n), "-l", str(n))
                    lines = [line for line in text.splitlines() if line.strip()]
                    assert reading(lines[0]) == header or reading(text).startswith(header), f"{pdf.name} p.{n}: {lines[0]!r}"
                    assert f"{number} {n} / {total}" in text, f"{pdf.name} p.{n}: no page number"


def test_no_line_leaves_the_margins(site, dataset):
    paths = [p for lang in ("th", "en") for facilitator in (False, True) for _, p in handouts(dataset, lang, facilitator)]
    for path in paths + [curriculum.course_pdf("th")]:
        for number, page in enumerate(layout(site / path), 1):
            for block in page:
                for line in block:
                    assert line.x_min >= MARGIN_X - 1 and line.x_max <= A4[0] - MARGIN_X + 1, (
                        f"{path} p.{number}: {line.text!r} runs from {line.x_min / MM:.1f} to {line.x_max / MM:.1f} mm")


def test_no_thai_word_is_cut_at_a_line_end(site, dataset, words):
    source = " ".join(re.sub(r"\s+", " ", t.th) for m in dataset.modules for t in texts(m))
    source += " ".join(re.sub(r"\s+", " ", t["th"]) for t in LABELS.values())
    checked = 0
    for path in [p for f in (False, True) for _, p in handouts(dataset, "th", f)] + [curriculum.course_pdf("th")]:
        for number, page in enumerate(layout(site / path), 1):
            for block in page:
                checked += len(block) > 1
                cuts = cut_words([line.text for line in block], words, source)
                assert not cuts, f"{path} p.{number}: words cut at line ends: {cuts}"
    assert checked > 20, "paragraphs of several lines were checked"


def test_the_word_check_can_fail(words):
    """Chromium's own line breaking cuts เครือ|ข่าย; the check sees it."""
    (cut,) = cut_words(["สร้างเครือ", "ข่ายพันธมิตร"], words)
    assert "เครือ|ข่าย" in cut
    assert cut_words(["สร้างเครือข่าย", "พันธมิตร"], words) == []
    assert cut_words(["สร้างเครือข่าย", "", "a", "b"], words) == []
    assert cut_words(["สหกรณ์การเกษตร", "และสหกรณ์บริการ"], words, "สหกรณ์การเกษตร และสหกรณ์บริการ") == []


# --- what it looks like --------------------------------------------------------------------------

def _print_one(tmp_path: Path, fonts: Path, body: str, style: str = "") -> Path:
    work = prepare(tmp_path, fonts)
    source = work / "th" / "doc.html"
    source.parent.mkdir()
    source.write_text(f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>t</title>'
                      f'<link rel="stylesheet" href="../print.css"><style>{style}</style></head><body>{body}</body></html>',
                      encoding="utf-8")
    print_to_pdf([(source, work / "doc.pdf")])
    return work / "doc.pdf"


def ink_rows(pdf: Path, page: int, dpi: int = 50) -> list[float]:
    """Millimetres from the top of the page at which page `page` has dark pixels."""
    width, height, pixels = read_png(raster(pdf, page, dpi))
    return [y * 25.4 / dpi for y in range(height) if min(pixels[y * width:(y + 1) * width]) < 128]


TALL = "ฟื้นฟู ปี๊บ ฝื้น ป๋อง เมื่อสิ้นสุด ญี่ปุ่น " * 3


@pytest.mark.parametrize("broken", [False, True], ids=["print.css", "tight-lines"])
def test_thai_marks_stay_on_their_page(site, tmp_path, broken):
    """A Thai heading and a paragraph at the top of a page: none of their marks is painted at the
    foot of the page before (page 1 has one short line at its top and nothing else). With tight
    lines (the gate) the marks do land there."""
    style = "html :lang(th), html :lang(th) h2 { line-height: 1.4 !important }" if broken else ""
    body = (f'<p>หน้าแรก</p><h2 style="break-before: page">{TALL}</h2>'
            f'<p style="break-before: page">{TALL}</p>')
    pdf = _print_one(tmp_path, site / "assets" / "fonts", body, style)
    assert pages(pdf) == 3
    stray = [y for page in (1, 2) for y in ink_rows(pdf, page) if y > 60]
    if broken:
        assert stray, "the check sees marks that bleed"
    else:
        assert not stray, f"marks of the next page's first line painted at {sorted(set(stray))[:5]} mm"


def raster(pdf: Path, page: int, dpi: int) -> Path:
    out = pdf.with_name(f"{pdf.stem}-{page}-{dpi}")
    run("pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(out))
    return out.with_suffix(".png")


def read_png(path: Path) -> tuple[int, int, bytes]:
    """An 8-bit greyscale or RGB PNG (what pdftoppm writes) → (width, height, grey pixels)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    at, idat, width, height, bpp = 8, b"", 0, 0, 1
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (0, 2) and not interlace, f"{path}: expected 8-bit grey or RGB"
            bpp = 1 if colour == 0 else 3
        elif kind == b"IDAT":
            idat += chunk
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    previous = bytes(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, corner = previous[x], previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        previous = bytes(line)
        rows.append(previous if bpp == 1 else bytes(sum(previous[i:i + 3]) // 3 for i in range(0, stride, 3)))
    return width, height, b"".join(rows)


def test_a_page_looks_like_the_approved_one(fixture_site, tmp_path):
    """Page 1 of the fixture module's Thai handout at 20 dpi against tests/fixtures/print-reference.png.
    A moved block, a lost header or another font shows; anti-aliasing noise does not."""
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes((fixture_site / curriculum.module_pdf("th", "forum-basics", False)).read_bytes())
    actual = raster(pdf, 1, 20)
    if not REFERENCE.exists():
        pytest.fail(f"no reference: look at {actual}, and if it is right copy it to {REFERENCE}")
    (w1, h1, a), (w2, h2, b) = read_png(actual), read_png(REFERENCE)
    assert (w1, h1) == (w2, h2), f"size {w1}x{h1}, reference {w2}x{h2}"
    diffs = [abs(x - y) for x, y in zip(a, b)]
    mean = sum(diffs) / len(diffs)
    changed = sum(d > 64 for d in diffs) / len(diffs)
    assert mean < 2.0 and changed < 0.01, (
        f"page differs from the approved one (mean {mean:.2f}/255, {changed:.1%} of pixels changed): "
        f"look at {actual}; if the change is intended, copy it to {REFERENCE}")


@pytest.mark.parametrize("broken", [False, True], ids=["print.css", "rows-may-split"])
def test_table_rows_do_not_split_across_pages(site, tmp_path, broken):
    """A table longer than a page: every row starts and ends on the same page. Without the rule
    (the gate) some row is cut by a page break."""
    cell = "ข้อความในแถวที่ยาวพอจะขึ้นหลายบรรทัด " * 12
    rows = "".join(f"<tr><td>{n}</td><td>ROWSTART{n} {cell} ROWEND{n}</td></tr>" for n in range(12))
    style = "tr { break-inside: auto !important }" if broken else ""
    pdf = _print_one(tmp_path, site / "assets" / "fonts", f"<table>{rows}</table>", style)
    assert pages(pdf) >= 2, "the table must run over a page break for the check to mean anything"
    where = {}
    for page in range(1, pages(pdf) + 1):
        text = pdftotext(pdf, "-f", str(page), "-l", str(page))
        for marker in re.findall(r"ROW(?:START|END)\d+", text):
            where[marker] = page
    split = [n for n in range(12) if where.get(f"ROWSTART{n}") != where.get(f"ROWEND{n}")]
    if broken:
        assert split, "the check sees a split row"
    else:
        assert not split, f"rows split across pages: {split}"
