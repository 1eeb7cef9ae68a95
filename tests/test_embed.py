"""Embed mode (issue 7): a page of the site inside another site's <iframe>, as an LMS shows it.

In Debian's Chromium, a host page (about:blank, so another origin than the site) holds the site's
page in an iframe. With ?embed=1 the frame shows the page's content and its cite box, without the
site's header, navigation, sidebars, footer or embed box; its links open the full site in a new
tab. The gate: the same frame without ?embed=1 shows the header and the navigation. The snippet
the "Embed this page" box gives is the one that is tested, pasted into the host page as it is
(with the placeholder address of the site replaced by the test server's).
"""
from __future__ import annotations

import html
import re

import pytest

SITE_URL = "https://phanthamit.example/"
# Wide enough that Material shows both sidebars (from 76.25em = 1220 px) when not embedded.
HOST = {"width": 1500, "height": 1000}
FRAME_WIDTH = 1400
CHROME = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]
PATHS = ["/en/curriculum/m01-vision/", "/directory/", "/en/handbook/methods/swot/"]


@pytest.fixture
def host(browser):
    context = browser.new_context(viewport=HOST)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def embed_code(server, site):
    """The page's own embed code, pointed at the test server."""
    def code(path: str) -> str:
        page = (site / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<textarea id="phanthamit-embed-code"[^>]*>(.*?)</textarea>', page, re.S)[1]
        return html.unescape(found).replace(SITE_URL, server + "/")
    return code


def open_in_frame(host, iframe: str):
    """A host page of another origin (about:blank) with the iframe; waits for the framed page."""
    host.set_content(f"<!doctype html><title>LMS</title><h1>Course</h1>{iframe}")
    frame = host.frame_locator("iframe")
    frame.locator("article h1").wait_for()
    host.frames[1].wait_for_load_state()  # DOMContentLoaded has run embed.js's link handling
    return frame


def visible(frame, selector: str) -> bool:
    return frame.locator(selector).first.is_visible()


@pytest.mark.parametrize("path", PATHS)
def test_embedded_page_shows_its_content_without_the_site_around_it(host, embed_code, path):
    code = embed_code(path)
    assert "?embed=1" in code
    frame = open_in_frame(host, code.replace('width="100%"', f'width="{FRAME_WIDTH}"'))
    for selector in CHROME + [".phanthamit-embed"]:
        assert not visible(frame, selector), f"{path}: {selector} is shown in embed mode"
    for selector in ["article h1", "article p", ".phanthamit-cite summary"]:
        assert visible(frame, selector), f"{path}: {selector} is not shown in embed mode"
    links = frame.locator("article a[href]").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.getAttribute('target') || '', a.getAttribute('rel') || ''])")
    outside = [link for link in links if not link[0].startswith("#")]
    assert outside, path
    for href, target, rel in outside:
        assert (target, rel) == ("_blank", "noopener"), (path, href)
        assert "embed=1" not in href
    for href, target, _ in links:
        if href.startswith("#"):
            assert target == "", (path, href)  # permalinks and footnotes stay in the frame


def test_a_link_in_an_embedded_page_opens_the_full_site_in_a_new_tab(host, embed_code):
    frame = open_in_frame(host, embed_code("/en/curriculum/m01-vision/"))
    link = frame.locator("article a[href$='facilitator/']").first
    with host.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.endswith("/en/curriculum/m01-vision/facilitator/") and "embed" not in tab.url
    assert tab.locator(".md-header").is_visible()
    assert host.frame_locator("iframe").locator("article h1").is_visible()  # the frame stays where it was


@pytest.mark.parametrize("path", PATHS)
def test_gate_without_embed_the_frame_shows_the_whole_site(host, embed_code, path):
    code = embed_code(path).replace("?embed=1", "").replace('width="100%"', f'width="{FRAME_WIDTH}"')
    frame = open_in_frame(host, code)
    for selector in CHROME:
        assert visible(frame, selector), f"{path}: {selector} is hidden without embed=1"
    targets = frame.locator("article a[href]").evaluate_all("links => links.map(a => a.getAttribute('target') || '')")
    assert set(targets) == {""}


def test_the_copy_button_is_there_with_javascript(host, server):
    host.goto(server + "/en/directory/")
    host.locator(".phanthamit-embed summary").click()
    button = host.locator(".phanthamit-embed__copy")
    assert button.is_visible() and button.inner_text() == "Copy the code"
    host.locator("#phanthamit-embed-code").focus()
    assert host.locator("#phanthamit-embed-code").input_value().startswith('<iframe src="' + SITE_URL + "en/directory/?embed=1")


def test_closed_cite_box_costs_no_download_until_opened(browser, server):
    """On a phone on a slow line every font counts: the citation's italic title must not pull the
    italic faces (about 20 KB) while its box is closed; opened, the title is set in italics."""
    context = browser.new_context()
    page = context.new_page()
    fonts: list[str] = []
    page.on("request", lambda r: r.url.endswith(".woff2") and fonts.append(r.url.rsplit("/", 1)[1]))
    page.goto(server + "/directory/", wait_until="networkidle")
    assert fonts and not [f for f in fonts if "italic" in f], fonts
    page.locator(".phanthamit-cite summary").click()
    title = page.locator(".phanthamit-cite__apa em").first
    title.wait_for()
    assert title.evaluate("e => getComputedStyle(e).fontStyle") == "italic"
    page.wait_for_load_state("networkidle")
    assert [f for f in fonts if "italic" in f], "the italic face is loaded once the box is open"
    context.close()
