"""Two builds of the same commit produce byte-identical site trees.

Three builds by the real command, each in its own process:
  1. checkout A, no drawing cache (draws, fills build/cache);
  2. checkout A again: drawings from the cache, build/docs rewritten only where changed;
  3. checkout B (another path), no drawing cache, with another hash seed, time zone and locale.
Every file's bytes and the file list must match. SOURCE_DATE_EPOCH is removed from the
environment, so dates must come from the builder (the report's date), never the clock.
The copies get a site_url, so that sitemap.xml (and its gzip header), canonical links and
hreflang alternates, which appear only with a site_url, are part of the comparison.
"""
from __future__ import annotations

import difflib
import gzip
import os
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from builder.build import REPORT_DATE
from conftest import ROOT, copy_project

SITE_URL = "https://example.org/phanthamit/"


def checkout(target: Path) -> Path:
    root = copy_project(target, ROOT / "data")
    config = root / "mkdocs.yml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("site_url:")]
    config.write_text("\n".join(lines[:1] + [f"site_url: {SITE_URL}"] + lines[1:]) + "\n", encoding="utf-8")
    return root


def build(root: Path, out: Path, *, seed: str, tz: str = "UTC", locale: str = "C.UTF-8") -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONHASHSEED=seed, TZ=tz, LC_ALL=locale, LANG=locale, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "builder", "--root", str(root), "build", "--site-dir", str(out)],
                            cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _text(name: str, data: bytes) -> list[str] | None:
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def differences(a: dict[str, bytes], b: dict[str, bytes], label_a: str, label_b: str) -> str:
    """Which files differ, and a short diff of each (the first few)."""
    lines = []
    for name in sorted(a.keys() - b.keys()):
        lines.append(f"only in {label_a}: {name}")
    for name in sorted(b.keys() - a.keys()):
        lines.append(f"only in {label_b}: {name}")
    changed = sorted(n for n in a.keys() & b.keys() if a[n] != b[n])
    for name in changed:
        lines.append(f"differs: {name} ({len(a[name])} vs {len(b[name])} bytes)")
    for name in changed[:5]:
        if name.endswith(".gz") and a[name][:10] != b[name][:10]:
            lines.append(f"  {name}: gzip header {a[name][:10].hex()} vs {b[name][:10].hex()} (bytes 4-7: mtime)")
        ta, tb = _text(name, a[name]), _text(name, b[name])
        if ta is None or tb is None:
            at = next((i for i, (x, y) in enumerate(zip(a[name], b[name])) if x != y), min(len(a[name]), len(b[name])))
            lines.append(f"  {name}: binary, first difference at byte {at}")
            continue
        diff = list(difflib.unified_diff(ta, tb, label_a, label_b, n=1, lineterm=""))
        lines += ["  " + line[:200] for line in diff[:20]] + (["  …"] if len(diff) > 20 else [])
    return "\n".join(lines)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    base = tmp_path_factory.mktemp("repro")
    (base / "checkout-a").mkdir()
    a = checkout(base / "checkout-a")
    build(a, base / "site-1", seed="1")
    assert any((a / "build" / "cache").iterdir()), "the first build drew and cached its drawings"
    build(a, base / "site-2", seed="2")
    b_root = base / "elsewhere" / "checkout-b"
    b_root.mkdir(parents=True)
    b = checkout(b_root)
    assert not (b / "build").exists(), "the third build starts with no drawing cache"
    build(b, base / "site-3", seed="3", tz="Asia/Bangkok", locale="th_TH.UTF-8" if _has_locale("th_TH.UTF-8") else "C.UTF-8")
    return {name: tree(base / name) for name in ("site-1", "site-2", "site-3")}


def _has_locale(name: str) -> bool:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    except OSError:
        return False
    return name.lower().replace("utf-8", "utf8") in out


def test_cached_drawings_give_the_same_site(builds):
    one, two = builds["site-1"], builds["site-2"]
    if one != two:  # pytest.fail, not assert: pytest's own diff of the byte trees is unreadable
        pytest.fail(differences(one, two, "site-1 (drawn)", "site-2 (cached)"), pytrace=False)


def test_another_checkout_without_cache_gives_the_same_site(builds):
    one, three = builds["site-1"], builds["site-3"]
    assert len(one) > 100 and "index.html" in one and "en/index.html" in one
    if one != three:
        pytest.fail(differences(one, three, "site-1", "site-3 (other checkout, no cache, other seed)"), pytrace=False)


def test_dates_come_from_the_report_not_the_clock(builds):
    site = builds["site-1"]
    report_day = datetime.fromtimestamp(int(REPORT_DATE), timezone.utc).date().isoformat()
    sitemap = site["sitemap.xml"].decode("utf-8")
    assert sitemap.count("<url>") > 100, "with a site_url the sitemap lists every page"
    assert sitemap.count("<lastmod>") == sitemap.count("<url>")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {report_day}
    packed = site["sitemap.xml.gz"]
    assert int.from_bytes(packed[4:8], "little") == int(REPORT_DATE), "gzip header mtime"
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    today = date.today()
    stamps = {today.isoformat(), today.strftime("%Y%m%d"), today.strftime("%d/%m/%Y")}
    for name, data in site.items():
        if name.endswith((".html", ".xml", ".json", ".js", ".css", ".txt", ".csv")):
            text = data.decode("utf-8", errors="replace")
            found = [s for s in stamps if s in text]
            assert not found, f"{name} contains today's date {found}: a date from the clock"
