"""Static files the site serves from itself: the Sarabun web font (from npm's node_modules).

`copy_assets(docs_dir)` puts them in `<docs_dir>/assets/fonts/`, outside the language folders, so
that MkDocs copies them once to `site/assets/fonts/` and pages of both languages reach them there
(theme/assets/stylesheets/phanthamit.css loads them with `url("../fonts/…")`). Theme files (CSS)
come from `theme/` by MkDocs itself.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"

FONT_PACKAGE = "@fontsource/sarabun"
# Only what the stylesheet declares: Thai + Latin subsets, regular, bold and italic, woff2.
FONT_FILES = [
    f"sarabun-{subset}-{style}.woff2"
    for subset in ("thai", "latin")
    for style in ("400-normal", "700-normal", "400-italic")
]


class AssetsError(RuntimeError):
    """A required static file is not installed; the message says how to fix it."""


def node_file(relative: str, node_modules: Path | None = None) -> Path:
    """Path of a file installed by `npm ci`, e.g. `node_file("world-atlas/countries-110m.json")`."""
    path = (node_modules or NODE_MODULES) / relative
    if not path.is_file():
        raise AssetsError(
            f"{path} is missing: the npm packages are not installed. "
            "Run `make site` (or `npm ci` in the project folder)."
        )
    return path


def copy_assets(docs_dir: Path, node_modules: Path | None = None) -> None:
    """Copy the web font files into `docs_dir/assets/fonts/` (created if needed)."""
    fonts = Path(docs_dir) / "assets" / "fonts"
    sources = [node_file(f"{FONT_PACKAGE}/files/{name}", node_modules) for name in FONT_FILES]
    licence = node_file(f"{FONT_PACKAGE}/LICENSE", node_modules)
    fonts.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copyfile(source, fonts / source.name)
    shutil.copyfile(licence, fonts / "Sarabun-OFL.txt")
