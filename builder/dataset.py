"""Read all of data/ into one validated Dataset, or report every problem at once."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from .checks import Located, run_checks
from .load import Document, Problem, read_yaml, validate
from .model import (
    Agency, Approach, CountingCall, Dataset, Factor, Guideline, Method, Network, Passage, Province,
    Module, Programme, Recommendation, Report, Sector, Stage, Table, Term,
)

REPORT = "source/report-th.txt"

# kind → (model, where, one record per file?); a file name (not a folder) is that one file
LAYOUT: dict[str, tuple[type[BaseModel], str, bool]] = {
    "province": (Province, "provinces", True),
    "network": (Network, "networks", True),
    "sector": (Sector, "sectors.yaml", False),
    "approach": (Approach, "approaches.yaml", False),
    "counting": (CountingCall, "counting.yaml", False),
    "passage": (Passage, "handbook/passages.yaml", False),
    "stage": (Stage, "handbook/stages.yaml", False),
    "term": (Term, "glossary.yaml", False),
    "method": (Method, "handbook/methods.yaml", False),
    "factor": (Factor, "handbook/factors.yaml", False),
    "guideline": (Guideline, "handbook/guidelines.yaml", False),
    "agency": (Agency, "handbook/agencies.yaml", False),
    "recommendation": (Recommendation, "handbook/recommendations.yaml", False),
    "table": (Table, "handbook/tables", True),
    "module": (Module, "curriculum/modules", True),
    "programme": (Programme, "curriculum/programmes.yaml", False),
    "report": (Report, "report.yaml", True),
}


class DataError(Exception):
    """The data has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = sorted(problems)


def load_dataset(data_dir: Path) -> Dataset:
    """Load, validate and cross-check everything under data_dir; raise DataError listing all problems."""
    root = data_dir.parent
    problems: list[Problem] = []
    kinds: dict[str, list[Located]] = {}
    known: dict[str, set[str]] = {}
    for kind, (model, where, per_file) in LAYOUT.items():
        paths = sorted((data_dir / where).glob("*.yaml")) if per_file and not where.endswith(".yaml") else [data_dir / where]
        kinds[kind], known[kind] = [], set()
        for path in paths:
            display = path.relative_to(root).as_posix()
            if not path.is_file():
                problems.append(Problem(display, 1, "", "file is missing"))
                continue
            doc, found = read_yaml(path, display)
            problems += found
            if per_file:
                known[kind].add(path.stem)  # even if unreadable, so references to it stay quiet
            if doc is not None:
                known[kind] |= _raw_ids(doc.data)
                located, found = _validate_doc(model, doc, per_file)
                kinds[kind] += located
                problems += found
    report_lines = _read_report(data_dir / REPORT, root, problems)
    if report_lines:
        problems += run_checks(kinds, known, report_lines)
    if problems:
        raise DataError(problems)
    records = {kind: [item.record for item in items] for kind, items in kinds.items()}
    plural = {"province": "provinces", "network": "networks", "sector": "sectors", "approach": "approaches",
              "counting": "counting", "passage": "passages", "stage": "stages", "term": "glossary",
              "method": "methods", "factor": "factors", "guideline": "guidelines", "agency": "agencies",
              "recommendation": "recommendations", "table": "tables",
              "module": "modules", "programme": "programmes", "report": "report"}
    fields = {plural[kind]: items for kind, items in records.items()}
    fields["networks"] = sorted(fields["networks"], key=lambda n: n.id)
    fields["report"] = fields["report"][0]  # report.yaml holds the one report
    return Dataset(**fields, report_lines=report_lines)


def _raw_ids(data) -> set[str]:
    """Ids of records even if they failed validation, so one broken file does not make
    every reference to it look unknown."""
    items = data if isinstance(data, list) else [data]
    return {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _validate_doc(model: type[BaseModel], doc: Document, per_file: bool) -> tuple[list[Located], list[Problem]]:
    if per_file:
        record, problems = validate(model, doc.data, doc)
        return ([Located(record, doc)] if record else []), problems
    if not isinstance(doc.data, list):
        return [], [doc.problem((), "expected a list of records")]
    located, problems = [], []
    for index, item in enumerate(doc.data):
        record, found = validate(model, item, doc, (index,))
        problems += found
        if record:
            located.append(Located(record, doc, (index,)))
    return located, problems


def _read_report(path: Path, root: Path, problems: list[Problem]) -> list[str]:
    display = path.relative_to(root).as_posix()
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        problems.append(Problem(display, 1, "", "the report text is missing"))
    except UnicodeDecodeError:
        problems.append(Problem(display, 1, "", "the report text is not UTF-8"))
    return []
