"""Benchmark: the whole bilingual build versus a plain `mkdocs build` of the same Markdown.

Goal (issue 2): full build <= 30 s on the 2-core machine and <= 1.3x the plain build.
Run: .venv/bin/python bench/build.py [--runs N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as out:
        shutil.rmtree(ROOT / "build" / "cache", ignore_errors=True)
        cold = timed([sys.executable, "-m", "builder", "build", "--site-dir", f"{out}/cold"])
        full = [timed([sys.executable, "-m", "builder", "build", "--site-dir", f"{out}/full"]) for _ in range(runs)]
        # build/docs now holds the generated Markdown of the last full build
        plain = [timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", f"{out}/plain"]) for _ in range(runs)]
    full_s, plain_s = statistics.median(full), statistics.median(plain)
    pages = len(list((ROOT / "build" / "docs").rglob("*.md")))
    print(f"pages (both languages): {pages}")
    print(f"full build, cold (no drawing cache):            {cold:.2f} s  (goal <= 30 s)")
    print(f"full build (every stage below):                 {full_s:.2f} s  (median of {runs}, drawings cached)")
    print(f"plain mkdocs build of the same Markdown:        {plain_s:.2f} s")
    print(f"ratio: {full_s / plain_s:.2f}x  (goal <= 1.3x); cold: {cold / plain_s:.2f}x")
    stages = stage_times()
    print("stages of one build: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
    downloads = ("pdfs", "course packages", "offline copy")
    site_only = sum(v for k, v in stages.items() if k not in downloads)
    print(f"the site without its downloads ({', '.join(downloads)}): {site_only:.2f} s = "
          f"{site_only / plain_s:.2f}x the plain build (the PDFs have their own goal: bench/pdf.py)")


def stage_times() -> dict[str, float]:
    """Each stage of build_site once, in this process, to show where the time goes."""
    sys.path.insert(0, str(ROOT))
    from builder import build
    from builder.dataset import load_dataset
    from builder.export import write_exports
    from builder.cartridge import write_cartridges
    from builder.offline import write_offline_copy
    from builder.pdf import write_pdfs
    from builder.redirects import write_redirects
    from builder.search_index import write_search_index

    times: dict[str, float] = {}

    def stage(name, work):
        start = time.perf_counter()
        result = work()
        times[name] = time.perf_counter() - start
        return result

    with tempfile.TemporaryDirectory() as out:
        data = stage("validate", lambda: load_dataset(ROOT / "data"))
        stage("render", lambda: build.render_docs(ROOT, data))
        stage("mkdocs", lambda: build.run_mkdocs(ROOT, Path(out)))
        stage("exports", lambda: write_exports(data, Path(out)))
        stage("search index", lambda: write_search_index(data, Path(out), ROOT / "build" / "docs"))
        stage("pdfs", lambda: write_pdfs(data, Path(out), build.REPORT_DATE))
        stage("redirects", lambda: write_redirects(ROOT, Path(out)))
        stage("course packages", lambda: write_cartridges(data, Path(out), ROOT, build.REPORT_DATE))
        stage("offline copy", lambda: write_offline_copy(ROOT, Path(out), build.REPORT_DATE))
    return times


if __name__ == "__main__":
    main()
