"""The curriculum in print: PDFs written into <site>/downloads/<lang>/ after MkDocs has built the site.

For every module, in each language: a participant handout and a facilitator guide (each with its
worksheets at the end), and every worksheet alone on one page; and per language the whole course
(builder/curriculum.py names the files). How:

1. Our own Jinja templates (templates/print/) make one plain HTML document per PDF, with
   print.css: A4, @page margin boxes for the running header (the module's title) and page numbers.
   Every data value is HTML-escaped, and Thai text is split into words by pythainlp (newmm, with
   the glossary's terms added to its dictionary); each word goes in <span class="w"> that the
   stylesheet keeps whole, so a line breaks only between words. (Chromium's own dictionary
   splits compounds such as เครือ|ข่าย, and it ignores word-break: keep-all for Thai; U+200B
   would end up in the PDF's text.)
2. Debian's Chromium, one instance driven by Playwright in a thread of its own (so that a caller
   that runs Playwright itself is not disturbed), prints them in a few tabs at once. Its PDFs
   embed the Sarabun font (a subset) and have a text layer that reads correctly in Thai.
3. Chromium stamps the clock into the info dictionary's /CreationDate and /ModDate; both are
   replaced with the report's date (strings of the same length, so the xref offsets stay valid)
   and two builds give the same bytes.
"""
from __future__ import annotations

import asyncio
import html
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import curriculum
from .errors import BuildError
from .labels import label
from .model import Citation, Dataset
from .render import LANGS
from .thai_words import shared_words

TEMPLATES = Path(__file__).parent / "templates" / "print"
CHROMIUM = Path("/usr/bin/chromium")
# The same flags as the browser tests (tests/conftest.py): as root, with no screen and a closed
# network: no sandbox, no GPU, none of Chromium's own background connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
TABS = 2  # documents printed at once, each tab in its own browser context (bench/pdf.py)
FONTS = [f"sarabun-{subset}-{weight}-normal.woff2" for subset in ("thai", "latin") for weight in (400, 700)]


@dataclass(frozen=True)
class PrintDoc:
    """One PDF: where it goes under the site, which template, what it shows."""

    path: str
    template: str
    lang: str
    context: dict = field(default_factory=dict, hash=False, compare=False)


def plan_pdfs(data: Dataset) -> list[PrintDoc]:
    """Every PDF of the site, both languages."""
    docs = []
    for lang in LANGS:
        docs.append(PrintDoc(curriculum.course_pdf(lang), "course.html.j2", lang))
        for m in data.modules:
            ids = [ws.id for ws in m.worksheets]
            if len(ids) != len(set(ids)):
                raise BuildError(f"module {m.id}: two worksheets have the same id, so their PDFs would have one name")
            for facilitator in (False, True):
                docs.append(PrintDoc(curriculum.module_pdf(lang, m.id, facilitator), "module.html.j2", lang,
                                     {"module": m, "facilitator": facilitator}))
            for ws in m.worksheets:
                docs.append(PrintDoc(curriculum.worksheet_pdf(lang, m.id, ws.id), "worksheet.html.j2", lang,
                                     {"module": m, "worksheet": ws}))
    return docs


def write_pdfs(data: Dataset, site_dir: Path, epoch: str, tabs: int = TABS) -> list[Path]:
    """Print every PDF into site_dir (a built site: its assets/fonts/ are used); return their paths."""
    docs = plan_pdfs(data)
    printer = Printer(data)
    with tempfile.TemporaryDirectory(prefix="phanthamit-print-") as tmp:
        work = prepare(Path(tmp), site_dir / "assets" / "fonts")
        jobs = []
        for index, doc in enumerate(docs):
            source = work / doc.lang / f"{index:04d}.html"  # one folder below print.css
            source.parent.mkdir(exist_ok=True)
            source.write_text(printer.render(doc), encoding="utf-8")
            target = site_dir / doc.path
            target.parent.mkdir(parents=True, exist_ok=True)
            jobs.append((source, target))
        print_to_pdf(jobs, tabs)
    stamp = pdf_date(epoch)
    for _, target in jobs:
        target.write_bytes(set_dates(target.read_bytes(), stamp))
    return [target for _, target in jobs]


def prepare(work: Path, fonts: Path) -> Path:
    """A folder to print from: print.css and the fonts beside it; documents go one folder down."""
    shutil.copyfile(TEMPLATES / "print.css", work / "print.css")
    (work / "fonts").mkdir(exist_ok=True)
    for name in FONTS:
        source = fonts / name
        if not source.is_file():
            raise BuildError(f"{source} is missing: the PDFs embed the site's Sarabun font")
        shutil.copyfile(source, work / "fonts" / name)
    return work


