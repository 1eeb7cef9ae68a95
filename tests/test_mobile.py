"""On a phone (360 × 740 in Chromium) no page is wider than the screen: wide tables scroll
inside their own box, never the whole page."""
from __future__ import annotations

import pytest

from test_handbook import HANDBOOK_PAGES

PAGES = HANDBOOK_PAGES + [
    "handbook/methods/swot/", "handbook/approaches/approach-1/", "directory/", "directory/loei-funding/",
    "directory/province/trang/", "directory/how-we-count/",
]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_no_page_is_wider_than_a_phone(phone, server, lang):
    too_wide = {}
    for url in PAGES:
        phone.goto(f"{server}/{lang}{url}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[url] = width
    assert not too_wide, f"pages wider than 360 px: {too_wide}"
