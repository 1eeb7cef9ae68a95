"""The build infrastructure: pinned installs, mkdocs.yml + theme/ + builder.assets.

A small two-language sample is built with the real mkdocs.yml and theme/ (copied to a temporary
project), then its HTML is checked; with Debian's Chromium it is also opened in a browser.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import pytest
from packaging.requirements import Requirement

from builder.assets import AssetsError, copy_assets

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")

PAGES = {
    "index.md": ("# พันธมิตร\n\nเครือข่ายพันธมิตรกลุ่ม/องค์กรประชาชน\n\n[ไดเรกทอรี](directory/index.md)\n",
                 "# Phanthamit\n\nAlliance networks of people's groups.\n\n[Directory](directory/index.md)\n"),
    "directory/index.md": ("# ไดเรกทอรีเครือข่าย\n\n- [เครือข่ายยางพาราตรัง](x/index.md)\n",
                           "# Network directory\n\n- [Trang rubber network](x/index.md)\n"),
    "directory/x/index.md": ("# เครือข่ายยางพาราตรัง\n\nกลุ่มเกษตรกรชาวสวนยาง *ตัวเอียง* **ตัวหนา**\n",
                             "# Trang rubber network\n\nRubber farmers' groups. *italic* **bold**\n"),
}


def make_project(tmp: Path, pages: dict[str, tuple[str, str]] = PAGES) -> Path:
    """A project folder with this checkout's mkdocs.yml and theme/ and a rendered sample."""
    # The site's nav names pages this sample does not have; without it MkDocs follows the folders.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp / "mkdocs.yml").write_text(re.sub(r"\nnav:\n(?:  .*\n)+", "\n", config), encoding="utf-8")
    shutil.copytree(ROOT / "theme", tmp / "theme", ignore=shutil.ignore_patterns("__pycache__"))
    docs = tmp / "build" / "docs"
    for path, texts in pages.items():
        for lang, text in zip(("th", "en"), texts):
            if text is not None:
                (docs / lang / path).parent.mkdir(parents=True, exist_ok=True)
                (docs / lang / path).write_text(text, encoding="utf-8")
    copy_assets(docs)
    return tmp


def mkdocs_build(project: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", str(out)],
                          cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("sample"))
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def html(site: Path, url: str) -> str:
    return (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def links(page: str, **attrs: str) -> list[str]:
    """href of every <a>/<link> whose attributes include attrs."""
    found = []
    for tag in re.findall(r"<(?:a|link)\b[^>]*>", page):
        if all(re.search(rf'\b{k}="{re.escape(v)}"', tag) for k, v in attrs.items()):
            found.append(re.search(r'href="([^"]*)"', tag).group(1))
    return found


# --- installs ---------------------------------------------------------------------------------

def test_requirements_pin_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + [d for ds in project["optional-dependencies"].values() for d in ds]
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    for spec in map(Requirement, direct):
        name = re.sub(r"[-_.]+", "-", spec.name).lower()
        assert name in pins, f"{spec.name} is in pyproject.toml but not pinned in requirements.txt"
        assert spec.specifier.contains(pins[name]), f"requirements.txt pins {name}=={pins[name]}, pyproject says {spec}"


def test_package_lock_matches_package_json():
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert lock[""]["dependencies"] == wanted
    for name, version in wanted.items():
        assert lock[f"node_modules/{name}"]["version"] == version


def test_missing_node_modules_is_a_clear_error(tmp_path):
    with pytest.raises(AssetsError, match="npm ci"):
        copy_assets(tmp_path / "docs", node_modules=tmp_path / "nothing-here")


# --- the built sample --------------------------------------------------------------------------

def test_language_of_each_tree(sample):
    for url, lang in [("/", "th"), ("/directory/x/", "th"), ("/en/", "en"), ("/en/directory/x/", "en")]:
        assert re.search(rf'<html lang="{lang}"', html(sample, url)), url
    assert '<html lang="th"' in (sample / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["/directory/x/", "/en/directory/x/"])
def test_language_switch_and_hreflang_point_at_the_same_page(sample, url):
    page = html(sample, url)
    here = "http://site" + url
    thai, english = "http://site/directory/x/", "http://site/en/directory/x/"
    for lang, target in [("th", thai), ("en", english)]:
        assert [urljoin(here, h) for h in links(page, hreflang=lang, **{"class": "md-select__link"})] == [target]
    # No hreflang links in <head>: Material would fetch <page>/sitemap.xml for each (a 404);
    # sitemap.xml carries the alternates (tests/test_stable_links.py).
    head = page.split("</head>")[0]
    assert not re.search(r'<link rel="alternate"[^>]*hreflang', head), "hreflang link in <head>"


def test_navigation_titles_come_from_the_pages(sample):
    page = html(sample, "/directory/x/")
    nav = [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', page, re.S)]
    assert "ไดเรกทอรีเครือข่าย" in nav and "Directory" not in nav


def test_nothing_comes_from_another_host(sample):
    for file in sample.rglob("*"):
        if file.suffix in {".html", ".css", ".xml"}:
            text = file.read_text(encoding="utf-8")
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, file
        if file.suffix == ".html":
            text = re.sub(r'<link rel="canonical" href="[^"]*">', "", text)  # the site's own address, never fetched
            for ref in re.findall(r'\b(?:src|href|action)="([^"]*)"', text):
                assert not urlsplit(ref).netloc and not urlsplit(ref).scheme, (file, ref)
        if file.suffix == ".css":
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]*)", text):
                assert not re.match(r"(https?:)?//", ref), (file, ref)


