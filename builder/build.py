"""The build in stated stages: validate → render Markdown → mkdocs → exports → swap into site/.

Nothing touches site/ until every stage has succeeded, so a failed build leaves the
previous site intact.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .assets import AssetsError, copy_assets
from .cartridge import write_cartridges
from .citation import write_facts
from .dataset import DataError, load_dataset
from .model import Dataset
from .export import write_exports
from .errors import BuildError
from .glossary_markup import write_marks
from .offline import write_offline_copy
from .pdf import write_pdfs
from .redirects import write_redirects
from .render import render_site
from .search_index import write_search_index

REPORT_DATE = "1122854400"  # 2005-08-01, the report's month: dates in the site come from it, not the clock


def render_docs(root: Path, data: Dataset) -> Path:
    """Write the Markdown tree mkdocs builds from; return docs_dir."""
    docs_dir = root / "build" / "docs"
    render_site(data, root / "content", docs_dir, cache=root / "build" / "cache")
    write_marks(data.glossary, root / "build" / "glossary.json")
    write_facts(data, root / "build" / "citation.json")  # for the cite and embed boxes (theme/hooks)
    try:
        copy_assets(docs_dir)
    except AssetsError as err:
        raise BuildError(str(err)) from None
    return docs_dir


def run_mkdocs(root: Path, out_dir: Path, offline: bool = False) -> None:
    """`mkdocs build` of the rendered tree, in this process; its warnings become the error message.
    `offline`: with Material's offline plugin on (no directory URLs), for the offline copy."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("SOURCE_DATE_EPOCH", REPORT_DATE)
    log = logging.getLogger("mkdocs")
    caught = _Collect()
    log.addHandler(caught)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out_dir))
        offline_plugin = config.plugins.get("material/offline")
        if offline_plugin is not None:
            offline_plugin.config.enabled = offline
        elif offline:
            raise BuildError(f"{root / 'mkdocs.yml'}: plugins: the offline copy needs Material's `offline` plugin")
        build(config)
    except (MkDocsException, OSError) as err:
        raise BuildError("mkdocs build failed:\n" + "\n".join(caught.messages + [str(err)])) from None
    finally:
        log.removeHandler(caught)


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings so a failed build can say why."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def build_site(root: Path, site_dir: Path) -> None:
    """Full build into a temporary folder beside site_dir, then an atomic-enough swap."""
    data = load_dataset(root / "data")
    render_docs(root, data)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
    try:
        run_mkdocs(root, staging)
        write_exports(data, staging)
        write_search_index(data, staging, root / "build" / "docs")
        write_pdfs(data, staging, REPORT_DATE)  # the curriculum's PDFs, printed from the built site's fonts
        write_redirects(root, staging)  # old addresses → their new pages; fails if a published page is gone
        write_cartridges(data, staging, root, REPORT_DATE)  # the course packages (IMS CC), made from the PDFs
        # Must stay last: the offline copy zips what the steps above wrote into staging.
        write_offline_copy(root, staging, REPORT_DATE)
        old = site_dir.with_name(staging.name + "-old")
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def serve_site(root: Path) -> None:
    """Live preview: mkdocs serve rebuilds when build/docs changes, and a watcher re-renders
    build/docs when data/, content/ or the templates change (bad data is reported, not fatal)."""
    render_docs(root, load_dataset(root / "data"))
    threading.Thread(target=_rerender_on_change, args=(root,), daemon=True).start()
    subprocess.run([sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml")], cwd=root, check=False)


def _rerender_on_change(root: Path, interval: float = 1.0) -> None:
    watched = [root / "data", root / "content", Path(__file__).parent / "templates"]

    def stamp() -> list[tuple[str, float]]:
        return sorted((str(p), p.stat().st_mtime) for folder in watched for p in folder.rglob("*") if p.is_file())

    seen = stamp()
    while True:
        time.sleep(interval)
        now = stamp()
        if now == seen:
            continue
        seen = now
        try:
            render_docs(root, load_dataset(root / "data"))
            print("re-rendered build/docs", file=sys.stderr)
        except DataError as err:
            print("\n".join(map(str, err.problems)), file=sys.stderr)
        except BuildError as err:
            print(f"build failed: {err}", file=sys.stderr)
