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
