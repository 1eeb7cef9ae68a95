"""In Debian's Chromium: the language switch keeps the page, and the directory filter works."""
from __future__ import annotations

import pytest

playwright = pytest.importorskip("playwright.sync_api")

# The fixtures `server` (the real site on 127.0.0.1), `browser` and `page` are in conftest.py.


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
