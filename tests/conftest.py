"""Shared setup: a tiny valid project (fixture data + the real report) to break on purpose."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


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
def dataset():
    from builder.dataset import load_dataset

    return load_dataset(ROOT / "data")
