"""The offline copy: the whole site in one zip (downloads/phanthamit-offline.zip) that works when
unpacked and opened from disk (file://), for trainers without internet.

Opened from disk, a link to a folder (x/) shows the folder instead of its index.html, and a page
cannot fetch() files. So MkDocs builds the rendered tree a second time with Material's offline
plugin on (no directory URLs; theme/hooks/phanthamit.py completes the builder's own raw-HTML
links) into a temporary folder. The other files the first build wrote (open data, search index,
PDFs) are copied in as they are, and each search index gets a script twin (search/<lang>.js) that
search.js loads with <script src> where it cannot fetch.

Left out: HTML the first build has and the offline pass does not (404 and redirect pages are for
a web server), and LEFT_OUT: the course packages (*.imscc, for learning platforms), the sitemap
(for search engines, which read the online site) and the zip itself. Links to these from the
offline pages lead to the online site (theme/hooks/phanthamit.py).

Everything sits under one folder, phanthamit/, whose index.html is the Thai home. The zip is
reproducible: entries sorted, every date the report's, fixed permissions and compression.
"""
from __future__ import annotations

import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from .search_index import INDEX, LANGUAGES, SCRIPT, index_script

ZIP = "downloads/phanthamit-offline.zip"  # under the site root; the reuse page links to it
FOLDER = "phanthamit"  # the one folder in the zip
LEFT_OUT = ("*.imscc", "sitemap.xml", "sitemap.xml.gz", ZIP)  # patterns, matched from the right
STORED = {".pdf", ".woff2", ".woff", ".png", ".jpg", ".gz", ".zip"}  # compressed already
LEVEL = 6  # deflate level for the rest, fixed (level 9 makes it 0.4 % smaller in twice the time)


def write_offline_copy(root: Path, site_dir: Path, date: str) -> Path:
    """Build the offline pages, add the built site's other files, zip them into site_dir/ZIP.
    `date`: seconds since 1970, the date every entry gets."""
    from .build import run_mkdocs  # build.py imports this module

    with tempfile.TemporaryDirectory(prefix="phanthamit-offline-") as tmp:
        offline = Path(tmp) / FOLDER
        run_mkdocs(root, offline, offline=True)
        for file in _files(site_dir):
            name = file.relative_to(site_dir)
            if file.suffix != ".html" and not (offline / name).exists():
                (offline / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, offline / name)
        for lang in LANGUAGES:
            index = (site_dir / INDEX.format(lang=lang)).read_text(encoding="utf-8")
            (offline / SCRIPT.format(lang=lang)).write_text(index_script(index, lang), encoding="utf-8")
        target = site_dir / ZIP
        target.parent.mkdir(parents=True, exist_ok=True)
        _zip(offline, target, time.gmtime(int(date))[:6])
    return target


def _files(folder: Path) -> list[Path]:
    """Every file under `folder` except the LEFT_OUT ones, in a fixed order."""
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not any(p.relative_to(folder).match(pattern) for pattern in LEFT_OUT)
    )


def _zip(folder: Path, target: Path, date: tuple) -> None:
    """`folder` and everything in it as `target`, the same bytes for the same files."""
    with zipfile.ZipFile(target, "w") as archive:
        for file in _files(folder):
            entry = zipfile.ZipInfo(file.relative_to(folder.parent).as_posix(), date_time=date)
            entry.create_system = 3  # Unix, whatever builds it, so the permissions below apply
            entry.external_attr = 0o644 << 16
            if file.suffix in STORED:
                archive.writestr(entry, file.read_bytes(), zipfile.ZIP_STORED)
            else:
                archive.writestr(entry, file.read_bytes(), zipfile.ZIP_DEFLATED, LEVEL)