# --- HTML for print ------------------------------------------------------------------------------

def css_string(text: str) -> Markup:
    """A CSS string literal for data text (margin boxes): quotes, backslashes, < and > escaped."""
    text = re.sub(r"\s+", " ", str(text))
    return Markup('"' + "".join(f"\\{ord(c):06x}" if c in '"\\<>&' or ord(c) < 0x20 else c for c in text) + '"')


class Printer:
    """Renders the print HTML documents of one data set."""

    def __init__(self, data: Dataset):
        self.data = data
        self.words = shared_words(term.th for term in data.glossary)
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            finalize=lambda value: value if isinstance(value, Markup) else self.words.html(str(value)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["plain"] = lambda value: Markup(html.escape(re.sub(r"\s+", " ", str(value)).strip()))
        self.env.filters["network"] = data.network

    def render(self, doc: PrintDoc) -> str:
        lang, data = doc.lang, self.data
        title, header = _titles(doc)
        return self.env.get_template(doc.template).render(
            lang=lang,
            data=data,
            t=lambda key: label(key, lang),
            cite=lambda sources: _cite(sources, lang),
            duration=lambda minutes: curriculum.duration(minutes, lang),
            schedule=lambda programme: curriculum.schedule(data, programme),
            activity_times=curriculum.activity_times,
            modules=sorted(data.modules, key=lambda m: (m.number, m.id)),
            css_string=css_string,
            title=title,
            header=header,
            footer=label("curriculum", lang),
            **doc.context,
        )


def _titles(doc: PrintDoc) -> tuple[str, str]:
    """(document title, running header)."""
    lang = doc.lang
    if "module" not in doc.context:
        return label("pdf_course", lang), label("curriculum", lang)
    module = doc.context["module"]
    heading = f"{label('module_n', lang).format(n=module.number)}: {module.title[lang]}"
    if "worksheet" in doc.context:
        return f"{label('worksheet', lang)}: {doc.context['worksheet'].title[lang]} — {heading}", heading
    kind = label("pdf_facilitator" if doc.context["facilitator"] else "pdf_participant", lang)
    return f"{heading} — {kind}", heading


def _cite(sources: list[Citation], lang: str) -> Markup:
    """Report lines in brackets: the PDF cannot link to the site, so a reader looks them up."""
    labels = []
    for c in sources:
        text = f"{label('line' if c.start == c.end else 'lines', lang)} {c.label}"
        if text not in labels:
            labels.append(text)
    return Markup(f'<span class="cite">[{html.escape("; ".join(labels))}]</span>')


# --- Chromium ------------------------------------------------------------------------------------

def print_to_pdf(jobs: list[tuple[Path, Path]], tabs: int = TABS) -> None:
    """Each (HTML file, PDF file) printed by one Chromium, `tabs` documents at a time."""
    if not CHROMIUM.exists():
        raise BuildError(f"{CHROMIUM} is missing: the PDFs are printed by Debian's Chromium (run `make site`)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        raise BuildError("Playwright is not installed: run `make site`") from None
    with ThreadPoolExecutor(1) as pool:  # a fresh thread: no event loop, no other Playwright in it
        pool.submit(asyncio.run, _print_all(jobs, tabs)).result()


async def _print_all(jobs: list[tuple[Path, Path]], tabs: int) -> None:
    from playwright.async_api import async_playwright

    queue = sorted(jobs, key=lambda job: -job[0].stat().st_size)  # the longest first, so tabs finish together
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            async def tab():
                page = await (await browser.new_context()).new_page()  # a context each: a renderer process each
                while queue:
                    source, target = queue.pop(0)
                    await page.goto(source.as_uri(), wait_until="load")
                    await page.evaluate("document.fonts.ready.then(() => true)")
                    await page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
                await page.context.close()

            await asyncio.gather(*(tab() for _ in range(max(1, min(tabs, len(queue))))))
        finally:
            await browser.close()


# --- reproducible bytes --------------------------------------------------------------------------

_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[^)]*)\)")


def pdf_date(epoch: str) -> bytes:
    """A PDF date string for a Unix time, in the form Chromium writes: D:YYYYMMDDHHmmSS+00'00'."""
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()


def set_dates(pdf: bytes, stamp: bytes) -> bytes:
    """Replace the creation and modification dates with `stamp`, keeping every byte offset."""
    def replace(match: re.Match) -> bytes:
        if len(match.group(2)) != len(stamp):
            raise BuildError(f"unexpected PDF date {match.group(2)!r}: cannot replace it in place")
        return b"/" + match.group(1) + b" (" + stamp + b")"

    return _DATE.sub(replace, pdf)
