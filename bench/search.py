"""Benchmark (not a test): does the search box find the pages that contain a word?

For each language it serves the built site on 127.0.0.1 (gzip, as bench/pages.py serves it), opens
it in Debian's Chromium through Playwright, and types every query of a query file into the search
box like a person (a key at a time, 40 ms apart; Playwright sends Thai as text input without key
events, so a box that listens only to keyup would see nothing). Then it reads the result links in
order and compares the first ten with the relevant pages.

Relevant pages of a query: the pages of that language whose main text contains the query. Main
text is what the browser shows inside <article> (else <main>), without heading permalinks (¶),
citation links ("บรรทัด 833" / "line 833") and [data-search-exclude] elements, Unicode NFC.
Thai: the query is contained once whitespace is removed from both (Thai has no spaces between
words; a line break in the source shows as a space). English: case-insensitive, the query's words
in order with only spaces or punctuation between them, the first starting a word (a last word may
go on: "cooperative" is in "cooperatives"). The report page (source/) is not searched on purpose
(its front matter excludes it: the whole report would triple the download), so it is not counted.

recall@10 of a query = relevant pages among the first ten results / min(10, relevant pages).
Queries with no relevant page are listed and left out of the mean.

Also printed: the gzip bytes of search code and index fetched to answer the first query on a cold
page (fresh browser context), and the time from the last key to the results (the box marks its
result list with data-search-query when it has shown the results for a query).

Goals (issue 6): recall@10 >= 0.95 in each language; <= 100 KiB of search code + index for the
first query; results within 300 ms after typing stops.

Run: .venv/bin/python bench/search.py [--site DIR] [--build] [--lang th|en] [--queries FILE] [--verbose]
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import CHROME_FLAGS, CHROMIUM, OFFLINE_FLAG, Host, serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PREFIX = {"th": "/", "en": "/en/"}
START = {"th": "/directory/", "en": "/en/directory/"}  # the cold page the first query is typed on
NOT_SEARCHED = {"source/"}  # excluded from search on purpose (see above)
TOP = 10
RECALL_GOAL, KIB_GOAL, MS_GOAL = 0.95, 100, 300
TYPING_DELAY_MS = 40

MAIN_TEXT = """() => {
  const root = document.querySelector("article") || document.querySelector("main");
  if (!root) return "";
  const copy = root.cloneNode(true);
  copy.querySelectorAll(".headerlink, a.cite, [data-search-exclude], script, style").forEach((e) => e.remove());
  // innerText needs the element in the document to lay it out.
  copy.hidden = false;
  root.parentNode.insertBefore(copy, root.nextSibling);
  const text = copy.innerText;
  copy.remove();
  return text;
}"""


def read_queries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [q for q in (line.split("#", 1)[0].strip() for line in lines) if q]


def site_pages(site: Path, lang: str) -> list[str]:
    """URL paths of every page of one language (directories with an index.html)."""
    root = site / PREFIX[lang].strip("/")
    found = []
    for file in sorted(root.rglob("index.html")):
        rel = file.parent.relative_to(root).as_posix()
        rel = "" if rel == "." else rel + "/"
        if lang == "th" and (rel.startswith("en/") or rel == "en/"):
            continue
        if rel.startswith("search/") or rel in NOT_SEARCHED:
            continue
        found.append(PREFIX[lang] + rel)
    return found


def _th(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def relevant(query: str, texts: dict[str, str], lang: str) -> set[str]:
    if lang == "th":
        q = _th(query)
        return {path for path, text in texts.items() if q and q in text}
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", query).casefold())
    if not words:
        return set()
    pattern = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)))
    return {path for path, text in texts.items() if pattern.search(text)}


def main_texts(browser, base: str, paths: list[str], lang: str) -> dict[str, str]:
    context = browser.new_context()
    page = context.new_page()
    texts = {}
    for path in paths:
        page.goto(base + path, wait_until="domcontentloaded")
        text = unicodedata.normalize("NFC", page.evaluate(MAIN_TEXT))
        texts[path] = _th(text) if lang == "th" else text.casefold()
    context.close()
    return texts


def result_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all("[data-search-results] a[href]", "links => links.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs]


# In the page, timed by the page's own clock: the last `input` event of the box, and when the
# result list was marked as showing the results for the box's value.
TIMING = """() => {
  const box = document.querySelector("input[type=search]");
  const results = document.querySelector("[data-search-results]");
  window.__lastInput = 0;
  window.__shown = {};
  box.addEventListener("input", () => { window.__lastInput = performance.now(); }, true);
  new MutationObserver(() => { window.__shown[results.getAttribute("data-search-query")] = performance.now(); })
    .observe(results, { attributes: true, attributeFilter: ["data-search-query"] });
}"""


def type_query(page, query: str) -> tuple[list[str], float]:
    """Type the query into an empty box; return the result paths and ms from the last key."""
    box = page.locator("input[type=search]").first
    box.click()
    box.fill("")
    page.wait_for_function("() => { const r = document.querySelector('[data-search-results]');"
                           " return r && r.getAttribute('data-search-query') === ''; }", timeout=15000)
    page.evaluate("() => { window.__shown = {}; }")
    page.keyboard.type(query, delay=TYPING_DELAY_MS)
    page.wait_for_function(
        "(q) => { const r = document.querySelector('[data-search-results]');"
        " return r && r.getAttribute('data-search-query') === q && window.__shown[q] !== undefined; }",
        arg=query, timeout=15000)
    ms = page.evaluate("(q) => window.__shown[q] - window.__lastInput", query)
    return result_paths(page), ms


def run_language(browser, base: str, site: Path, lang: str, queries: list[str], verbose: bool) -> dict:
    paths = site_pages(site, lang)
    texts = main_texts(browser, base, paths, lang)

    # The first query, on a cold page: every request from opening the page to the results.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with Host.lock:
        Host.log.clear()
    page.goto(base + START[lang], wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate(TIMING)
    rows = []
    first_log = None
    for i, query in enumerate(queries):
        found, ms = type_query(page, query)
        if i == 0:
            time.sleep(0.2)
            with Host.lock:
                first_log = list(Host.log)
        want = relevant(query, texts, lang)
        top = found[:TOP]
        hit = len([p for p in top if p in want])
        recall = hit / min(TOP, len(want)) if want else None
        missed = sorted(want - set(top), key=lambda p: p)[: max(0, min(TOP, len(want)) - hit)]
        wrong = [p for p in top if p not in want]
        rows.append({"query": query, "relevant": len(want), "found": len(found), "recall": recall, "ms": ms,
                     "missed": missed, "wrong": wrong})
    context.close()
    search_bytes = sum(size for path, _, _, size in first_log if re.search(r"/search(\.js|/[^/]+\.json)$", path))
    js_json = sum(size for path, ctype, _, size in first_log if path.endswith((".js", ".json")))
    return {"rows": rows, "search_bytes": search_bytes, "js_json_bytes": js_json, "errors": errors,
            "first_requests": [(p, s) for p, _, _, s in first_log if p.endswith((".js", ".json"))],
            "pages": len(paths)}


def report(lang: str, result: dict, verbose: bool) -> bool:
    rows = result["rows"]
    scored = [r for r in rows if r["recall"] is not None]
    print(f"\n== {lang}: {len(rows)} queries, {result['pages']} pages ==")
    print(f"{'query':<36} {'rel':>4} {'found':>5} {'recall@10':>9} {'ms':>6}")
    for r in rows:
        recall = "n/a" if r["recall"] is None else f"{r['recall']:.2f}"
        print(f"{r['query']:<36} {r['relevant']:>4} {r['found']:>5} {recall:>9} {r['ms']:>6.0f}")
        if r["recall"] is not None and r["recall"] < 1 or verbose:
            if r["missed"]:
                print(f"    missed: {', '.join(r['missed'])}")
            if r["wrong"] and (verbose or r["recall"] is not None and r["recall"] < 1):
                print(f"    not relevant in top {TOP}: {', '.join(r['wrong'])}")
    mean = statistics.mean(r["recall"] for r in scored) if scored else 0.0
    ms = [r["ms"] for r in rows]
    later = ms[1:] or ms
    kib = result["search_bytes"] / 1024
    none = [r["query"] for r in rows if r["recall"] is None]
    print(f"\nrecall@10 ({lang}): {mean:.3f} over {len(scored)} queries (goal >= {RECALL_GOAL})")
    if none:
        print(f"no relevant page (left out): {', '.join(none)}")
    print(f"first query on a cold page ({START[lang]}): search code + index {kib:.1f} KiB gzip (goal <= {KIB_GOAL});"
          f" all JS + JSON fetched {result['js_json_bytes'] / 1024:.1f} KiB")
    print("  " + ", ".join(f"{p} {s / 1024:.1f}" for p, s in result["first_requests"]))
    print(f"results after the last key: first query {ms[0]:.0f} ms; then median {statistics.median(later):.0f} ms,"
          f" max {max(later):.0f} ms (goal <= {MS_GOAL})")
    if result["errors"]:
        print(f"page errors: {result['errors']}")
    return mean >= RECALL_GOAL and kib <= KIB_GOAL and max(ms) <= MS_GOAL and not result["errors"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("--build", action="store_true", help="build site/ first even if it exists")
    parser.add_argument("--lang", choices=sorted(PREFIX), action="append", help="only this language (repeatable)")
    parser.add_argument("--queries", type=Path, help="query file (with one --lang)")
    parser.add_argument("--verbose", action="store_true", help="list misses and non-relevant results of every query")
    args = parser.parse_args()
    site = args.site.resolve()
    if args.build or not (site / "search").is_dir():
        print(f"building {site} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "builder", "build", "--site-dir", str(site)], cwd=ROOT, check=True)
    langs = args.lang or ["th", "en"]
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    ok = True
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:] + [OFFLINE_FLAG])
            try:
                for lang in langs:
                    file = args.queries or ROOT / "bench" / f"queries-{lang}.txt"
                    result = run_language(browser, base, site, lang, read_queries(file), args.verbose)
                    ok = report(lang, result, args.verbose) and ok
            finally:
                browser.close()
    finally:
        httpd.shutdown()
    print("\nall goals met" if ok else "\nsome goals not met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
