"""In Debian's Chromium: the language switch keeps the page, and the directory filter works."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def test_language_switch_lands_on_the_same_network(page, server):
    page.goto(f"{server}/directory/trang-rubber/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert "ยางพารา" in page.locator("h1").inner_text()
    page.locator(".md-header__option .md-select").hover()
    page.locator('a[hreflang="en"]').first.click()
    page.wait_for_url(f"{server}/en/directory/trang-rubber/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "rubber" in page.locator("h1").inner_text().lower()
    page.locator(".md-header__option .md-select").hover()
    page.locator('a[hreflang="th"]').first.click()
    page.wait_for_url(f"{server}/directory/trang-rubber/")


def test_filter_directory_by_province(page, server, dataset):
    page.goto(f"{server}/directory/")
    items = page.locator("[data-network-list] li")
    assert items.count() == len(dataset.networks)
    page.select_option("select[name=province]", "loei")
    visible = [a.inner_text() for a in page.locator("[data-network-list] li:visible a").all()]
    assert sorted(visible) == sorted(n.name.th for n in dataset.networks_in("loei"))
    assert str(len(visible)) in page.locator("[data-filter-count]").inner_text()
    page.select_option("select[name=province]", "")
    assert page.locator("[data-network-list] li:visible").count() == len(dataset.networks)


def test_filter_is_hidden_without_javascript(browser, server, dataset):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/directory/")
    assert not page.locator("[data-directory-filter]").is_visible()
    assert page.locator("[data-network-list] li:visible").count() == len(dataset.networks)
    page.get_by_role("link", name="เลย", exact=True).first.click()
    assert "/directory/province/loei/" in page.url
    context.close()
