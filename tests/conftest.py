"""Shared setup: a tiny valid project (fixture data + the real report) to break on purpose;
the real site, built once, served on 127.0.0.1 and opened in Debian's Chromium."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"

CHROMIUM = Path("/usr/bin/chromium")
# As root, with no screen and a closed network: no sandbox, no GPU, and none of Chromium's own
# background connections (which this machine's network refuses).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]

# One page of every page type (the path under / for Thai and under /en/ for English).
# The network page has a member diagram, the directory the province map and the filter form.
PAGE_TYPES = {
    "home": "",
    "directory": "directory/",
    "network": "directory/loei-funding/",
    "province": "directory/province/loei/",
    "form": "directory/form/area/",
    "sector": "directory/sector/dairy/",
    "how-we-count": "directory/how-we-count/",
    "source": "source/",
    "handbook": "handbook/",
    "method": "handbook/methods/swot/",
    "approach": "handbook/approaches/approach-1/",
    "glossary": "handbook/glossary/",
    "curriculum": "curriculum/",
    "module": "curriculum/m01-vision/",               # participant's view
    "facilitator": "curriculum/m01-vision/facilitator/",
    "programme": "curriculum/programme/two-day-learning-forum/",
}
PAGES = [  # (page type, URL path, language), for pytest.mark.parametrize
    pytest.param(kind, prefix + path, lang, id=f"{lang}-{kind}")
    for lang, prefix in (("th", "/"), ("en", "/en/"))
    for kind, path in PAGE_TYPES.items()
]


def without_word_marks(page_html: str) -> str:
    """A page's HTML without the spans and <wbr> that keep Thai words whole (builder/thai_words.py),
    for tests that look for a Thai phrase in the markup."""
    from builder.thai_words import unmark_html

    return unmark_html(page_html)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture data set with the real report, as a project root."""
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    (tmp_path / "data" / "source").mkdir()
    shutil.copy(ROOT / "data" / "source" / "report-th.txt", tmp_path / "data" / "source")
    return tmp_path


def copy_project(target: Path, data: Path) -> Path:
    """A buildable project: this checkout's config, theme and content with the given data."""
    for name in ("mkdocs.yml", "theme", "content"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    if not (target / "data").exists():
        shutil.copytree(data, target / "data")
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once from the real data by the real command."""
    from builder.cli import main

    root = copy_project(tmp_path_factory.mktemp("real"), ROOT / "data")
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture project (tests/fixtures/data with the real report), built once by the real command."""
    from builder.cli import main

    root = copy_project(tmp_path_factory.mktemp("fixture"), FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    shutil.copy(ROOT / "data" / "source" / "report-th.txt", root / "data" / "source")
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


@pytest.fixture(scope="session")
def dataset():
    from builder.dataset import load_dataset

    return load_dataset(ROOT / "data")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def server(site):
    """The real site over HTTP on 127.0.0.1 (a random free port); yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (which never downloads a browser of its own).
    Per module, not per session: test_install.py starts Playwright itself, and two sync
    Playwright instances cannot run at once in one thread."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()
