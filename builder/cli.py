"""Command line: `python -m builder validate|build|serve`.

Bad data and failed builds end with readable messages and exit status 1, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .dataset import DataError, load_dataset
from .errors import BuildError

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder", description="Build the Phanthamit site.")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this checkout)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check all data without building")
    build = commands.add_parser("build", help="validate, render and build the site")
    build.add_argument("--site-dir", type=Path, help="output folder (default: <root>/site)")
    commands.add_parser("serve", help="live preview with mkdocs serve")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "validate":
            dataset = load_dataset(root / "data")
            print(f"ok: {len(dataset.networks)} networks, {len(dataset.provinces)} provinces", file=sys.stderr)
        else:
            from . import build  # imported late: `validate` stays fast without the renderers

            if args.command == "build":
                build.build_site(root, (args.site_dir or root / "site").resolve())
            else:
                build.serve_site(root)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s); nothing was built.", file=sys.stderr)
        return 1
    except BuildError as err:
        print(f"build failed: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug in the builder, not in the data
        if os.environ.get("PHANTHAMIT_DEBUG"):
            raise
        print(f"internal error: {type(err).__name__}: {err} (set PHANTHAMIT_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1
    return 0
