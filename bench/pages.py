"""Benchmark (not a test): what a first visit to each kind of page costs.

For each page type it prints the bytes transferred on a first load (empty cache) by kind —
HTML, CSS, JS, fonts, images, other (the search index) — as a real host sends them: the site is
served on 127.0.0.1 with gzip (level 6, like common static hosts) for text types, and every
request Debian's Chromium makes while loading the page (through Playwright, until the network is
idle) is counted by the server at its compressed size. Then Lighthouse 12.2.3 (npm, pinned in
package-lock.json) scores mobile performance and accessibility in the same Chromium.

Goals (issue 3): a directory page, Thai font included, <= 300 KB; performance and
accessibility >= 95 on every page.

Run: .venv/bin/python bench/pages.py [--site DIR] [--build] [--runs N] [--no-lighthouse]
(no site/ yet: it is built first with `python -m builder build`). Nothing leaves the machine:
Chromium runs with the background-networking flags off and Lighthouse without error reporting.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")
# Even with the flags above, Chromium 156 headless looks up accounts.google.com and
# clients2.google.com at start (seen with strace; Lighthouse itself asks for nothing). This makes
# every name but 127.0.0.1 fail inside Chromium, so no DNS query leaves the machine.
OFFLINE_FLAG = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
GZIP_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")
BYTE_GOAL_KB = 300   # a directory page, Thai font included
SCORE_GOAL = 95      # Lighthouse performance and accessibility (mobile)

PAGES = [  # (name, path, byte goal applies)
    ("home (th)", "/", False),
    ("home (en)", "/en/", False),
    ("directory index", "/directory/", True),
    ("network page", "/directory/trang-rubber/", True),
    ("province page", "/directory/province/trang/", True),
    ("how we count", "/directory/how-we-count/", True),
    ("source (whole report)", "/source/", False),
]
KINDS = ("html", "css", "js", "font", "image", "other")


def kind_of(path: str, content_type: str) -> str:
    ext = Path(urlsplit(path).path).suffix.lower()
    if content_type.startswith("text/html"):
        return "html"
    if ext == ".css":
        return "css"
    if ext in (".js", ".mjs"):
        return "js"
    if ext in (".woff2", ".woff", ".ttf", ".otf"):
        return "font"
    if content_type.startswith("image/"):
        return "image"
    return "other"


class Host(http.server.SimpleHTTPRequestHandler):
    """A static host: directory URLs serve index.html, text types gzip-compressed when the
    browser accepts it, missing files get the site's 404.html. Every response is logged."""

    log: list[tuple[str, str, int, int]] = []  # (path, content type, status, body bytes sent)
    lock = threading.Lock()
    packed: dict[str, bytes] = {}

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return self._record(url_path, "", 301, 0)
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        content_type = self.guess_type(str(path))
        if content_type.startswith("text/") or content_type == "application/javascript":
            content_type += "; charset=utf-8"
        body = path.read_bytes()
        encoding = None
        if content_type.startswith(GZIP_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            with Host.lock:
                if str(path) not in Host.packed:
                    Host.packed[str(path)] = gzip.compress(body, compresslevel=6, mtime=0)
            body, encoding = Host.packed[str(path)], "gzip"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if not head:
            self.wfile.write(body)
            self._record(url_path, content_type, status, len(body))

    def _record(self, path: str, content_type: str, status: int, size: int) -> None:
        with Host.lock:
            Host.log.append((path, content_type, status, size))


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    Host.extensions_map = {**Host.extensions_map, ".woff2": "font/woff2", ".js": "text/javascript",
                           ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml"}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def first_load_bytes(base: str, paths: list[str]) -> dict[str, dict]:
    """Per page: bytes by kind, the requests made, and any that failed, on a first (cold) visit."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:] + [OFFLINE_FLAG])
        for path in paths:
            context = browser.new_context()  # empty cache and storage: a first visit
            page = context.new_page()
            with Host.lock:
                Host.log.clear()
            page.goto(base + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            time.sleep(0.3)  # let a late worker fetch land in the log
            with Host.lock:
                log = list(Host.log)
            context.close()
            sizes = defaultdict(int)
            for url, content_type, status, size in log:
                sizes[kind_of(url, content_type)] += size
            results[path] = {
                "bytes": dict(sizes),
                "total": sum(sizes.values()),
                "requests": log,
                "failed": [(u, s) for u, _, s, _ in log if s >= 400],
            }
        browser.close()
    return results


def lighthouse(url: str) -> dict:
    """One Lighthouse run (mobile, simulated throttling, the default): scores and key metrics."""
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    command = [str(LIGHTHOUSE), url, "--only-categories=performance,accessibility", "--output=json",
               "--output-path=stdout", "--quiet", "--no-enable-error-reporting", f"--chrome-flags={CHROME_FLAGS}",
               # a second --chrome-flags, quoted: Lighthouse splits the value at spaces
               '--chrome-flags={}="{}"'.format(*OFFLINE_FLAG.split("=", 1))]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed for {url}: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    failing = {
        cat: sorted(ref["id"] for ref in report["categories"][cat]["auditRefs"]
                    if ref["weight"] > 0 and audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1)
        for cat in ("performance", "accessibility")
    }
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "weight": audits["total-byte-weight"]["numericValue"],
        "failing": failing,
        "warnings": report.get("runWarnings", []),
    }


def median_run(url: str, runs: int) -> dict:
    done = [lighthouse(url) for _ in range(runs)]
    done.sort(key=lambda r: r["performance"])
    middle = dict(done[len(done) // 2])
    middle["accessibility"] = statistics.median(r["accessibility"] for r in done)
    return middle


def kb(n: float) -> str:
    return f"{n / 1024:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("--build", action="store_true", help="build site/ first even if it exists")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-lighthouse", action="store_true", help="only the byte counts")
    args = parser.parse_args()
    site = args.site.resolve()
    if args.build or not (site / "index.html").is_file():
        print(f"building {site} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "builder", "build", "--site-dir", str(site)], cwd=ROOT, check=True)
    if not args.no_lighthouse and not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` (it is a devDependency in package.json).")
    httpd, base = serve(site)
    try:
        loads = first_load_bytes(base, [path for _, path, _ in PAGES])
        scores = {}
        if not args.no_lighthouse:
            for name, path, _ in PAGES:
                print(f"lighthouse: {name} …", file=sys.stderr)
                scores[path] = median_run(base + path, args.runs)
    finally:
        httpd.shutdown()

    print(f"\nFirst load, gzip-compressed bytes (KB) as served; Lighthouse {'median of ' + str(args.runs) if args.runs > 1 else '1 run'}, mobile.")
    print(f"Goals: directory pages <= {BYTE_GOAL_KB} KB with the Thai font; performance and accessibility >= {SCORE_GOAL}.\n")
    header = f"{'page':<22} {'html':>5} {'css':>5} {'js':>5} {'font':>5} {'img':>5} {'other':>6} {'total':>6} {'goal':>7}  {'perf':>4} {'a11y':>4} {'goal':>5}  {'LCP s':>5} {'TBT ms':>6}"
    print(header)
    print("-" * len(header))
    for name, path, byte_goal in PAGES:
        load = loads[path]
        cells = [kb(load["bytes"].get(k, 0)) for k in KINDS]
        total = load["total"]
        goal = (f"{'ok' if total <= BYTE_GOAL_KB * 1024 else 'OVER'} {BYTE_GOAL_KB}") if byte_goal else "—"
        row = f"{name:<22} {cells[0]:>5} {cells[1]:>5} {cells[2]:>5} {cells[3]:>5} {cells[4]:>5} {cells[5]:>6} {kb(total):>6} {goal:>7}"
        if path in scores:
            s = scores[path]
            ok = "ok" if s["performance"] >= SCORE_GOAL and s["accessibility"] >= SCORE_GOAL else "LOW"
            row += f"  {s['performance']:>4} {s['accessibility']:>4} {ok:>5}  {s['lcp'] / 1000:>5.1f} {s['tbt']:>6.0f}"
        print(row)
    print()
    for name, path, _ in PAGES:
        load = loads[path]
        biggest = sorted(load["requests"], key=lambda r: -r[3])[:4]
        print(f"{name}: {len(load['requests'])} requests; largest: " + ", ".join(f"{p} {kb(s)} KB" for p, _, _, s in biggest))
        if load["failed"]:
            print(f"  failed requests: {load['failed']}")
        if path in scores:
            s = scores[path]
            for cat, ids in s["failing"].items():
                if ids:
                    print(f"  {cat} audits below 100: {', '.join(ids)}")
            print(f"  Lighthouse total-byte-weight {kb(s['weight'])} KB; FCP {s['fcp'] / 1000:.1f} s, CLS {s['cls']:.3f}")
            for warning in s["warnings"]:
                print(f"  warning: {warning}")


if __name__ == "__main__":
    main()
