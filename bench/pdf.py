"""Benchmark: printing every PDF of the curriculum (builder/pdf.py) from the real data.

Goal (issue 5): all PDFs in <= 60 s on the 2-core machine.
Run: .venv/bin/python bench/pdf.py [--runs N] [--tabs N] [--data DIR]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.assets import copy_assets  # noqa: E402
from builder.build import REPORT_DATE  # noqa: E402
from builder.dataset import load_dataset  # noqa: E402
from builder.pdf import TABS, write_pdfs  # noqa: E402


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tabs", type=int, default=TABS, help="documents printed at once")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    data = load_dataset(args.data)
    times, written = [], []
    with tempfile.TemporaryDirectory() as out:
        site = Path(out)
        copy_assets(site)  # the fonts, where a built site has them (assets/fonts/)
        for _ in range(args.runs):
            start = time.perf_counter()
            written = write_pdfs(data, site, REPORT_DATE, tabs=args.tabs)
            times.append(time.perf_counter() - start)
        total_pages = sum(pages(p) for p in written)
    print(f"modules: {len(data.modules)}, worksheets: {sum(len(m.worksheets) for m in data.modules)}")
    print(f"PDFs (both languages): {len(written)}, pages: {total_pages}")
    print(f"all PDFs, {args.tabs} tabs: {statistics.median(times):.2f} s  (median of {args.runs}; "
          f"min {min(times):.2f}, max {max(times):.2f}; goal <= 60 s)")


if __name__ == "__main__":
    main()
