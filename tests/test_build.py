"""The built site: every network in both languages, exports that match the data, nothing
from other hosts, data shown as text, and a failed build that leaves the old site alone."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

from builder.cli import main
from conftest import copy_project, FIXTURE_DATA, ROOT, without_word_marks


def h1(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)


def test_every_network_has_a_page_in_both_languages(site, dataset):
    for network in dataset.networks:
        th = without_word_marks((site / "directory" / network.id / "index.html").read_text(encoding="utf-8"))
        en = (site / "en" / "directory" / network.id / "index.html").read_text(encoding="utf-8")
        assert '<html lang="th"' in th and network.name.th in html.unescape(h1(th))
        assert '<html lang="en"' in en and network.name.en in html.unescape(h1(en))


def test_every_province_has_a_page_listing_its_networks(site, dataset):
    for province in dataset.provinces:
        page = (site / "directory" / "province" / province.id / "index.html").read_text(encoding="utf-8")
        for network in dataset.networks_in(province.id):
            assert f'href="../../{network.id}/"' in page


def test_json_export_matches_the_data(site, dataset):
    rows = json.loads((site / "directory" / "networks.json").read_text(encoding="utf-8"))
    assert [row["id"] for row in rows] == [n.id for n in dataset.networks]
    for row, network in zip(rows, dataset.networks):
        assert row["name_th"] == network.name.th
        assert row["provinces"] == network.provinces
        assert row["pre_existing"] == (network.origin == "pre-existing")
        assert [m["th"] for m in row["members"]] == [m.name.th for m in network.members]
        assert row["source_lines"] == [f"{c.start}-{c.end}" if c.end != c.start else str(c.start) for c in network.sources]


def test_csv_export_opens_in_excel_with_thai(site, dataset):
    raw = (site / "directory" / "networks.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8")), "Excel needs the BOM to read UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(dataset.networks)
    first = dataset.networks[0]
    assert rows[0]["id"] == first.id and rows[0]["name_th"] == first.name.th
    assert rows[0]["provinces"] == "; ".join(first.provinces)


def test_no_page_references_another_host(site):
    """Nothing points at another host. The one exception is each page's canonical address, which
    names the site's own public address (site_url) and is never fetched."""
    own = re.search(r'<link rel="canonical" href="([^"]+)">', (site / "index.html").read_text(encoding="utf-8"))[1]
    canonical = re.compile(r'<link rel="canonical" href="' + re.escape(own) + r'[^"]*">')
    external = re.compile(r'(?:src|href|url)\s*[=(]\s*["\']?(?:https?:)?//', re.I)
    for page in site.rglob("*"):
        if page.suffix in {".html", ".css", ".js"} and page.is_file():
            text = canonical.sub("", page.read_text(encoding="utf-8", errors="replace"))
            found = [m.group(0) for m in external.finditer(text)]
            assert not found, f"{page.relative_to(site)} refers to another host: {found[:3]}"


def test_citations_link_to_report_lines(site):
    page = (site / "directory" / "trang-rubber" / "index.html").read_text(encoding="utf-8")
    targets = re.findall(r'href="\.\./\.\./source/#L(\d+)"', page)
    assert targets, "a network page cites the report"
    report = (site / "source" / "index.html").read_text(encoding="utf-8")
    for line in targets:
        assert f'id="L{line}"' in report


def test_html_in_data_is_shown_as_text(tmp_path):
    root = copy_project(tmp_path, FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    (root / "data" / "source" / "report-th.txt").write_bytes((ROOT / "data" / "source" / "report-th.txt").read_bytes())
    assert main(["--root", str(root), "build"]) == 0
    for lang in ("", "en/"):
        page = (root / "site" / lang / "directory" / "trang-rubber" / "index.html").read_text(encoding="utf-8")
        assert "<script>alert(1)" not in page and "<img src=x" not in page
    page = without_word_marks((root / "site/directory/trang-rubber/index.html").read_text(encoding="utf-8"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *ดาว*" in page


def test_failed_build_leaves_the_previous_site(tmp_path, capsys):
    root = copy_project(tmp_path, FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    (root / "data" / "source" / "report-th.txt").write_bytes((ROOT / "data" / "source" / "report-th.txt").read_bytes())
    assert main(["--root", str(root), "build"]) == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    network = root / "data" / "networks" / "trang-rubber.yaml"
    network.write_text(network.read_text(encoding="utf-8").replace("origin: project", "origin: invented"), encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert "data/networks/trang-rubber.yaml:4: origin:" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(root.glob(".site-*")), "no staging folder is left behind"


def test_missing_translation_fails_the_build(tmp_path, capsys):
    root = copy_project(tmp_path, FIXTURE_DATA)
    (root / "data" / "source").mkdir()
    (root / "data" / "source" / "report-th.txt").write_bytes((ROOT / "data" / "source" / "report-th.txt").read_bytes())
    (root / "content" / "th" / "extra.md").write_text("# หน้าพิเศษ\n", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    assert "content/en/extra.md" in capsys.readouterr().err
    assert not (root / "site").exists()