def test_fonts_are_served_from_the_site_once(sample):
    css = sample / "assets" / "stylesheets" / "phanthamit.css"
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', css.read_text())
    assert fonts and all(font.startswith("../fonts/sarabun-") for font in fonts)
    for font in fonts:
        assert (css.parent / font).resolve().is_file(), font
    assert not (sample / "en" / "assets").exists()
    assert '--md-text-font: "Sarabun"' in css.read_text()


def test_content_security_policy_allows_every_inline_script(sample):
    for file in sample.rglob("*.html"):
        page = file.read_text(encoding="utf-8")
        head = page.split("</head>")[0]
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert csp, file
        assert csp.start() < head.index("<script") and csp.start() < head.index("<link"), \
            f"{file}: the policy must come before every script and stylesheet"
        policy = dict(d.strip().split(" ", 1) for d in csp.group(1).split(";"))
        assert policy["default-src"] == "'self'"
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
            if "src=" in attrs or 'type="application/json"' in attrs:
                continue
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            assert digest in policy["script-src"], \
                f"{file}: inline script not allowed by the policy; add {digest} in theme/main.html"


def test_missing_translation_fails_the_build(tmp_path):
    pages = dict(PAGES, **{"directory/y/index.md": ("# ย\n", None)})
    result = mkdocs_build(make_project(tmp_path, pages), tmp_path / "site")
    assert result.returncode != 0
    assert "en/directory/y/index.md: missing" in result.stderr
    assert not (tmp_path / "site").exists()


def test_broken_link_fails_the_build(tmp_path):
    pages = dict(PAGES, **{"index.md": (PAGES["index.md"][0], "# Phanthamit\n\n[gone](nowhere.md)\n")})
    result = mkdocs_build(make_project(tmp_path, pages), tmp_path / "site")
    assert result.returncode != 0 and "nowhere.md" in result.stderr


# --- in a browser ------------------------------------------------------------------------------

@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make installs it)")
def test_in_chromium(sample):
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(sample)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"])
            try:
                page = browser.new_page()
                hosts, errors = set(), []
                page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.add_init_script("window.__csp = []; document.addEventListener("
                                     "'securitypolicyviolation', e => window.__csp.push(e.violatedDirective))")
                for url in ["/directory/x/", "/en/directory/x/"]:
                    page.goto(base + url, wait_until="networkidle")
                    page.evaluate("document.fonts.ready")
                    assert page.evaluate("window.__csp") == [], url
                    cdp = page.context.new_cdp_session(page)
                    cdp.send("DOM.enable")
                    cdp.send("CSS.enable")
                    doc = cdp.send("DOM.getDocument")["root"]["nodeId"]
                    for selector in ["article h1", "article p"]:
                        node = cdp.send("DOM.querySelector", {"nodeId": doc, "selector": selector})["nodeId"]
                        used = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
                        assert used == {"Sarabun"}, (url, selector, used)
                page.goto(base + "/directory/x/", wait_until="networkidle")
                page.hover(".md-select")
                page.click("a.md-select__link[hreflang=en]")
                page.wait_for_load_state("networkidle")
                assert PurePosixPath(urlsplit(page.url).path) == PurePosixPath("/en/directory/x/")
                assert hosts == {f"127.0.0.1:{port}"}
                assert errors == []
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait()
