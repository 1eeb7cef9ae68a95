"""Nothing but the site itself: in Debian's Chromium, every request of every page type (Thai and
English) goes to the local server, each page carries a Content-Security-Policy that allows only the
site itself, and the browser reports no violation of it.

Requests are logged for the whole browser context (pages and the search worker). A request for any
other address is recorded and aborted by the test, so nothing leaves the machine even when a page
is broken. A request the site answers with an error (a 404, say) is a problem too: on a slow
phone connection each one costs a round trip and the 404 page.

The gates are shown to fail: test_gates_catch_a_broken_page opens deliberately broken copies of
real pages (edited on their way from the server to the browser).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from conftest import PAGES

CSP_META = 'meta[http-equiv="Content-Security-Policy" i]'
HASH = re.compile(r"'sha(256|384|512)-[A-Za-z0-9+/]+={0,2}'")
# Sources a directive may list besides 'self', 'none' and hashes of inline scripts:
# Material's stylesheet inlines its icons as data: SVG images.
EXTRA = {"img-src": {"data:"}}

# Runs in every page before its own scripts: record the violations the browser reports.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile || "?"}:${e.lineNumber}`));
"""


@dataclass
class Visit:
    problems: list[str] = field(default_factory=list)  # each "<gate>: <what>"

    def add(self, gate: str, what: str) -> None:
        self.problems.append(f"{gate}: {what}")

    def gates(self) -> set[str]:
        return {p.split(":", 1)[0] for p in self.problems}


def policy_problems(policy: str) -> list[str]:
    """What lets the policy allow more than the site itself."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        if tokens := part.split():
            directives.setdefault(tokens[0].lower(), tokens[1:])
    problems = []
    if directives.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {directives.get('default-src')}, not ['self']")
    for name, sources in directives.items():
        for source in sources:
            if source not in ("'self'", "'none'") and not HASH.fullmatch(source) and source not in EXTRA.get(name, ()):
                problems.append(f"{name} allows {source}")
    return problems


def visit(browser, server: str, path: str, edit=None) -> Visit:
    """Open server+path in a fresh context; `edit` (str -> str) changes the page's HTML on its way."""
    result = Visit()
    here = urlsplit(server).netloc
    context = browser.new_context()
    try:
        def logged(request):
            url = urlsplit(request.url)
            if url.scheme != "data" and (url.scheme != "http" or url.netloc != here):
                result.add("request", f"{request.url} (not {here})")

        context.on("request", logged)
        context.on("response", lambda r: r.status >= 400 and result.add("http-error", f"{r.url}: HTTP {r.status}"))
        context.route(lambda url: urlsplit(url).scheme != "data" and urlsplit(url).netloc != here,
                      lambda route: route.abort())
        context.add_init_script(script=LISTEN)
        page = context.new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and result.add("csp-violation", m.text))
        page.on("pageerror", lambda e: result.add("script-error", str(e)))
        if edit is not None:
            def broken(route):
                original = route.fetch()
                route.fulfill(response=original, body=edit(original.text()))
            page.route(server + path, broken)
        response = page.goto(server + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

        policies = page.eval_on_selector_all(CSP_META, "metas => metas.map(m => m.content)")
        if len(policies) != 1:
            result.add("policy", f"{len(policies)} Content-Security-Policy meta tags, not 1")
        for policy in policies:
            result.problems += [f"policy: {p}" for p in policy_problems(policy)]
        before_policy = page.evaluate(
            """(selector) => { const meta = document.querySelector(selector); if (!meta) return [];
               return [...document.head.querySelectorAll('script, style, link[rel~="stylesheet"]')]
                 .filter((e) => e.compareDocumentPosition(meta) & Node.DOCUMENT_POSITION_FOLLOWING)
                 .map((e) => e.outerHTML.slice(0, 100)); }""",
            CSP_META,
        )
        result.problems += [f"policy: comes after {e}" for e in before_policy]
        result.problems += [f"csp-violation: {v}" for v in page.evaluate("window.__cspViolations")]
    finally:
        context.close()
    return result


@pytest.mark.parametrize("kind, path, lang", PAGES)
def test_only_the_site_itself(browser, server, kind, path, lang):
    found = visit(browser, server, path)
    assert not found.problems, f"{path}:\n  " + "\n  ".join(found.problems)


def test_policy_check():
    assert policy_problems("default-src 'self'; img-src 'self' data:; script-src 'self' 'sha256-AbC+/9='") == []
    assert policy_problems("default-src 'self'; script-src 'self' 'unsafe-inline'") == ["script-src allows 'unsafe-inline'"]
    assert policy_problems("default-src *") == ["default-src is ['*'], not ['self']", "default-src allows *"]
    assert policy_problems("default-src 'self'; font-src 'self' https://fonts.gstatic.com") == [
        "font-src allows https://fonts.gstatic.com"]
    assert policy_problems("default-src 'self'; style-src 'self' data:") == ["style-src allows data:"]


# --- the gates can fail --------------------------------------------------------------------------

def _add_to_head(html: str):
    return lambda page: page.replace("</head>", html + "</head>", 1)


def _add_to_article(html: str):
    return lambda page: page.replace("</article>", html + "</article>", 1)


def _policy(change):
    return lambda page: re.sub(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)', lambda m: m[1] + change(m[2]), page, count=1)


# name: (page, edit, the gates that must then fail)
BROKEN = {
    "stylesheet from another host": (
        "/directory/", _add_to_head('<link rel="stylesheet" href="https://example.org/x.css">'), {"csp-violation"}),
    "image from another host": (
        "/en/source/", _add_to_article('<img src="https://example.org/x.png" alt="x">'), {"csp-violation"}),
    # With the host allowed by the policy, the browser does ask it (the test aborts the request).
    "script from a host the policy allows": (
        "/directory/loei-funding/",
        lambda page: _add_to_head('<script src="https://example.org/x.js"></script>')(
            _policy(lambda p: p.replace("script-src 'self'", "script-src 'self' https://example.org"))(page)),
        {"policy", "request"}),
    "inline style attribute": ("/en/directory/", _add_to_article('<p style="color: red">x</p>'), {"csp-violation"}),
    "inline script": ("/directory/province/loei/", _add_to_article("<script>document.title = 'x'</script>"), {"csp-violation"}),
    "policy with unsafe-inline scripts": (
        "/en/directory/how-we-count/", _policy(lambda p: p.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")), {"policy"}),
    "no policy": ("/", lambda page: re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1), {"policy"}),
    # What Material did before the hook took hreflang links out of <head>: it fetches a sitemap.xml
    # beside each, here /directory/sitemap.xml, which is not there.
    "hreflang link in the head": (
        "/directory/", _add_to_head('<link rel="alternate" href="./" hreflang="th">'), {"http-error"}),
    "policy after a stylesheet": (
        "/en/",
        lambda page: re.sub(r'(<meta http-equiv="Content-Security-Policy"[^>]*>)(.*?)(</head>)', r"\2\1\3", page, count=1, flags=re.S),
        {"policy"}),
}


@pytest.mark.parametrize("name", BROKEN)
def test_gates_catch_a_broken_page(browser, server, name):
    path, edit, gates = BROKEN[name]
    found = visit(browser, server, path, edit=edit)
    assert gates <= found.gates(), f"{name}: expected {sorted(gates)} to fail, got:\n  " + "\n  ".join(found.problems)
